/**
 * Token counts as statistics add them up: five integer fields (input, cached input, output,
 * reasoning output, total), and the rule that turns Codex's *cumulative* `total_token_usage` into
 * what one `token_count` adds. Counting deltas of the running total (not `last_token_usage`) is
 * what makes a re-emitted `token_count` add nothing and a fork's copied counts add nothing past
 * the point where the fork continues from them. Plain data and pure functions; no I/O.
 */
import type * as TokenUsage from "@rollout/protocol/TokenUsage"

export interface Tokens {
  readonly input: number
  readonly cachedInput: number
  readonly output: number
  readonly reasoningOutput: number
  readonly total: number
}

export const zero: Tokens = { input: 0, cachedInput: 0, output: 0, reasoningOutput: 0, total: 0 }

export const fields = ["input", "cachedInput", "output", "reasoningOutput", "total"] as const

export const fromUsage = (u: TokenUsage.TokenUsage): Tokens => ({
  input: u.input_tokens,
  cachedInput: u.cached_input_tokens,
  output: u.output_tokens,
  reasoningOutput: u.reasoning_output_tokens,
  total: u.total_tokens
})

export const add = (a: Tokens, b: Tokens): Tokens => ({
  input: a.input + b.input,
  cachedInput: a.cachedInput + b.cachedInput,
  output: a.output + b.output,
  reasoningOutput: a.reasoningOutput + b.reasoningOutput,
  total: a.total + b.total
})

export const sub = (a: Tokens, b: Tokens): Tokens => ({
  input: a.input - b.input,
  cachedInput: a.cachedInput - b.cachedInput,
  output: a.output - b.output,
  reasoningOutput: a.reasoningOutput - b.reasoningOutput,
  total: a.total - b.total
})

export const equals = (a: Tokens, b: Tokens): boolean => fields.every((f) => a[f] === b[f])

/** Every field of `a` at least that of `b`: `a` can follow `b` in one running total. */
export const covers = (a: Tokens, b: Tokens): boolean => fields.every((f) => a[f] >= b[f])

export const isZero = (a: Tokens): boolean => equals(a, zero)

/**
 * What a running total `next` adds after the running total `previous` (null: nothing counted yet
 * in this session). Equal totals add nothing (a re-emitted count). A total that went down on any
 * field restarted from zero (an old build that did not seed usage on resume), so all of it is new.
 */
export const delta = (previous: Tokens | null, next: Tokens): Tokens => {
  if (previous === null) return next
  if (equals(previous, next)) return zero
  return covers(next, previous) ? sub(next, previous) : next
}
