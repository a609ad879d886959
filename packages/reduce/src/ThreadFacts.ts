/**
 * What a listing keeps of a thread besides its metadata: how many turns it started and its token
 * totals (`total_token_usage` of the last `token_count` that carried usage). The rules are
 * `ThreadSummary`'s, which `rollout info` folds, applied here to the few tags that move them, so
 * `ls` (local or team) and `info` cannot disagree. A pure fold; the file's size is not a fold fact
 * (the index's and the team database's file rows have it).
 */
import type * as EventRoles from "./EventRoles.js"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadSummary from "./ThreadSummary.js"

export interface State {
  readonly turns: number
  readonly tokens: ThreadSummary.Tokens | null
}

export const empty: State = { turns: 0, tokens: null }

/** The only event tags whose `ThreadSummary` step moves `turns` or `tokens` (all in its `summary` column). */
export const TAGS = ["task_started", "turn_started", "token_count"] as const satisfies ReadonlyArray<EventRoles.Where<"summary", true>>

const tags: ReadonlySet<string> = new Set(TAGS)

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  if (line.type !== "event_msg" || !tags.has(line.payload.type)) return s
  const next = ThreadSummary.step({ ...ThreadSummary.empty, turns: s.turns, tokens: s.tokens }, line)
  return next.turns === s.turns && next.tokens === s.tokens ? s : { turns: next.turns, tokens: next.tokens }
}

/**
 * A thread's facts from its files' (segments in `ThreadRow.order`): the turns add up, the tokens
 * are those of the last segment that has any (a later segment continues the running totals).
 */
export const combine = (segments: ReadonlyArray<State>): State => {
  let turns = 0
  let tokens: ThreadSummary.Tokens | null = null
  for (const s of segments) {
    turns += s.turns
    tokens = s.tokens ?? tokens
  }
  return { turns, tokens }
}
