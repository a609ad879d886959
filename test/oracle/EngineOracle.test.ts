// The real Codex app-server as the oracle for the engine's rollouts: every file the engine writes
// (plain turns, tools and sleep, stop hooks, interrupts, failures, compaction, multi-agent) is read
// back by `codex app-server` thread/read, and its turns must equal the history we rebuild from the
// same file and the engine's live thread view.
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Clock from "@rollout/engine/Clock"
import * as Demo from "@rollout/engine/Demo"
import * as Engine from "@rollout/engine/Engine"
import * as Ids from "@rollout/engine/Ids"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as Codex from "./Codex.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"

const ourTurns = (file: string) =>
  ThreadHistory.turns(
    Fs.readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .flatMap((text) => {
        const decoded = RolloutLine.decode(JSON.parse(text))
        return decoded._tag === "Known" ? [decoded.line] : []
      })
  )

describe.skipIf(Codex.binary === undefined)(`engine rollouts read by Codex app-server${Codex.binary === undefined ? ` (${missing})` : ""}`, () => {
  let home: Codex.CodexHome
  let server: ScriptedModelServer.ScriptedModelServer
  const files: Array<{ readonly id: string; readonly file: string; readonly live: unknown }> = []
  let demo: ReadonlyArray<Demo.DemoThread> = []

  beforeAll(async () => {
    let rootId = ""
    let rootScript: Array<ModelScript.Turn> = []
    let childScript: Array<ModelScript.Turn> = []
    // Requests are answered from the script of the thread that sent them (`session_id` header).
    server = await ScriptedModelServer.start({
      respond: (request) => (request.headers["session_id"] === rootId ? rootScript : childScript).shift()
    })
    home = Codex.createHome({ baseUrl: server.baseUrl })
    const run = async (turns: ReadonlyArray<ModelScript.Turn>, drive: (thread: Engine.Handle) => Promise<void>, options: Partial<Engine.Options> = {}) => {
      rootScript = [...turns]
      const engine = Engine.make({
        codexHome: home.home,
        baseURL: server.baseUrl,
        config: { cwd: home.workspace, backoffBaseMs: 1, ...options.config },
        clockFor: () => Clock.virtual(Date.UTC(2026, 10, 21, 9, 0, 0), 7),
        idsFor: (id) => Ids.counter(id === Engine.ROOT ? files.length : parseInt(id.slice(-4), 16)),
        durability: "none",
        ...options
      })
      const thread = engine.startThread()
      rootId = thread.id
      await drive(thread)
      await engine.close()
      for (const t of engine.threads.values()) files.push({ id: t.id, file: t.recorder!.path, live: engine.handle(t).turns() })
    }
    await run([ModelScript.reply("Hello!", { reasoning: "Greeting." }), ModelScript.reply("Second.")], async (t) => {
      await t.run("Hi")
      await t.run("Again")
    })
    await run([ModelScript.call("sleep", { duration_ms: 100 }), ModelScript.reply("Rested.")], (t) => t.run("Nap"))
    await run([ModelScript.reply("Done."), ModelScript.reply("Tests pass.")], (t) => t.run("Fix it"), {
      stopHooks: [
        { kind: "function", name: "tests", run: (i) => (i.stopHookActive ? { decision: "continue" } : { decision: "block", reason: "Run the tests." }) }
      ]
    })
    await run([ModelScript.stall([{ type: "message", text: "Working" }]), ModelScript.reply("Back.")], async (t) => {
      const off = t.subscribe((e) => {
        if (e.line.type === "event_msg" && e.line.payload.type === "agent_message") void t.interrupt()
      })
      await t.run("Long task")
      off()
      await t.run("Continue")
    })
    await run([ModelScript.httpError(400, "bad input"), ModelScript.reply("Fine now.")], async (t) => {
      await t.run("Break")
      await t.run("Retry")
    })
    await run(
      [{ type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 } }], usage: { inputTokens: 140, outputTokens: 10 } }],
      (t) => t.run("Spend"),
      { sessionBudget: 100 }
    )
    await run(
      [
        { type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 } }], usage: { inputTokens: 140, outputTokens: 10 } },
        ModelScript.reply("Summary of the nap."),
        ModelScript.reply("Done.")
      ],
      (t) => t.run("Nap then report"),
      { config: { autoCompactTokenLimit: 100 } }
    )
    childScript = [ModelScript.stall(), ModelScript.reply("1 2 3")]
    await run(
      [
        ModelScript.call("spawn_agent", { task_name: "worker", message: "Count" }),
        ModelScript.call("interrupt_agent", { target: "worker" }),
        ModelScript.call("followup_task", { target: "worker", message: "Count again" }),
        ModelScript.reply("Delegated.")
      ],
      (t) => t.run("Delegate")
    )
    demo = await Demo.run({ codexHome: home.home, cwd: home.workspace })
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    if (home !== undefined) Fs.rmSync(home.root, { recursive: true, force: true })
  })

  it("thread/read returns the history we rebuild and the engine's live view, for every file", async () => {
    const app = await Codex.appServer(home)
    try {
      for (const { id, file, live } of files) {
        const read = await app.request("thread/read", { threadId: id, includeTurns: true })
        const codex = JSON.parse(JSON.stringify(read.thread.turns))
        expect(JSON.parse(JSON.stringify(ourTurns(file))), file).toEqual(codex)
        expect(JSON.parse(JSON.stringify(live)), file).toEqual(codex)
      }
    } finally {
      await app.close()
    }
  }, 60_000)

  it("thread/read returns the history we rebuild, for every demo rollout", async () => {
    const app = await Codex.appServer(home)
    try {
      expect(demo.length).toBe(9)
      for (const { threadId, path } of demo) {
        const read = await app.request("thread/read", { threadId, includeTurns: true })
        expect(JSON.parse(JSON.stringify(ourTurns(path))), path).toEqual(JSON.parse(JSON.stringify(read.thread.turns)))
      }
    } finally {
      await app.close()
    }
  }, 60_000)
})
