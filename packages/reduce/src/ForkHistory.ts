/**
 * Forking a thread before its N-th user message (0-based from the start): where the cut falls in
 * the rollout, and the history the fork starts from. User-message positions are the user-turn
 * boundary response items; each `thread_rolled_back` removes the last `num_turns` positions seen
 * so far, so N indexes the post-rollback view. N past the last user message (or
 * `Number.MAX_SAFE_INTEGER`) keeps the whole rollout, unless the rollout ends in the middle of a
 * turn: then, as Codex does, the cut falls before that unfinished turn (its `turn_started`, or its
 * user message when the file has no turn lifecycle events), so the fork does not inherit half a turn.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as Compaction from "./internal/Compaction.js"
import * as ResumeHistory from "./ResumeHistory.js"

/** Where the rollout's last turn stands: what a cut past the last user message must drop. */
interface Scan {
  readonly positions: Array<number>
  /** The index of the last `turn_started` whose turn has not completed or been aborted, if any. */
  readonly activeStart: number | null
  /** Whether the file has any turn lifecycle event. */
  readonly explicit: boolean
  /** Whether a turn ended (completed or aborted) after the last user message. */
  readonly endedAfterLastUser: boolean
}

const scan = (lines: ReadonlyArray<RolloutLine.RolloutLine>): Scan => {
  const positions: Array<number> = []
  let activeStart: number | null = null
  let explicit = false
  let endedAfterLastUser = false
  lines.forEach((line, index) => {
    if (line.type === "response_item" && Compaction.isUserTurnBoundary(line.payload)) {
      positions.push(index)
      endedAfterLastUser = false
    } else if (line.type === "event_msg" && line.payload.type === "thread_rolled_back") {
      positions.splice(Math.max(0, positions.length - Math.max(0, line.payload.num_turns)))
    } else if (line.type === "event_msg" && (line.payload.type === "task_started" || line.payload.type === "turn_started")) {
      explicit = true
      activeStart = index
    } else if (
      line.type === "event_msg" &&
      (line.payload.type === "task_complete" || line.payload.type === "turn_complete" || line.payload.type === "turn_aborted")
    ) {
      explicit = true
      activeStart = null
      endedAfterLastUser = true
    }
  })
  return { positions, activeStart, explicit, endedAfterLastUser }
}

/** The index of the first line the fork drops, or `null` to keep every line. */
export const cutIndex = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): number | null => {
  const s = scan(lines)
  if (n >= 0 && n < s.positions.length) return s.positions[n] ?? null
  if (n === Number.MAX_SAFE_INTEGER) return null
  const lastUser = s.positions.at(-1) ?? null
  if (s.explicit) return s.activeStart
  return lastUser !== null && !s.endedAfterLastUser ? lastUser : null
}

/** The lines a fork before user message `n` copies. */
export const truncate = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): ReadonlyArray<RolloutLine.RolloutLine> => {
  const cut = cutIndex(lines, n)
  return cut === null ? lines : lines.slice(0, cut)
}

/** `rollout fork --before-user-message N --json`. */
export interface Output {
  readonly history: ReadonlyArray<unknown>
}

export const fork = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): Output => ({
  history: ResumeHistory.finish(ResumeHistory.fold(truncate(lines, n))).history
})
