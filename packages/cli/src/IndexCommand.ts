/**
 * `rollout index [--rebuild]`: builds or refreshes the SQLite index of a Codex home
 * (`@rollout/store`). What the other index commands share with it is in `IndexStore`.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"

export const command = Command.make(
  "index",
  {
    rebuild: Flag.Boolean("rebuild").pipe(Flag.withDescription("Delete the index and build it again from the rollout files."), Flag.withDefault(false)),
    json: Flags.json,
    quiet: Flags.quiet,
    codexHome: Flags.codexHome,
    index: Flags.indexFile
  },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const started = Date.now()
      const summary = yield* IndexStore.withStore(
        args.codexHome,
        args.index,
        async (store, refresh) => {
          const result = await store.refresh(refresh)
          const count = (table: string) => (store.database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
          return { index: store.path, rebuilt: store.rebuilt, ...result, threads: count("threads"), files: count("files"), documents: count("docs") }
        },
        args.rebuild,
        args.quiet
      )
      const seconds = (Date.now() - started) / 1000
      if (args.json) output.stdout(`${JSON.stringify(summary)}\n`)
      else
        output.stdout(
          `${summary.rebuilt ? "rebuilt" : "refreshed"} ${summary.index}: read ${summary.filesRead} file${summary.filesRead === 1 ? "" : "s"} (${(summary.bytesRead / 1e6).toFixed(1)} MB), removed ${summary.filesRemoved}, in ${seconds.toFixed(2)} s; ${summary.threads} threads in ${summary.files} files, ${summary.documents} searchable documents\n`
        )
    })
).pipe(
  Command.withShortDescription("Build or refresh the SQLite index of a Codex home"),
  Command.withDescription(
    `Build or refresh the SQLite index of a Codex home (threads, names, full-text search). Only new or grown rollout files are read, grown ones from where the index stopped. ls, search, archive and unarchive refresh it themselves, in bounded time (see the freshness rule in rollout ls --help); this command checks every rollout file. With --json: {index, rebuilt, filesRead, bytesRead, filesRemoved, threadsChanged, threads, files, documents}.`
  )
)
