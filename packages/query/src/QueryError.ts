/**
 * Why a question about rollout files has no answer, as tagged values. The CLI maps them to exit
 * codes in its one table (`CliFailure`); a server maps them to its own replies. Usage mistakes are
 * not here: they belong to whoever parses the request.
 */
import { Data } from "effect"

/** The input named does not exist or cannot be read (unknown thread id, missing file). */
export class UnreadableInput extends Data.TaggedError("UnreadableInput")<{ readonly message: string }> {}

/** The input was read but cannot give an answer (e.g. a file with no session_meta). */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{ readonly message: string }> {}

export type QueryError = UnreadableInput | InvalidInput
