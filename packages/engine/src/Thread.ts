/**
 * A thread: one rollout file, its model-visible history, its pending user input and at most one
 * running turn. `submit` starts a turn when the thread is idle and otherwise queues the input, which
 * the running turn takes in at its next drain point (after a model response's tool calls, or when
 * the model ends the turn); `interrupt` aborts the running turn. Its state is two lifecycles, each a
 * union: the rollout file (`Rollout`: unwritten, open, closed; opened by `ThreadRollout`) and the
 * turn (`Activity`: idle, starting, running).
 *
 * Replay relies on: the clock is read once per written line (see `Recorder`), ids are taken in the
 * order documented in `Ids`, and every line is written through `RolloutWriter` before subscribers
 * see it. The turn loop itself lives in `Turn`.
 */
import type * as RolloutWriter from "@rollout/log/RolloutWriter"
import type * as WriterVersion from "@rollout/protocol/WriterVersion"
import type { Clock } from "./Clock.js"
import type { Ids } from "./Ids.js"
import type * as InterruptPlan from "./internal/InterruptPlan.js"
import type * as Mail from "./internal/Mail.js"
import type * as ModelClient from "./internal/ModelClient.js"
import type { Usage } from "./internal/ModelClient.js"
import type * as Recorder from "./internal/Recorder.js"
import type { SessionBudget } from "./internal/SessionBudget.js"
import type { StopHooks } from "./internal/StopHooks.js"
import type * as ThreadTrace from "./internal/ThreadTrace.js"
import type * as Tool from "./internal/Tool.js"

export type JsonObject = { readonly [key: string]: unknown }

export interface Config {
  readonly model: string
  readonly cwd: string
  readonly instructions: string
  readonly modelContextWindow: number
  /** Compact the history when a response's total tokens reach this (Codex `model_auto_compact_token_limit`). */
  readonly autoCompactTokenLimit?: number
  /** Codex defaults: 4 request retries, 5 stream retries, 200 ms backoff base. */
  readonly requestMaxRetries?: number
  readonly streamMaxRetries?: number
  readonly backoffBaseMs?: number
  readonly originator?: string
  /** `session_meta.cli_version` as given (a replay keeps the recorded one); else `writerVersion`. */
  readonly cliVersion?: string
  /** The Codex release whose rollout shape the thread's lines follow; the newest by default. */
  readonly writerVersion?: WriterVersion.WriterVersion
  readonly modelProvider?: string
  /** The rollout's history mode: new threads write legacy; a resumed thread keeps its file's. */
  readonly historyMode?: "legacy" | "paginated"
}

export interface Services {
  readonly model: ModelClient.Shape
  readonly clockFor: (threadId: string) => Clock
  readonly idsFor: (threadId: string) => Ids
  readonly stopHooksFor: (threadId: string) => StopHooks
  readonly budget: SessionBudget | undefined
  readonly codexHome: string
  readonly durability?: RolloutWriter.Durability
  /** Tools beyond the built-in sleep (multi-agent), built per thread. */
  readonly toolsFor: (thread: Thread) => ReadonlyArray<Tool.Tool>
  /** Starts the thread's rollout trace once its rollout file is known; undefined: not traced. */
  readonly traceFor?: (thread: Thread, rolloutPath: string) => ThreadTrace.ThreadTrace | undefined
  /** Replay: where each thread's recorded mailbox deliveries happened (see `Mailbox`). */
  readonly mailboxPlan?: (threadId: string) => Mail.Plan | undefined
  /** Replay: where each thread's recorded turns were interrupted (see `InterruptPlan`). */
  readonly interruptPlan?: (threadId: string) => InterruptPlan.Plan | undefined
  /** A turn ended with a final status (completed or failed, not interrupted): a sub-agent notifies its parent. */
  readonly turnCompleted?: (thread: Thread, turnId: string, status: Mail.AgentStatus) => void
}

export interface Spawn {
  readonly parentThreadId: string
  readonly depth: number
  readonly agentPath: string
  readonly agentRole: string | null
  readonly agentNickname: string | null
}

/**
 * The thread's rollout file: not written yet (a new thread before its first turn), open for
 * appending (with the thread's trace, if traced), or closed (its path and trace stay readable).
 */
export type Rollout =
  | { readonly _tag: "Unwritten" }
  | { readonly _tag: "Open"; readonly recorder: Recorder.Recorder; readonly trace: ThreadTrace.ThreadTrace | undefined }
  | { readonly _tag: "Closed"; readonly recorder: Recorder.Recorder; readonly trace: ThreadTrace.ThreadTrace | undefined }

/** A turn that has its id: what the turn loop, the mailbox and token accounting read and advance. */
export interface Running {
  readonly _tag: "Running"
  readonly controller: AbortController
  readonly done: Promise<void>
  /** Sent with model requests as `x-rollout-turn-id`. */
  readonly turnId: string
  /** `token_count` lines the turn has written (names its mailbox boundaries). */
  usages: number
  /** The current mailbox boundary and how many messages it delivered. */
  boundary: { readonly key: string; readonly delivered: number }
}

/**
 * What the thread is doing: nothing; starting a turn (its rollout is being opened, it has no id
 * yet); or running a turn. `done` settles when the turn (and nothing after it) has ended.
 */
export type Activity = { readonly _tag: "Idle" } | { readonly _tag: "Starting"; readonly controller: AbortController; readonly done: Promise<void> } | Running

export interface Thread {
  readonly id: string
  readonly config: Config
  readonly services: Services
  readonly spawn: Spawn | undefined
  readonly agentPath: string
  readonly clock: Clock
  readonly ids: Ids
  /** The model-visible history, in order (mutated by turns). */
  readonly history: Array<JsonObject>
  /** History items restored from the rollout on resume: requests send them as the file has them (with their ids). */
  readonly restored: WeakSet<JsonObject>
  readonly pending: Array<string>
  /** Messages from other agents waiting for the running turn's next model-call boundary. */
  readonly mailbox: Array<Mail.Mail>
  readonly mailWaiters: Set<() => void>
  /** The thread's running token total (`token_count.info.total_token_usage`). */
  total: Usage
  /** The last error a turn threw (not a model failure: those end the turn in the rollout). */
  failure: unknown
  rollout: Rollout
  activity: Activity
  /** The rollout's recorder once the file exists (read from `rollout`). */
  readonly recorder: Recorder.Recorder | undefined
  /** The thread's rollout-trace handle; undefined when tracing is off (read from `rollout`). */
  readonly trace: ThreadTrace.ThreadTrace | undefined
  readonly subscribers: Set<Recorder.Subscriber>
  readonly waiters: Set<() => void>
}

export const make = (id: string, config: Config, services: Services, spawn?: Spawn): Thread => ({
  id,
  config,
  services,
  spawn,
  agentPath: spawn?.agentPath ?? "/root",
  clock: services.clockFor(id),
  ids: services.idsFor(id),
  history: [],
  restored: new WeakSet(),
  pending: [],
  mailbox: [],
  mailWaiters: new Set(),
  total: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 },
  failure: undefined,
  rollout: { _tag: "Unwritten" },
  activity: { _tag: "Idle" },
  get recorder() {
    return this.rollout._tag === "Unwritten" ? undefined : this.rollout.recorder
  },
  get trace() {
    return this.rollout._tag === "Unwritten" ? undefined : this.rollout.trace
  },
  subscribers: new Set(),
  waiters: new Set()
})

export const isRunning = (thread: Thread): boolean => thread.activity._tag !== "Idle"

/** The running turn; only the turn's own steps call this, so there is always one. */
export const current = (thread: Thread): Running => {
  const activity = thread.activity
  if (activity._tag !== "Running") throw new Error(`thread ${thread.id} has no running turn`)
  return activity
}

/** The running turn's id, "" outside a turn (the trace's and the request's turn id). */
export const turnId = (thread: Thread): string => (thread.activity._tag === "Running" ? thread.activity.turnId : "")

/** The rollout's recorder; a line written before the file exists is a bug (a closed writer refuses it itself). */
export const recorderOf = (thread: Thread): Recorder.Recorder => {
  if (thread.rollout._tag === "Unwritten") throw new Error(`thread ${thread.id} has no rollout yet`)
  return thread.rollout.recorder
}

/** The starting turn takes its id (its rollout is open): from here it is running. */
export const begin = (thread: Thread, id: string): Running => {
  const activity = thread.activity
  if (activity._tag !== "Starting") throw new Error(`thread ${thread.id}: a turn begins only once, after it started`)
  const running: Running = { _tag: "Running", controller: activity.controller, done: activity.done, turnId: id, usages: 0, boundary: { key: "", delivered: 0 } }
  thread.activity = running
  return running
}

export const subscribe = (thread: Thread, subscriber: Recorder.Subscriber): (() => void) => {
  thread.subscribers.add(subscriber)
  return () => thread.subscribers.delete(subscriber)
}

/** Wakes whoever waits for input (a sleeping tool). */
const wake = (thread: Thread) => {
  const waiters = [...thread.waiters]
  thread.waiters.clear()
  waiters.forEach((w) => w())
}

/** Puts `mail` into the thread's mailbox and wakes a boundary waiting for it (`Mailbox.deliver`). */
export const post = (thread: Thread, mail: Mail.Mail): void => {
  thread.mailbox.push(mail)
  const waiters = [...thread.mailWaiters]
  thread.mailWaiters.clear()
  waiters.forEach((w) => w())
}

export const inputArrived = (thread: Thread): Promise<void> =>
  thread.pending.length > 0 ? Promise.resolve() : new Promise((resolve) => thread.waiters.add(resolve))

/** Takes the input queued for the running turn. */
export const drain = (thread: Thread): ReadonlyArray<string> => thread.pending.splice(0, thread.pending.length)

/**
 * What starts a turn: user input, or mail from another agent (as in Codex, an idle agent's turn
 * starts with the inter-agent message itself, not a user message).
 */
export type Input = string | Mail.Mail

/**
 * Gives the thread input: user input is queued for the running turn, mail goes to its mailbox; an
 * idle thread starts a new turn run by `runTurn` (mail only if it triggers a turn). Resolves once
 * the input is queued or its turn has started.
 */
export const submit = (thread: Thread, input: Input, runTurn: (thread: Thread, input: Input) => Promise<void>): void => {
  if (typeof input !== "string") {
    if (isRunning(thread) || !input.triggerTurn) return post(thread, input)
  } else if (isRunning(thread)) {
    thread.pending.push(input)
    wake(thread)
    return
  }
  start(thread, input, runTurn)
}

const start = (thread: Thread, input: Input, runTurn: (thread: Thread, input: Input) => Promise<void>): void => {
  const controller = new AbortController()
  // The turn's steps before its first await (see `Turn.run`) do not read the activity, so it can be
  // set once the turn's promise exists.
  const done = runToEnd(thread, input, runTurn)
  thread.activity = { _tag: "Starting", controller, done }
}

const runToEnd = async (thread: Thread, input: Input, runTurn: (thread: Thread, input: Input) => Promise<void>): Promise<void> => {
  try {
    await runTurn(thread, input)
  } catch (error) {
    // A turn that could not record its end (a failed write) leaves the file as it is; the
    // thread stays usable and the error is kept for whoever asks.
    thread.failure = error
  } finally {
    thread.activity = { _tag: "Idle" }
    // Input that arrived after the turn's last drain point starts the next turn; so does mail
    // that arrived after its last mailbox boundary, if it triggers a turn (a completion
    // notification waits for the next turn's first boundary).
    const trigger = thread.mailbox.findIndex((mail) => mail.triggerTurn)
    const next = thread.pending.shift() ?? (trigger < 0 ? undefined : thread.mailbox.splice(trigger, 1)[0])
    if (next !== undefined) start(thread, next, runTurn)
    else wake(thread)
  }
}

/** The running turn's promise, undefined when idle (what a caller may race against). */
export const done = (thread: Thread): Promise<void> | undefined => (thread.activity._tag === "Idle" ? undefined : thread.activity.done)

/** Resolves when the thread has no running turn and no queued input. */
export const idle = async (thread: Thread): Promise<void> => {
  for (let activity = thread.activity; activity._tag !== "Idle"; activity = thread.activity) await activity.done.catch(() => undefined)
}

/** Aborts the running turn (it records `turn_aborted`) and waits for it to end. */
export const interrupt = async (thread: Thread): Promise<void> => {
  const activity = thread.activity
  if (activity._tag === "Idle") return
  activity.controller.abort()
  wake(thread)
  await activity.done.catch(() => undefined)
}

/** Waits for the thread to be idle, then closes its rollout (a thread that never wrote has none). */
export const close = async (thread: Thread): Promise<void> => {
  await idle(thread)
  const rollout = thread.rollout
  if (rollout._tag !== "Open") return
  thread.rollout = { _tag: "Closed", recorder: rollout.recorder, trace: rollout.trace }
  await rollout.recorder.close()
}
