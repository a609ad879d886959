/**
 * Failures a command reports to the user, as tagged values, and the one table that maps them to
 * exit codes: 2 for usage errors and input that cannot be read, 1 for input that was read but is
 * invalid. Anything else reaching `main` is an internal error, except a file the system refused to
 * read (`fromSystemError`). The input failures are the read side's (`@rollout/query/QueryError`);
 * only usage errors are the CLI's own.
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

/** Why the system refused a path, in words, for the error codes that mean the user may not read it. */
const refusals: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symbolic links"
}

/**
 * A file-system error no reader turned into a diagnostic (a folder of the home that cannot be
 * listed, a symlink loop): that is input the user cannot read (exit 2, one line naming the path),
 * not a bug to report. Undefined for anything else.
 */
export const fromSystemError = (u: unknown): UnreadableInput | undefined => {
  if (!(u instanceof Error)) return undefined
  const { code, path } = u as { code?: unknown; path?: unknown }
  const why = typeof code === "string" && Object.hasOwn(refusals, code) ? refusals[code] : undefined
  return why === undefined || typeof path !== "string" ? undefined : new UnreadableInput({ message: `cannot read ${path}: ${why}` })
}
