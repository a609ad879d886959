/**
 * The engine: threads and turns over the openai SDK's Responses API, writing Codex rollouts (legacy
 * history mode) into a Codex home. It wires the services every thread uses — the model client, a
 * clock and an id sequence per thread, stop hooks, the shared session budget — and the multi-agent
 * registry, and hands out `Handle`s to drive threads (submit input, interrupt, wait, subscribe).
 * With `traceRoot` it also records a rollout-trace bundle per root thread family (`ThreadTrace`).
 *
 * Reproducibility contract (replay depends on it): each thread reads its own clock exactly once
 * per written line, takes ids from its own sequence in the order documented in `Ids` (the root
 * thread's id is the first id of `idsFor("")`), and publishes a line only after it is durable.
 */
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import type * as RolloutWriter from "@rollout/log/RolloutWriter"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Clock from "./Clock.js"
import * as Ids from "./Ids.js"
import * as Mail from "./Mail.js"
import * as ModelClient from "./ModelClient.js"
import * as MultiAgent from "./MultiAgent.js"
import type * as Recorder from "./Recorder.js"
import * as SessionBudget from "./SessionBudget.js"
import * as StopHooks from "./StopHooks.js"
import * as Thread from "./Thread.js"
import * as ThreadRollout from "./ThreadRollout.js"
import * as ThreadTrace from "./ThreadTrace.js"
import * as Turn from "./Turn.js"

export const ROOT = ""

export interface Options {
  readonly codexHome: string
  readonly baseURL: string
  readonly apiKey?: string
  readonly config?: Partial<Thread.Config>
  /** Default: the live clock for every thread. */
  readonly clockFor?: (threadId: string) => Clock.Clock
  /** Default: fresh UUIDv7s. `idsFor(ROOT)` gives root thread ids. */
  readonly idsFor?: (threadId: string) => Ids.Ids
  readonly stopHooks?: ReadonlyArray<StopHooks.Hook>
  /** Overrides `stopHooks` (replay plays recorded decisions back). */
  readonly stopHooksFor?: (threadId: string) => StopHooks.StopHooks
  /** The session token budget shared by every thread of this engine. */
  readonly sessionBudget?: number
  readonly durability?: RolloutWriter.Durability
  readonly idleTimeoutMs?: number
  /**
   * Record rollout-trace bundles under this directory (Codex `CODEX_ROLLOUT_TRACE_ROOT`): one
   * bundle per root thread, its sub-agents included. Its clock is `clockFor("trace:<root id>")`.
   */
  readonly traceRoot?: string
  /** Replay: the recorded mailbox deliveries of each thread (see `Mailbox`). */
  readonly mailboxPlan?: (threadId: string) => Mail.Plan | undefined
}

export interface Handle {
  readonly id: string
  readonly thread: Thread.Thread
  /** Starts a turn (idle thread) or queues the input for the running turn. */
  readonly submit: (text: string) => void
  /** Submits and waits until the thread is idle again. */
  readonly run: (text: string) => Promise<void>
  readonly interrupt: () => Promise<void>
  readonly idle: () => Promise<void>
  readonly subscribe: (subscriber: Recorder.Subscriber) => () => void
  /** The live thread view: turns as Codex's thread/read would show them so far. */
  readonly turns: () => ReadonlyArray<ThreadItem.Turn>
  readonly path: () => string | undefined
}

export interface Engine {
  readonly startThread: () => Handle
  /** Continues the thread of a rollout file written earlier (after a crash too). */
  readonly resumeThread: (path: string) => Promise<Handle>
  /** Every thread, children included, by id. */
  readonly threads: ReadonlyMap<string, Thread.Thread>
  readonly handle: (thread: Thread.Thread) => Handle
  /** Waits until every thread is idle, then closes every rollout. */
  readonly close: () => Promise<void>
}

export const defaultConfig = (cwd: string): Thread.Config => ({
  model: "gpt-5.5",
  cwd,
  instructions: "You are a coding agent running in the rollout engine.",
  modelContextWindow: 258_400
})

/** The engine's threads, children included, by id and by agent path. */
interface Registry {
  readonly threads: Map<string, Thread.Thread>
  readonly byPath: Map<string, Thread.Thread>
}

export const make = (options: Options): Engine => {
  const registry: Registry = { threads: new Map(), byPath: new Map() }
  const config: Thread.Config = { ...defaultConfig(options.config?.cwd ?? options.codexHome), ...options.config }
  // The tools reach the agents, which start threads with these services: tied through a closure.
  const services = servicesFor(options, registry, (thread) => MultiAgent.tools(agents, thread))
  const agents = agentsFor(registry, config, services)
  return {
    startThread: () => {
      const thread = Thread.make(services.idsFor(ROOT).next(), config, services)
      // Root threads own the `/root` path; a second root thread in one engine shadows the first.
      return handle(register(registry, thread))
    },
    resumeThread: (path) => resumeThread(registry, config, services, path),
    threads: registry.threads,
    handle,
    close: () => close(registry)
  }
}

const register = (registry: Registry, thread: Thread.Thread): Thread.Thread => {
  registry.threads.set(thread.id, thread)
  registry.byPath.set(thread.agentPath, thread)
  return thread
}

/** One id sequence per thread (asked for again, the same sequence goes on). */
const cachedIds = (idsFor: ((threadId: string) => Ids.Ids) | undefined): ((threadId: string) => Ids.Ids) => {
  const cache = new Map<string, Ids.Ids>()
  return (id) => {
    let ids = cache.get(id)
    if (ids === undefined) {
      ids = idsFor?.(id) ?? Ids.live()
      cache.set(id, ids)
    }
    return ids
  }
}

const servicesFor = (options: Options, registry: Registry, toolsFor: Thread.Services["toolsFor"]): Thread.Services => {
  const hooks = StopHooks.make(options.stopHooks ?? [])
  const clockFor = options.clockFor ?? (() => Clock.live)
  const traceRoot = options.traceRoot
  return {
    model: ModelClient.make({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? "rollout-local",
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs })
    }),
    clockFor,
    idsFor: cachedIds(options.idsFor),
    stopHooksFor: options.stopHooksFor ?? (() => hooks),
    budget: options.sessionBudget === undefined ? undefined : SessionBudget.make(options.sessionBudget),
    codexHome: options.codexHome,
    ...(options.durability === undefined ? {} : { durability: options.durability }),
    toolsFor,
    ...(options.mailboxPlan === undefined ? {} : { mailboxPlan: options.mailboxPlan }),
    turnCompleted: (thread, turnId, status) => notifyParent(registry, thread, turnId, status),
    ...(traceRoot === undefined ? {} : { traceFor: (thread: Thread.Thread, rolloutPath: string) => traceFor(registry, traceRoot, clockFor, thread, rolloutPath) })
  }
}

/** Starts a turn on an idle thread and resolves once its input (user message or inter-agent message) is written. */
const startTurn = async (thread: Thread.Thread, input: Thread.Input): Promise<void> => {
  const started = new Promise<void>((resolve) => {
    const off = Thread.subscribe(thread, (event) => {
      const line = event.line
      if ((line.type === "event_msg" && line.payload.type === "user_message") || (line.type === "response_item" && Mail.parse(line.payload as { readonly [key: string]: unknown }) !== undefined)) {
        off()
        resolve()
      }
    })
  })
  Thread.submit(thread, input, Turn.run)
  await Promise.race([started, Thread.done(thread)])
}

const agentsFor = (registry: Registry, config: Thread.Config, services: Thread.Services): MultiAgent.Agents => ({
  spawn: async (parent, name, role, message) => {
    const id = parent.ids.next()
    const spawn: Thread.Spawn = {
      parentThreadId: parent.id,
      depth: (parent.spawn?.depth ?? 0) + 1,
      agentPath: `${parent.agentPath}/${name}`,
      agentRole: role,
      agentNickname: null
    }
    const child = register(registry, Thread.make(id, config, services, spawn))
    await startTurn(child, message)
    return child
  },
  followup: async (sender, thread, text) => {
    await Thread.idle(thread)
    await startTurn(thread, { author: sender.agentPath, content: text, triggerTurn: true })
  },
  find: (path) => registry.byPath.get(path),
  send: async (sender, thread, text) => {
    // A running agent takes the message at its next model-call boundary (see `Mailbox`); an idle
    // one starts a turn with it.
    Thread.submit(thread, { author: sender.agentPath, content: text, triggerTurn: true }, Turn.run)
  },
  interrupt: (thread) => Thread.interrupt(thread)
})

/**
 * A sub-agent's turn ended with a final status: its completion notification goes to the parent's
 * mailbox (taken in at the parent's next model-call boundary, never starting a parent turn), and
 * the child's trace records the delivery (`agent_result_observed`).
 */
const notifyParent = (registry: Registry, thread: Thread.Thread, turnId: string, status: Mail.AgentStatus): void => {
  const parent = thread.spawn === undefined ? undefined : registry.threads.get(thread.spawn.parentThreadId)
  if (parent === undefined) return
  const message = Mail.notification(thread.agentPath, status)
  Thread.post(parent, { author: thread.agentPath, content: message, triggerTurn: false })
  ThreadTrace.agentResult(thread.trace, turnId, parent.id, { child_agent_path: thread.agentPath, message, status })
}

/** A root thread opens a bundle; a spawned child joins its parent's (none if the parent has none). */
const traceFor = (
  registry: Registry,
  root: string,
  clockFor: (threadId: string) => Clock.Clock,
  thread: Thread.Thread,
  rolloutPath: string
): ThreadTrace.ThreadTrace | undefined => {
  const metadata: ThreadTrace.Metadata = {
    threadId: thread.id,
    agentPath: thread.agentPath,
    agentRole: thread.spawn?.agentRole ?? null,
    nickname: thread.spawn?.agentNickname ?? null,
    sessionSource: ThreadRollout.sessionSource(thread),
    cwd: thread.config.cwd,
    rolloutPath,
    model: thread.config.model,
    providerName: thread.config.modelProvider ?? "openai"
  }
  if (thread.spawn === undefined) {
    const clock = clockFor(`trace:${thread.id}`)
    return ThreadTrace.startRoot(root, () => clock.now(), metadata)
  }
  const parent = registry.threads.get(thread.spawn.parentThreadId)?.trace
  return parent === undefined ? undefined : ThreadTrace.startChild(parent, metadata)
}

const handle = (thread: Thread.Thread): Handle => ({
  id: thread.id,
  thread,
  submit: (text) => Thread.submit(thread, text, Turn.run),
  run: async (text) => {
    Thread.submit(thread, text, Turn.run)
    await Thread.idle(thread)
  },
  interrupt: () => Thread.interrupt(thread),
  idle: () => Thread.idle(thread),
  subscribe: (subscriber) => Thread.subscribe(thread, subscriber),
  turns: () => ThreadHistory.normalize(ThreadHistory.finish(thread.recorder?.history() ?? ThreadHistory.empty), true),
  path: () => thread.recorder?.path
})

/** The known lines of a rollout file, in order (a resumed thread's history and live view). */
const readLines = async (path: string): Promise<ReadonlyArray<RolloutLine.RolloutLine>> => {
  const lines: Array<RolloutLine.RolloutLine> = []
  for await (const batch of RolloutReader.batches(Files.node, path)) {
    for (const entry of batch) {
      if (entry._tag !== "Line") continue
      const decoded = RolloutLine.decode(entry.value)
      if (decoded._tag === "Known") lines.push(decoded.line)
    }
  }
  return lines
}

const resumeThread = async (registry: Registry, config: Thread.Config, services: Thread.Services, path: string): Promise<Handle> => {
  const lines = await readLines(path)
  const first = lines[0]
  if (first?.type !== "session_meta") throw new Error(`${path}: the first line is not session_meta`)
  // A resumed sub-agent is not traced (Codex: re-announcing an existing child would make its
  // parent's bundle unreplayable); a resumed root thread opens a bundle of its own.
  const { traceFor: _traceFor, ...untraced } = services
  const thread = register(registry, Thread.make(first.payload.id, config, first.payload.parent_thread_id == null ? services : untraced))
  await ThreadRollout.resume(thread, path, lines)
  return handle(thread)
}

const close = async (registry: Registry): Promise<void> => {
  const threads = registry.threads
  // A finishing turn may still start another (a follow-up, a spawned agent): wait until none runs.
  while ([...threads.values()].some(Thread.isRunning)) {
    for (const thread of threads.values()) await Thread.idle(thread)
  }
  for (const thread of threads.values()) await Thread.close(thread)
  // Children end before the root, whose end also ends the rollout and closes the bundle.
  const all = [...threads.values()]
  for (const thread of [...all.filter((t) => t.spawn !== undefined), ...all.filter((t) => t.spawn === undefined)]) ThreadTrace.ended(thread.trace)
}
