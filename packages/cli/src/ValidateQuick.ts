/**
 * `rollout validate` without the CLI framework: the plain command lines (`validate [PATH...]` with
 * `--json`, `--verbose` and `--codex-home DIR`, each once, its value as the next word) are answered
 * here with the same reading (`@rollout/log/Validation`) and the same rendering (`ValidateOutput`)
 * as `ValidateCommand`, without loading the framework and the other commands. `parse` declines
 * (`undefined`) help, other or repeated flags and `--flag=value`; `run` declines a name that is
 * not a file, a folder or a whole thread id found in the home (an id prefix, a name matching
 * nothing), so the full command words those as it always has.
 */
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import * as Terminal from "@rollout/view/Terminal"
import * as QuickArgs from "./QuickArgs.js"
import * as ValidateOutput from "./ValidateOutput.js"

export interface Args {
  /** The names given (none: the home). */
  readonly names: ReadonlyArray<string>
  readonly home: string
  readonly json: boolean
  readonly verbose: boolean
}

export type Io = Pick<QuickArgs.Io, "stdout" | "stderr">

const FLAGS = ["json", "verbose"] as const

/** The validate command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  const parsed = argv[0] === "validate" ? QuickArgs.read(argv, ["codex-home"], FLAGS, true) : undefined
  if (parsed === undefined) return undefined
  const { words, values, seen } = parsed
  return { names: words, home: QuickArgs.home(values["codex-home"], env), json: seen.has("json"), verbose: seen.has("verbose") }
}

/**
 * Validates and prints as `ValidateCommand` does; the exit code, or undefined to leave it to the
 * full command. Files are read with blocking calls: the process has nothing else to do meanwhile,
 * and each awaited read costs a turn of the event loop and of libuv's thread pool.
 */
export const run = async (args: Args, io: Io, files: Files.Shape = Files.nodeBlocking): Promise<number | undefined> => {
  const found: Array<string> = []
  const missing: Array<{ readonly arg: string; readonly message: string }> = []
  const skipped: Array<CodexHome.Skipped> = []
  for (const arg of args.names.length === 0 ? [args.home] : args.names) {
    const expanded = await CodexHome.expand(files, arg, args.home)
    if (expanded._tag !== "Files" || expanded.paths.length === 0) return undefined
    found.push(...expanded.paths)
    for (const u of expanded.unreadable) missing.push({ arg: u.path, message: u.message })
    skipped.push(...expanded.skipped)
  }
  const reports = missing.map(ValidateOutput.unreadable)
  for (const m of missing) io.stderr(`rollout validate: ${m.message}\n`)
  for (const s of skipped) io.stderr(`rollout validate: ${Terminal.field(CodexHome.line(s))}\n`)
  for (const path of found) reports.push(await Validation.validateFile(files, path))
  if (args.json) io.stdout(`${JSON.stringify(ValidateOutput.json(reports, skipped))}\n`)
  else io.stdout(ValidateOutput.human(reports.slice(missing.length), args.verbose))
  return ValidateOutput.exitCode(reports)
}
