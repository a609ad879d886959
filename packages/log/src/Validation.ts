/**
 * Validation of rollout files: every line read, typed against the protocol schemas, and every
 * problem reported with its line number — what the reader could not read (diagnostics), lines
 * whose envelope or payload breaks its schema (Codex would skip them), and a first line that is
 * not `session_meta`. Line types and tags this version does not know are not problems (newer Codex
 * writes them); they are listed as notes, and so are fields a typed line carries that its schema
 * does not declare (kept as written, but the first sign that Codex changed a shape). This is a
 * report builder, not a printer.
 *
 * A line `FastView` finds certainly decodes to itself with every field declared (most lines of
 * most rollouts) has nothing to report, so neither the schema decode nor the field walk runs for
 * it: reading then costs about what parsing does.
 */
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as UndeclaredFields from "@rollout/protocol/UndeclaredFields"
import type * as Diagnostic from "./Diagnostic.js"
import type * as Files from "./Files.js"
import * as PlainLine from "./internal/PlainLine.js"
import type { JsonObject, Sink } from "./LineFramer.js"
import * as RolloutReader from "./RolloutReader.js"

export type ProblemKind = import("./Diagnostic.js").DiagnosticKind | "invalid_envelope" | "invalid_payload" | "session_meta_not_first"

export interface Problem {
  readonly line: number
  readonly kind: ProblemKind
  readonly message: string
}

export interface Note {
  readonly line: number
  readonly kind: "unknown_type" | "undeclared_field"
  readonly message: string
}

export interface FileReport {
  readonly path: string
  /**
   * Lines in the file, blank ones included (trailing ones too), as Codex's reader splits it: a
   * last line without a newline counts, the empty text after a final newline does not.
   */
  readonly lines: number
  readonly valid: boolean
  readonly problems: ReadonlyArray<Problem>
  /** Lines kept but not typed: types or tags this version does not know. */
  readonly notes: ReadonlyArray<Note>
}

/** Whether the file could not be read at all (as opposed to read with bad lines). */
export const isUnreadable = (report: FileReport): boolean => report.problems.some((p) => p.kind === "read_error")

/** Reads and checks one rollout file. Never throws. */
export const validateFile = async (files: Files.Shape, path: string): Promise<FileReport> => {
  const check = new Checker()
  // Each line is checked as it is framed and dropped at once: no entry object, no batch.
  await RolloutReader.visit(files, path, check)
  return { path, lines: Math.max(check.lines, check.lastBlank), valid: check.problems.length === 0, problems: check.problems, notes: check.notes }
}

/** The report of one file, built line by line as the reader frames it. */
class Checker implements Sink {
  readonly problems: Array<Problem> = []
  readonly notes: Array<Note> = []
  lines = 0
  private sawFirst = false

  readonly other = (entry: Diagnostic.Diagnostic): void => {
    this.problems.push({ line: entry.line, kind: entry.kind, message: entry.message })
    if (entry.line > this.lines) this.lines = entry.line
  }

  /** The last blank line's number: zstd and segment readers tell of it before the lines framed with it. */
  lastBlank = 0

  readonly blank = (line: number): void => {
    if (line > this.lastBlank) this.lastBlank = line
  }

  readonly line = (value: JsonObject, line: number): void => {
    this.lines = line
    if (!this.sawFirst) this.first(value, line)
    // The first line too: building the full decoder costs more than most files' other lines.
    if (PlainLine.view(value) === undefined) this.decode(value, line)
  }

  private first(value: JsonObject, line: number): void {
    this.sawFirst = true
    const type = value["type"]
    if (type !== "session_meta") {
      this.problems.push({
        line,
        kind: "session_meta_not_first",
        message: `the first line is ${typeof type === "string" ? `of type ${type}` : "not a rollout line"}; Codex expects session_meta`
      })
    }
  }

  /** A line the fast view cannot vouch for, through the schema decoder: its problem or note, if any. */
  private decode(value: JsonObject, line: number): void {
    const decoded = RolloutLine.decode(value)
    switch (decoded._tag) {
      case "Known": {
        const undeclared = UndeclaredFields.find(RolloutLine.RolloutLine, value)
        if (undeclared.length > 0) {
          this.notes.push({ line, kind: "undeclared_field", message: `fields the schema does not declare (kept as written): ${undeclared.join(", ")}` })
        }
        return
      }
      case "Unknown":
        this.notes.push({ line, kind: "unknown_type", message: `unknown type ${decoded.what} (kept as written)` })
        return
      case "Invalid":
        this.problems.push({
          line,
          kind: decoded.what === "envelope" ? "invalid_envelope" : "invalid_payload",
          message: `${decoded.what}: ${oneLine(decoded.message)}`
        })
        return
      default: {
        const unreachable: never = decoded
        return unreachable
      }
    }
  }
}

const oneLine = (message: string): string => message.replace(/\s*\n\s*/g, "; ")
