/**
 * A fork of a paginated thread, written as Codex writes one: a single `session_meta` line in
 * paginated history mode whose `history_base` names the rollout line the fork's history ends before
 * (its thread, ordinal and byte offset) and which carries that ordinal, so the fork's own lines
 * continue the numbering. Nothing is copied: Codex (and `rollout history`/`resume`) read the
 * history from the parent, and a copy of paginated lines into a legacy file would show no items in
 * Codex's `thread/read` (a legacy replay does not read `item_completed` records). Like Codex's
 * `thread/fork {beforeTurnId}`, the cut falls at the start of the turn that holds user message N.
 */
import * as Json from "@rollout/protocol/Json"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ForkHistory from "@rollout/reduce/ForkHistory"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as ResumeTail from "@rollout/reduce/ResumeTail"

/** Where a fork's history ends: before this line of this thread's rollout. */
export interface Cut {
  readonly threadId: string
  readonly ordinal: number
  readonly byteOffset: number
}

const isTurnStart = (line: RolloutLine.RolloutLine): boolean =>
  line.type === "event_msg" && (line.payload.type === "task_started" || line.payload.type === "turn_started")

/**
 * The start of the turn that holds line `cut` (a user message): its `task_started`/`turn_started`
 * when one opens it after the previous turn closed and after line `previous` (the user message
 * before, or -1), else `cut` itself (a turn with two user messages is cut between them).
 */
export const turnStart = (lines: ReadonlyArray<RolloutLine.RolloutLine>, cut: number, previous: number): number => {
  if (isTurnStart(lines[cut] as RolloutLine.RolloutLine)) return cut
  for (let i = cut - 1; i > previous; i--) {
    const line = lines[i] as RolloutLine.RolloutLine
    if (isTurnStart(line)) return i
    if (ResumeTail.closesTurn(line)) return cut
  }
  return cut
}

/**
 * The index of the first line a paginated fork before user message `n` leaves out (the start of
 * that message's turn), or null to keep every line; `ForkHistory.cutIndex` moved back to the turn.
 */
export const cutIndex = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): number | null => {
  const cut = ForkHistory.cutIndex(lines, n)
  if (cut === null) return null
  const previous = n > 0 && n !== Number.MAX_SAFE_INTEGER ? (ForkHistory.cutIndex(lines, n - 1) ?? -1) : -1
  return turnStart(lines, cut, Math.min(previous, cut - 1))
}

/** The model-visible history such a fork starts from. */
export const history = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): ReadonlyArray<unknown> => {
  const cut = cutIndex(lines, n)
  return ResumeHistory.finish(ResumeHistory.fold(cut === null ? lines : lines.slice(0, cut))).history
}

/** Keys of the source's `session_meta` that describe the source's place, not the fork's. */
const DROPPED = new Set(["forked_from_id", "forked_from_ordinal_exclusive", "history_base", "subagent_history_start_ordinal"])

/**
 * The fork's `session_meta` line: the source's payload with the fork's id, time, `forked_from_*`
 * (after `id`, where Codex writes them), `history_base` (after `history_mode`) and a fresh context
 * window id, at the cut's ordinal.
 */
export const header = (meta: Readonly<Record<string, unknown>>, threadId: string, epochMs: number, cut: Cut, windowId: string): string => {
  const at = new Date(epochMs).toISOString()
  const payload: { [key: string]: unknown } = {}
  for (const [key, value] of Object.entries(meta)) {
    if (DROPPED.has(key)) continue
    if (key === "session_id" || key === "id") payload[key] = threadId
    else if (key === "timestamp") payload[key] = at
    else if (key === "history_mode") payload[key] = "paginated"
    else if (key === "context_window") payload[key] = { window_id: windowId }
    else payload[key] = value
    if (key === "id") {
      payload["forked_from_id"] = meta["id"]
      payload["forked_from_ordinal_exclusive"] = cut.ordinal
    }
    if (key === "history_mode") payload["history_base"] = { thread_id: cut.threadId, end_ordinal_exclusive: cut.ordinal, end_byte_offset: cut.byteOffset }
  }
  return Json.stringify({ timestamp: at, ordinal: cut.ordinal, type: "session_meta", payload })
}
