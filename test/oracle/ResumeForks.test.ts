// Paginated forks against the real Codex CLI. A paginated fork holds none of its parent's lines:
// its `session_meta.history_base` names them. (1) `codex exec fork`, then `codex exec resume` of the
// fork (and of a fork of the fork) sends the parent's history before the fork's own: `rollout
// resume` of the fork prints exactly what Codex sends. (2) A fork `rollout fork --write` saves of a
// paginated thread is read back by Codex's `thread/read` as `rollout history` reads it, user
// messages included, and `codex exec resume` of it sends the history the fork printed. (3) After
// app-server `thread/fork {beforeTurnId}` and a turn, Codex sends what `rollout run --resume THREAD
// --fork-before N` sends, and our fork names the same cut as Codex's. With RECORD_RESUME_FORKS=1 the
// first case also writes fixtures/resume/codex-forks (the home, and what Codex sent at each step),
// which CI checks without Codex (packages/cli/test/ResumeForks.test.ts, test/e2e/EngineResume.test.ts).
import * as ModelScript from "@rollout/engine/ModelScript"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"
import * as ScriptedOracle from "./ScriptedOracle.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"
if (Codex.binary === undefined) console.warn(`oracle/ResumeForks.test.ts ${missing}`)

type Item = Record<string, unknown>

const FIXTURE = Path.resolve(import.meta.dirname, "../../fixtures/resume/codex-forks")

const rollout = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  if (code !== 0) throw new Error(`rollout ${argv.join(" ")} exited ${code}: ${output.err()}`)
  return JSON.parse(output.out())
}

/** What Codex sends of a history item: the metadata passthrough stays in the file. */
const asSent = (items: ReadonlyArray<Item>) => items.map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)
const withoutId = ({ id: _, ...rest }: Item): Item => rest
const json = (value: unknown) => JSON.parse(JSON.stringify(value))

/** Every rollout file of the home by its path under the home, with its size now. */
const sizes = (home: Codex.CodexHome): Record<string, number> =>
  Object.fromEntries(home.rollouts().map((file) => [Path.relative(home.home, file), Fs.statSync(file).size]))

describe.skipIf(Codex.binary === undefined)(`paginated forks agree with Codex${Codex.binary === undefined ? ` (${missing})` : ""}`, () => {
  const oracle = ScriptedOracle.setup()
  const nextInput = oracle.nextInput

  /** A paginated exec thread: a tool-calling turn, then a resumed one. */
  const parent = async (home: Codex.CodexHome): Promise<string> => {
    oracle.server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
    const { threadId } = await Codex.execTurn(home, "Say hi in the shell")
    oracle.server.enqueue(ModelScript.reply("Second."))
    await Codex.execTurn(home, "Two", { resume: threadId })
    return threadId
  }

  /** `codex exec resume` of `threadId` sends what `rollout resume` prints, then the prompt. */
  const resumed = async (home: Codex.CodexHome, threadId: string, prompt: string) => {
    const at = sizes(home)
    const ours = asSent((await rollout(["resume", threadId, "--codex-home", home.home, "--json"])).history)
    const input = await nextInput("Resumed.", () => Codex.execTurn(home, prompt, { resume: threadId }))
    expect(input.slice(1, -1)).toEqual(ours)
    expect(input.at(-1)).toMatchObject({ role: "user", content: [{ type: "input_text", text: prompt }] })
    return { name: "", threadId, prompt, sizes: at, input }
  }

  it("codex exec resume of a fork, and of a fork of that fork, sends the parents' history first, as rollout resume prints it", async () => {
    const record = process.env["RECORD_RESUME_FORKS"] === "1"
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      const a = await parent(home)
      oracle.server.enqueue(ModelScript.reply("Forked."))
      const { threadId: f } = await Codex.execTurn(home, "Three, in the fork", { fork: a })
      expect(Fs.readFileSync(home.rolloutOf(f), "utf8").split("\n")[0]).toContain('"history_base"')
      // The parent goes on after the fork: none of it is the fork's.
      oracle.server.enqueue(ModelScript.reply("The parent goes on."))
      await Codex.execTurn(home, "Parent only", { resume: a })
      const fork = { ...(await resumed(home, f, "Four, after resuming the fork")), name: "fork" }
      expect(JSON.stringify(fork.input)).not.toContain("Parent only")
      expect(JSON.stringify(fork.input)).toContain('"Say hi in the shell"')
      oracle.server.enqueue(ModelScript.reply("Forked again."))
      const { threadId: g } = await Codex.execTurn(home, "Five, in the fork of the fork", { fork: f })
      const grand = { ...(await resumed(home, g, "Six, after resuming the fork of the fork")), name: "fork-of-fork" }
      expect(JSON.stringify(grand.input)).toContain('"Four, after resuming the fork"')

      // Codex's thread/fork before the second turn, then a turn: the cut fork's first request.
      const at = sizes(home)
      const app = await Codex.appServer(home)
      let cut: { threadId: string; beforeTurnId: string; input: Array<Item>; turns: unknown }
      try {
        const turns = (await app.request("thread/read", { threadId: a, includeTurns: true })).thread.turns
        const forked = await app.request("thread/fork", { threadId: a, beforeTurnId: turns[1].id })
        const input = await nextInput("Cut.", () => app.runTurn(forked.thread.id, "Seven, in the cut fork"))
        cut = { threadId: forked.thread.id, beforeTurnId: turns[1].id, input, turns: json(turns) }
      } finally {
        await app.close()
      }
      const ours = await rollout(["fork", a, "--before-user-message", "1", "--json", "--codex-home", home.home])
      expect(cut.input.slice(1, -1)).toEqual(asSent(ours.history))
      if (record) {
        Fs.rmSync(FIXTURE, { recursive: true, force: true })
        Fs.mkdirSync(FIXTURE, { recursive: true })
        Fs.cpSync(home.sessionsDir, Path.join(FIXTURE, "home", "sessions"), { recursive: true })
        const cutFork = { name: "cut-fork", source: a, beforeUserMessage: 1, prompt: "Seven, in the cut fork", sizes: at, ...cut }
        const cases = { codex: "0.171.0", root: home.root, parent: a, resumes: [fork, grand], cutFork }
        Fs.writeFileSync(Path.join(FIXTURE, "cases.json"), `${JSON.stringify(cases, null, 2)}\n`)
      }
    })
  }, 240_000)

  it("a fork rollout fork --write saves of a paginated thread: Codex's thread/read equals rollout history, messages included, and Codex resumes it", async () => {
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      const a = await parent(home)
      const fork = await rollout(["fork", a, "--before-user-message", "1", "--write", "--codex-home", home.home, "--json"])
      const ours = json((await rollout(["history", fork.threadId, "--codex-home", home.home, "--json"])).thread.turns)
      const app = await Codex.appServer(home)
      try {
        const read = await app.request("thread/read", { threadId: fork.threadId, includeTurns: true })
        expect(json(read.thread.turns)).toEqual(ours)
      } finally {
        await app.close()
      }
      expect(ours.map((t: any) => t.items.map((i: any) => [i.type, i.content?.[0]?.text ?? i.text]))).toEqual([
        [
          ["userMessage", "Say hi in the shell"],
          ["commandExecution", undefined],
          ["agentMessage", "Done."]
        ]
      ])
      const input = await nextInput("Resumed.", () => Codex.execTurn(home, "Continue the fork", { resume: fork.threadId }))
      expect(input.slice(1, -1)).toEqual(asSent(fork.history))
    })
  }, 180_000)

  it("rollout run --resume --fork-before N sends what Codex sends after thread/fork before that turn, and Codex continues our fork", async () => {
    await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
      const a = await parent(home)
      const app = await Codex.appServer(home)
      let codex: Array<Item>
      let codexFork: string
      try {
        const turns = (await app.request("thread/read", { threadId: a, includeTurns: true })).thread.turns
        const forked = await app.request("thread/fork", { threadId: a, beforeTurnId: turns[1].id })
        codexFork = forked.thread.id
        codex = await nextInput("Cut.", () => app.runTurn(forked.thread.id, "Another way"))
      } finally {
        await app.close()
      }
      let ran: any
      const ours = await nextInput("Cut.", async () => {
        ran = await rollout([
          "run",
          "--resume",
          a,
          "--fork-before",
          "1",
          "Another way",
          "--base-url",
          oracle.server.baseUrl,
          "--codex-home",
          home.home,
          "--json"
        ])
      })
      expect(ran).toMatchObject({ status: "completed", lastAgentMessage: "Cut." })
      expect(ran.threadId).not.toBe(a)
      // Codex sends its base instructions as input[0]; the new message's id is minted per request.
      expect(ours).toEqual([...codex.slice(1, -1), withoutId(codex.at(-1) as Item)])
      // Our fork names the cut Codex's does.
      const base = (id: string) => JSON.parse(Fs.readFileSync(home.rolloutOf(id), "utf8").split("\n")[0] ?? "").payload.history_base
      expect(base(ran.threadId)).toEqual(base(codexFork))
      // Codex continues the fork our engine wrote, from the history our engine sent and its turn.
      const next = await nextInput("Continued.", () => Codex.execTurn(home, "And then?", { resume: ran.threadId }))
      expect(next.slice(1, ours.length).map(withoutId)).toEqual(ours.slice(0, -1).map(withoutId))
      expect(next[ours.length]).toMatchObject({ role: "user", content: [{ type: "input_text", text: "Another way" }] })
      const history = json((await rollout(["history", ran.threadId, "--codex-home", home.home, "--json"])).thread.turns)
      const app2 = await Codex.appServer(home)
      try {
        expect(json((await app2.request("thread/read", { threadId: ran.threadId, includeTurns: true })).thread.turns)).toEqual(history)
      } finally {
        await app2.close()
      }
    })
  }, 180_000)
})
