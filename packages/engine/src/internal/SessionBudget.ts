/**
 * The session token budget shared by a thread and its sub-agents: every model response's
 * `total_tokens` is charged to it; once nothing is left, the next model call (compaction included)
 * fails the turn with `codex_error_info` `session_budget_exceeded`, without retrying. While a budget
 * is set, each turn starts with a developer reminder `<rollout_budget>` saying how much is left
 * (Codex's reminder text), which is also how a replay recovers the limit from a rollout.
 * It is not the thread-goal budget (`turn_aborted` reason `budget_limited`).
 */

export const EXHAUSTED_MESSAGE = "shared rollout token budget exhausted"

export interface SessionBudget {
  readonly limit: number
  readonly remaining: () => number
  readonly charge: (tokens: number) => void
  readonly exhausted: () => boolean
}

export const make = (limit: number): SessionBudget => {
  let used = 0
  return {
    limit,
    remaining: () => Math.max(0, limit - used),
    charge: (tokens) => {
      used += tokens
    },
    exhausted: () => used >= limit
  }
}

export const reminder = (remaining: number): string =>
  `<rollout_budget>\nYou have ${remaining} weighted tokens left in the shared session token budget.\n</rollout_budget>`

const REMINDER = /^<rollout_budget>\nYou have (\d+) weighted tokens left in the shared session token budget\.\n<\/rollout_budget>$/

/** The remaining count a reminder states, if `text` is one. */
export const parseReminder = (text: string): number | undefined => {
  const m = REMINDER.exec(text)
  return m === null ? undefined : Number(m[1])
}
