/**
 * The `rollout` command: its subcommands, and `main`, which runs one command line against a set
 * of services and returns the exit code. `bin.ts` calls it with the real process; tests call it
 * in-process with buffers.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cause, Effect, Exit, Layer } from "effect"
import { CliError, CliOutput, Command } from "effect/cli"
import * as Files from "@rollout/log/Files"
import * as Output from "./Output.js"
import * as CliFailure from "./CliFailure.js"
import * as Crash from "./Crash.js"
import * as Usage from "./Usage.js"
import * as HistoryCommand from "./HistoryCommand.js"
import * as TurnsCommand from "./TurnsCommand.js"
import * as ExportCommand from "./ExportCommand.js"
import * as InfoCommand from "./InfoCommand.js"
import * as ResumeCommand from "./ResumeCommand.js"
import * as TraceCommand from "./TraceCommand.js"
import * as StatsCommand from "./StatsCommand.js"
import * as ValidateCommand from "./ValidateCommand.js"
import * as ConvertCommand from "./ConvertCommand.js"
import * as Input from "./Input.js"
import * as ReplayCommand from "./ReplayCommand.js"
import * as LsCommand from "./LsCommand.js"
import * as SearchCommand from "./SearchCommand.js"
import * as IndexCommand from "./IndexCommand.js"
import * as ArchiveCommand from "./ArchiveCommand.js"
import * as RunCommand from "./RunCommand.js"

export const VERSION = "0.1.0"

export const rollout = Command.make("rollout").pipe(
  Command.withDescription(
    "Read, check and rebuild Codex rollouts (the JSONL logs under ~/.codex/sessions). `rollout <command> --help` for one command. Exit codes: 0 ok, 1 invalid input or failed check, 2 usage error or unreadable input."
  ),
  Command.withSubcommands([HistoryCommand.command, TurnsCommand.command, ExportCommand.command, InfoCommand.command, ValidateCommand.command, ResumeCommand.resume, ResumeCommand.fork, StatsCommand.command, TraceCommand.command, ConvertCommand.command, ReplayCommand.command, LsCommand.command, SearchCommand.command, IndexCommand.command, ArchiveCommand.archive, ArchiveCommand.unarchive, RunCommand.command])
)

/** Runs `argv` (without the node and script paths) and returns the exit code; `debug` adds stack traces to internal errors. */
export const main = async (argv: ReadonlyArray<string>, output: Output.Shape, files: Files.Shape = Files.node, input: Input.Shape = Input.none, debug = false): Promise<number> => {
  const services = Layer.mergeAll(NodeServices.layer, Output.layer(output), Layer.succeed(Files.Files, files), Input.layer(input), CliOutput.layerPresenter(Usage.presenter(output)))
  const exit = await Effect.runPromiseExit(Command.runWith(rollout, { version: VERSION })(argv).pipe(Effect.provide(services)))
  if (Exit.isSuccess(exit)) return output.exitCode()
  const error = Cause.squash(exit.cause)
  if (CliFailure.isCliFailure(error)) {
    const path = Usage.commandPath(argv, rollout.subcommands.flatMap((g) => g.commands.map((c) => c.name)))
    output.stderr(error._tag === "UsageError" ? Usage.line(path, [error.message]) : `rollout: ${error.message}\n`)
    return CliFailure.exitCode(error)
  }
  // Parse errors were already reported (one line, by the presenter); a plain --help is not an error.
  if (CliError.isCliError(error)) return error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : 2
  output.stderr(Crash.line(error, debug))
  return 1
}
