/**
 * The `rollout` command: its subcommands, and `main`, which runs one command line against a set
 * of services and returns the exit code. `bin.ts` calls it with the real process; tests call it
 * in-process with buffers. Each subcommand's module is imported only when its command line needs
 * it, so a command pays start-up for what it uses and `--version` loads none.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Files from "@rollout/log/Files"
import * as Terminal from "@rollout/view/Terminal"
import * as Output from "./Output.js"
import * as CliFailure from "./CliFailure.js"
import * as Crash from "./Crash.js"
import * as Usage from "./Usage.js"
import * as Input from "./Input.js"
import * as Version from "./Version.js"

export const VERSION = Version.VERSION

/** Every subcommand by name, in the order `--help` lists them, each behind its module's import. */
export const commands = {
  history: () => import("./HistoryCommand.js").then((m) => m.command),
  turns: () => import("./TurnsCommand.js").then((m) => m.command),
  export: () => import("./ExportCommand.js").then((m) => m.command),
  info: () => import("./InfoCommand.js").then((m) => m.command),
  validate: () => import("./ValidateCommand.js").then((m) => m.command),
  resume: () => import("./ResumeCommand.js").then((m) => m.resume),
  fork: () => import("./ResumeCommand.js").then((m) => m.fork),
  trim: () => import("./TrimCommand.js").then((m) => m.command),
  stats: () => import("./StatsCommand.js").then((m) => m.command),
  trace: () => import("./TraceCommand.js").then((m) => m.command),
  convert: () => import("./ConvertCommand.js").then((m) => m.command),
  replay: () => import("./ReplayCommand.js").then((m) => m.command),
  ls: () => import("./LsCommand.js").then((m) => m.command),
  search: () => import("./SearchCommand.js").then((m) => m.command),
  index: () => import("./IndexCommand.js").then((m) => m.command),
  archive: () => import("./ArchiveCommand.js").then((m) => m.archive),
  unarchive: () => import("./ArchiveCommand.js").then((m) => m.unarchive),
  run: () => import("./RunCommand.js").then((m) => m.command),
  serve: () => import("./ServeCommand.js").then((m) => m.command),
  sync: () => import("./SyncCommand.js").then((m) => m.command)
} as const

export type Name = keyof typeof commands
type Subcommand = Awaited<ReturnType<(typeof commands)[Name]>>

const isName = (word: string | undefined): word is Name => word !== undefined && Object.hasOwn(commands, word)

/** Every subcommand, loaded. */
export const all = (): Promise<ReadonlyArray<Subcommand>> => Promise.all(Object.values(commands).map((load) => load()))

/**
 * A subcommand of each name that does nothing: all the parser needs to refuse a mistyped name and
 * suggest the nearest ones (no command has an alias or is left out of help), without loading every
 * module for one line of error (0.68 CPU seconds against 0.40 for another usage error).
 */
const named = (): ReadonlyArray<Subcommand> => Object.keys(commands).map((name) => Command.make(name) as unknown as Subcommand)

/**
 * The subcommands a command line can reach: the one it names first, none for a bare `--version`,
 * the names alone for a mistyped name alone, and all of them otherwise (help and completions list
 * them all). A parent's help never shows its siblings, so one subcommand parses and prints as in
 * the full tree.
 */
export const reachable = async (argv: ReadonlyArray<string>): Promise<ReadonlyArray<Subcommand>> => {
  const [first] = argv
  if (isName(first)) return [await commands[first]()]
  if (argv.length === 1 && (first === "--version" || first === "-v")) return []
  if (argv.length === 1 && first !== undefined && !first.startsWith("-")) return named()
  return all()
}

/** The root command over the given subcommands. */
export const rollout = (subcommands: ReadonlyArray<Subcommand>) =>
  Command.make("rollout").pipe(
    Command.withDescription(
      "Read, check and rebuild Codex rollouts (the JSONL logs under ~/.codex/sessions). `rollout <command> --help` for one command. Exit codes: 0 ok, 1 invalid input or failed check, 2 usage error or unreadable input."
    ),
    Command.withSubcommands(subcommands),
    Command.withExamples([
      { command: "rollout ls --codex-home rollouts", description: "the threads of a Codex home (here the sample home of the repository), newest first" },
      { command: "rollout history 01a1fb98-3e76 --codex-home rollouts", description: "one thread as a transcript, named by a unique prefix of its id" },
      { command: "rollout validate", description: "check every rollout of your own home ($CODEX_HOME, else ~/.codex)" },
      { command: "rollout stats --by model", description: "token use and cost per model" }
    ])
  )

/** Runs `argv` (without the node and script paths) and returns the exit code; `debug` adds stack traces to internal errors. */
export const main = async (
  typed: ReadonlyArray<string>,
  output: Output.Shape,
  files: Files.Shape = Files.node,
  input: Input.Shape = Input.none,
  debug = false
): Promise<number> => {
  const services = Layer.mergeAll(
    NodeServices.layer,
    Output.layer(output),
    Layer.succeed(Files.Files, files),
    Input.layer(input),
    CliOutput.layerPresenter(Usage.presenter(output))
  )
  const argv = Usage.helpWord(typed, Object.keys(commands))
  const misplaced = Usage.misplacedFlags(argv, Object.keys(commands))
  if (misplaced !== undefined) {
    output.stderr(`${Terminal.field(misplaced.slice(0, -1))}\n`)
    return 2
  }
  const command = rollout(await reachable(argv))
  const exit = await Effect.runPromiseExit(Command.runWith(command, { version: VERSION })(argv).pipe(Effect.provide(services)))
  if (Exit.isSuccess(exit)) return output.exitCode()
  const squashed = Cause.squash(exit.cause)
  const error = CliFailure.fromSystemError(squashed) ?? squashed
  if (CliFailure.isCliFailure(error)) {
    const path = Usage.commandPath(argv, Object.keys(commands))
    // A message may quote a path or id from the home: escaped, it cannot drive the terminal.
    const message = Terminal.field(error.message)
    output.stderr(error._tag === "UsageError" ? Usage.line(path, [message]) : `rollout: ${message}\n`)
    return CliFailure.exitCode(error)
  }
  // Parse errors were already reported (one line, by the presenter); a plain --help is not an error.
  if (CliError.isCliError(error)) return error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : 2
  output.stderr(Crash.line(error, debug))
  return 1
}
