/**
 * `rollout ls`: the threads of a Codex home, newest first, a page at a time, served from the
 * SQLite index after a bounded check of the files (the freshness rule is `Store.list`'s and
 * `@rollout/store/AppendCheck`'s, repeated in `--help`). With `--json`:
 * `{"data": ThreadSummary[], "nextCursor": string | null}` (ThreadSummary is documented in
 * `@rollout/store/ThreadList`); pass `nextCursor` back as `--cursor` for the next page.
 */
import * as nodePath from "node:path"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as ThreadList from "@rollout/store/ThreadList"
import * as Terminal from "@rollout/view/Terminal"
import * as Flags from "./Flags.js"
import * as IndexStore from "./IndexStore.js"
import { Output } from "./Output.js"
import * as ResumeHint from "./ResumeHint.js"
import * as TeamCli from "./TeamCli.js"

const clip = (s: string, max: number) => {
  const one = s.replace(/\s+/g, " ").trim()
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

const when = (seconds: number) => new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16)

/** A flag value as a shell word (single-quoted unless plain), for the `more:` hint. */
const word = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

/** The cwd for a narrow column: its last two folders. */
const shortCwd = (cwd: string) => {
  const parts = cwd.split("/").filter((p) => p !== "")
  return parts.length <= 2 ? cwd : `…/${parts.slice(-2).join("/")}`
}

const table = (page: ThreadList.Page, key: ThreadList.SortKey, filters: ReadonlyArray<string> = []): string => {
  if (page.data.length === 0) return "no threads\n"
  const rows = page.data.map((t) =>
    [
      when(key === "created_at" ? t.createdAt : t.updatedAt),
      t.id,
      t.source,
      t.model ?? "",
      shortCwd(t.cwd),
      clip(t.name ?? (t.preview === "" ? "(no message yet)" : t.preview), 50)
    ].map(Terminal.field)
  )
  const header = [key === "created_at" ? "created (UTC)" : "updated (UTC)", "thread", "source", "model", "cwd", "name or first message"]
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)))
  const fmt = (r: ReadonlyArray<string>) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join("  ")
      .trimEnd()
  const more =
    page.nextCursor === null
      ? ""
      : `\nmore: ${Terminal.field(["rollout ls --cursor", page.nextCursor, ...(key === "created_at" ? [] : ["--sort-key", key]), ...filters].join(" "))}\n`
  const first = page.data[0]
  const resume =
    first === undefined ? "" : `\nresume in Codex: ${Terminal.field(ResumeHint.line(first.id, first.cwd))}  (--json gives each thread's resumeCommand)\n`
  return `${[fmt(header), ...rows.map(fmt)].join("\n")}\n${resume}${more}`
}

const DAY_MS = 86_400_000

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
    sortKey: Flag.Literals("sort-key", ["created_at", "updated_at"]).pipe(
      Flag.withDescription(
        "Order by creation time (default) or by last update (newest rollout file modification). By update time, appends are checked in bounded time: see the freshness rule above."
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
      const query: ThreadList.Query = {
        limit: args.limit,
        cursor: Option.getOrNull(args.cursor),
        sortKey: args.sortKey,
        archived: args.archived,
        ...(Option.isSome(args.search) ? { search: args.search.value } : {}),
        ...(Option.isSome(args.cwd) ? { cwd: nodePath.resolve(args.cwd.value) } : {}),
        ...(Option.isSome(args.since) ? { sinceMs: args.since.value } : {}),
        ...(Option.isSome(args.until) ? { untilMs: args.until.value + DAY_MS - 1 } : {}),
        ...(Option.isSome(args.model) ? { model: args.model.value } : {}),
        ...(Option.isSome(args.source) ? { source: args.source.value } : {})
      }
      // Checked before any work, so a bad cursor is a usage error even on an empty home.
      if (query.cursor !== null && query.cursor !== undefined && Option.isNone(args.database)) yield* IndexStore.checkCursor(args.sortKey, query.cursor)
      const page = Option.isSome(args.database)
        ? yield* TeamCli.list(args.database.value, query)
        : yield* IndexStore.withStore(args.codexHome, args.index, (store, refresh) => store.list(query, refresh), false, args.quiet)
      // The next page's command keeps the filters of this one.
      const filters = [
        ...(Option.isSome(args.cwd) ? ["--cwd", word(args.cwd.value)] : []),
        ...(Option.isSome(args.search) ? ["--search", word(args.search.value)] : []),
        ...(args.archived ? ["--archived"] : []),
        ...(Option.isSome(args.since) ? ["--since", new Date(args.since.value).toISOString().slice(0, 10)] : []),
        ...(Option.isSome(args.until) ? ["--until", new Date(args.until.value).toISOString().slice(0, 10)] : []),
        ...(Option.isSome(args.model) ? ["--model", word(args.model.value)] : []),
        ...(Option.isSome(args.source) ? ["--source", word(args.source.value)] : []),
        ...(args.limit === ThreadList.DEFAULT_LIMIT ? [] : ["--limit", String(args.limit)])
      ]
      const withResume = { ...page, data: page.data.map((t) => ({ ...t, resumeCommand: ResumeHint.line(t.id, t.cwd) })) }
      output.stdout(args.json ? `${JSON.stringify(withResume)}\n` : table(page, args.sortKey, filters))
    })
).pipe(
  Command.withShortDescription("List the threads of a Codex home, newest first"),
  Command.withDescription(
    "List the threads of a Codex home, newest first, from the SQLite index (refreshed from the rollout files first; the first run builds it). Cursors are exact: threads sharing a millisecond are neither skipped nor repeated. " +
      "Freshness rule: the check before answering is bounded in time, not a stat of every file. New, removed, archived and unarchived threads always show, and the files of the page shown are read again if they grew, so a listing by creation time is exact. " +
      "By update time (and with --search), appends show at once in the 128 most recently updated rollouts and, in turns within a few milliseconds, in the others: a home of up to about two thousand rollouts is checked whole every time; in a larger one an append to a long-idle thread shows within a few runs, or at once after `rollout index` (which checks every file). " +
      'With --json: {"data": ThreadSummary[], "nextCursor": string|null}; each ThreadSummary also carries resumeCommand, the shell line that resumes it in Codex (cd <cwd> && codex resume <id>).'
  ),
  Command.withExamples([
    { command: "rollout ls --codex-home rollouts", description: "the newest 25 threads of the sample home" },
    { command: "rollout ls --sort-key updated_at --cwd ~/proj --json", description: "recently active threads started in ~/proj, as JSON" },
    { command: "rollout ls --search 'failing test'", description: "threads that mention a failing test" }
  ])
)
