/**
 * Failures a command reports to the user, as tagged values, and the one table that maps them to
 * exit codes: 2 for usage errors and input that cannot be read, 1 for input that was read but is
 * invalid. Anything else reaching `main` is an internal error.
 */
import { Data } from "effect"

/** The input named does not exist or cannot be read (unknown thread id, missing file). */
export class UnreadableInput extends Data.TaggedError("UnreadableInput")<{ readonly message: string }> {}

/** The arguments make no sense together (beyond what the parser checks). */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** The input was read but cannot give an answer (e.g. a file with no session_meta). */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{ readonly message: string }> {}

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

export const isCliFailure = (u: unknown): u is CliFailure =>
  u instanceof UnreadableInput || u instanceof UsageError || u instanceof InvalidInput
