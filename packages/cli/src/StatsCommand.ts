/**
 * `rollout stats PATH... [--by day|month|session|model] [--json | --format csv] [--chart FILE.svg]`:
 * token usage, turns, tool calls, errors and sub-agent activity over any set of rollouts, as
 * `@rollout/query/StatsQuery` folds and merges them, printed as tables, CSV (`@rollout/view`) or
 * the JSON contract `{"rows", "totals", "diagnostics"}`.
 *
 * Exit codes: 2 when a PATH names nothing readable (no such file, folder without rollouts, unknown
 * thread id) or a file cannot be opened at all; otherwise 0. Lines that cannot be read, corrupt
 * files and forks whose parent is missing are listed in `diagnostics` but are not a failed check:
 * stats report on everything that could be read, and `rollout validate` is the check.
 */
import * as fs from "node:fs"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as StatsQuery from "@rollout/query/StatsQuery"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsChart from "@rollout/view/StatsChart"
import * as StatsRender from "@rollout/view/StatsRender"
import * as Flags from "./Flags.js"
import * as Output from "./Output.js"
import * as PathArguments from "./PathArguments.js"

const paths = PathArguments.argument(
  "A rollout file (.jsonl, .jsonl.zst or .rseg), a folder or whole Codex home (every rollout in it), or a thread id or its unique prefix."
)

const by = Flag.Literals("by", StatsReport.bys).pipe(
  Flag.withDescription("Group rows by UTC day, month, session (one row per thread, segments and copied fork history merged) or model. Default: day."),
  Flag.withDefault("day" as const)
)

const format = Flag.Literals("format", ["table", "csv"] as const).pipe(
  Flag.withDescription("Human output: aligned tables (default) or CSV of the rows with exact integers. --json overrides it."),
  Flag.withDefault("table" as const)
)

const chart = Flag.String("chart").pipe(
  Flag.withMetavar("FILE.svg"),
  Flag.withDescription("Also write a chart of tokens per day (stacked: uncached input, cached input, output) to this SVG file."),
  Flag.optional
)

const jobs = Flags.intIn("jobs", 1, 256).pipe(
  Flag.withDescription("Worker threads reading files in parallel; 1 reads in this thread. Default: one per core when the input is 32 MB or more, else none."),
  Flag.optional
)

const BAR = 30

/** A progress bar on stderr, redrawn at most ten times a second; `done()` clears it. */
const progress = (write: (s: string) => void) => {
  let last = 0
  let shown = false
  return {
    update: (n: number, total: number) => {
      const now = Date.now()
      if (n < total && now - last < 100) return
      last = now
      const filledBars = Math.round((n / Math.max(1, total)) * BAR)
      write(`\r[${"#".repeat(filledBars)}${" ".repeat(BAR - filledBars)}] ${n}/${total} files`)
      shown = true
    },
    done: () => {
      if (shown) write(`\r${" ".repeat(BAR + 30)}\r`)
    }
  }
}

export const command = Command.make("stats", { paths, by, json: Flags.json, format, chart, jobs, quiet: Flags.quiet, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output.Output
    const bar = Output.showsProgress(output, args.quiet) ? progress(output.stderr) : undefined
    const named = yield* PathArguments.named(PathArguments.orHome(args.paths, args.codexHome), args.codexHome)
    const { report: read, missing } = yield* StatsQuery.report({
      paths: named.paths,
      by: args.by,
      codexHome: args.codexHome,
      jobs: Option.getOrElse(args.jobs, (): number | "auto" => "auto"),
      ...(bar === undefined ? {} : { onProgress: bar.update })
    })
    bar?.done()
    const report = { ...read, diagnostics: [...named.notRollouts, ...read.diagnostics] }
    if (missing.length > 0 || report.diagnostics.some((d) => d.kind === "read_error")) output.fail(2)
    for (const d of named.notRollouts) output.stderr(`rollout stats: ${d.message}\n`)
    if (named.notRollouts.length > 0) output.fail(1)
    // Nothing read at all: the errors above are the whole answer, not a table of zeros.
    if (named.paths.length === missing.length && !args.json) {
      for (const d of missing) output.stderr(`rollout stats: ${d.message}\n`)
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
    "Token usage (input, cached input, output, reasoning, total) by day, month, session or model, with turns and their durations, tool calls per tool (failures, durations), errors by codex_error_info (session budget included) and sub-agent activity. Counts deltas of Codex's cumulative token totals, so re-emitted counts and forks' copied history are counted once. Files are read in parallel; every line or file that could not be fully read is listed in diagnostics. Exit 2 when a PATH cannot be read at all, else 0."
  ),
  Command.withExamples([
    { command: "rollout stats ~/.codex", description: "tokens per day over a whole Codex home" },
    { command: "rollout stats ~/.codex --by model --json", description: "per model, as the JSON contract" },
    { command: "rollout stats ~/.codex --by month --format csv", description: "a spreadsheet" },
    { command: "rollout stats ~/.codex --chart tokens.svg", description: "a chart of tokens over time" }
  ])
)
