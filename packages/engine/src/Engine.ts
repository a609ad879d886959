/**
 * The engine: threads and turns over the openai SDK's Responses API, writing Codex rollouts (legacy
 * history mode; a resumed thread keeps its file's mode) into a Codex home. It wires the services every thread uses — the model client, a
 * clock and an id sequence per thread, stop hooks, the shared session budget — and the multi-agent
 * registry, and hands out `Handle`s to drive threads (submit input, interrupt, wait, subscribe).
 * With `traceRoot` it also records a rollout-trace bundle per root thread family (`ThreadTrace`).
 *
 * Its effects are services: the clocks (`Clock.ClockSource`), the ids (`Ids.IdSource`) and the model
 * (`ModelClient`); `build` takes them from the context, `make` provides live ones (or the clocks
 * and ids its options bring).
 *
 * Reproducibility contract (replay depends on it): each thread reads its own clock exactly once
 * per written line, takes ids from its own sequence in the order documented in `Ids` (the root
 * thread's id is the first id of the sequence of `""`), and publishes a line only after it is durable.
 */
import { Data, Effect, Layer } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import type * as RolloutWriter from "@rollout/log/RolloutWriter"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Clock from "./Clock.js"
import * as Ids from "./Ids.js"
import type * as InterruptPlan from "./internal/InterruptPlan.js"
import type * as Mail from "./internal/Mail.js"
import * as ModelClient from "./internal/ModelClient.js"
import * as MultiAgent from "./internal/MultiAgent.js"
import type * as Recorder from "./internal/Recorder.js"
import * as Registry from "./internal/Registry.js"
import * as ResumeSource from "./internal/ResumeSource.js"
import * as SessionBudget from "./internal/SessionBudget.js"
import * as StopHooks from "./internal/StopHooks.js"
import * as Thread from "./Thread.js"
import * as ThreadRollout from "./internal/ThreadRollout.js"
import * as ThreadTrace from "./internal/ThreadTrace.js"
import * as Turn from "./internal/Turn.js"

export const ROOT = ""

/** What the engine takes from its context: a clock per thread, an id sequence per thread, the model. */
export type Services = Clock.ClockSource | Ids.IdSource | ModelClient.ModelClient

/** The engine's settings apart from its services (see `build`). */
export interface Settings {
  readonly codexHome: string
  readonly config?: Partial<Thread.Config>
  readonly stopHooks?: ReadonlyArray<StopHooks.Hook>
  /** Overrides `stopHooks` (replay plays recorded decisions back). */
  readonly stopHooksFor?: (threadId: string) => StopHooks.StopHooks
  /** The session token budget shared by every thread of this engine. */
  readonly sessionBudget?: number
  readonly durability?: RolloutWriter.Durability
  /**
   * Record rollout-trace bundles under this directory (Codex `CODEX_ROLLOUT_TRACE_ROOT`): one
   * bundle per root thread, its sub-agents included. Its clock is the one of `trace:<root id>`.
   */
  readonly traceRoot?: string
  /** Replay: the recorded mailbox deliveries of each thread (see `Mailbox`). */
  readonly mailboxPlan?: (threadId: string) => Mail.Plan | undefined
  /** Replay: where each thread's recorded turns were interrupted; the engine interrupts them there (see `InterruptPlan`). */
  readonly interruptPlan?: (threadId: string) => InterruptPlan.Plan | undefined
}

/** `Settings` plus what `make` builds the services from (see `layer`). */
export interface Options extends Settings {
  readonly baseURL: string
  readonly apiKey?: string
  /** Default: the live clock for every thread. */
  readonly clockFor?: (threadId: string) => Clock.Clock
  /** Default: fresh UUIDv7s. `idsFor(ROOT)` gives root thread ids. */
  readonly idsFor?: (threadId: string) => Ids.Ids
  readonly idleTimeoutMs?: number
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

export interface ResumeOptions {
  /**
   * Fold the whole file into the handle's live view (`turns()`), as a thread started here would
   * show it (default). `false` reads only the file's tail; `turns()` then shows the new turns only.
   */
  readonly liveView?: boolean
}

/** A rollout the engine cannot continue: why, in words for the user. */
export class ResumeRefused extends Data.TaggedError("ResumeRefused")<{ readonly path: string; readonly message: string }> {}

export interface Engine {
  readonly startThread: () => Handle
  /**
   * Continues the thread of a rollout file written earlier (by Codex or by this engine, after a
   * crash too), appending in the file's history mode (legacy or paginated); rejects with
   * `ResumeRefused` what it cannot continue (no `session_meta` first, a compressed file).
   */
  readonly resumeThread: (path: string, options?: ResumeOptions) => Promise<Handle>
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

/** The services `make` gives the engine: live ones, except the clocks and ids `options` brings. */
export const layer = (options: Options): Layer.Layer<Services> =>
  Layer.mergeAll(
    options.clockFor === undefined ? Clock.layerLive : Clock.layer(options.clockFor),
    options.idsFor === undefined ? Ids.layerLive : Ids.layer(options.idsFor),
    ModelClient.layer({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? "rollout-local",
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs })
    })
  )

/** An engine whose clocks, ids and model come from the context (tests provide the test layers). */
export const build = (settings: Settings): Effect.Effect<Engine, never, Services> =>
  Effect.gen(function* () {
    const sources: Sources = { clocks: yield* Clock.ClockSource, ids: yield* Ids.IdSource, model: yield* ModelClient.ModelClient }
    return assemble(settings, sources)
  })

/** An engine on the services of `layer(options)`. */
export const make = (options: Options): Engine => Effect.runSync(Effect.provide(build(options), layer(options)))

interface Sources {
  readonly clocks: Clock.Source
  readonly ids: Ids.Source
  readonly model: ModelClient.Shape
}

const assemble = (settings: Settings, sources: Sources): Engine => {
  const registry = Registry.empty()
  const config: Thread.Config = { ...defaultConfig(settings.config?.cwd ?? settings.codexHome), ...settings.config }
  // The tools reach the agents, which start threads with these services: tied through a closure.
  const services = servicesFor(settings, sources, registry, (thread) => MultiAgent.tools(agents, thread))
  const agents = Registry.agents(registry, config, services)
  return {
    startThread: () => {
      const thread = Thread.make(services.idsFor(ROOT).next(), config, services)
      // Root threads own the `/root` path; a second root thread in one engine shadows the first.
      return handle(Registry.register(registry, thread))
    },
    resumeThread: (path, options) => resumeThread(registry, config, services, path, options),
    threads: registry.threads,
    handle,
    close: () => close(registry)
  }
}

/** One id sequence per thread (asked for again, the same sequence goes on). */
const cachedIds = (ids: Ids.Source): ((threadId: string) => Ids.Ids) => {
  const cache = new Map<string, Ids.Ids>()
  return (id) => {
    let sequence = cache.get(id)
    if (sequence === undefined) {
      sequence = ids.forThread(id)
      cache.set(id, sequence)
    }
    return sequence
  }
}

const servicesFor = (settings: Settings, sources: Sources, registry: Registry.Registry, toolsFor: Thread.Services["toolsFor"]): Thread.Services => {
  const hooks = StopHooks.make(settings.stopHooks ?? [])
  const clockFor = sources.clocks.forThread
  const traceRoot = settings.traceRoot
  return {
    model: sources.model,
    clockFor,
    idsFor: cachedIds(sources.ids),
    stopHooksFor: settings.stopHooksFor ?? (() => hooks),
    budget: settings.sessionBudget === undefined ? undefined : SessionBudget.make(settings.sessionBudget),
    codexHome: settings.codexHome,
    ...(settings.durability === undefined ? {} : { durability: settings.durability }),
    toolsFor,
    ...(settings.mailboxPlan === undefined ? {} : { mailboxPlan: settings.mailboxPlan }),
    ...(settings.interruptPlan === undefined ? {} : { interruptPlan: settings.interruptPlan }),
    turnCompleted: (thread, turnId, status) => Registry.notifyParent(registry, thread, turnId, status),
    ...(traceRoot === undefined
      ? {}
      : { traceFor: (thread: Thread.Thread, rolloutPath: string) => Registry.traceFor(registry, traceRoot, clockFor, thread, rolloutPath) })
  }
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

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/**
 * A resumed thread's settings: the previous turn's model and cwd (its newest `turn_context`), the
 * thread's base instructions, history mode and model context window, as Codex takes them on resume; the
 * engine's configuration gives the rest (retries, compaction limit).
 */
const resumedConfig = (config: Thread.Config, source: ResumeSource.Source): Thread.Config => {
  const meta = source.meta ?? {}
  const instructions = text((meta["base_instructions"] as { text?: unknown } | null | undefined)?.text)
  const provider = text(meta["model_provider"])
  return {
    ...config,
    model: text(source.turnContext?.["model"]) ?? source.output.previousTurnSettings?.model ?? config.model,
    cwd: text(source.turnContext?.["cwd"]) ?? text(meta["cwd"]) ?? config.cwd,
    ...(instructions === undefined ? {} : { instructions }),
    ...(provider === undefined ? {} : { modelProvider: provider }),
    modelContextWindow: source.modelContextWindow ?? config.modelContextWindow,
    historyMode: source.meta?.["history_mode"] === "paginated" ? "paginated" : "legacy"
  }
}

const resumeThread = async (
  registry: Registry.Registry,
  config: Thread.Config,
  services: Thread.Services,
  path: string,
  options: ResumeOptions = {}
): Promise<Handle> => {
  if (!ResumeSource.supports(Files.node, path)) throw new ResumeRefused({ path, message: `${path}: a compressed rollout cannot be appended to` })
  const source = await ResumeSource.read(Files.node, path, services.codexHome)
  if (source.meta === undefined) throw new ResumeRefused({ path, message: `${path}: the first line is not session_meta` })
  const id = String(source.meta["id"])
  // A resumed sub-agent is not traced (Codex: re-announcing an existing child would make its
  // parent's bundle unreplayable); a resumed root thread opens a bundle of its own.
  const { traceFor: _traceFor, ...untraced } = services
  const child = source.meta["parent_thread_id"] != null
  const thread = Registry.register(registry, Thread.make(id, resumedConfig(config, source), child ? untraced : services))
  await ThreadRollout.resume(thread, path, source, options.liveView === false ? undefined : await readLines(path))
  return handle(thread)
}

const close = async (registry: Registry.Registry): Promise<void> => {
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
