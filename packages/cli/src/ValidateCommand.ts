/**
 * `rollout validate PATH...`: reads every rollout named (files, folders, whole Codex homes,
 * thread ids) and reports each line that Codex could not read, with the reason. Exit 1 when any
 * problem is found, 2 when a path cannot be read at all.
 */
import { Effect } from "effect"
import { Argument, Command } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"

const paths = Argument.String("PATH").pipe(
  Argument.withDescription("A rollout file (.jsonl or .jsonl.zst), a folder or Codex home to scan, or a thread id."),
  Argument.variadic({ min: 1 })
)

export const command = Command.make(
  "validate",
  { paths, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    Effect.gen(function* () {
      const files = yield* Files.Files
      const output = yield* Output
      const reports: Array<Validation.FileReport> = []
      for (const arg of args.paths) {
        const expanded = yield* Effect.promise(() => CodexHome.expand(files, arg, args.codexHome))
        if (expanded._tag === "NotFound") {
          if (args.json) output.stderr(`rollout validate: ${expanded.message}\n`)
          output.fail(2)
          reports.push({ path: arg, lines: 0, valid: false, problems: [{ line: 0, kind: "read_error", message: expanded.message }], notes: [] })
          continue
        }
        for (const path of expanded.paths) reports.push(yield* Effect.promise(() => Validation.validateFile(files, path)))
      }
      for (const r of reports) {
        if (Validation.isUnreadable(r)) output.fail(2)
        else if (!r.valid) output.fail(1)
      }
      output.stdout(args.json ? `${JSON.stringify({ files: reports })}\n` : human(reports))
    })
).pipe(
  Command.withDescription(
    "Check rollout files line by line: report every line Codex could not read (bad JSON, torn last line, BOM, bad UTF-8, payloads that break the schema) with its line number. Exit 1 when a problem is found, 2 when a path cannot be read."
  ),
  Command.withExamples([
    { command: "rollout validate ~/.codex", description: "every rollout in a Codex home" },
    { command: "rollout validate session.jsonl --json", description: "one file, machine-readable" }
  ])
)

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const human = (reports: ReadonlyArray<Validation.FileReport>): string => {
  const out: Array<string> = []
  for (const r of reports) {
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
      out.push(`       note: ${plural(undeclared.length, "line")} with fields the schema does not declare, kept as written: ${fields.slice(0, 5).join(", ")}${more}`)
    }
  }
  const bad = reports.filter((r) => !r.valid)
  const problems = bad.reduce((n, r) => n + r.problems.length, 0)
  out.push("")
  out.push(
    bad.length === 0
      ? `${plural(reports.length, "file")}, all valid.`
      : `${plural(reports.length, "file")}: ${reports.length - bad.length} valid, ${bad.length} with problems (${plural(problems, "problem")}).`
  )
  return out.join("\n") + "\n"
}
