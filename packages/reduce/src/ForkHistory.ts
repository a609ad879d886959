/**
 * Forking a thread before its N-th user message (0-based from the start): where the cut falls in
 * the rollout, and the history the fork starts from. User-message positions are the user-turn
 * boundary response items; each `thread_rolled_back` removes the last `num_turns` positions seen
 * so far, so N indexes the post-rollback view. N past the last user message (or
 * `Number.MAX_SAFE_INTEGER`) keeps the whole rollout. Not handled: Codex's cut before a
 * half-finished last turn when the source is mid-turn (a live-thread concern).
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as Compaction from "./Compaction.js"
import * as ResumeHistory from "./ResumeHistory.js"

/** The index of the first line the fork drops, or `null` to keep every line. */
export const cutIndex = (lines: ReadonlyArray<RolloutLine.RolloutLine>, n: number): number | null => {
  const positions: Array<number> = []
  lines.forEach((line, index) => {
    if (line.type === "response_item" && Compaction.isUserTurnBoundary(line.payload)) positions.push(index)
    else if (line.type === "event_msg" && line.payload.type === "thread_rolled_back") {
      positions.splice(Math.max(0, positions.length - Math.max(0, line.payload.num_turns)))
    }
  })
  return n >= 0 && n < positions.length ? (positions[n] ?? null) : null
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
