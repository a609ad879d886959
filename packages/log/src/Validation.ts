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
import type * as Files from "./Files.js"
import * as PlainLine from "./internal/PlainLine.js"
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
  /** Lines in the file (the number of the last line, blank ones included). */
  readonly lines: number
  readonly valid: boolean
  readonly problems: ReadonlyArray<Problem>
  /** Lines kept but not typed: types or tags this version does not know. */
  readonly notes: ReadonlyArray<Note>
}

/** Whether the file could not be read at all (as opposed to read with bad lines). */
export const isUnreadable = (report: FileReport): boolean => report.problems.some((p) => p.kind === "read_error")

/**
 * Lines framed per batch: a batch's parsed lines are dropped as soon as they are checked, so
 * small batches die in the young generation instead of being promoted (whole 1 MiB chunks cost
 * about a third more time, most of it in the garbage collector).
 */
const BATCH_BYTES = 64 << 10

/** Reads and checks one rollout file. Never throws. */
export const validateFile = async (files: Files.Shape, path: string): Promise<FileReport> => {
  const problems: Array<Problem> = []
  const notes: Array<Note> = []
  let lines = 0
  let sawFirst = false
  for await (const batch of RolloutReader.batches(files, path, { batchBytes: BATCH_BYTES })) {
    for (const entry of batch) {
      if (entry._tag === "Diagnostic") {
        problems.push({ line: entry.line, kind: entry.kind, message: entry.message })
        if (entry.line > lines) lines = entry.line
        continue
      }
      lines = entry.line
      if (!sawFirst) {
        sawFirst = true
        const type = entry.value["type"]
        if (type !== "session_meta") {
          problems.push({
            line: entry.line,
            kind: "session_meta_not_first",
            message: `the first line is ${typeof type === "string" ? `of type ${type}` : "not a rollout line"}; Codex expects session_meta`
          })
        }
      }
      // The first line too: building the full decoder costs more than most files' other lines.
      if (PlainLine.view(entry.value) !== undefined) continue
      const decoded = RolloutLine.decode(entry.value)
      switch (decoded._tag) {
        case "Known": {
          const undeclared = UndeclaredFields.find(RolloutLine.RolloutLine, entry.value)
          if (undeclared.length > 0) {
            notes.push({
              line: entry.line,
              kind: "undeclared_field",
              message: `fields the schema does not declare (kept as written): ${undeclared.join(", ")}`
            })
          }
          break
        }
        case "Unknown":
          notes.push({ line: entry.line, kind: "unknown_type", message: `unknown type ${decoded.what} (kept as written)` })
          break
        case "Invalid":
          problems.push({
            line: entry.line,
            kind: decoded.what === "envelope" ? "invalid_envelope" : "invalid_payload",
            message: `${decoded.what}: ${oneLine(decoded.message)}`
          })
          break
      }
    }
  }
  return { path, lines, valid: problems.length === 0, problems, notes }
}

const oneLine = (message: string): string => message.replace(/\s*\n\s*/g, "; ")
