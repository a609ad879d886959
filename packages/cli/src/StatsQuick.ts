/**
 * `rollout stats` without the CLI framework: the common command lines (`StatsArgs`) over folders
 * and Codex homes are answered here, as `StatsCommand` answers them, by the same query and
 * renderers, but without loading the framework, its services and the other commands (a third of a
 * second of start-up). It declines (`undefined`) whatever it would not answer exactly as the full
 * command does: a value the full CLI would refuse, a PATH that is not a folder (a file must be
 * checked to be a rollout, a thread id resolved), and flags it does not know; `bin.ts` then runs
 * the full CLI, which also prints the usage errors.
 */
import * as CodexHome from "@rollout/log/CodexHome"
import * as Terminal from "@rollout/view/Terminal"
import * as Files from "@rollout/log/Files"
import * as StatsQuery from "@rollout/query/StatsQuery"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as StatsRender from "@rollout/view/StatsRender"
import type * as StatsArgs from "./StatsArgs.js"
import * as QuickArgs from "./QuickArgs.js"
import * as StatsProgress from "./StatsProgress.js"

export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly stderrIsTTY: boolean
}

/** A whole number in `[min, max]` written plainly, as the full CLI's integer flags take it; else null. */
const whole = (s: string | undefined, min: number, max: number): number | null | undefined => {
  if (s === undefined) return undefined
  if (!/^[1-9][0-9]{0,8}$/.test(s)) return null
  const n = Number(s)
  return n >= min && n <= max ? n : null
}

const isBy = (s: string): s is StatsReport.By => (StatsReport.bys as ReadonlyArray<string>).includes(s)

/** The report's options for `args`, or undefined when a value is one the full CLI refuses. */
const optionsOf = (args: StatsArgs.Args, zone: () => string) => {
  const v = args.values
  const by = v.by ?? "day"
  const format = v.format ?? "table"
  const since = v.since === undefined ? null : StatsWindow.parseDate(v.since)
  const until = v.until === undefined ? null : StatsWindow.parseDate(v.until)
  const last = whole(v.last, 1, Number.MAX_SAFE_INTEGER)
  const jobs = whole(v.jobs, 1, 256)
  if (!isBy(by) || (format !== "table" && format !== "csv") || last === null || jobs === null) return undefined
  if ((v.since !== undefined && since === null) || (v.until !== undefined && until === null)) return undefined
  if (v.timezone !== undefined && !StatsWindow.isZone(v.timezone)) return undefined
  // The full CLI's usage error, not a report.
  if (last !== undefined && (since !== null || until !== null)) return undefined
  if (since !== null && until !== null && since > until) return undefined
  const timezone = v.timezone ?? zone()
  const window =
    last === undefined
      ? { timezone, since, until }
      : { timezone, since: StatsWindow.lastSince(StatsWindow.dayAt(Date.now(), timezone), by === "week" || by === "month" ? by : "day", last), until: null }
  return { by, format, jobs: jobs ?? ("auto" as const), window: { ...window, pricing: StatsPricing.builtIn } }
}

/** Runs the command line; its exit code, or `undefined` when the full CLI must answer it. */
export const run = async (args: StatsArgs.Args, io: Io, zone: () => string): Promise<number | undefined> => {
  const options = optionsOf(args, zone)
  const names = args.paths.length === 0 ? [args.codexHome] : args.paths
  if (options === undefined || !names.every(QuickArgs.isFolder)) return undefined
  const bar = io.stderrIsTTY && !args.quiet ? StatsProgress.make(io.stderr) : undefined
  const { report, missing, skipped, unread } = await StatsQuery.run(Files.node, {
    paths: names,
    by: options.by,
    window: options.window,
    codexHome: args.codexHome,
    jobs: options.jobs,
    ...(args.cacheDir === undefined ? {} : { cacheDir: args.cacheDir }),
    ...(bar === undefined ? {} : { onProgress: bar.update })
  })
  bar?.done()
  for (const s of skipped) io.stderr(`rollout stats: ${Terminal.field(CodexHome.line(s))}\n`)
  const code = missing.length > 0 || report.diagnostics.some((d) => d.kind === "read_error") ? 2 : 0
  // Nothing read at all: the errors are the whole answer, not a table of zeros.
  if (unread.length > 0 && !args.json) {
    for (const d of unread) io.stderr(`rollout stats: ${Terminal.field(d.message)}\n`)
    return code
  }
  if (args.json) {
    io.stdout(`${JSON.stringify({ rows: report.rows, totals: report.totals, diagnostics: report.diagnostics })}\n`)
    for (const d of missing) io.stderr(`rollout stats: ${d.message}\n`)
  } else io.stdout(options.format === "csv" ? StatsRender.csv(report) : StatsRender.human(report))
  return code
}
