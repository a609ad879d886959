// `rollout run --resume` against the real Codex CLI. A legacy thread Codex wrote (a turn, a manual
// compaction, another turn) is resumed by `codex exec resume`; the file is then cut back to where
// Codex resumed it and our engine resumes it with the same prompt against the same scripted model.
// The input our engine sends must equal what Codex sent after its instructions message (the new
// user message's freshly minted id aside). Real Codex must then read the thread our engine
// appended to exactly as `rollout history` does, and continue it with `codex exec resume`.
// A paginated thread Codex wrote is refused (exit 1), untouched.
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"
if (Codex.binary === undefined) console.warn(`oracle/ResumeRun.test.ts ${missing}`)

type Item = Record<string, unknown>

const rollout = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  return { code, out: output.out(), err: output.err() }
}

const json = async (argv: ReadonlyArray<string>) => {
  const { code, out, err } = await rollout(argv)
  if (code !== 0) throw new Error(`rollout ${argv.join(" ")} exited ${code}: ${err}`)
  return JSON.parse(out)
}

const withoutId = ({ id: _, ...rest }: Item): Item => rest

describe.skipIf(Codex.binary === undefined)(`rollout run --resume agrees with codex exec resume${Codex.binary === undefined ? ` (${missing})` : ""}`, () => {
  let server: ScriptedModelServer.ScriptedModelServer
  const savedKey = process.env["OPENAI_API_KEY"]
  beforeAll(async () => {
    server = await ScriptedModelServer.start()
    // `rollout run` insists on a key; the scripted model ignores it.
    process.env["OPENAI_API_KEY"] = "oracle"
  })
  afterAll(async () => {
    if (savedKey === undefined) delete process.env["OPENAI_API_KEY"]
    else process.env["OPENAI_API_KEY"] = savedKey
    await server.close()
  })

  /** The `input` of the next model request `act` makes, answered with `reply`. */
  const nextInput = async (reply: string, act: () => Promise<unknown>): Promise<Array<Item>> => {
    const seen = server.modelRequests.length
    server.enqueue(ModelScript.reply(reply))
    await act()
    expect(server.problems).toEqual([])
    return server.modelRequests[seen]?.body["input"] as Array<Item>
  }

  const threadRead = async (home: Codex.CodexHome, threadId: string) => {
    const app = await Codex.appServer(home)
    try {
      const read = await app.request("thread/read", { threadId, includeTurns: true })
      return JSON.parse(JSON.stringify(read.thread.turns))
    } finally {
      await app.close()
    }
  }

  it("a legacy thread with a compaction: our resumed request equals Codex's, and Codex reads and continues what we appended", async () => {
    await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
      server.enqueue(
        ModelScript.reply("Noted: the answer is 42."),
        ModelScript.reply("Summary: the user said the answer is 42."),
        ModelScript.reply("Still 42.")
      )
      const app = await Codex.appServer(home)
      let threadId: string
      try {
        const { thread } = await app.request("thread/start", { cwd: home.workspace, historyMode: "legacy" })
        threadId = thread.id
        expect((await app.runTurn(threadId, "Remember: the answer is 42")).status).toBe("completed")
        await app.request("thread/compact/start", { threadId })
        const item = await app.waitFor("item/completed", (p) => p.threadId === threadId && p.item.type === "contextCompaction")
        await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)
        expect((await app.runTurn(threadId, "What is the answer?")).status).toBe("completed")
      } finally {
        await app.close()
      }
      const file = home.rolloutOf(threadId)
      const cut = Fs.readFileSync(file)
      expect(cut.toString()).toContain('"type":"compacted"')
      const prompt = "We are back: continue"

      const codex = await nextInput("Resumed.", () => Codex.execTurn(home, prompt, { resume: threadId }))
      expect(Fs.readFileSync(file).length).toBeGreaterThan(cut.length)
      Fs.writeFileSync(file, cut)
      const resumed = (await json(["resume", threadId, "--codex-home", home.home, "--json"])).history as Array<Item>

      const ran = { result: undefined as any }
      const ours = await nextInput("Resumed.", async () => {
        ran.result = await json(["run", "--resume", threadId.slice(0, 18), prompt, "--base-url", server.baseUrl, "--codex-home", home.home, "--json"])
      })
      expect(ran.result).toMatchObject({ threadId, path: file, status: "completed", lastAgentMessage: "Resumed." })
      // Codex sends its base instructions as input[0] (the engine sends them as `instructions`), then the history, then the prompt.
      expect(codex.length).toBe(1 + resumed.length + 1)
      const sent = codex.slice(1)
      expect(sent.at(-1)).toMatchObject({ role: "user", content: [{ type: "input_text", text: prompt }] })
      // The new user message's id is minted by Codex at request time; everything else is equal, restored ids included.
      expect(ours).toEqual([...sent.slice(0, -1), withoutId(sent.at(-1)!)])
      expect(sent.slice(0, -1)).toEqual(resumed.map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest))
      expect(ours.length).toBeGreaterThan(3)
      expect(Fs.readFileSync(file).subarray(0, cut.length)).toEqual(cut)

      // Codex reads the thread we appended to as `rollout history` does, then continues it.
      const history = await json(["history", threadId, "--codex-home", home.home, "--json"])
      expect(history.thread.turns.at(-1).items.map((i: any) => i.type)).toEqual(["userMessage", "agentMessage"])
      expect(JSON.parse(JSON.stringify(history.thread.turns))).toEqual(await threadRead(home, threadId))
      const next = await nextInput("Continued.", () => Codex.execTurn(home, "And now?", { resume: threadId }))
      expect(next.slice(1, 1 + ours.length).map(withoutId)).toEqual(ours.map(withoutId))
      expect(next[1 + ours.length]).toMatchObject({ role: "assistant", content: [{ type: "output_text", text: "Resumed." }] })
      const after = await json(["history", threadId, "--codex-home", home.home, "--json"])
      expect(after.thread.turns.length).toBe(history.thread.turns.length + 1)
      expect(JSON.parse(JSON.stringify(after.thread.turns))).toEqual(await threadRead(home, threadId))
    })
  }, 180_000)

  it("a paginated thread Codex wrote is refused with a clear message and left untouched", async () => {
    await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
      server.enqueue(ModelScript.reply("First."))
      const { threadId } = await Codex.execTurn(home, "One")
      const file = home.rolloutOf(threadId)
      const bytes = Fs.readFileSync(file)
      const seen = server.modelRequests.length
      const refused = await rollout(["run", "--resume", threadId, "Two", "--base-url", server.baseUrl, "--codex-home", home.home])
      expect(refused.code).toBe(1)
      expect(refused.err).toContain("paginated history mode")
      expect(server.modelRequests.length).toBe(seen)
      expect(Fs.readFileSync(file)).toEqual(bytes)
    })
  }, 120_000)
})
