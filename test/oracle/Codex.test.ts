import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"
if (Codex.binary === undefined) console.warn(`oracle/Codex.test.ts ${missing}`)

describe.skipIf(Codex.binary === undefined)(`Codex oracle harness${Codex.binary === undefined ? ` (${missing})` : ""}`, () => {
  let server: ScriptedModelServer.ScriptedModelServer
  beforeAll(async () => {
    server = await ScriptedModelServer.start()
  })
  afterAll(() => server.close())

  it("an exec turn writes a rollout that starts with session_meta of the started thread", async () => {
    server.enqueue(ModelScript.reply("pong"))
    await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
      const result = await Codex.execTurn(home, "ping from the oracle test")

      const lines = Fs.readFileSync(home.rolloutOf(result.threadId), "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line))
      expect(lines[0].type).toBe("session_meta")
      expect(lines[0].payload.id).toBe(result.threadId)
      expect(result.events.some((event) => event.type === "item.completed" && event.item.text === "pong")).toBe(true)

      const body = JSON.stringify(server.modelRequests.at(-1)?.body)
      expect(body).toContain("ping from the oracle test")
      expect(server.problems).toEqual([])
    })
  })

  it("the app-server answers thread/read for a legacy thread it recorded", async () => {
    server.enqueue(ModelScript.reply("hello from the app-server"))
    await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
      const app = await Codex.appServer(home)
      try {
        const { thread } = await app.request("thread/start", { cwd: home.workspace, historyMode: "legacy" })
        const turn = await app.runTurn(thread.id, "hi")
        expect(turn.status).toBe("completed")
        const read = await app.request("thread/read", { threadId: thread.id, includeTurns: true })
        expect(read.thread.turns.map((t: any) => t.items.map((item: any) => item.type))).toEqual([["userMessage", "agentMessage"]])
        await expect(app.request("thread/read", { threadId: "not-a-thread" })).rejects.toThrow(/thread\/read: .*invalid thread id/)
        const first = JSON.parse(Fs.readFileSync(home.rolloutOf(thread.id), "utf8").split("\n")[0]!)
        expect(first.payload.history_mode ?? "legacy").toBe("legacy")
      } finally {
        await app.close()
      }
    })
  })
})
