/**
 * `rollout validate PATH...`: reads every rollout named (files, folders, whole Codex homes,
 * thread ids) and reports each line that Codex could not read, with the reason. Exit 1 when any
 * problem is found, 2 when a path cannot be read at all.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import * as Terminal from "@rollout/view/Terminal"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as PathArguments from "./PathArguments.js"
import * as ValidateOutput from "./ValidateOutput.js"

const paths = PathArguments.argument("A rollout file (.jsonl, .jsonl.zst or .rseg), a folder or Codex home to scan, or a thread id or its unique prefix.")

const verbose = Flag.Boolean("verbose").pipe(
  Flag.withDescription("Also list the files without problems (by default only files with problems or notes, then the summary)."),
  Flag.withDefault(false)
)

export const command = Command.make("validate", { paths, verbose, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const output = yield* Output
    const { paths: found, missing, skipped } = yield* PathArguments.expand(PathArguments.orHome(args.paths, args.codexHome), args.codexHome)
    const reports = missing.map(ValidateOutput.unreadable)
    for (const m of missing) output.stderr(`rollout validate: ${m.message}\n`)
    for (const s of skipped) output.stderr(`rollout validate: ${Terminal.field(CodexHome.line(s))}\n`)
    for (const path of found) reports.push(yield* Effect.promise(() => Validation.validateFile(files, path)))
    const code = ValidateOutput.exitCode(reports)
    if (code !== 0) output.fail(code)
    if (args.json) output.stdout(`${JSON.stringify(ValidateOutput.json(reports, skipped))}\n`)
    // A name that matched nothing was said on stderr; the table is about files that were read.
    else if (found.length > 0) output.stdout(ValidateOutput.human(reports.slice(missing.length), args.verbose))
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
