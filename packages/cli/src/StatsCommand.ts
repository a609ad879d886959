/**
 * `rollout stats PATH... [--by day|week|month|session|model|project] [--since D] [--until D] [--last N]
 * [--timezone IANA] [--pricing FILE] [--json | --format csv] [--chart FILE.svg]`:
 * token usage, turns, tool calls, errors and sub-agent activity over any set of rollouts, as
 * `@rollout/query/StatsQuery` folds and merges them, printed as tables, CSV (`@rollout/view`) or
 * the JSON contract `{"rows", "totals", "diagnostics"}`.
 *
 * Exit codes: 2 when a PATH names nothing readable (no such file, folder without rollouts, unknown
 * thread id) or a file cannot be opened at all; otherwise 0. Lines that cannot be read, corrupt
 * files and forks whose parent is missing are listed in `diagnostics` but are not a failed check:
 * stats report on everything that could be read, and `rollout validate` is the check.
 */
import * as CodexHome from "@rollout/log/CodexHome"
import * as Terminal from "@rollout/view/Terminal"
import * as fs from "node:fs"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as UserCache from "@rollout/log/UserCache"
import * as StatsQuery from "@rollout/query/StatsQuery"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as StatsChart from "@rollout/view/StatsChart"
import * as StatsRender from "@rollout/view/StatsRender"
import * as CliFailure from "./CliFailure.js"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as Output from "./Output.js"
import * as PathArguments from "./PathArguments.js"
import * as StatsArgs from "./StatsArgs.js"
import * as StatsProgress from "./StatsProgress.js"
import * as TeamCli from "./TeamCli.js"

const paths = PathArguments.argument(
  "A rollout file (.jsonl, .jsonl.zst or .rseg), a folder or whole Codex home (every rollout in it), or a thread id or its unique prefix."
)

const by = Flag.Literals("by", StatsReport.bys).pipe(
  Flag.withDescription(
    "Group rows by local day, ISO week, month (in --timezone), session (one row per thread, segments and copied fork history merged), model or project (the folder the thread started in). Default: day."
  ),
  Flag.withDefault("day" as const)
)

const format = Flag.Literals("format", ["table", "csv"] as const).pipe(
  Flag.withDescription("Human output: aligned tables (default) or CSV of the rows with exact integers. --json overrides it."),
  Flag.withDefault("table" as const)
)

const chart = Flag.String("chart").pipe(
  Flag.withMetavar("FILE.svg"),
  Flag.withDescription(
    "Also write charts to this SVG file: tokens per day (uncached input, cached input, output), cost per day by model, and tokens and cost per model."
  ),
  Flag.optional
)

const jobs = Flags.intIn("jobs", 1, 256).pipe(
  Flag.withDescription(
    "Worker threads reading files in parallel; 1 reads in this thread. Default: one per core when the input is 256 MB or more, else 1 (no worker)."
  ),
  Flag.optional
)

const date = (name: string, what: string) =>
  Flag.String(name).pipe(
    Flag.withMetavar("DATE"),
    Flag.withDescription(`${what} (YYYY-MM-DD or YYYYMMDD, a local day in --timezone, inclusive).`),
    Flag.filter(
      (s) => StatsWindow.parseDate(s) !== null,
      () => "a date, YYYY-MM-DD or YYYYMMDD"
    ),
    Flag.map((s) => StatsWindow.parseDate(s) ?? s),
    Flag.optional
  )

const since = date("since", "Count only from this day on")
const until = date("until", "Count only up to this day")

const last = Flags.intIn("last", 1).pipe(
  Flag.withDescription(
    "Count only the last N periods of --by (days, ISO weeks or months, the current one included; days for other --by). Not with --since/--until."
  ),
  Flag.optional
)

const timezone = Flag.String("timezone").pipe(
  Flag.withMetavar("IANA"),
  Flag.withDescription("The time zone of days, weeks and months (e.g. Europe/Paris; UTC for reports that read the same anywhere). Default: this machine's."),
  Flag.filter(StatsWindow.isZone, (tz) => `${tz} is not an IANA time zone (e.g. UTC, Europe/Paris)`),
  Flag.optional
)

const pricing = Flag.String("pricing").pipe(
  Flag.withMetavar("FILE"),
  Flag.withDescription(
    "Price with this JSON file instead of the built-in table (docs/pricing.md): a LiteLLM model_prices_and_context_window.json, or a table of the built-in shape."
  ),
  Flag.optional
)

const priceTable = (file: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isNone(file)) return StatsPricing.builtIn
    const text = yield* Effect.tryPromise({
      try: () => fs.promises.readFile(file.value, "utf8"),
      catch: (e) => new UsageError({ message: `cannot read --pricing ${file.value}: ${CliFailure.why(e)}` })
    })
    const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => new UsageError({ message: `--pricing ${file.value}: not JSON` }) })
    const parsed = StatsPricing.parse(json, file.value)
    return parsed._tag === "Table" ? parsed.table : yield* new UsageError({ message: parsed.message })
  })

/** The report's zone and inclusive window of local days; `--last` counts back from today there. */
const windowOf = (args: {
  readonly by: StatsReport.By
  readonly since: Option.Option<string>
  readonly until: Option.Option<string>
  readonly last: Option.Option<number>
  readonly timezone: Option.Option<string>
}) =>
  Effect.gen(function* () {
    const tz = Option.getOrElse(args.timezone, () => StatsArgs.machineZone())
    if (Option.isSome(args.last)) {
      if (Option.isSome(args.since) || Option.isSome(args.until)) return yield* new UsageError({ message: "--last cannot be combined with --since or --until" })
      const period = args.by === "week" || args.by === "month" ? args.by : "day"
      return { timezone: tz, since: StatsWindow.lastSince(StatsWindow.dayAt(Date.now(), tz), period, args.last.value), until: null }
    }
    const since = Option.getOrNull(args.since)
    const until = Option.getOrNull(args.until)
    // An empty report would read as "no usage"; a reversed range is a mistake to say so.
    if (since !== null && until !== null && since > until)
      return yield* new UsageError({ message: `--since ${since} is after --until ${until}: no day is in that range` })
    return { timezone: tz, since, until }
  })

const noCache = Flag.Boolean("no-cache").pipe(
  Flag.withDescription(
    "Read every file again instead of reusing the statistics kept from earlier runs for files unchanged since (kept in the per-user cache folder, keyed by each file's size, times and inode)."
  ),
  Flag.withDefault(false)
)

const flags = {
  paths,
  by,
  since,
  until,
  last,
  timezone,
  pricing,
  json: Flags.json,
  format,
  chart,
  jobs,
  noCache,
  quiet: Flags.quiet,
  codexHome: Flags.codexHome,
  database: TeamCli.database
}

export const command = Command.make("stats", flags, (args) =>
  Effect.gen(function* () {
    const window = { ...(yield* windowOf(args)), pricing: yield* priceTable(args.pricing) }
    // The team database (rollout sync) answers instead of the files, in the same window and prices: nothing else shared below.
    if (Option.isSome(args.database)) return yield* TeamCli.stats(args.database.value, { ...args, window })
    const output = yield* Output.Output
    const bar = Output.showsProgress(output, args.quiet) ? StatsProgress.make(output.stderr) : undefined
    const named = yield* PathArguments.named(PathArguments.orHome(args.paths, args.codexHome), args.codexHome)
    const {
      report: read,
      missing,
      skipped,
      unread
    } = yield* StatsQuery.report({
      paths: named.paths,
      by: args.by,
      window,
      codexHome: args.codexHome,
      jobs: Option.getOrElse(args.jobs, (): number | "auto" => "auto"),
      ...(args.noCache ? {} : { cacheDir: UserCache.dir() }),
      ...(bar === undefined ? {} : { onProgress: bar.update })
    })
    bar?.done()
    for (const s of skipped) output.stderr(`rollout stats: ${Terminal.field(CodexHome.line(s))}\n`)
    const report = { ...read, diagnostics: [...named.unresolved, ...named.notRollouts, ...read.diagnostics] }
    if (missing.length > 0 || report.diagnostics.some((d) => d.kind === "read_error")) output.fail(2)
    for (const d of named.unresolved) output.stderr(`rollout stats: ${Terminal.field(d.message)}\n`)
    for (const d of named.notRollouts) output.stderr(`rollout stats: ${d.message}\n`)
    if (named.notRollouts.length > 0) output.fail(1)
    // Nothing read at all: the errors above are the whole answer, not a table of zeros.
    if ((unread.length > 0 || named.paths.length === 0) && !args.json) {
      for (const d of unread) output.stderr(`rollout stats: ${Terminal.field(d.message)}\n`)
      return
    }
    if (Option.isSome(args.chart)) {
      const file = args.chart.value
      yield* Effect.promise(() => fs.promises.writeFile(file, StatsChart.svg(report)))
    }
    if (args.json) {
      output.stdout(`${JSON.stringify({ rows: report.rows, totals: report.totals, diagnostics: report.diagnostics })}\n`)
      for (const d of missing) output.stderr(`rollout stats: ${d.message}\n`)
    } else output.stdout(args.format === "csv" ? StatsRender.csv(report) : StatsRender.human(report))
  })
).pipe(
  Command.withShortDescription("Token usage, turns, tool calls and errors by day, month, session or model"),
  Command.withDescription(
    "Token usage (input, cached input, output, reasoning, total) by day, month, session or model, with turns and their durations, tool calls per tool (failures, durations), errors by codex_error_info (session budget included) and sub-agent activity. Counts deltas of Codex's cumulative token totals, so re-emitted counts and forks' copied history are counted once. Large inputs are read in parallel (--jobs); every file that could not be read, and every line statistics read that could not be, is listed in diagnostics (lines statistics do not use, such as messages, are counted without being checked: `rollout validate` checks every line). Exit 2 when a PATH cannot be read at all, else 0."
  ),
  Command.withExamples([
    { command: "rollout stats ~/.codex", description: "tokens per day over a whole Codex home" },
    { command: "rollout stats ~/.codex --by model --json", description: "per model, as the JSON contract" },
    { command: "rollout stats ~/.codex --by month --format csv", description: "a spreadsheet" },
    { command: "rollout stats ~/.codex --chart tokens.svg", description: "a chart of tokens over time" }
  ])
)
