/**
 * `thread/read` in one pass: the thread's metadata (`ThreadMetadata`) and its turns, rebuilt the
 * way the file's first `session_meta` says — the legacy replay (`ThreadHistory`) or the paginated
 * projection (`PaginatedHistory`) — folded together so a caller streams the rollout once and holds
 * only what the answer holds. A pure fold; reading files and a fork's parent is the caller's job.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "./AppendOnly.js"
import type * as FrozenTurn from "./internal/FrozenTurn.js"
import * as PaginatedHistory from "./PaginatedHistory.js"
import * as LineTriage from "./LineTriage.js"
import * as Reducer from "./internal/Reducer.js"
import * as ThreadHistory from "./ThreadHistory.js"
import * as ThreadMetadata from "./ThreadMetadata.js"
import type * as TurnsPage from "./TurnsPage.js"

export type Mode = "legacy" | "paginated"

export interface State {
  readonly metadata: ThreadMetadata.State
  /** Decided by the first session_meta; until then both histories are folded. */
  readonly mode: Mode | null
  readonly legacy: ThreadHistory.State
  readonly paginated: PaginatedHistory.State
  /** Lines at or past this ordinal are not this history's (a fork parent's cut), if set. */
  readonly endOrdinal: number | null
}

export const empty: State = { metadata: ThreadMetadata.empty, mode: null, legacy: ThreadHistory.empty, paginated: PaginatedHistory.empty, endOrdinal: null }

/**
 * Every line through the live builder (`--all-events`, see `ThreadHistory.live`), whatever the
 * history mode: Codex's live tracker builds turns the same way for both.
 */
export const live = (freshId: ThreadHistory.Live): State => ({ ...empty, mode: "legacy", legacy: ThreadHistory.live(freshId) })

/** A fork parent's history, cut before `endOrdinal` (`session_meta.history_base`). */
export const until = (endOrdinal: number): State => ({ ...empty, endOrdinal })

/**
 * The start of a paginated thread whose earlier turns are `base`'s (an exec fork): the turns so
 * far, and the preview Codex takes from the inherited history.
 */
export const inherit = (base: State): State => ({ ...empty, mode: "paginated", metadata: ThreadMetadata.inherit(base.metadata), paginated: base.paginated })

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  if (s.endOrdinal !== null && line.ordinal !== undefined && line.ordinal >= s.endOrdinal) return s
  const metadata = ThreadMetadata.step(s.metadata, line)
  const mode: Mode | null = s.mode === null && metadata.meta !== null ? (metadata.meta.history_mode === "paginated" ? "paginated" : "legacy") : s.mode
  const legacy = mode === "paginated" ? s.legacy : ThreadHistory.step(s.legacy, line)
  const paginated = mode === "legacy" ? s.paginated : PaginatedHistory.step(s.paginated, line)
  // Most lines change one part or none: keep the state itself when nothing moved (less garbage).
  if (metadata === s.metadata && mode === s.mode && legacy === s.legacy && paginated === s.paginated) return s
  return { metadata, mode, legacy, paginated, endOrdinal: s.endOrdinal }
}

export const fold = Reducer.foldWith(step, empty)

/** What the streaming reader does with a line in this state (see `LineTriage`). */
export type Triage = LineTriage.Triage

export const triage = (s: State, value: Readonly<Record<string, unknown>>): Triage => {
  // The live builder reads every event.
  if (s.legacy.live !== null) return "decode"
  const m = s.metadata
  // Of a turn context only its model and effort are read: one that changes neither only takes its index.
  const changes = (p: LineTriage.ContextFields) =>
    !((typeof p.model !== "string" || p.model === m.model) && (typeof p.effort === "string" ? p.effort === m.reasoningEffort : m.reasoningEffort === null))
  if (LineTriage.decodes(value, changes)) return "decode"
  if (s.endOrdinal !== null && typeof value["ordinal"] === "number" && value["ordinal"] >= s.endOrdinal) return "skip"
  return LineTriage.kept(value)
}

/** `step` for `n` lines in a row `triage` said to count. */
export const count = (s: State, n = 1): State =>
  s.mode === "paginated" || n === 0
    ? s
    : { metadata: s.metadata, mode: s.mode, legacy: ThreadHistory.count(s.legacy, n), paginated: s.paginated, endOrdinal: s.endOrdinal }

/** The thread's `session_meta` payload, once seen. */
export const meta = (s: State) => s.metadata.meta

/** The turns `thread/read` answers for a not-loaded thread (status-normalised, items full). */
export const turns = (s: State): ReadonlyArray<ThreadItem.Turn> =>
  s.mode === "paginated" ? PaginatedHistory.turns(s.paginated) : ThreadHistory.normalize(ThreadHistory.finish(s.legacy))

/**
 * How `thread/turns/list` pages these turns: by turn id (legacy replay), or, for paginated
 * threads, by the rollout ordinal of each turn's start as Codex's store does.
 */
export const anchors = (s: State): TurnsPage.Anchors =>
  s.mode === "paginated" ? { _tag: "Ordinals", ordinals: PaginatedHistory.ordinals(s.paginated) } : { _tag: "TurnIds" }

/**
 * `JSON.stringify(thread(s, file))`, built from the finished turns' JSON texts (legacy replay)
 * so that a long history is never held as objects; `undefined` without a session_meta.
 */
export const threadJson = (s: State, file: ThreadMetadata.FileInfo): string | undefined => {
  const parts = threadJsonParts(s, file)
  return parts === undefined ? undefined : [...parts].join("")
}

/**
 * `threadJson` in pieces (a turn at a time, produced as they are read), for a writer that need not
 * hold the whole text at once.
 */
export const threadJsonParts = (s: State, file: ThreadMetadata.FileInfo): Iterable<string> | undefined => {
  const head = headJson(s.metadata, file)
  if (head === undefined) return undefined
  const turnsJson = restJson(s)
  return (function* () {
    yield head
    for (let i = 0; i < turnsJson.length; i++) {
      if (i > 0) yield ","
      yield turnsJson[i] as string
    }
    yield "]}"
  })()
}

/**
 * Hands out the oldest finished turns of a legacy replay, as `threadJsonParts` would print them,
 * while `final(id, index)` says that no later line can change or drop the turn at that index (a
 * streaming writer knows this from a first pass over the file). They leave the state, so a long
 * history is written as it is read instead of held. The caller's judgement is what keeps the fold
 * exact: a released turn is no longer found by id, and a rollback must not reach it. A paginated
 * history releases nothing.
 */
export const release = (s: State, final: (id: string, index: number) => boolean): { readonly state: State; readonly json: ReadonlyArray<string> } => {
  const h = s.legacy
  const released = h.released ?? 0
  let n = 0
  while (s.mode === "legacy" && n < h.turns.length && final((AppendOnly.get(h.turns, n) as FrozenTurn.FrozenTurn).id, released + n)) n++
  if (n === 0) return { state: s, json: [] }
  const all = AppendOnly.toArray(h.turns)
  const out = all.slice(0, n)
  const legacy: ThreadHistory.State = {
    ...h,
    turns: AppendOnly.fromArray(all.slice(n)),
    released: released + n,
    releasedItems: out.reduce((sum, t) => sum + t.itemCount, h.releasedItems ?? 0)
  }
  return { state: { ...s, legacy }, json: out.map(ThreadHistory.normalJson) }
}

/**
 * The legacy replay's turn in flight once every finished turn is released: its index among the
 * thread's turns, how many items it has (handed out or not), and what stands for it (`key`: the
 * list holding its long items, a new one when the items are copied). Undefined while a finished
 * turn is still held, or the turn is short (`ThreadHistory.LONG_TURN`).
 */
export const inFlight = (s: State): { readonly index: number; readonly items: number; readonly key: object } | undefined => {
  const h = s.legacy
  const c = h.current
  if (s.mode !== "legacy" || h.turns.length > 0 || c === null || c.items === undefined) return undefined
  return { index: h.released ?? 0, items: ThreadHistory.itemCount(c), key: c.items.items }
}

/** `ThreadHistory.releaseItems` on the legacy replay's turn in flight (see `inFlight`). */
export const releaseItems = (
  s: State,
  limit: number,
  final: (item: ThreadItem.ThreadItem, index: number) => boolean
): { readonly state: State; readonly json: ReadonlyArray<string> } => {
  if (inFlight(s) === undefined) return { state: s, json: [] }
  const r = ThreadHistory.releaseItems(s.legacy, limit, final)
  return r.json.length === 0 ? { state: s, json: [] } : { state: { ...s, legacy: r.state }, json: r.json }
}

/** The JSON texts of the turns not yet released (`threadJsonParts`' turns, after a `release`). */
export const restJson = (s: State): ReadonlyArray<string> =>
  s.mode === "paginated" ? turns(s).map((x) => JSON.stringify(x)) : ThreadHistory.finishedJson(s.legacy)

/** The thread's header: the `thread` object's JSON up to its `turns` array (opened), or `undefined` without a session_meta. */
export const headJson = (metadata: ThreadMetadata.State, file: ThreadMetadata.FileInfo): string | undefined => {
  const t = ThreadMetadata.thread(metadata, file)
  if (t === undefined) return undefined
  // `turns` is the Thread's last field: its empty array ends the text.
  const head = JSON.stringify({ ...t, turns: [] })
  return `${head.slice(0, -"[]}".length)}[`
}

/** The whole `thread` object (turns included), or `undefined` without a session_meta. */
export const thread = (s: State, file: ThreadMetadata.FileInfo): ThreadItem.Thread | undefined => {
  const t = ThreadMetadata.thread(s.metadata, file)
  return t === undefined ? undefined : { ...t, turns: turns(s) }
}
