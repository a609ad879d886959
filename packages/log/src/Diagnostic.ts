/**
 * A diagnostic: one thing the reader could not read, with where it is. Reading never stops at a
 * problem: the bad line is skipped, reported here, and every good line around it is delivered.
 * This module is only the data; the reader produces diagnostics and the CLI prints them.
 */

export type DiagnosticKind =
  /** The file starts with a UTF-8 byte order mark. It is skipped; Codex would fail the first line. */
  | "bom"
  /** The line is not valid UTF-8. Codex cannot read such a file at all. */
  | "invalid_utf8"
  /** The line is not JSON. */
  | "invalid_json"
  /** The last line has no newline and is not complete JSON: a write was cut off. */
  | "truncated_line"
  /** The line is JSON but not an object. */
  | "not_an_object"
  /** The line is longer than the reader's limit (a JavaScript string cannot hold it). */
  | "line_too_long"
  /** The file holds no line at all. */
  | "empty_file"
  /** A `.jsonl.zst` file is not a valid zstd stream (or is cut short). */
  | "zstd_error"
  /** A `.jsonl.zst` file expands far beyond any rollout (a decompression bomb): read up to the limit. */
  | "too_large"
  /** A segment (`.rseg`) is damaged: bad magic, checksum mismatch, cut short, no end frame. */
  | "segment_error"
  /** The file could not be read (permissions, missing, not a file). */
  | "read_error"

export interface Diagnostic {
  readonly _tag: "Diagnostic"
  readonly path: string
  /** 1-based line number (0 when the problem concerns the whole file). */
  readonly line: number
  /** Offset of the line's first byte in the (decompressed) file. */
  readonly byteOffset: number
  readonly kind: DiagnosticKind
  readonly message: string
}

export const make = (path: string, line: number, byteOffset: number, kind: DiagnosticKind, message: string): Diagnostic => ({
  _tag: "Diagnostic",
  path,
  line,
  byteOffset,
  kind,
  message
})

/** A short, printable excerpt of a bad line for messages. */
export const preview = (text: string, max = 60): string => {
  const oneLine = text.replace(/[\r\n\t]/g, " ")
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine
}

/** Why the system refused a file, in words for the common refusals, else the error's own message. */
export const why = (error: unknown): string => {
  switch ((error as { code?: unknown } | null)?.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "ENOENT":
      return "no such file or directory"
    case "EISDIR":
      return "it is a folder"
    case "ELOOP":
      return "too many levels of symbolic links"
    default:
      return error instanceof Error ? error.message : String(error)
  }
}
