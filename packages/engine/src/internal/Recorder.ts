/**
 * A thread's recorder: stamps each rollout line with the thread's clock (read exactly once per
 * written line, at write time), encodes it the way Codex writes it (`RolloutLine.encode`), appends
 * it through `RolloutWriter` and only once `append` has resolved (the line is durable) folds it
 * into the live thread view (`ThreadHistory`) and publishes it to subscribers. Events Codex does
 * not persist in legacy history mode (`error`, `stream_error`, `item_started`, ...) are published
 * with the stamp of the last written line and never touch the clock or the file.
 *
 * It is not the turn logic: it records whatever it is given, in call order.
 */
import * as RolloutWriter from "@rollout/log/RolloutWriter"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as PersistenceFilter from "@rollout/reduce/PersistenceFilter"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import type { Clock } from "../Clock.js"

/** A line without its timestamp: `{type, payload}`. */
export type Body = { readonly type: string; readonly payload: { readonly type?: string; readonly [key: string]: unknown } }

export interface Published {
  readonly threadId: string
  readonly stamp: number
  readonly line: RolloutLine.RolloutLine
  /** The JSON text written (persisted lines) or that would be written (transient events). */
  readonly text: string
  readonly persisted: boolean
}

export type Subscriber = (event: Published) => void

/**
 * Whether legacy history mode writes this line (Codex G2.9/G3, spec §4.3). The `event_msg` policy,
 * completed items included, is the one the history replay applies (`PersistenceFilter`); every
 * other line the engine makes is written. In paginated history mode Codex writes every `item_completed` (the canonical items
 * the thread is read from) and not the legacy message events those items replace.
 */
export const isPersisted = (body: Body, mode: HistoryMode = "legacy"): boolean => {
  if (body.type !== "event_msg") return true
  const tag = body.payload.type
  if (tag === "item_completed") {
    return mode === "paginated" || PersistenceFilter.keepsCompletedItem(body.payload["item"])
  }
  if (mode === "paginated" && tag !== undefined && paginatedOnlyLive.has(tag)) return false
  return PersistenceFilter.isPersistedRaw("event_msg", tag)
}

export type HistoryMode = "legacy" | "paginated"

/** Legacy message events a paginated rollout does not hold (its `item_completed` records do). */
const paginatedOnlyLive: ReadonlySet<string> = new Set(["user_message", "agent_message", "agent_reasoning", "agent_reasoning_raw_content"])

export interface Recorder {
  readonly threadId: string
  readonly path: string
  /** Records one line; `build` receives the line's stamp (epoch ms). Resolves with the stamp once durable and published. */
  readonly record: (build: Body | ((stamp: number) => Body)) => Promise<number>
  readonly subscribe: (subscriber: Subscriber) => () => void
  /** The live thread view (every persisted line folded so far). */
  readonly history: () => ThreadHistory.State
  /** The stamp of the last written line. */
  readonly lastStamp: () => number
  readonly close: () => Promise<void>
}

const publish = (subscribers: ReadonlySet<Subscriber>, event: Published): void => {
  for (const subscriber of subscribers) {
    try {
      subscriber(event)
    } catch {
      // A subscriber's failure must not stop the recorder.
    }
  }
}

export const open = async (
  path: string,
  threadId: string,
  clock: Clock,
  options: RolloutWriter.Options & {
    /** Lines already in the file (a resumed thread): folded into the live view first. */
    readonly existing?: ReadonlyArray<RolloutLine.RolloutLine>
    /** The stamp of the file's last line when `existing` is not given (a thread resumed from its tail). */
    readonly lastStamp?: number
    /** The rollout's history mode (default legacy): which events are written. */
    readonly historyMode?: HistoryMode
    /** Paginated mode: the `ordinal` of the next written line (each written line takes the next). */
    readonly nextOrdinal?: number
  } = {}
): Promise<Recorder> => {
  const writer = await RolloutWriter.open(path, options)
  const subscribers = new Set<Subscriber>()
  let history = (options.existing ?? []).reduce(ThreadHistory.step, ThreadHistory.empty)
  const lastExisting = options.existing?.at(-1)
  let last = lastExisting === undefined ? (options.lastStamp ?? 0) : Date.parse(lastExisting.timestamp)
  let chain: Promise<unknown> = Promise.resolve()
  const mode = options.historyMode ?? "legacy"
  let ordinal = options.nextOrdinal

  const recordNow = async (build: Body | ((stamp: number) => Body)): Promise<number> => {
    const persisted = typeof build === "function" ? undefined : isPersisted(build, mode)
    if (persisted === false) {
      const body = build as Body
      const line = { timestamp: RolloutLine.timestamp(last), ...body } as unknown as RolloutLine.RolloutLine
      // The live view is built from the legacy message events, which a paginated rollout only publishes.
      if (mode === "paginated") history = ThreadHistory.step(history, line)
      publish(subscribers, { threadId, stamp: last, line, text: RolloutLine.encode(line), persisted: false })
      return last
    }
    const stamp = clock.now()
    const body = typeof build === "function" ? build(stamp) : build
    const numbered = ordinal === undefined ? {} : { ordinal }
    const line = { timestamp: RolloutLine.timestamp(stamp), ...numbered, ...body } as unknown as RolloutLine.RolloutLine
    const text = RolloutLine.encode(line)
    await writer.append([text])
    if (ordinal !== undefined) ordinal++
    last = stamp
    history = ThreadHistory.step(history, line)
    publish(subscribers, { threadId, stamp, line, text, persisted: true })
    return stamp
  }

  return {
    threadId,
    path,
    record: (build) => {
      const next = chain.then(() => recordNow(build))
      chain = next.catch(() => undefined)
      return next
    },
    subscribe: (subscriber) => {
      subscribers.add(subscriber)
      return () => subscribers.delete(subscriber)
    },
    history: () => history,
    lastStamp: () => last,
    close: () => writer.close()
  }
}
