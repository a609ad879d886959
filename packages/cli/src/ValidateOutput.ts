/**
 * What `rollout validate` prints for a set of file reports without `--json`: files with problems
 * in detail, the others (and notes) only with `--verbose`, then one summary line. Shared by the
 * command (`ValidateCommand`) and its quick path (`ValidateQuick`), so both print the same bytes.
 */
import * as Validation from "@rollout/log/Validation"
import * as Terminal from "@rollout/view/Terminal"

/** The report of a name that could not be read: no line, one read error with its message. */
export const unreadable = (m: { readonly arg: string; readonly message: string }): Validation.FileReport => ({
  path: m.arg,
  lines: 0,
  valid: false,
  problems: [{ line: 0, kind: "read_error", message: m.message }],
  notes: []
})

/**
 * The `--json` document: `files`, and `skipped` (added to the contract) only when a walk stepped
 * over entries named like rollouts that are not files to read, so a clean home's document is as before.
 */
export const json = (reports: ReadonlyArray<Validation.FileReport>, skipped: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  skipped.length === 0 ? { files: reports } : { files: reports, skipped: skipped.map((s) => ({ path: s.path, message: s.message })) }

/** The exit code of a set of reports: 2 when any could not be read, else 1 when any is not valid, else 0. */
export const exitCode = (reports: ReadonlyArray<Validation.FileReport>): 0 | 1 | 2 =>
  reports.some(Validation.isUnreadable) ? 2 : reports.every((r) => r.valid) ? 0 : 1

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** Files with problems in detail, the others (and notes) only with `verbose`, then one summary line. */
export const human = (reports: ReadonlyArray<Validation.FileReport>, verbose: boolean): string => {
  const out: Array<string> = []
  for (const r of reports) {
    if (r.valid && !verbose) continue
    const mark = r.valid ? "ok  " : "FAIL"
    const tail = r.valid ? "" : `, ${plural(r.problems.length, "problem")}`
    out.push(`${mark} ${r.path}  (${plural(r.lines, "line")}${tail})`)
    for (const p of r.problems.slice(0, 20)) out.push(`       ${p.line > 0 ? `line ${p.line}` : "file"}  ${p.kind}  ${p.message}`)
    if (r.problems.length > 20) out.push(`       … and ${r.problems.length - 20} more (use --json for all)`)
    const unknown = r.notes.filter((n) => n.kind === "unknown_type")
    if (unknown.length > 0) {
      const kinds = [...new Set(unknown.map((n) => n.message.replace(/^unknown type (\S+).*$/, "$1")))]
      out.push(`       note: ${plural(unknown.length, "line")} of a type this version does not know, kept as written: ${kinds.slice(0, 5).join(", ")}`)
    }
    const undeclared = r.notes.filter((n) => n.kind === "undeclared_field")
    if (undeclared.length > 0) {
      const fields = [...new Set(undeclared.flatMap((n) => n.message.replace(/^[^:]*: /, "").split(", ")))]
      const more = fields.length > 5 ? `, … (${fields.length} in all, --json lists each line)` : ""
      out.push(
        `       note: ${plural(undeclared.length, "line")} with fields the schema does not declare, kept as written: ${fields.slice(0, 5).join(", ")}${more}`
      )
    }
  }
  const bad = reports.filter((r) => !r.valid)
  const problems = bad.reduce((n, r) => n + r.problems.length, 0)
  const noted = reports.filter((r) => r.valid && r.notes.length > 0).length
  const notes =
    noted > 0 && !verbose
      ? ` ${plural(noted, "valid file")} with notes (unknown types or undeclared fields, kept as written): --verbose or --json lists them.`
      : ""
  if (out.length > 0) out.push("")
  out.push(
    bad.length === 0
      ? `${plural(reports.length, "file")}, all valid.${notes}`
      : `${plural(reports.length, "file")}: ${reports.length - bad.length} valid, ${bad.length} with problems (${plural(problems, "problem")}).${notes}`
  )
  // Problems quote the lines they could not read, and notes name types from the file: the rollout's text, escaped.
  return `${out.map(Terminal.field).join("\n")}\n`
}
