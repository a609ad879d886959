/**
 * `rollout ls`: the threads of a Codex home, newest (or biggest) first, a page at a time, served
 * from the SQLite index after a bounded check of the files (the freshness rule is `Store.list`'s
 * and `@rollout/store/AppendCheck`'s, repeated in `--help`), with what `rollout trim` would free
 * for the threads shown (`ThreadInfo.trimFrees`, kept by the index). With `--json`:
 * `{"data": ThreadSummary[], "nextCursor": string | null}` (ThreadSummary is documented in
 * `@rollout/store/ThreadList`); pass `nextCursor` back as `--cursor` for the next page. The
 * table is `LsTable`'s.
 */
import * as nodePath from "node:path"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as Files from "@rollout/log/Files"
import type * as ThreadInfo from "@rollout/query/ThreadInfo"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as ThreadList from "@rollout/store/ThreadList"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import * as LsTable from "./LsTable.js"
import { Output } from "./Output.js"
import * as ResumeHint from "./ResumeHint.js"
import * as TeamCli from "./TeamCli.js"

/** A flag value as a shell word (single-quoted unless plain), for the `more:` hint. */
const word = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

const DAY_MS = 86_400_000

/** A `--since`/`--until` value (the first millisecond of a UTC day) as YYYY-MM-DD. */
const day10 = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** `--since`/`--until` for ls: a UTC day (as the listing shows times), inclusive. */
const day = (name: string, what: string) =>
  Flag.String(name).pipe(
    Flag.withMetavar("DATE"),
    Flag.withDescription(`${what} (YYYY-MM-DD or YYYYMMDD, a UTC day, inclusive; on the --sort-key time).`),
    Flag.filter(
      (s) => StatsWindow.parseDate(s) !== null,
      () => "a date, YYYY-MM-DD or YYYYMMDD"
    ),
    Flag.map((s) => Date.parse(`${StatsWindow.parseDate(s) ?? s}T00:00:00Z`)),
    Flag.optional
  )

/** Where the listing comes from: the local index (with sizes and trim measures) or the team database. */
type Listing = { readonly data: ReadonlyArray<LsTable.Row>; readonly nextCursor: string | null }

export const command = Command.make(
  "ls",
  {
    limit: Flags.intIn("limit", 1, ThreadList.MAX_LIMIT).pipe(
      Flag.withDescription(
        `Threads per page, 1 to ${ThreadList.MAX_LIMIT} (default ${ThreadList.DEFAULT_LIMIT}); another number is a usage error. More: follow --cursor.`
      ),
      Flag.withDefault(ThreadList.DEFAULT_LIMIT)
    ),
    cursor: Flag.String("cursor").pipe(
      Flag.withMetavar("C"),
      Flag.withDescription("Start after this cursor (the nextCursor of the previous page)."),
      Flag.optional
    ),
    sortKey: Flag.Literals("sort-key", ["created_at", "updated_at", "size"]).pipe(
      Flag.withAlias("sort"),
      Flag.withDescription(
        "Order by creation time (default), by last update (newest rollout file modification), or by size (the biggest threads on disk first; --since/--until then apply to creation time; not with --database). By update time, appends are checked in bounded time: see the freshness rule above."
      ),
      Flag.withDefault("created_at" as const)
    ),
    search: Flag.String("search").pipe(
      Flag.withMetavar("TEXT"),
      Flag.withDescription("Only threads whose name or first message contains TEXT, or whose messages, tool calls or outputs contain its words."),
      Flag.optional
    ),
    cwd: Flag.String("cwd").pipe(Flag.withMetavar("DIR"), Flag.withDescription("Only threads started in this working directory."), Flag.optional),
    archived: Flag.Boolean("archived").pipe(
      Flag.withDescription("List archived threads (archived_sessions/) instead of active ones."),
      Flag.withDefault(false)
    ),
    since: day("since", "Only threads created (or, with --sort-key updated_at, updated) on or after this day"),
    until: day("until", "Only threads created (or updated) on or before this day"),
    model: Flag.String("model").pipe(Flag.withMetavar("MODEL"), Flag.withDescription("Only threads whose latest turn ran this model."), Flag.optional),
    source: Flag.String("source").pipe(
      Flag.withMetavar("SOURCE"),
      Flag.withDescription("Only threads from this source: cli, vscode, exec, ...; subagent matches every sub-agent."),
      Flag.optional
    ),
    json: Flags.json,
    quiet: Flags.quiet,
    codexHome: Flags.codexHome,
    index: Flags.indexFile,
    database: TeamCli.database
  },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const files = yield* Files.Files
      const bySize = args.sortKey === "size"
      const timeKey: ThreadList.SortKey = args.sortKey === "updated_at" ? "updated_at" : "created_at"
      const query: ThreadList.Query = {
        limit: args.limit,
        cursor: Option.getOrNull(args.cursor),
        sortKey: timeKey,
        archived: args.archived,
        ...(bySize ? { bySize } : {}),
        ...(Option.isSome(args.search) ? { search: args.search.value } : {}),
        ...(Option.isSome(args.cwd) ? { cwd: nodePath.resolve(args.cwd.value) } : {}),
        ...(Option.isSome(args.since) ? { sinceMs: args.since.value } : {}),
        ...(Option.isSome(args.until) ? { untilMs: args.until.value + DAY_MS - 1 } : {}),
        ...(Option.isSome(args.model) ? { model: args.model.value } : {}),
        ...(Option.isSome(args.source) ? { source: args.source.value } : {})
      }
      // resolve("") is the current folder: an empty value (an unset shell variable) would filter by it unasked.
      if (Option.isSome(args.cwd) && args.cwd.value === "") return yield* new UsageError({ message: "--cwd needs a folder (--cwd . for this one)" })
      if (Option.isSome(args.since) && Option.isSome(args.until) && args.since.value > args.until.value)
        return yield* new UsageError({ message: `--since ${day10(args.since.value)} is after --until ${day10(args.until.value)}: no day is in that range` })
      if (bySize && Option.isSome(args.database)) return yield* new UsageError({ message: "--sort-key size lists the local index only; not with --database" })
      // Checked before any work, so a bad cursor is a usage error even on an empty home.
      if (query.cursor !== null && query.cursor !== undefined && Option.isNone(args.database)) yield* checkCursor(args.sortKey, query.cursor)
      // Loaded only when a thread shown needs measuring: most pages are served from the index's stored measures.
      let info: Promise<typeof ThreadInfo> | undefined
      const measure = async (paths: ReadonlyArray<string>) => {
        info ??= import("@rollout/query/ThreadInfo")
        return Effect.runPromise((await info).trimFrees(files, paths, args.codexHome))
      }
      const page: Listing = Option.isSome(args.database)
        ? yield* TeamCli.list(args.database.value, query)
        : yield* IndexStore.withStore(
            args.codexHome,
            args.index,
            async (store, refresh) => {
              const listed = await store.list(query, refresh)
              // Measured for the page shown only (and kept until the files change): a trim measure reads the file.
              const frees = await store.trimFrees(
                listed.data.map((t) => t.id),
                measure
              )
              return { ...listed, data: listed.data.map((t) => ({ ...t, trimFreesBytes: frees.get(t.id) ?? null })) }
            },
            false,
            args.quiet
          )
      const withResume = { ...page, data: page.data.map((t) => ({ ...t, resumeCommand: ResumeHint.line(t.id, t.cwd) })) }
      if (args.json) return output.stdout(`${JSON.stringify(withResume)}\n`)
      const more = page.nextCursor === null ? undefined : ["rollout ls --cursor", page.nextCursor, ...filters(args)].join(" ")
      output.stdout(LsTable.render(page.data, { time: timeKey === "created_at" ? "created" : "updated", width: output.size()?.columns, more }))
    })
).pipe(
  Command.withShortDescription("List the threads of a Codex home, newest first"),
  Command.withDescription(
    "List the threads of a Codex home, newest first (or biggest first), from the SQLite index (refreshed from the rollout files first; the first run builds it). Cursors are exact: threads sharing a millisecond are neither skipped nor repeated. " +
      "Freshness rule: the check before answering is bounded in time, not a stat of every file. New, removed, archived and unarchived threads always show, and the files of the page shown are read again if they grew, so a listing by creation time is exact. " +
      "By update time (and with --search), appends show at once in the 128 most recently updated rollouts and, in turns within a few milliseconds, in the others: a home of up to about two thousand rollouts is checked whole every time; in a larger one an append to a long-idle thread shows within a few runs, or at once after `rollout index` (which checks every file). " +
      "Each thread shows its turns, tokens, size on disk and what `rollout trim` would free (as `rollout info` counts them; the trim is measured for the threads shown and kept until their files change, so a first listing of big threads takes a moment); the table keeps the columns the terminal has room for. " +
      'With --json: {"data": ThreadSummary[], "nextCursor": string|null}; each ThreadSummary also carries turns, tokens ({input, cachedInput, output, reasoningOutput, total} or null), bytes, trimFreesBytes (null when it cannot be trimmed) and resumeCommand, the shell line that resumes it in Codex (cd <cwd> && codex resume <id>); with --database, turns, tokens and bytes as of the last push and resumeCommand, but no trimFreesBytes.'
  ),
  Command.withExamples([
    { command: "rollout ls --codex-home rollouts", description: "the newest 25 threads of the sample home" },
    { command: "rollout ls --sort size --limit 10", description: "the ten biggest threads, and what trimming each would free" },
    { command: "rollout ls --sort-key updated_at --cwd ~/proj --json", description: "recently active threads started in ~/proj, as JSON" },
    { command: "rollout ls --search 'failing test'", description: "threads that mention a failing test" }
  ])
)

/** The flags of this page that the next page's command keeps. */
const filters = (args: {
  readonly sortKey: "created_at" | "updated_at" | "size"
  readonly cwd: Option.Option<string>
  readonly search: Option.Option<string>
  readonly archived: boolean
  readonly since: Option.Option<number>
  readonly until: Option.Option<number>
  readonly model: Option.Option<string>
  readonly source: Option.Option<string>
  readonly limit: number
}): ReadonlyArray<string> => [
  ...(args.sortKey === "created_at" ? [] : ["--sort-key", args.sortKey]),
  ...(Option.isSome(args.cwd) ? ["--cwd", word(args.cwd.value)] : []),
  ...(Option.isSome(args.search) ? ["--search", word(args.search.value)] : []),
  ...(args.archived ? ["--archived"] : []),
  ...(Option.isSome(args.since) ? ["--since", day10(args.since.value)] : []),
  ...(Option.isSome(args.until) ? ["--until", day10(args.until.value)] : []),
  ...(Option.isSome(args.model) ? ["--model", word(args.model.value)] : []),
  ...(Option.isSome(args.source) ? ["--source", word(args.source.value)] : []),
  ...(args.limit === ThreadList.DEFAULT_LIMIT ? [] : ["--limit", String(args.limit)])
]

/** A cursor that cannot belong to this listing's order is a usage error. */
const checkCursor = (key: "created_at" | "updated_at" | "size", cursor: string): Effect.Effect<void, UsageError> =>
  key === "size"
    ? Effect.try({
        try: () => void ThreadList.decodeSizeCursor(cursor),
        catch: (e) => new UsageError({ message: e instanceof Error ? e.message : String(e) })
      })
    : IndexStore.checkCursor(key, cursor)
