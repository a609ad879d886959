/**
 * `rollout validate PATH...`: reads every rollout named (files, folders, whole Codex homes,
 * thread ids) and reports each line that Codex could not read, with the reason. Exit 1 when any
 * problem is found, 2 when a path cannot be read at all.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import * as Terminal from "@rollout/view/Terminal"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as PathArguments from "./PathArguments.js"

const paths = PathArguments.argument("A rollout file (.jsonl, .jsonl.zst or .rseg), a folder or Codex home to scan, or a thread id or its unique prefix.")

const verbose = Flag.Boolean("verbose").pipe(
  Flag.withDescription("Also list the files without problems (by default only files with problems or notes, then the summary)."),
  Flag.withDefault(false)
)

export const command = Command.make("validate", { paths, verbose, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const output = yield* Output
    const { paths: found, missing } = yield* PathArguments.expand(PathArguments.orHome(args.paths, args.codexHome), args.codexHome)
    const reports: Array<Validation.FileReport> = missing.map((m) => ({
      path: m.arg,
      lines: 0,
      valid: false,
      problems: [{ line: 0, kind: "read_error" as const, message: m.message }],
      notes: []
    }))
    for (const m of missing) output.stderr(`rollout validate: ${m.message}\n`)
    for (const path of found) reports.push(yield* Effect.promise(() => Validation.validateFile(files, path)))
    for (const r of reports) {
      if (Validation.isUnreadable(r)) output.fail(2)
      else if (!r.valid) output.fail(1)
    }
    if (args.json) output.stdout(`${JSON.stringify({ files: reports })}\n`)
    // A name that matched nothing was said on stderr; the table is about files that were read.
    else if (found.length > 0) output.stdout(human(reports.slice(missing.length), args.verbose))
  })
).pipe(
  Command.withShortDescription("Check rollout files line by line"),
  Command.withDescription(
    "Check rollout files line by line: report every line Codex could not read (bad JSON, torn last line, BOM, bad UTF-8, payloads that break the schema) with its line number. Exit 1 when a problem is found, 2 when a path cannot be read."
  ),
  Command.withExamples([
    { command: "rollout validate ~/.codex", description: "every rollout in a Codex home" },
    { command: "rollout validate session.jsonl --json", description: "one file, machine-readable" }
  ])
)

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** Files with problems in detail, the others (and notes) only with `verbose`, then one summary line. */
const human = (reports: ReadonlyArray<Validation.FileReport>, verbose: boolean): string => {
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
