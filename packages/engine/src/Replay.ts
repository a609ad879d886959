/**
 * Replay verification (`rollout replay THREAD --verify`): re-runs the engine on what a rollout
 * recorded and compares the lines. The
 * model output recorded in the rollout (and in its sub-agents' rollouts) is served per thread and
 * turn through `ScriptedModelServer` (real HTTP, real SSE, the real openai client), the engine runs
 * with replay clocks (the recorded line stamps, in order) and replay ids (the recorded ids, in the
 * order `Ids` documents), recorded stop-hook continuations, the recovered session budget and
 * auto-compact limit; the root thread is driven with the recorded user input (steered input is
 * submitted right after the `token_count` it followed); each thread's turns are interrupted where
 * they were, and the mail between threads is delivered where it was (the engine's interrupt and
 * mailbox plans), however the threads interleave in the re-run. The re-executed file is then compared line by line with the recording.
 *
 * A rollout this engine did not write (another originator's shapes) is simply reported with its
 * first difference. It is not the interactive step mode (`replay --at N`).
 */
import * as fs from "node:fs"
import { Effect, Layer } from "effect"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as HistoryBase from "@rollout/log/HistoryBase"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as Clock from "./Clock.js"
import * as Engine from "./Engine.js"
import * as Ids from "./Ids.js"
import * as ModelClient from "./internal/ModelClient.js"
import type * as ModelScript from "./ModelScript.js"
import * as Recording from "./Recording.js"
import * as ScriptedModelServer from "./ScriptedModelServer.js"
import * as StopHooks from "./internal/StopHooks.js"
import * as Thread from "./Thread.js"

export interface Difference {
  /** 1-based line number in the recorded file. */
  readonly line: number
  /** The recorded raw line; null when the recording is shorter. */
  readonly expected: string | null
  /** The re-executed line; null when the re-run is shorter. */
  readonly actual: string | null
}

export interface Verdict {
  readonly identical: boolean
  readonly firstDifference: Difference | null
}

interface Recorded {
  readonly path: string
  readonly raws: ReadonlyArray<string>
  readonly recording: Recording.Recording
}

const readRaw = async (files: Files.Shape, path: string): Promise<{ raws: Array<string>; values: Array<Record<string, any>> }> => {
  const raws: Array<string> = []
  const values: Array<Record<string, any>> = []
  for await (const batch of RolloutReader.batches(files, path)) {
    for (const entry of batch) {
      if (entry._tag === "Line") {
        raws.push(entry.raw)
        values.push(entry.value as Record<string, any>)
      }
    }
  }
  return { raws, values }
}

const load = async (files: Files.Shape, path: string): Promise<Recorded> => {
  const { raws, values } = await readRaw(files, path)
  return { path, raws, recording: Recording.fromLines(values, true) }
}

const findOne = async (files: Files.Shape, home: string, id: string): Promise<string | undefined> =>
  (await CodexHome.findThread(files, home, id).catch(() => []))[0]?.path

/** The recording's whole family: its root (following `parent_thread_id`) and every descendant. */
const family = async (files: Files.Shape, start: Recorded, home: string): Promise<Map<string, Recorded>> => {
  let root = start
  for (let guard = 0; root.recording.parentThreadId !== undefined && guard < 64; guard++) {
    const parent = await findOne(files, home, root.recording.parentThreadId)
    if (parent === undefined) break
    root = await load(files, parent)
  }
  const all = new Map<string, Recorded>([[root.recording.threadId, root]])
  const queue = [root]
  while (queue.length > 0) {
    const next = queue.shift()!
    for (const child of next.recording.children) {
      if (all.has(child)) continue
      const path = await findOne(files, home, child)
      if (path === undefined) continue
      const loaded = await load(files, path)
      all.set(child, loaded)
      queue.push(loaded)
    }
  }
  if (!all.has(start.recording.threadId)) all.set(start.recording.threadId, start)
  return all
}

const compare = (expected: ReadonlyArray<string>, actual: ReadonlyArray<string>): Verdict => {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i] ?? null
    const a = actual[i] ?? null
    if (e !== a) return { identical: false, firstDifference: { line: i + 1, expected: e, actual: a } }
  }
  return { identical: true, firstDifference: null }
}

/**
 * Serves each thread's recorded model output per turn (the `session_id` and `x-rollout-turn-id`
 * headers name the thread and turn).
 */
const startModel = (threads: Map<string, Recorded>): Promise<ScriptedModelServer.ScriptedModelServer> => {
  const calls = new Map<string, Array<ModelScript.Turn>>()
  for (const { recording } of threads.values()) {
    for (const turn of recording.turns) calls.set(`${recording.threadId}/${turn.turnId}`, [...turn.modelCalls])
  }
  return ScriptedModelServer.start({
    respond: (request) => {
      const queue = calls.get(`${String(request.headers["session_id"])}/${String(request.headers["x-rollout-turn-id"])}`)
      const head = queue?.[0]
      if (head === undefined) return { type: "failed", code: "server_error", message: "replay: the recording has no further model output" }
      // A failure that ended the turn was answered to every retry: keep serving it (a failure
      // that carried streamed items was the first attempt only).
      if ((head.type === "failed" && (head.items ?? []).length === 0) || head.type === "http_error") return head
      queue!.shift()
      return head
    }
  })
}

/** The clocks, ids and model of a re-run: the recorded stamps and ids, the recorded model output. */
const replayServices = (threads: Map<string, Recorded>, rootId: string, baseURL: string): Layer.Layer<Engine.Services> =>
  Layer.mergeAll(
    Clock.layerReplay((id) => threads.get(id)?.recording.stamps),
    Ids.layerReplay((id) => (id === Engine.ROOT ? [rootId] : (threads.get(id)?.recording.ids ?? []))),
    ModelClient.layer({ baseURL, apiKey: "rollout-local", idleTimeoutMs: 10_000 })
  )

/** The settings that make a re-run take the recorded hooks, mail, budget and compaction limit. */
const replaySettings = (threads: Map<string, Recorded>, rootId: string, home: string): Engine.Settings => {
  const root = threads.get(rootId)!.recording
  const hooksByThread = new Map<string, StopHooks.StopHooks>()
  const compactLimits = [...threads.values()].map((t) => t.recording.compactLimit).filter((n): n is number => n !== undefined)
  return {
    codexHome: home,
    config: {
      ...root.config,
      ...(compactLimits.length === 0 ? {} : { autoCompactTokenLimit: Math.min(...compactLimits) }),
      backoffBaseMs: 1
    },
    stopHooksFor: (id) => {
      let hooks = hooksByThread.get(id)
      if (hooks === undefined) {
        hooks = StopHooks.replay(new Map((threads.get(id)?.recording.turns ?? []).map((t) => [t.turnId, t.hookPrompts])))
        hooksByThread.set(id, hooks)
      }
      return hooks
    },
    // Mail lands in a re-run whenever the sender gets there; it is delivered at the recorded boundary.
    mailboxPlan: (id) => {
      const turns = threads.get(id)?.recording.turns
      return turns === undefined ? undefined : (turnId, index) => turns.find((t) => t.turnId === turnId)?.deliveries.get(index) ?? []
    },
    // So does an interrupt (the user's or another agent's): it cuts the turn at the recorded line.
    interruptPlan: (id) => {
      const turns = threads.get(id)?.recording.turns
      return turns === undefined ? undefined : (turnId) => turns.find((t) => t.turnId === turnId)?.interruptedAfter
    },
    ...(root.budgetRemainingAtStart === undefined ? {} : { sessionBudget: root.budgetRemainingAtStart }),
    durability: "none"
  }
}

/**
 * Submits steered input right after the `token_count` it followed, as recorded (interrupts are the
 * engine's, from the `interruptPlan`).
 */
const followRecording = (root: Recording.Recording, handle: Engine.Handle): void => {
  let turnIndex = -1
  let tokenCounts = 0
  handle.subscribe((event) => {
    if (!event.persisted) return
    const line = event.line
    if (line.type === "event_msg" && line.payload.type === "task_started") {
      turnIndex++
      tokenCounts = 0
    }
    const turn = root.turns[turnIndex]
    if (turn === undefined) return
    if (line.type === "event_msg" && line.payload.type === "token_count") {
      tokenCounts++
      for (const text of turn.steers.get(tokenCounts) ?? []) handle.submit(text)
    }
  })
}

/**
 * Re-runs a family of recordings into `home`; resolves when every thread is idle, or after
 * `deadlineMs` (a re-run that diverged may wait for an interrupt that never comes): then the model
 * server is closed and every thread interrupted, and it resolves `false`.
 */
const rerun = async (
  threads: Map<string, Recorded>,
  rootId: string,
  home: string,
  deadlineMs: number,
  begin: (engine: Engine.Engine) => Promise<Engine.Handle> = async (engine) => engine.startThread()
): Promise<boolean> => {
  const server = await startModel(threads)
  const root = threads.get(rootId)!.recording
  const engine = Effect.runSync(Effect.provide(Engine.build(replaySettings(threads, rootId, home)), replayServices(threads, rootId, server.baseUrl)))
  let inTime = true
  const timer = setTimeout(() => {
    inTime = false
    void server.close()
    for (const thread of engine.threads.values()) void Thread.interrupt(thread)
  }, deadlineMs)
  try {
    const handle = await begin(engine)
    followRecording(root, handle)
    for (const turn of root.turns) {
      if (!inTime) break
      await handle.idle()
      if (turn.input !== undefined) handle.submit(turn.input)
      await handle.idle()
    }
  } finally {
    await engine.close()
    clearTimeout(timer)
    await server.close()
  }
  return inTime
}

export const verify = async (
  files: Files.Shape,
  paths: ReadonlyArray<string>,
  options: {
    readonly codexHome: string
    /** How long one re-run may take (default 60 s); past it the replay counts as different. */
    readonly deadlineMs?: number
  }
): Promise<Verdict> => {
  for (const path of paths) {
    const start = await load(files, path)
    const threads = await family(files, start, options.codexHome)
    const rootId = [...threads.values()].find((t) => t.recording.parentThreadId === undefined || !threads.has(t.recording.parentThreadId))!.recording.threadId
    const home = fs.mkdtempSync(nodePath.join(os.tmpdir(), "rollout-replay-"))
    try {
      const inTime = await rerun(threads, rootId, home, options.deadlineMs ?? 60_000)
      const rerunPath = await findOne(Files.node, home, start.recording.threadId)
      const actual = rerunPath === undefined ? [] : (await readRaw(Files.node, rerunPath)).raws
      const verdict = compare(start.raws, actual)
      if (!verdict.identical) return verdict
      if (!inTime) return { identical: false, firstDifference: { line: start.raws.length + 1, expected: null, actual: null } }
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  }
  return { identical: true, firstDifference: null }
}

/** A session re-executed from where it resumed a thread: the verdict, and the line it resumed after. */
export interface ResumedVerdict extends Verdict {
  /** The number of lines the thread had when the session resumed it (taken as recorded). */
  readonly resumedAt: number
}

const TURN_CLOSING = new Set(["task_complete", "turn_complete", "turn_aborted"])

/** The line counts a session can have resumed a thread at: right after a turn ended (the last line excluded). */
export const resumePoints = (values: ReadonlyArray<Record<string, any>>): Array<number> =>
  values.flatMap((v, i) => (i + 1 < values.length && v["type"] === "event_msg" && TURN_CLOSING.has(v["payload"]?.["type"]) ? [i + 1] : []))

/**
 * Re-executes the session that resumed the thread at `path` after its first `resumedAt` lines:
 * those lines (and the parents a paginated fork's history lives in) are put in a scratch home, the
 * engine resumes the copy as `rollout run --resume` does and is driven with the recorded input and
 * model output of the turns after them; the file it leaves is compared with the recording.
 */
export const verifyFrom = async (
  files: Files.Shape,
  path: string,
  resumedAt: number,
  options: { readonly codexHome: string; readonly deadlineMs?: number }
): Promise<Verdict> => {
  const { raws, values } = await readRaw(files, path)
  const whole = Recording.fromLines([values[0] ?? {}, ...values.slice(resumedAt)], true)
  // The resumed session wrote no session_meta: its clock readings are those of the lines it wrote.
  const start: Recorded = { path, raws, recording: { ...whole, stamps: whole.stamps.slice(1) } }
  const threads = await family(files, start, options.codexHome)
  threads.set(whole.threadId, start)
  const home = fs.mkdtempSync(nodePath.join(os.tmpdir(), "rollout-replay-"))
  try {
    const copy = nodePath.join(
      home,
      nodePath.relative(options.codexHome, path).startsWith("..") ? nodePath.basename(path) : nodePath.relative(options.codexHome, path)
    )
    fs.mkdirSync(nodePath.dirname(copy), { recursive: true })
    fs.writeFileSync(
      copy,
      raws
        .slice(0, resumedAt)
        .map((raw) => `${raw}\n`)
        .join("")
    )
    for await (const base of HistoryBase.chain(files, options.codexHome, values[0]?.["payload"])) {
      for (const file of base.paths) {
        const target = nodePath.join(home, nodePath.relative(options.codexHome, file))
        fs.mkdirSync(nodePath.dirname(target), { recursive: true })
        fs.copyFileSync(file, target)
      }
    }
    const inTime = await rerun(threads, whole.threadId, home, options.deadlineMs ?? 60_000, (engine) => engine.resumeThread(copy, { liveView: false }))
    const verdict = compare(raws, (await readRaw(Files.node, copy)).raws)
    if (!verdict.identical || inTime) return verdict
    return { identical: false, firstDifference: { line: raws.length + 1, expected: null, actual: null } }
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

/**
 * For a thread another writer started and this engine's `run --resume` continued: the earliest
 * point the thread can have been resumed at (after a turn) from which the rest re-executes
 * identically, found by bisection (a suffix that re-executes identically stays so when cut later);
 * undefined when not even the last turn does.
 */
export const verifyResumed = async (
  files: Files.Shape,
  path: string,
  options: { readonly codexHome: string; readonly deadlineMs?: number }
): Promise<ResumedVerdict | undefined> => {
  const points = resumePoints((await readRaw(files, path)).values)
  let found: ResumedVerdict | undefined
  let low = 0
  let high = points.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const resumedAt = points[middle] as number
    const verdict = await verifyFrom(files, path, resumedAt, options)
    if (verdict.identical) {
      found = { ...verdict, resumedAt }
      high = middle - 1
    } else low = middle + 1
  }
  return found
}
