/**
 * `rollout search TEXT`: full-text search over the user and agent messages, tool calls and tool
 * outputs of every thread in a Codex home, from the SQLite index (after the bounded check of
 * `ls --sort-key updated_at`, `Store.search`). Each hit names
 * its thread, the turn (0-based index within the rollout file, and the recorded turn id when
 * there is one), the kind of text and a snippet. With `--json`: `{"data": Hit[]}` where
 * Hit = `{threadId, turn: {index, id}, kind, snippet, path, line, threadTitle}`.
 */
import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"
import * as SearchOutput from "./SearchOutput.js"
import * as TeamCli from "./TeamCli.js"

export const command = Command.make(
  "search",
  {
    text: Argument.String("TEXT").pipe(Argument.withDescription("Words to find, in this order (the last one may be the start of a word).")),
    limit: Flags.intIn("limit", 1, 500).pipe(
      Flag.withDescription("At most N hits, 1 to 500 (default 20); another number is a usage error."),
      Flag.withDefault(20)
    ),
    kind: Flag.Literals("kind", SearchOutput.KINDS).pipe(
      Flag.withDescription("Only hits in this kind of text: user or agent messages, tool calls, tool outputs."),
      Flag.optional
    ),
    archived: Flag.Boolean("archived").pipe(Flag.withDescription("Search archived threads too."), Flag.withDefault(false)),
    json: Flags.json,
    quiet: Flags.quiet,
    codexHome: Flags.codexHome,
    index: Flags.indexFile,
    database: TeamCli.database
  },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      if (!SearchOutput.hasWord(args.text))
        return yield* new UsageError({ message: `nothing to search for in ${JSON.stringify(args.text)}: give at least one word` })
      const query: ThreadSearch.Query = {
        text: args.text,
        limit: args.limit,
        archived: args.archived,
        ...(args.kind._tag === "Some" ? { kinds: [args.kind.value] } : {})
      }
      const { hits, total } = Option.isSome(args.database)
        ? yield* TeamCli.search(args.database.value, query)
        : yield* IndexStore.withStore(args.codexHome, args.index, async (store, refresh) => {
            const hits = await store.search(query, refresh)
            return { hits, total: store.searchTotal(query) }
          })
      output.stdout(SearchOutput.render(hits, total, args.json))
    })
).pipe(
  Command.withShortDescription("Full-text search of a Codex home"),
  Command.withDescription(
    "Full-text search of a Codex home: user and agent messages, tool calls and their outputs, from the SQLite index. Each hit gives the thread, the turn, the kind of text and a snippet with the matched words in [brackets]. " +
      "Before searching, the index is refreshed with the bounded check of `rollout ls --sort-key updated_at` (see its freshness rule): new threads and appends to recently updated ones are always searched; run `rollout index` first to be sure every append to a long-idle thread of a large home is. " +
      'With --json: {"data": [{threadId, turn: {index, id}, kind, snippet, path, line, threadTitle, cwd, resumeCommand}]}; resumeCommand is the shell line that resumes the thread in Codex.'
  ),
  Command.withExamples([
    { command: "rollout search notes.md --codex-home rollouts", description: "where notes.md came up in the sample home: messages, commands and their output" }
  ])
)
