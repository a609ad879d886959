/**
 * `thread/read` and the work log in one pass, for the human views: `ThreadRead` folds the thread
 * exactly as Codex answers it, and `WorkLog` folds the commands, tool calls, errors and token use
 * beside it, each anchored where the history stands at that line (the turn being built and its
 * item count), so a view can put each entry between the right items. Triage decodes what either
 * fold reads; a line decoded only for the work log steps `ThreadRead` as counting it would.
 * A pure fold; the JSON answer (`ThreadRead`) does not depend on it.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as AppendOnly from "./AppendOnly.js"
import * as EventRoles from "./EventRoles.js"
import * as ItemRoles from "./ItemRoles.js"
import * as Reducer from "./internal/Reducer.js"
import * as ThreadRead from "./ThreadRead.js"
import * as WorkLog from "./WorkLog.js"

export interface State {
  readonly read: ThreadRead.State
  readonly work: WorkLog.State
}

export const empty: State = { read: ThreadRead.empty, work: WorkLog.empty }

/** Starts from a history state (a paginated fork's inherited one, or the live builder). */
export const from = (read: ThreadRead.State): State => ({ read, work: WorkLog.empty })

/** Where the history stands: the turn being built (else the last one) and its item count. */
export const anchor = (r: ThreadRead.State): WorkLog.Anchor => {
  if (r.mode === "paginated") {
    const t = r.paginated.newest
    return t === null ? { turnId: null, after: 0 } : { turnId: t.id, after: t.items.length }
  }
  const c = r.legacy.current
  if (c !== null) return { turnId: c.turn.id, after: c.turn.items.length }
  const last = AppendOnly.get(r.legacy.turns, r.legacy.turns.length - 1)
  return last === undefined ? { turnId: null, after: 0 } : { turnId: last.id, after: last.itemCount }
}

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  const read = ThreadRead.step(s.read, line)
  const work = WorkLog.step(s.work, line, anchor(read))
  return read === s.read && work === s.work ? s : { read, work }
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
  return read === s.read ? s : { read, work: s.work }
}
