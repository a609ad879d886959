/**
 * The CLI's side of the team database, shared by `sync` and the `--database` branches of `ls`,
 * `search` and `stats`: the `--database URL` flag, team failures as CLI failures (all exit 2: a
 * bad URL or cursor is a usage error, a server that cannot be reached or fails is input that
 * cannot be read), and the printing of `stats --database`. The messages come from
 * `@rollout/team`, which never lets the password into them.
 */
import * as fs from "node:fs"
import { Config, Effect, Option } from "effect"
import { Flag } from "effect/cli"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import type * as TeamDatabase from "@rollout/team/TeamDatabase"
import type * as TeamList from "@rollout/team/TeamList"
import type * as TeamError from "@rollout/team/TeamError"
import type * as TeamSearch from "@rollout/team/TeamSearch"
import type * as TeamSync from "@rollout/team/TeamSync"
import type * as ThreadList from "@rollout/store/ThreadList"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import * as StatsChart from "@rollout/view/StatsChart"
import * as StatsRender from "@rollout/view/StatsRender"
import { UnreadableInput, UsageError } from "./CliFailure.js"
import * as Output from "./Output.js"

const DESCRIPTION =
  "Answer from the team's PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DB) that `rollout sync` fills, across every machine, instead of this machine's index. The password may also come from $PGPASSWORD."

/** `--database URL` for ls, search and stats (no fallback: the local answer stays the default). */
export const database = Flag.String("database").pipe(Flag.withMetavar("URL"), Flag.withDescription(DESCRIPTION), Flag.optional)

/** `--database URL` for sync, which has no local meaning: `$ROLLOUT_DATABASE_URL` when not given. */
export const syncDatabase = Flag.String("database").pipe(
  Flag.withMetavar("URL"),
  Flag.withDescription(
    "The team's PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DB). Default: $ROLLOUT_DATABASE_URL. The password may also come from $PGPASSWORD."
  ),
  Flag.withFallbackConfig(Config.String("ROLLOUT_DATABASE_URL")),
  Flag.optional
)

export const failure = (e: TeamError.TeamError): UsageError | UnreadableInput => {
  switch (e.reason) {
    case "bad_url":
    case "usage":
      return new UsageError({ message: e.message })
    case "unreachable":
    case "schema":
    case "failed":
      return new UnreadableInput({ message: e.message })
    default: {
      const never: never = e.reason
      return never
    }
  }
}

// The driver loads only when a command talks to the database: local ls, search and stats never pay for it.
type TeamModule = typeof import("@rollout/team/Team")

/** Runs a team question, its failures as CLI failures. */
const run = <A>(work: (team: TeamModule) => Effect.Effect<A, TeamError.TeamError>): Effect.Effect<A, UsageError | UnreadableInput> =>
  Effect.flatMap(
    Effect.promise(() => import("@rollout/team/Team")),
    (team) => Effect.mapError(work(team), failure)
  )

/** Runs `work` with the database open, for `serve --database`. */
export const open = <A>(url: string, work: (db: TeamDatabase.Shape) => Promise<A>): Effect.Effect<A, UsageError | UnreadableInput> =>
  run((team) => team.open(url, work))

export const sync = (url: string, options: TeamSync.Options) => run((team) => team.sync(url, options))

export const list = (url: string, query: ThreadList.Query): Effect.Effect<TeamList.Page, UsageError | UnreadableInput> => run((team) => team.list(url, query))

export const search = (url: string, query: ThreadSearch.Query): Effect.Effect<TeamSearch.Answer, UsageError | UnreadableInput> =>
  run((team) => team.search(url, query))

export interface StatsArgs {
  readonly paths: ReadonlyArray<string>
  readonly by: StatsReport.By
  readonly json: boolean
  readonly format: "table" | "csv"
  readonly chart: Option.Option<string>
  /** The zone, date window and price table, as local `stats` takes them. */
  readonly window: StatsReport.Options
}

/** `rollout stats --database URL`: the report over every pushed machine, printed as the local one. */
export const stats = (url: string, args: StatsArgs): Effect.Effect<void, UsageError | UnreadableInput, Output.Output> =>
  Effect.gen(function* () {
    const output = yield* Output.Output
    if (args.paths.length > 0)
      return yield* new UsageError({ message: "with --database, stats answers for every pushed home: give no PATH (rollout sync pushes a home)" })
    const report = yield* run((team) => team.stats(url, { ...args.window, by: args.by }))
    if (Option.isSome(args.chart)) {
      const file = args.chart.value
      yield* Effect.promise(() => fs.promises.writeFile(file, StatsChart.svg(report)))
    }
    if (args.json) output.stdout(`${JSON.stringify({ rows: report.rows, totals: report.totals, diagnostics: report.diagnostics })}\n`)
    else output.stdout(args.format === "csv" ? StatsRender.csv(report) : StatsRender.human(report))
  })
