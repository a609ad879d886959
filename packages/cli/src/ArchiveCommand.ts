/**
 * `rollout archive THREAD` and `rollout unarchive THREAD`: move a thread's rollout files between
 * `sessions/YYYY/MM/DD/` and `archived_sessions/` exactly as Codex does (archive keeps the
 * modification time; unarchive files it under the date in its name and touches it), and update the
 * index. With `--json`: `{"id", "archived", "paths"}` (where the files are now).
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import { Argument, Command } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"

const thread = Argument.String("THREAD").pipe(Argument.withDescription("The thread id (a UUID, as `rollout ls` shows it) or a unique prefix of it."))

/** The full id a unique prefix names (`rollout archive 01a018bd`); anything else is a usage error. */
const uniqueId = (prefix: string, home: string) =>
  ThreadArgument.resolve(prefix, home).pipe(
    Effect.map((paths) => CodexHome.parseName(nodePath.basename(paths[0] ?? ""))?.id),
    Effect.catch((e) => Effect.fail(new UsageError({ message: e.message }))),
    Effect.flatMap((id) =>
      id === undefined ? Effect.fail(new UsageError({ message: `${prefix} is not a thread id (a UUID) or a unique prefix of one` })) : Effect.succeed(id)
    )
  )

type Examples = ReadonlyArray<Command.Command.Example>

const make = (name: "archive" | "unarchive", archive: boolean, description: string, short: string, examples: Examples) =>
  Command.make(name, { thread, json: Flags.json, quiet: Flags.quiet, codexHome: Flags.codexHome, index: Flags.indexFile }, (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const id = CodexHome.isThreadId(args.thread) ? args.thread : yield* uniqueId(args.thread, args.codexHome)
      const moved = yield* IndexStore.withStore(
        args.codexHome,
        args.index,
        (store, refresh) => (archive ? store.archive(id, refresh) : store.unarchive(id, refresh)),
        false,
        args.quiet
      )
      output.stdout(
        args.json
          ? `${JSON.stringify({ id: moved.id, archived: archive, paths: moved.paths })}\n`
          : `${archive ? "archived" : "unarchived"} ${moved.id}: ${moved.paths.join(", ")}\n`
      )
    })
  ).pipe(Command.withShortDescription(short), Command.withDescription(description), Command.withExamples(examples))

export const archive = make(
  "archive",
  true,
  "Archive a thread as Codex does: its rollout files move from sessions/YYYY/MM/DD/ to archived_sessions/ (modification time kept) and the index marks it archived; `rollout ls` no longer shows it (`rollout ls --archived` does). Exit 2 for an unknown thread, 1 if it is already archived.",
  "Archive a thread as Codex does",
  [
    { command: "rollout archive 01a1fb98-3e76", description: "archive a thread by a unique prefix of its id" },
    { command: "rollout ls --archived", description: "then list the archived threads" }
  ]
)

export const unarchive = make(
  "unarchive",
  false,
  "Bring an archived thread back as Codex does: its files move from archived_sessions/ to sessions/YYYY/MM/DD/ (the date in the file name) and are touched, so the thread sorts as just updated. Exit 2 for an unknown thread, 1 if it is not archived.",
  "Bring an archived thread back",
  [
    { command: "rollout ls --archived", description: "find the archived thread" },
    { command: "rollout unarchive 01a1fb98-3e76 --json", description: "bring it back; prints {id, archived, paths}" }
  ]
)
