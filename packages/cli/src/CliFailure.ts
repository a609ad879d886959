/**
 * Failures a command reports to the user, as tagged values, and the one table that maps them to
 * exit codes: 2 for usage errors and input that cannot be read, 1 for input that was read but is
 * invalid. Anything else reaching `main` is an internal error. The input failures are the read
 * side's (`@rollout/query/QueryError`); only usage errors are the CLI's own.
 */
import { Data } from "effect"
import { InvalidInput, UnreadableInput } from "@rollout/query/QueryError"

export { InvalidInput, UnreadableInput }

/** The arguments make no sense together (beyond what the parser checks). */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

export type CliFailure = UnreadableInput | UsageError | InvalidInput

export const exitCode = (failure: CliFailure): 1 | 2 => {
  switch (failure._tag) {
    case "UnreadableInput":
    case "UsageError":
      return 2
    case "InvalidInput":
      return 1
  }
}

export const isCliFailure = (u: unknown): u is CliFailure => u instanceof UnreadableInput || u instanceof UsageError || u instanceof InvalidInput
