/**
 * Records the sample Codex home (`rollouts/`) and the oracle fixtures (`fixtures/oracle/<case>/`)
 * by running the real Codex CLI against the scripted model server. Run it through
 * `node scripts/record-samples.mjs`; it is a procedure, not a test. Every file it copies is
 * written by Codex itself; nothing is normalised.
 *
 * Each case is a thread. Legacy threads are driven through `codex app-server`, paginated ones
 * through `codex exec`. Once everything is recorded a fresh app-server (every thread unloaded)
 * answers `thread/read` and `thread/turns/list` for each thread.
 */
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"

export interface Options {
  /** The repository root: `rollouts/` and `fixtures/oracle/` are written under it. */
  readonly repoRoot: string
  /** Where the throw-away Codex home is built; its paths end up in the recorded files. */
  readonly recordRoot: string
  readonly log?: (line: string) => void
}

interface Case {
  readonly name: string
  threadId?: string
  /** Set for resumed threads: the first model request after the resume, and the file length then. */
  resume?: { readonly linesBeforeResume: number; readonly input: unknown }
}

export const record = async (options: Options): Promise<ReadonlyArray<Case>> => {
  const log = options.log ?? (() => {})
  const server = await ScriptedModelServer.start()
  const home = Codex.createHome({ baseUrl: server.baseUrl, root: options.recordRoot })
  const cases = new Map<string, Case>()
  const thread = (name: string, threadId: string) => {
    cases.set(name, { name, threadId })
    return threadId
  }
  // Plays `turns` during `step`, then checks the script was used up exactly.
  const scripted = async <A>(label: string, turns: ReadonlyArray<ModelScript.Turn>, step: () => Promise<A>): Promise<A> => {
    server.enqueue(...turns)
    const started = Date.now()
    const result = await step()
    if (server.pending() !== 0 || server.problems.length > 0) {
      throw new Error(`${label}: ${server.pending()} scripted turns left, problems: ${server.problems.join("; ")}`)
    }
    log(`  ${label} (${Date.now() - started} ms)`)
    return result
  }
  const lineCount = (threadId: string) =>
    Fs.readFileSync(home.rolloutOf(threadId), "utf8")
      .split("\n")
      .filter((l) => l.length > 0).length
  const lastInput = () => server.modelRequests.at(-1)?.body["input"]

  try {
    log(`recording into ${home.home} (model server ${server.baseUrl})`)
    let app = await Codex.appServer(home)
    const start = async () => (await app.request("thread/start", { cwd: home.workspace, historyMode: "legacy" })).thread.id as string

    // 1. A plain chat: two turns, reasoning, and a thread name (so session_index.jsonl exists).
    const chat = thread("legacy-chat", await start())
    await scripted(
      "legacy-chat",
      [
        ModelScript.reply("Hello! What are we working on today?", { reasoning: "The user greets me." }),
        ModelScript.reply("A rollout is the append-only JSONL log of one thread.")
      ],
      async () => {
        expectStatus(await app.runTurn(chat, "Hello Codex"), "completed")
        expectStatus(await app.runTurn(chat, "What is a rollout, in one sentence?"), "completed")
        await app.request("thread/name/set", { threadId: chat, name: "Sample chat" })
      }
    )

    // 2. Tools: exec_command (function call) and apply_patch (custom tool call) in one turn.
    const tools = thread("legacy-tools-resumed", await start())
    await scripted(
      "legacy-tools",
      [
        ModelScript.call("exec_command", { cmd: "printf 'hello from the shell\\n'", yield_time_ms: 1000 }, "call_shell_1"),
        {
          type: "response",
          items: [
            {
              type: "custom_tool_call",
              name: "apply_patch",
              callId: "call_patch_1",
              input: "*** Begin Patch\n*** Add File: notes.md\n+# Notes\n+Recorded by the oracle.\n*** End Patch\n"
            }
          ]
        },
        ModelScript.reply("I ran a shell command and created notes.md.")
      ],
      async () => expectStatus(await app.runTurn(tools, "Run a shell command, then create notes.md"), "completed")
    )

    // 3. Failures: a model error (response.failed), an HTTP 400, then a working turn.
    const failed = thread("legacy-failed", await start())
    await scripted(
      "legacy-failed",
      [
        ModelScript.fail("The scripted model failed on purpose.", "server_error"),
        ModelScript.httpError(400, "Scripted bad request."),
        ModelScript.reply("Working again.")
      ],
      async () => {
        expectStatus(await app.runTurn(failed, "This turn meets a model error"), "failed")
        expectStatus(await app.runTurn(failed, "This turn meets an HTTP 400"), "failed")
        expectStatus(await app.runTurn(failed, "And this one works"), "completed")
      }
    )

    // 4. Manual compaction between two turns (resumed later: the oracle for replacement history).
    const compact = thread("legacy-compact-resumed", await start())
    await scripted(
      "legacy-compact",
      [
        ModelScript.reply("Noted: the answer is 42."),
        ModelScript.reply("Summary: the user said the answer is 42; nothing else happened."),
        ModelScript.reply("Still 42.")
      ],
      async () => {
        expectStatus(await app.runTurn(compact, "Remember: the answer is 42"), "completed")
        await app.request("thread/compact/start", { threadId: compact })
        // turn/completed of a compaction turn carries no items: find the turn by its item.
        const item = await app.waitFor("item/completed", (p) => p.threadId === compact && p.item.type === "contextCompaction")
        expectStatus((await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)).params.turn, "completed")
        expectStatus(await app.runTurn(compact, "What is the answer?"), "completed")
      }
    )

    // 5. An interrupted turn: the model stalls mid-stream, the client interrupts, the next turn works.
    const interrupted = thread("legacy-interrupted", await start())
    await scripted(
      "legacy-interrupted",
      [ModelScript.stall([{ type: "reasoning", summary: ["Thinking about a long task..."] }]), ModelScript.reply("Fine, something shorter then.")],
      async () => {
        const seen = server.modelRequests.length
        const turn = await app.startTurn(interrupted, "Start a very long task")
        await server.waitForModelRequests(seen + 1)
        await app.request("turn/interrupt", { threadId: interrupted, turnId: turn.id })
        const done = await app.waitFor("turn/completed", (p) => p.threadId === interrupted && p.turn.id === turn.id)
        expectStatus(done.params.turn, "interrupted")
        expectStatus(await app.runTurn(interrupted, "Never mind, say hi"), "completed")
      }
    )

    // 6. A fork of the chat thread, continued with one turn.
    const forked = await app.request("thread/fork", { threadId: chat })
    const fork = thread("legacy-fork", forked.thread.id)
    await scripted("legacy-fork", [ModelScript.reply("This is the forked thread speaking.")], async () =>
      expectStatus(await app.runTurn(fork, "Continue in the fork"), "completed")
    )

    // 7. A paginated thread from the app-server: compaction and an interrupted turn.
    const paginated = thread("paginated-compact-interrupted", (await app.request("thread/start", { cwd: home.workspace, historyMode: "paginated" })).thread.id)
    await scripted(
      "paginated-compact-interrupted",
      [
        ModelScript.reply("Paginated history, first turn."),
        ModelScript.reply("Summary: one short exchange about paginated history."),
        ModelScript.stall([{ type: "message", text: "Working on it, step one of many...", phase: "commentary" }]),
        ModelScript.reply("After the interruption.")
      ],
      async () => {
        expectStatus(await app.runTurn(paginated, "Start a paginated thread"), "completed")
        await app.request("thread/compact/start", { threadId: paginated })
        const item = await app.waitFor("item/completed", (p) => p.threadId === paginated && p.item.type === "contextCompaction")
        expectStatus((await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)).params.turn, "completed")
        const seen = server.modelRequests.length
        const turn = await app.startTurn(paginated, "Start something long")
        await server.waitForModelRequests(seen + 1)
        await app.waitFor("item/completed", (p) => p.threadId === paginated && p.item.type === "agentMessage" && p.turnId === turn.id)
        await app.request("turn/interrupt", { threadId: paginated, turnId: turn.id })
        expectStatus((await app.waitFor("turn/completed", (p) => p.turn.id === turn.id)).params.turn, "interrupted")
        expectStatus(await app.runTurn(paginated, "Carry on"), "completed")
      }
    )
    await app.close()

    // 8. Cold resumes in a new app-server: the first request after each is the model-visible history.
    app = await Codex.appServer(home)
    for (const name of ["legacy-tools-resumed", "legacy-compact-resumed"]) {
      const threadId = cases.get(name)!.threadId!
      const linesBeforeResume = lineCount(threadId)
      await app.request("thread/resume", { threadId })
      await scripted(`${name} (resume)`, [ModelScript.reply("Resumed and ready.")], async () =>
        expectStatus(await app.runTurn(threadId, "We are back: continue"), "completed")
      )
      cases.set(name, { name, threadId, resume: { linesBeforeResume, input: lastInput() } })
    }
    await app.close()

    // 9. Paginated threads from `codex exec`: a tool turn, a resume, a failed resumed turn, a fork.
    const exec = await scripted(
      "exec-tools-resumed",
      [ModelScript.call("exec_command", { cmd: "ls -a", yield_time_ms: 1000 }, "call_exec_1"), ModelScript.reply("The workspace holds notes.md.")],
      () => Codex.execTurn(home, "List the workspace")
    )
    const execId = thread("exec-tools-resumed", exec.threadId)
    const execLinesBeforeResume = lineCount(execId)
    await scripted("exec-tools-resumed (resume)", [ModelScript.reply("Resumed from exec.")], () =>
      Codex.execTurn(home, "Continue after resume", { resume: execId })
    )
    cases.set("exec-tools-resumed", { name: "exec-tools-resumed", threadId: execId, resume: { linesBeforeResume: execLinesBeforeResume, input: lastInput() } })
    await scripted("exec-tools-resumed (failed turn)", [ModelScript.fail("The scripted model failed on purpose.", "server_error")], () =>
      Codex.execTurn(home, "This resumed turn fails", { resume: execId, allowFailure: true })
    )
    const execFork = await scripted("exec-fork", [ModelScript.reply("Forked from exec.")], () =>
      Codex.execTurn(home, "Continue in the exec fork", { fork: execId })
    )
    thread("exec-fork", execFork.threadId)

    // 10. The oracle answers, from a fresh app-server where no thread is loaded.
    app = await Codex.appServer(home)
    const answers = new Map<string, { read: unknown; turns: unknown }>()
    for (const { name, threadId } of cases.values()) {
      const read = await app.request("thread/read", { threadId, includeTurns: true })
      const turns = await app.request("thread/turns/list", { threadId, itemsView: "full", sortDirection: "asc", limit: 100 })
      answers.set(name, { read, turns })
    }
    await app.close()

    for (const request of server.requests.filter((r) => r.path !== "/v1/responses" || r.method !== "POST")) {
      log(`  (the model server also saw ${request.method} ${request.path}${request.upgrade ? " (WebSocket upgrade)" : ""}, answered ${request.status})`)
    }
    publish(options, home, [...cases.values()], answers)
    return [...cases.values()]
  } finally {
    await server.close()
  }
}

const expectStatus = (turn: { readonly status: string; readonly id: string }, status: string) => {
  if (turn.status !== status) throw new Error(`turn ${turn.id} ended ${turn.status}, expected ${status}: ${JSON.stringify(turn)}`)
}

/** Copies the home's rollouts (with their mtimes) and writes the fixtures. */
const publish = (options: Options, home: Codex.CodexHome, cases: ReadonlyArray<Case>, answers: Map<string, { read: unknown; turns: unknown }>) => {
  const rollouts = Path.join(options.repoRoot, "rollouts")
  Fs.rmSync(Path.join(rollouts, "sessions"), { recursive: true, force: true })
  Fs.rmSync(Path.join(rollouts, "session_index.jsonl"), { force: true })
  Fs.cpSync(home.sessionsDir, Path.join(rollouts, "sessions"), { recursive: true, preserveTimestamps: true })
  const index = Path.join(home.home, "session_index.jsonl")
  if (Fs.existsSync(index)) Fs.cpSync(index, Path.join(rollouts, "session_index.jsonl"), { preserveTimestamps: true })

  const fixtures = Path.join(options.repoRoot, "fixtures", "oracle")
  for (const c of cases) {
    const dir = Path.join(fixtures, c.name)
    Fs.rmSync(dir, { recursive: true, force: true })
    Fs.mkdirSync(dir, { recursive: true })
    Fs.cpSync(home.rolloutOf(c.threadId!), Path.join(dir, "input.jsonl"), { preserveTimestamps: true })
    const answer = answers.get(c.name)!
    Fs.writeFileSync(Path.join(dir, "thread-read.json"), `${JSON.stringify(answer.read, null, 2)}\n`)
    Fs.writeFileSync(Path.join(dir, "turns-list.json"), `${JSON.stringify(answer.turns, null, 2)}\n`)
    if (c.resume !== undefined) Fs.writeFileSync(Path.join(dir, "resume-request.json"), `${JSON.stringify(c.resume, null, 2)}\n`)
  }
}
