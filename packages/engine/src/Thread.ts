/**
 * A thread: one rollout file, its model-visible history, its pending user input and at most one
 * running turn. `submit` starts a turn when the thread is idle and otherwise queues the input, which
 * the running turn takes in at its next drain point (after a model response's tool calls, or when
 * the model ends the turn); `interrupt` aborts the running turn. The file is created by the first
 * turn, starting with `session_meta` (legacy history mode), as Codex does.
 *
 * Replay relies on: the clock is read once per written line (see `Recorder`), ids are taken in the
 * order documented in `Ids`, and every line is written through `RolloutWriter` before subscribers
 * see it. The turn loop itself lives in `Turn`.
 */
import * as CodexHome from "@rollout/log/CodexHome"
import type * as RolloutWriter from "@rollout/log/RolloutWriter"
import type { Clock } from "./Clock.js"
import type { Ids } from "./Ids.js"
import type * as Mail from "./Mail.js"
import type { ModelClient, Usage } from "./ModelClient.js"
import * as Json from "@rollout/protocol/Json"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as Recorder from "./Recorder.js"
import type { SessionBudget } from "./SessionBudget.js"
import type { StopHooks } from "./StopHooks.js"
import type * as ThreadTrace from "./ThreadTrace.js"
import type * as Tool from "./Tool.js"

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
  readonly cliVersion?: string
  readonly modelProvider?: string
}

export interface Services {
  readonly model: ModelClient
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

export type Status = "idle" | "running"

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
  readonly pending: Array<string>
  /** Messages from other agents waiting for the running turn's next model-call boundary. */
  readonly mailbox: Array<Mail.Mail>
  readonly mailWaiters: Set<() => void>
  /** `token_count` lines the running turn has written (names its mailbox boundaries). */
  turnUsages: number
  /** The current mailbox boundary and how many messages it delivered. */
  boundary: { readonly key: string; readonly delivered: number }
  /** The thread's running token total (`token_count.info.total_token_usage`). */
  total: Usage
  /** The running turn's id (sent with model requests as `x-rollout-turn-id`). */
  turnId: string | undefined
  status: Status
  /** The last error a turn threw (not a model failure: those end the turn in the rollout). */
  failure: unknown
  controller: AbortController | undefined
  running: Promise<void> | undefined
  recorder: Recorder.Recorder | undefined
  /** The thread's rollout-trace handle; undefined when tracing is off. */
  trace: ThreadTrace.ThreadTrace | undefined
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
  pending: [],
  mailbox: [],
  mailWaiters: new Set(),
  turnUsages: 0,
  boundary: { key: "", delivered: 0 },
  total: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 },
  turnId: undefined,
  status: "idle",
  failure: undefined,
  controller: undefined,
  running: undefined,
  recorder: undefined,
  trace: undefined,
  subscribers: new Set(),
  waiters: new Set()
})

/** `session_meta.source`: `exec` for a root thread, `subagent.thread_spawn` for a spawned one. */
export const sessionSource = (thread: Thread): unknown => {
  const spawn = thread.spawn
  if (spawn === undefined) return "exec"
  return {
    subagent: {
      thread_spawn: {
        parent_thread_id: spawn.parentThreadId,
        depth: spawn.depth,
        agent_path: spawn.agentPath,
        agent_nickname: spawn.agentNickname,
        agent_role: spawn.agentRole
      }
    }
  }
}

/** Creates the rollout file and writes `session_meta` (once). */
export const materialize = async (thread: Thread): Promise<Recorder.Recorder> => {
  if (thread.recorder !== undefined) return thread.recorder
  const stamp = thread.clock.now()
  let first = true
  // The session_meta stamp picks the file name, so it is read before the file exists and handed
  // to the recorder as its first clock reading.
  const clock: Clock = {
    now: () => {
      if (first) {
        first = false
        return stamp
      }
      return thread.clock.now()
    },
    sleep: thread.clock.sleep
  }
  const path = CodexHome.newRolloutPath(thread.services.codexHome, stamp, thread.id)
  const recorder = await Recorder.open(path, thread.id, clock, thread.services.durability === undefined ? {} : { durability: thread.services.durability })
  thread.recorder = recorder
  recorder.subscribe((event) => thread.subscribers.forEach((s) => s(event)))
  thread.trace = thread.services.traceFor?.(thread, path)
  const spawn = thread.spawn
  await recorder.record((at) => ({
    type: "session_meta",
    payload: {
      session_id: thread.id,
      id: thread.id,
      ...(spawn === undefined ? {} : { parent_thread_id: spawn.parentThreadId }),
      timestamp: new Date(at).toISOString(),
      cwd: thread.config.cwd,
      originator: thread.config.originator ?? "rollout",
      cli_version: thread.config.cliVersion ?? "0.169.0",
      source: sessionSource(thread),
      ...(spawn === undefined ? {} : { thread_source: "subagent", agent_path: spawn.agentPath }),
      ...(spawn?.agentRole == null ? {} : { agent_role: spawn.agentRole }),
      model_provider: thread.config.modelProvider ?? "openai",
      base_instructions: { text: thread.config.instructions },
      history_mode: "legacy",
      multi_agent_version: "v2"
    }
  }))
  return recorder
}

/**
 * Re-opens a thread's rollout to continue it: the model-visible history is rebuilt from the file
 * (`ResumeHistory`), the live view folds the existing lines, and new lines are appended (a line torn
 * by a crash is closed off first by `RolloutWriter`). No new `session_meta` is written.
 */
export const resume = async (thread: Thread, path: string, lines: ReadonlyArray<RolloutLine.RolloutLine>): Promise<void> => {
  const state = lines.reduce(ResumeHistory.step, ResumeHistory.empty)
  const output = ResumeHistory.finish(state)
  thread.history.push(...output.history.map((item) => JSON.parse(Json.stringify(item)) as JsonObject))
  const total = (output.tokenUsage as { total_token_usage?: Partial<Usage> } | null)?.total_token_usage
  if (total !== undefined) {
    thread.total = {
      input_tokens: total.input_tokens ?? 0,
      cached_input_tokens: total.cached_input_tokens ?? 0,
      output_tokens: total.output_tokens ?? 0,
      reasoning_output_tokens: total.reasoning_output_tokens ?? 0,
      total_tokens: total.total_tokens ?? 0
    }
  }
  const recorder = await Recorder.open(path, thread.id, thread.clock, {
    existing: lines,
    ...(thread.services.durability === undefined ? {} : { durability: thread.services.durability })
  })
  thread.recorder = recorder
  recorder.subscribe((event) => thread.subscribers.forEach((s) => s(event)))
  thread.trace = thread.services.traceFor?.(thread, path)
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
    if (thread.status === "running" || !input.triggerTurn) return post(thread, input)
  } else if (thread.status === "running") {
    thread.pending.push(input)
    wake(thread)
    return
  }
  start(thread, input, runTurn)
}

const start = (thread: Thread, text: Input, runTurn: (thread: Thread, input: Input) => Promise<void>): void => {
  thread.status = "running"
  thread.controller = new AbortController()
  thread.running = (async () => {
    try {
      await runTurn(thread, text)
    } catch (error) {
      // A turn that could not record its end (a failed write) leaves the file as it is; the
      // thread stays usable and the error is kept for whoever asks.
      thread.failure = error
    } finally {
      thread.status = "idle"
      thread.controller = undefined
      // Input that arrived after the turn's last drain point starts the next turn; so does mail
      // that arrived after its last mailbox boundary, if it triggers a turn (a completion
      // notification waits for the next turn's first boundary).
      const trigger = thread.mailbox.findIndex((mail) => mail.triggerTurn)
      const next = thread.pending.shift() ?? (trigger < 0 ? undefined : thread.mailbox.splice(trigger, 1)[0])
      if (next !== undefined) start(thread, next, runTurn)
      else wake(thread)
    }
  })()
}

/** Resolves when the thread has no running turn and no queued input. */
export const idle = async (thread: Thread): Promise<void> => {
  while (thread.running !== undefined && thread.status === "running") {
    const current = thread.running
    await current.catch(() => undefined)
    if (thread.running === current && thread.status !== "running") break
  }
}

/** Aborts the running turn (it records `turn_aborted`) and waits for it to end. */
export const interrupt = async (thread: Thread): Promise<void> => {
  const running = thread.running
  if (thread.status !== "running" || running === undefined) return
  thread.controller?.abort()
  wake(thread)
  await running.catch(() => undefined)
}

export const close = async (thread: Thread): Promise<void> => {
  await idle(thread)
  await thread.recorder?.close()
}
