/**
 * `rollout archive THREAD` and `rollout unarchive THREAD`: move a thread's rollout files between
 * `sessions/YYYY/MM/DD/` and `archived_sessions/` exactly as Codex does (archive keeps the
 * modification time; unarchive files it under the date in its name and touches it), and update the
 * index. With `--json`: `{"id", "archived", "paths"}` (where the files are now).
 */
import { Effect } from "effect"
import { Argument, Command } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"

const thread = Argument.String("THREAD").pipe(Argument.withDescription("The thread id (a UUID, as `rollout ls` shows it)."))

const make = (name: "archive" | "unarchive", archive: boolean, description: string, short: string) =>
  Command.make(name, { thread, json: Flags.json, quiet: Flags.quiet, codexHome: Flags.codexHome, index: Flags.indexFile }, (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      if (!CodexHome.isThreadId(args.thread)) return yield* new UsageError({ message: `${args.thread} is not a thread id (a UUID)` })
      const moved = yield* IndexStore.withStore(args.codexHome, args.index, (store, refresh) =>
        archive ? store.archive(args.thread, refresh) : store.unarchive(args.thread, refresh), false, args.quiet
      )
      output.stdout(
        args.json
          ? `${JSON.stringify({ id: moved.id, archived: archive, paths: moved.paths })}\n`
          : `${archive ? "archived" : "unarchived"} ${moved.id}: ${moved.paths.join(", ")}\n`
      )
    })
  ).pipe(Command.withShortDescription(short), Command.withDescription(description))

export const archive = make(
  "archive",
  true,
  "Archive a thread as Codex does: its rollout files move from sessions/YYYY/MM/DD/ to archived_sessions/ (modification time kept) and the index marks it archived; `rollout ls` no longer shows it (`rollout ls --archived` does). Exit 2 for an unknown thread, 1 if it is already archived.",
  "Archive a thread as Codex does"
)

export const unarchive = make(
  "unarchive",
  false,
  "Bring an archived thread back as Codex does: its files move from archived_sessions/ to sessions/YYYY/MM/DD/ (the date in the file name) and are touched, so the thread sorts as just updated. Exit 2 for an unknown thread, 1 if it is not archived.",
  "Bring an archived thread back"
)
