/**
 * TraceReduceError: why a rollout-trace bundle could not be reduced, with Codex's message text
 * (rollout-trace spec §4.13; tests match on it). Like Codex, reduction stops at the first error
 * and gives no partial graph. This module is only the error value and the helper that raises it
 * inside the reducer; `RolloutTrace.reduce` turns it into a `Result`.
 */
import { Data } from "effect"

export class TraceReduceError extends Data.TaggedError("TraceReduceError")<{ readonly message: string }> {}

/** Aborts the replay: caught once, by `RolloutTrace.reduce`. */
export const fail = (message: string): never => {
  throw new TraceReduceError({ message })
}

export const isTraceReduceError = (u: unknown): u is TraceReduceError => u instanceof TraceReduceError
