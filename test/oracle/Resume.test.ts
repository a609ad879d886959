// `rollout resume` and `rollout fork --write` against the real Codex CLI: after `codex exec resume`
// on a rollout, the first request Codex sends the scripted model begins (after the base
// instructions, input[0]) with exactly the history `rollout resume` prints; a fork written by
// `rollout fork --write` is accepted by `codex exec resume` and sent as the fork's history; and a
// thread trimmed by `rollout trim` (--write or --replace) is resumed by Codex with the same model
// input, whole, as the original.
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"
if (Codex.binary === undefined) console.warn(`oracle/Resume.test.ts ${missing}`)

const rollout = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  if (code !== 0) throw new Error(`rollout ${argv.join(" ")} exited ${code}: ${output.err()}`)
  return JSON.parse(output.out())
}

/** What Codex sends of a history item: the metadata passthrough stays in the file. */
const asSent = (items: ReadonlyArray<Record<string, unknown>>) => items.map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)

describe.skipIf(Codex.binary === undefined)(
  `rollout resume and fork --write agree with codex exec resume${Codex.binary === undefined ? ` (${missing})` : ""}`,
  () => {
    let server: ScriptedModelServer.ScriptedModelServer
    /**
     * The compacted legacy thread most tests start from is recorded once (an app-server, three model
     * turns) and each test gets its own copy of that home. The copy sits at the path it was recorded
     * at, since Codex's home keeps absolute paths (its state database, the thread's cwd).
     */
    let recordedAt = ""
    let template = ""
    let compactedId = ""
    beforeAll(async () => {
      server = await ScriptedModelServer.start()
      recordedAt = Fs.mkdtempSync(Path.join(Os.tmpdir(), "codex-oracle-compacted-"))
      template = `${recordedAt}-template`
      compactedId = await compactedThread(Codex.createHome({ baseUrl: server.baseUrl, root: recordedAt }))
      Fs.renameSync(recordedAt, template)
    }, 120_000)
    afterAll(() => {
      server.close()
      if (template !== "") Fs.rmSync(template, { recursive: true, force: true })
    })

    /** Runs `use` on a fresh copy of the compacted thread's home. */
    const withCompactedThread = (use: (home: Codex.CodexHome, threadId: string) => Promise<void>) =>
      Codex.withCodexHome({ baseUrl: server.baseUrl, root: recordedAt }, async (home) => {
        Fs.cpSync(template, home.root, { recursive: true, preserveTimestamps: true })
        await use(home, compactedId)
      })

    /** Runs `codex exec resume <id> prompt` and returns the `input` of its first model request. */
    const resumeInput = async (home: Codex.CodexHome, threadId: string, prompt: string): Promise<Array<Record<string, unknown>>> => {
      const seen = server.modelRequests.length
      server.enqueue(ModelScript.reply("Resumed."))
      const result = await Codex.execTurn(home, prompt, { resume: threadId })
      expect(result.threadId).toBe(threadId)
      expect(server.problems).toEqual([])
      return server.modelRequests[seen]?.body["input"] as Array<Record<string, unknown>>
    }

    /** A legacy thread (app-server): a turn, a manual compaction, another turn. */
    const compactedThread = async (home: Codex.CodexHome): Promise<string> => {
      server.enqueue(
        ModelScript.reply("Noted: the answer is 42."),
        ModelScript.reply("Summary: the user said the answer is 42."),
        ModelScript.reply("Still 42.")
      )
      const app = await Codex.appServer(home)
      try {
        const { thread } = await app.request("thread/start", { cwd: home.workspace, historyMode: "legacy" })
        expect((await app.runTurn(thread.id, "Remember: the answer is 42")).status).toBe("completed")
        await app.request("thread/compact/start", { threadId: thread.id })
        const item = await app.waitFor("item/completed", (p) => p.threadId === thread.id && p.item.type === "contextCompaction")
        await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)
        expect((await app.runTurn(thread.id, "What is the answer?")).status).toBe("completed")
        return thread.id as string
      } finally {
        await app.close()
      }
    }

    it("codex exec resume on a legacy rollout with a compaction checkpoint sends the history rollout resume prints", async () => {
      await withCompactedThread(async (home, threadId) => {
        expect(Fs.readFileSync(home.rolloutOf(threadId), "utf8")).toContain('"type":"compacted"')
        const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        const input = await resumeInput(home, threadId, "We are back: continue")
        expect(ours.history.length).toBeGreaterThan(2)
        expect(input.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
        expect(input.at(-1)).toMatchObject({ role: "user", content: [{ type: "input_text", text: "We are back: continue" }] })
      })
    })

    it("codex exec resume on a paginated exec rollout sends the history rollout resume prints", async () => {
      await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
        server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
        const { threadId } = await Codex.execTurn(home, "Say hi in the shell")
        const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        const input = await resumeInput(home, threadId, "And now?")
        expect(ours.history.length).toBeGreaterThan(3)
        expect(input.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
      })
    })

    it("a rollback appended after the turn that follows a checkpoint is undone the same way by both", async () => {
      await withCompactedThread(async (home, threadId) => {
        const file = home.rolloutOf(threadId)
        const before = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        const rolledBack = { timestamp: new Date().toISOString(), type: "event_msg", payload: { type: "thread_rolled_back", num_turns: 1 } }
        Fs.appendFileSync(file, `${JSON.stringify(rolledBack)}\n`)
        const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        // "What is the answer?" and its reply are gone; the checkpoint stays.
        expect(ours.history.length).toBe(before.history.length - 2)
        const input = await resumeInput(home, threadId, "After the rollback")
        expect(input.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
        expect(JSON.stringify(input)).not.toContain("What is the answer?")
      })
    })

    it("a fork written by rollout fork --write is resumed by codex exec resume with the forked history", async () => {
      await withCompactedThread(async (home, source) => {
        const sourceBytes = Fs.readFileSync(home.rolloutOf(source))
        // Before user message 1 ("What is the answer?"): the first turn and the compaction.
        const fork = await rollout(["fork", source, "--before-user-message", "1", "--write", "--codex-home", home.home, "--json"])
        expect(fork.forkedFromId).toBe(source)
        expect(home.rolloutOf(fork.threadId)).toBe(fork.path)
        expect(Fs.readFileSync(home.rolloutOf(source))).toEqual(sourceBytes)
        const input = await resumeInput(home, fork.threadId, "Continue in the fork")
        expect(fork.history.length).toBeGreaterThan(1)
        expect(input.slice(1, 1 + fork.history.length)).toEqual(asSent(fork.history))
        // Codex appended the resumed turn to the fork, not to the source.
        expect(Fs.readFileSync(fork.path, "utf8")).toContain("Continue in the fork")
        expect(Fs.readFileSync(home.rolloutOf(source))).toEqual(sourceBytes)
      })
    })

    it("a fork of a paginated exec rollout, written by rollout fork --write, is resumed by codex exec resume", async () => {
      await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
        server.enqueue(ModelScript.reply("First."))
        const { threadId: source } = await Codex.execTurn(home, "One")
        server.enqueue(ModelScript.reply("Second."))
        await Codex.execTurn(home, "Two", { resume: source })
        const fork = await rollout(["fork", source, "--before-user-message", "1", "--write", "--codex-home", home.home, "--json"])
        const input = await resumeInput(home, fork.threadId, "Continue the paginated fork")
        expect(fork.history.length).toBeGreaterThan(1)
        expect(input.slice(1, 1 + fork.history.length)).toEqual(asSent(fork.history))
        expect(JSON.stringify(input)).not.toContain('"Two"')
      })
    })

    /**
     * A request's input without the `id`s Codex mints while it builds the request (the context
     * messages' ids derive from the thread id, the new user message's is fresh): everything else,
     * the restored history's ids included, must be equal.
     */
    const minted = (input: ReadonlyArray<Record<string, unknown>>, history: number) =>
      input.map((item, i) => {
        if (i >= 1 && i <= history) return item
        const { id: _, ...rest } = item
        return rest
      })

    /** The trimmed copy of `threadId`, then the input Codex sends resuming the original and the copy with the same prompt. */
    const originalAndTrimmed = async (home: Codex.CodexHome, threadId: string, prompt: string) => {
      const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
      const trim = await rollout(["trim", threadId, "--write", "--codex-home", home.home, "--json"])
      expect(trim.bytesAfter).toBeLessThan(trim.bytesBefore)
      expect(await rollout(["resume", trim.threadId, "--codex-home", home.home, "--json"])).toEqual(ours)
      const text = Fs.readFileSync(trim.path, "utf8")
      const original = await resumeInput(home, threadId, prompt)
      const trimmed = await resumeInput(home, trim.threadId, prompt)
      return { ours, trim, text, original, trimmed }
    }

    it("a thread trimmed by rollout trim --write is resumed by codex exec resume with the same model input as the original", async () => {
      await withCompactedThread(async (home, threadId) => {
        const { ours, text, original, trimmed } = await originalAndTrimmed(home, threadId, "Continue after the trim")
        expect(minted(trimmed, ours.history.length)).toEqual(minted(original, ours.history.length))
        expect(original.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
        // The first turn is gone from the file (the compaction's turn and the one after remain), not from what the model is sent.
        const original0 = Fs.readFileSync(home.rolloutOf(threadId), "utf8")
        expect(original0.split('"type":"task_started"').length - 1).toBe(4)
        expect(text.split('"type":"task_started"').length - 1).toBe(2)
      })
    })

    it("a trimmed thread whose last turn was rolled back is resumed by codex exec resume with the same model input", async () => {
      await withCompactedThread(async (home, threadId) => {
        const rolledBack = { timestamp: new Date().toISOString(), type: "event_msg", payload: { type: "thread_rolled_back", num_turns: 1 } }
        Fs.appendFileSync(home.rolloutOf(threadId), `${JSON.stringify(rolledBack)}\n`)
        const { ours, text, original, trimmed } = await originalAndTrimmed(home, threadId, "After the rollback and the trim")
        expect(minted(trimmed, ours.history.length)).toEqual(minted(original, ours.history.length))
        expect(text).not.toContain("thread_rolled_back")
        expect(text).not.toContain("What is the answer?")
      })
    })

    it("a paginated exec thread trimmed by rollout trim --write is resumed by codex exec resume with the same model input", async () => {
      await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
        server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
        const { threadId } = await Codex.execTurn(home, "Say hi in the shell")
        server.enqueue(ModelScript.reply("Second."))
        await Codex.execTurn(home, "Two", { resume: threadId })
        const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        const trim = await rollout(["trim", threadId, "--write", "--codex-home", home.home, "--json"])
        expect(await rollout(["resume", trim.threadId, "--codex-home", home.home, "--json"])).toEqual(ours)
        const original = await resumeInput(home, threadId, "Third")
        const trimmed = await resumeInput(home, trim.threadId, "Third")
        expect(minted(trimmed, ours.history.length)).toEqual(minted(original, ours.history.length))
        expect(original.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
      })
    })

    it("a paginated exec fork (and a fork of it) trimmed by rollout trim --write stands alone and is resumed by codex exec resume as the fork is", async () => {
      await Codex.withCodexHome({ baseUrl: server.baseUrl }, async (home) => {
        server.enqueue(ModelScript.call("exec_command", { cmd: "echo hi", yield_time_ms: 1000 }, "call_1"), ModelScript.reply("Done."))
        const { threadId: parent } = await Codex.execTurn(home, "Say hi in the shell")
        server.enqueue(ModelScript.reply("Forked."))
        const { threadId: fork } = await Codex.execTurn(home, "Three, in the fork", { fork: parent })
        // The parent goes on after the fork: none of that is the fork's, nor its trimmed copy's.
        server.enqueue(ModelScript.reply("The parent goes on."))
        await Codex.execTurn(home, "Parent only", { resume: parent })
        server.enqueue(ModelScript.reply("Forked again."))
        const { threadId: grand } = await Codex.execTurn(home, "Five, in the fork of the fork", { fork: fork })
        const trims = []
        for (const threadId of [fork, grand]) {
          expect(Fs.readFileSync(home.rolloutOf(threadId), "utf8").split("\n")[0]).toContain('"history_base"')
          const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
          const trim = await rollout(["trim", threadId, "--write", "--codex-home", home.home, "--json"])
          const text = Fs.readFileSync(trim.path, "utf8")
          expect(text.split("\n")[0]).not.toContain('"history_base"')
          expect(text).toContain('"Say hi in the shell"')
          expect(text).not.toContain("Parent only")
          expect(await rollout(["resume", trim.threadId, "--codex-home", home.home, "--json"])).toEqual(ours)
          trims.push({ threadId, ours, trim, original: await resumeInput(home, threadId, "After the trim of the fork") })
        }
        // The trimmed copies stand alone: Codex resumes them with the parent and the fork gone.
        for (const threadId of [parent, fork]) Fs.renameSync(home.rolloutOf(threadId), `${home.root}/${threadId}.jsonl`)
        for (const { ours, trim, original } of trims) {
          const trimmed = await resumeInput(home, trim.threadId, "After the trim of the fork")
          expect(minted(trimmed, ours.history.length)).toEqual(minted(original, ours.history.length))
          expect(original.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
          expect(JSON.stringify(trimmed)).toContain('"Say hi in the shell"')
        }
      })
    })

    it("rollout trim --replace keeps the id: codex exec resume of it sends the history the original resumed to", async () => {
      await withCompactedThread(async (home, threadId) => {
        const file = home.rolloutOf(threadId)
        const bytes = Fs.readFileSync(file)
        const ours = await rollout(["resume", threadId, "--codex-home", home.home, "--json"])
        const trim = await rollout(["trim", threadId, "--replace", "--codex-home", home.home, "--json"])
        expect(trim).toMatchObject({ threadId, path: file })
        expect(Fs.readFileSync(trim.backup)).toEqual(bytes)
        const input = await resumeInput(home, threadId, "Resumed in place")
        expect(input.slice(1, 1 + ours.history.length)).toEqual(asSent(ours.history))
        expect(input.at(-1)).toMatchObject({ role: "user", content: [{ type: "input_text", text: "Resumed in place" }] })
        expect(input).toHaveLength(ours.history.length + 2)
      })
    })
  }
)
