/**
 * `thread/read` and the work log in one pass, for the human views: `ThreadRead` folds the thread
 * exactly as Codex answers it, and `WorkLog` folds the commands, tool calls, errors and token use
 * beside it, each anchored where the history stands at that line (the turn being built and its
 * item count), so a view can put each entry between the right items. Triage decodes what either
 * fold reads; a line decoded only for the work log steps `ThreadRead` as counting it would.
 * A pure fold; the JSON answer (`ThreadRead`) does not depend on it.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "./AppendOnly.js"
import * as EventRoles from "./EventRoles.js"
import * as ItemRoles from "./ItemRoles.js"
import * as FrozenTurn from "./internal/FrozenTurn.js"
import * as Reducer from "./internal/Reducer.js"
import * as ThreadHistory from "./ThreadHistory.js"
import * as ThreadRead from "./ThreadRead.js"
import * as WorkLog from "./WorkLog.js"

export interface State {
  readonly read: ThreadRead.State
  readonly work: WorkLog.State
  /** The last turn `release` handed out: where work goes once no turn is held (a rollback emptied the list). */
  readonly last?: WorkLog.Anchor | undefined
}

export const empty: State = { read: ThreadRead.empty, work: WorkLog.empty }

/** Starts from a history state (a paginated fork's inherited one, or the live builder). */
export const from = (read: ThreadRead.State): State => ({ read, work: WorkLog.empty })

/** Where the history stands: the turn being built (else the last one, `last` if it was released) and its item count. */
export const anchor = (r: ThreadRead.State, last?: WorkLog.Anchor): WorkLog.Anchor => {
  if (r.mode === "paginated") {
    const t = r.paginated.newest
    return t === null ? { turnId: null, after: 0 } : { turnId: t.id, after: t.items.length }
  }
  const c = r.legacy.current
  if (c !== null) return { turnId: c.turn.id, after: ThreadHistory.itemCount(c) }
  const held = AppendOnly.get(r.legacy.turns, r.legacy.turns.length - 1)
  return held !== undefined ? { turnId: held.id, after: held.itemCount } : (last ?? { turnId: null, after: 0 })
}

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  const read = ThreadRead.step(s.read, line)
  const work = WorkLog.step(s.work, line, anchor(read, s.last))
  return read === s.read && work === s.work ? s : { read, work, last: s.last }
}

export const fold = Reducer.foldWith(step, empty)

const WORK_EVENTS = EventRoles.where("work", true)
const WORK_ITEMS = ItemRoles.where("work")

/** Whether the work log reads a line, from its raw JSON. */
export const readsRaw = (value: Readonly<Record<string, unknown>>): boolean => {
  const p = value["payload"]
  const tag = typeof p === "object" && p !== null ? (p as Record<string, unknown>)["type"] : undefined
  switch (value["type"]) {
    case "event_msg":
      return EventRoles.has(WORK_EVENTS, tag)
    case "response_item":
      return EventRoles.has(WORK_ITEMS, tag)
    case "turn_context":
    case "inter_agent_communication":
      return true
    default:
      return false
  }
}

export const triage = (s: State, value: Readonly<Record<string, unknown>>): ThreadRead.Triage => (readsRaw(value) ? "decode" : ThreadRead.triage(s.read, value))

export const count = (s: State, n = 1): State => {
  const read = ThreadRead.count(s.read, n)
  return read === s.read ? s : { read, work: s.work, last: s.last }
}

/** A turn `release` hands out, with its work-log entries and token use (as `WorkedTurns` reads them). */
export interface Released {
  readonly turn: ThreadItem.Turn
  /** Its index among the thread's turns. */
  readonly index: number
  readonly work: ReadonlyArray<WorkLog.Entry>
  readonly usage: ReadonlyMap<string | null, WorkLog.Use>
}

/** Whether a turn held after the one at `n` (or the one being built) has the id `id`: work for it would go to the first. */
const heldLater = (r: ThreadRead.State, n: number, id: string): boolean => {
  const h = r.legacy
  if (h.current?.turn.id === id) return true
  for (let k = n + 1; k < h.turns.length; k++) if ((AppendOnly.get(h.turns, k) as FrozenTurn.FrozenTurn).id === id) return true
  return false
}

/**
 * `ThreadRead.release` for the transcript: hands out the oldest finished turns of a legacy replay
 * with their work, while `final(id, index, callIds)` says no later line changes the turn, drops
 * it, anchors work to it or names one of its calls (a streaming reader knows this from a first
 * pass). A turn whose id a later held turn repeats stays. A paginated history releases nothing.
 */
export const release = (
  s: State,
  final: (id: string, index: number, callIds: ReadonlyArray<string>) => boolean
): { readonly state: State; readonly turns: ReadonlyArray<Released> } => {
  const h = s.read.legacy
  if (s.read.mode !== "legacy") return { state: s, turns: [] }
  const base = h.released ?? 0
  const out: Array<Released> = []
  let work = s.work
  let n = 0
  for (; n < h.turns.length; n++) {
    const t = AppendOnly.get(h.turns, n) as FrozenTurn.FrozenTurn
    const first = base + n === 0
    if (!final(t.id, base + n, WorkLog.callIds(work, t.id, first)) || heldLater(s.read, n, t.id)) break
    const taken = WorkLog.take(work, t.id, first)
    work = taken.state
    out.push({ turn: ThreadHistory.normalize([FrozenTurn.thaw(t)])[0] as ThreadItem.Turn, index: base + n, work: taken.work, usage: taken.usage })
  }
  if (n === 0) return { state: s, turns: [] }
  const all = AppendOnly.toArray(h.turns)
  const gone = all.slice(0, n)
  const last = gone[n - 1] as FrozenTurn.FrozenTurn
  const legacy: ThreadHistory.State = {
    ...h,
    turns: AppendOnly.fromArray(all.slice(n)),
    released: base + n,
    releasedItems: gone.reduce((sum, t) => sum + t.itemCount, h.releasedItems ?? 0)
  }
  return { state: { read: { ...s.read, legacy }, work, last: { turnId: last.id, after: last.itemCount } }, turns: out }
}
