/**
 * `rollout sync [--database URL] [--codex-home DIR] [--machine NAME]`: pushes this machine's Codex
 * home into the team's PostgreSQL database (`@rollout/team/TeamSync`): thread summaries, the
 * statistics facts `stats` adds up and the search text, only what changed since the last push,
 * each file in its own transaction. With `--json`: `{"database", "machine", "files",
 * "filesPushed", "filesRemoved", "bytesRead", "documents", "namesChanged"}` (`database` is the URL
 * without its password).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as TeamError from "@rollout/team/TeamError"
import { UnreadableInput, UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as Output from "./Output.js"
import * as TeamCli from "./TeamCli.js"

const machine = Flag.String("machine").pipe(
  Flag.withMetavar("NAME"),
  Flag.withDescription("The name this home's threads carry in the team database. Default: this computer's host name."),
  Flag.optional
)

const jobs = Flags.intIn("jobs", 1, 256).pipe(
  Flag.withDescription("Worker threads folding statistics; 1 folds in this thread. Default: one per core for large pushes, else none."),
  Flag.optional
)

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

export const command = Command.make(
  "sync",
  { database: TeamCli.syncDatabase, machine, codexHome: Flags.codexHome, jobs, json: Flags.json, quiet: Flags.quiet },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output.Output
      const url = Option.getOrElse(args.database, () => "")
      if (url === "") return yield* new UsageError({ message: "no team database: give --database URL or set ROLLOUT_DATABASE_URL" })
      const target = TeamError.target(url)
      if (target instanceof TeamError.TeamError) return yield* TeamCli.failure(target)
      const name = Option.getOrElse(args.machine, () => os.hostname())
      if (name.trim() === "") return yield* new UsageError({ message: "--machine must not be empty" })
      if (!fs.statSync(args.codexHome, { throwIfNoEntry: false })?.isDirectory())
        return yield* new UnreadableInput({ message: `no Codex home at ${args.codexHome} (give --codex-home DIR or set CODEX_HOME)` })
      const bar = Output.showsProgress(output, args.quiet)
      const result = yield* TeamCli.sync(url, {
        home: args.codexHome,
        machine: name,
        jobs: Option.getOrElse(args.jobs, (): number | "auto" => "auto"),
        ...(bar ? { onProgress: (done: number, total: number) => output.stderr(`\rpushing ${done}/${total} files`) } : {})
      })
      if (bar && result.filesPushed > 0) output.stderr("\n")
      output.stdout(
        args.json
          ? `${JSON.stringify({ database: target.shown, ...result })}\n`
          : `${result.filesPushed} of ${result.files} files pushed (${mb(result.bytesRead)} MB read, ${result.filesRemoved} removed) from ${args.codexHome} as ${name} to ${target.shown}\n`
      )
    })
).pipe(
  Command.withShortDescription("Push this Codex home into the team's PostgreSQL database"),
  Command.withDescription(
    "Push this machine's Codex home into the team's PostgreSQL database, where `rollout ls|search|stats --database URL` answer across every machine. Incremental: only files that changed since the last push are read (a grown file's search text from where the last push stopped), each file commits alone with its new position, so a push can be stopped at any point and run again; pushing twice changes nothing. The schema is created or upgraded on first use. Exit 2 when the database cannot be reached (one line on stderr, never the password)."
  ),
  Command.withExamples([
    { command: "rollout sync --database postgres://me@db.internal/rollout", description: "push ~/.codex under this host's name" },
    { command: "ROLLOUT_DATABASE_URL=postgres://me@db/rollout rollout sync --machine laptop-ana", description: "the URL from the environment, a chosen name" }
  ])
)
