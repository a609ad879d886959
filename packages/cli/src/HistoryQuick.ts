/**
 * `rollout history THREAD --json` without the CLI framework: the plain command line (THREAD, `--json`
 * and at most `--codex-home DIR`, each once, the value as the next word) is answered here by the
 * same call as `HistoryCommand` (`HistoryRead.writeJson`, written in the same pieces), without
 * loading the framework, its services and the other commands: start-up is a large part of a
 * history of a few megabytes. Failures end as the full CLI ends them (the same line on stderr,
 * the same exit code, as `Cli.main` maps them). `parse` declines (`undefined`) anything else: help, `--all-events`, other
 * or repeated flags, `--flag=value`, a THREAD that starts with `-`; the full CLI answers those.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as HistoryRead from "@rollout/query/HistoryRead"
import * as Terminal from "@rollout/view/Terminal"
import * as CliFailure from "./CliFailure.js"
import * as Crash from "./Crash.js"
import * as DiagnosticCap from "./DiagnosticCap.js"
import * as PieceWriter from "./PieceWriter.js"
import * as QuickArgs from "./QuickArgs.js"

export interface Args {
  readonly thread: string
  readonly home: string
}

export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** The history command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  const parsed = argv[0] === "history" ? QuickArgs.read(argv, ["codex-home"], ["json"], true) : undefined
  if (parsed === undefined) return undefined
  const [thread] = parsed.words
  if (!parsed.seen.has("json") || parsed.words.length !== 1 || thread === undefined) return undefined
  return { thread, home: QuickArgs.home(parsed.values["codex-home"], env) }
}

/** Writes the thread as `history --json` does; answers the exit code. */
export const run = async (args: Args, io: Io, debug = false): Promise<number> => {
  const writer = PieceWriter.make(io.stdout, '{"thread":')
  // As the full command reports them: escaped, and only the first few.
  const cap = DiagnosticCap.make(io.stderr, "rollout")
  const exit = await Effect.runPromiseExit(
    HistoryRead.writeJson(args.thread, args.home, writer.put).pipe(
      Effect.provideService(Files.Files, Files.node),
      Effect.provideService(Diagnostics.Diagnostics, { report: cap.report })
    )
  )
  cap.end()
  if (Exit.isSuccess(exit)) {
    writer.end("}\n")
    return 0
  }
  const squashed = Cause.squash(exit.cause)
  const error = CliFailure.fromSystemError(squashed) ?? squashed
  if (CliFailure.isCliFailure(error)) {
    io.stderr(`rollout: ${Terminal.field(error.message)}\n`)
    return CliFailure.exitCode(error)
  }
  io.stderr(Crash.line(error, debug))
  return 1
}
