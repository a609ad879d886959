/**
 * What a refresh of the index stepped over: a folder it could not list, a rollout it could not
 * read, a thread whose `session_meta` breaks its schema or nests deeper than the index can store.
 * One bad file never stops a refresh; it costs that file (or folder) only, and says so here. The
 * data only: Refresh produces these, the CLI prints them on stderr.
 */

export type Kind =
  /** A folder of the home could not be listed (permissions): its rollouts were not looked at. */
  | "unreadable_folder"
  /** An entry named like a rollout file is not one to read (a FIFO, a dangling link, a folder): stepped over. */
  | "not_a_file"
  /** A rollout file could not be opened or read. */
  | "read_error"
  /** A value nests deeper than the index can serialise: the thread is left out. */
  | "too_deep"
  /** A known line (such as `session_meta`) whose payload breaks its schema; it was skipped. */
  | "invalid_payload"

export interface RefreshDiagnostic {
  readonly path: string
  /** 1-based line, 0 when the problem concerns the whole file or folder. */
  readonly line: number
  readonly kind: Kind
  readonly message: string
}

export const make = (path: string, line: number, kind: Kind, message: string): RefreshDiagnostic => ({ path, line, kind, message })

/** One line for a terminal or log: `path:line: message (kind)`. */
export const format = (d: RefreshDiagnostic): string => `${d.path}${d.line > 0 ? `:${d.line}` : ""}: ${d.message} (${d.kind})`

/** The message of a thrown value, without its stack. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
