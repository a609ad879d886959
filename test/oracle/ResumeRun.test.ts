// `rollout run --resume` against the real Codex CLI. A legacy thread Codex wrote (a turn, a manual
// compaction, another turn) is resumed by `codex exec resume`; the file is then cut back to where
// Codex resumed it and our engine resumes it with the same prompt against the same scripted model.
// The input our engine sends must equal what Codex sent after its instructions message (the new
// user message's freshly minted id aside). Real Codex must then read the thread our engine
// appended to exactly as `rollout history` does, and continue it with `codex exec resume`; and
// `rollout replay --verify` re-executes our resumed session identically from where it resumed.
// The same for a paginated thread Codex wrote with `codex exec`, except that Codex's thread/read of
// a paginated thread comes from its own projection database, which shows our turn only once Codex
// has resumed the thread (it then catches up from the file by ordinal).
import * as ModelScript from "@rollout/engine/ModelScript"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Fs from "node:fs"
import { describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"
import * as ScriptedOracle from "./ScriptedOracle.js"

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
  const oracle = ScriptedOracle.setup()
  const nextInput = oracle.nextInput

  const threadRead = async (home: Codex.CodexHome, threadId: string) => {
    const app = await Codex.appServer(home)
    try {
      const read = await app.request("thread/read", { threadId, includeTurns: true })
      return JSON.parse(JSON.stringify(read.thread.turns))
    } finally {
      await app.close()
    }
  }

  /**
   * Codex resumes `threadId` with `prompt`; the file is cut back to where Codex resumed it and our
   * engine resumes it with the same prompt. Then Codex reads and continues what our engine appended.
   */
  const resumeBoth = async (home: Codex.CodexHome, threadId: string, prompt: string, mode: "legacy" | "paginated") => {
    const file = home.rolloutOf(threadId)
    const cut = Fs.readFileSync(file)
    // The whole Codex home is put back, not only the file: Codex also records a paginated turn in its state database.
    const saved = `${home.root}/codex-home-before-resume`
    Fs.cpSync(home.home, saved, { recursive: true })

    const codex = await nextInput("Resumed.", () => Codex.execTurn(home, prompt, { resume: threadId }))
    expect(Fs.readFileSync(file).length).toBeGreaterThan(cut.length)
    Fs.rmSync(home.home, { recursive: true, force: true })
    Fs.cpSync(saved, home.home, { recursive: true })
    expect(Fs.readFileSync(file)).toEqual(cut)
    const resumed = (await json(["resume", threadId, "--codex-home", home.home, "--json"])).history as Array<Item>

    const ran = { result: undefined as any }
    const ours = await nextInput("Resumed.", async () => {
      ran.result = await json(["run", "--resume", threadId.slice(0, 18), prompt, "--base-url", oracle.server.baseUrl, "--codex-home", home.home, "--json"])
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
    // The session that resumed Codex's thread re-executes identically from where it resumed.
    const resumedAt = cut.toString("utf8").trimEnd().split("\n").length
    expect(await json(["replay", threadId, "--verify", "--json", "--codex-home", home.home])).toEqual({ identical: true, firstDifference: null, resumedAt })

    // Codex reads the thread we appended to as `rollout history` does (legacy), then continues it.
    // A paginated thread/read is served from Codex's own projection (thread_history_*.sqlite), which
    // only Codex's writer updates: it shows the turn we appended only once Codex has resumed the thread.
    const history = await json(["history", threadId, "--codex-home", home.home, "--json"])
    const appended = history.thread.turns.at(-1)
    const ourTurn = (turns: Array<any>) => (mode === "legacy" ? turns : turns.filter((t) => t.id !== appended.id))
    expect(appended.items.map((i: any) => [i.type, i.text ?? i.content?.[0]?.text])).toEqual([
      ["userMessage", prompt],
      ["agentMessage", "Resumed."]
    ])
    expect(await threadRead(home, threadId)).toEqual(ourTurn(JSON.parse(JSON.stringify(history.thread.turns))))
    const next = await nextInput("Continued.", () => Codex.execTurn(home, "And now?", { resume: threadId }))
    expect(next.slice(1, 1 + ours.length).map(withoutId)).toEqual(ours.map(withoutId))
    expect(next[1 + ours.length]).toMatchObject({ role: "assistant", content: [{ type: "output_text", text: "Resumed." }] })
    const after = await json(["history", threadId, "--codex-home", home.home, "--json"])
    expect(after.thread.turns.length).toBe(history.thread.turns.length + 1)
    // Resuming brought Codex's projection up to date with the file: every turn, ours included.
    expect(await threadRead(home, threadId)).toEqual(JSON.parse(JSON.stringify(after.thread.turns)))
  }

  it("a legacy thread with a compaction: our resumed request equals Codex's, and Codex reads and continues what we appended", async () => {
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      oracle.server.enqueue(
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
      expect(Fs.readFileSync(home.rolloutOf(threadId), "utf8")).toContain('"type":"compacted"')
      await resumeBoth(home, threadId, "We are back: continue", "legacy")
    })
  }, 180_000)

  it("a paginated fork Codex wrote (its history in its parent): our resumed request equals Codex's, and Codex reads and continues what we appended", async () => {
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      oracle.server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
      const { threadId: parent } = await Codex.execTurn(home, "Say hi in the shell")
      oracle.server.enqueue(ModelScript.reply("Forked."))
      const { threadId } = await Codex.execTurn(home, "Now in the fork", { fork: parent })
      expect(Fs.readFileSync(home.rolloutOf(threadId), "utf8").split("\n")[0]).toContain('"history_base"')
      await resumeBoth(home, threadId, "And in the fork, in short?", "paginated")
    })
  }, 180_000)

  it("a paginated exec thread with a tool call: our resumed request equals Codex's, and Codex reads and continues what we appended", async () => {
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      oracle.server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
      const { threadId } = await Codex.execTurn(home, "Say hi in the shell")
      expect(Fs.readFileSync(home.rolloutOf(threadId), "utf8")).toContain('"history_mode":"paginated"')
      await resumeBoth(home, threadId, "And now, in short?", "paginated")
      // The appended turn holds its canonical items, as Codex's paginated turns do.
      const text = Fs.readFileSync(home.rolloutOf(threadId), "utf8")
      expect(text).toContain('"item":{"type":"UserMessage"')
      expect(text).toContain('"item":{"type":"AgentMessage","id":"msg_')
      // Every line numbered in order: Codex's, then ours, then Codex's again.
      const ordinals = text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).ordinal)
      expect(ordinals).toEqual(ordinals.map((_, i) => i))
    })
  }, 180_000)
})
