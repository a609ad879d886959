/**
 * `rollout index [--rebuild]`: builds or refreshes the SQLite index of a Codex home
 * (`@rollout/store`). What the other index commands share with it is in `IndexStore`.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import * as IndexSummary from "./IndexSummary.js"
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
      const summary = yield* IndexStore.withStore(args.codexHome, args.index, IndexSummary.collect, args.rebuild, args.quiet)
      output.stdout(IndexSummary.render(summary, (Date.now() - started) / 1000, args.json))
    })
).pipe(
  Command.withShortDescription("Build or refresh the SQLite index of a Codex home"),
  Command.withDescription(
    `Build or refresh the SQLite index of a Codex home (threads, names, full-text search). Only new or grown rollout files are read, grown ones from where the index stopped. ls, search, archive and unarchive refresh it themselves, in bounded time (see the freshness rule in rollout ls --help); this command checks every rollout file. With --json: {index, rebuilt, filesRead, bytesRead, filesRemoved, threadsChanged, threads, files, documents}.`
  ),
  Command.withExamples([
    { command: "rollout index", description: "bring the index of your own home ($CODEX_HOME, else ~/.codex) up to date" },
    { command: "rollout index --codex-home rollouts --json", description: "the sample home's index, with its counts as JSON" },
    { command: "rollout index --rebuild", description: "throw the index away and read every rollout again" }
  ])
)
