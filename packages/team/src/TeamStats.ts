/**
 * `rollout stats --database`: the statistics report of every pushed machine, added up by
 * PostgreSQL from the stored facts, in the local report's shape (`@rollout/reduce/StatsReport`)
 * with `machine` on session rows and diagnostics. The facts are what the local fold computed for
 * each file and thread (`TeamSync`), keyed by machine; buckets keep the local key (UTC quarter
 * hour, model, service tier), so any zone's days, weeks and months, a date window and the cost
 * come out as the local report computes them, and the totals of several homes are the sum of each
 * home's local `stats`. The server groups the exact integer sums by local day (placed by
 * `LocalDays` with this process's zone rules), so only the answer's rows leave it; prices, weeks,
 * months and sort orders are applied here with the local functions (`StatsWindow`, `StatsPricing`).
 */
import type { Effect } from "effect"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as LocalDays from "./internal/LocalDays.js"
import * as StatsMix from "./internal/StatsMix.js"
import * as StatsScope from "./internal/StatsScope.js"
import * as StatsSums from "./internal/StatsSums.js"
import * as TeamDatabase from "./TeamDatabase.js"
import type * as TeamError from "./TeamError.js"

export interface Query extends StatsReport.Options {
  readonly by: StatsReport.By
  /** Only this machine's facts. */
  readonly machine?: string
}

type Sums = StatsScope.Sums
const n = StatsScope.n
const tokens = StatsScope.tokens

const tokenColumns = (t: StatsTokens.Tokens) => ({
  inputTokens: t.input,
  cachedInputTokens: t.cachedInput,
  outputTokens: t.output,
  reasoningOutputTokens: t.reasoningOutput,
  totalTokens: t.total
})

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const avg = (sum: number, count: number): number | null => (count === 0 ? null : Math.round(sum / count))

const counts = (rows: ReadonlyArray<Sums>, kind: string) =>
  rows
    .filter((r) => r["kind"] === kind)
    .map((r) => ({ codexErrorInfo: String(r["name"]), count: n(r["count"]) }))
    .sort((a, b) => b.count - a.count || cmp(a.codexErrorInfo, b.codexErrorInfo))

const bucketOf = (r: Sums): StatsFile.Bucket => ({ tokens: tokens(r), turns: n(r["turns"]), toolCalls: n(r["tool_calls"]), errors: n(r["errors"]) })

/** The key of a bucket's row for the groupings that are not per thread. */
const rowKey = (by: StatsReport.By, day: string, model: string): string =>
  by === "week" ? StatsWindow.isoWeek(day) : by === "month" ? day.slice(0, 7) : by === "model" ? model : day

/** The rollup's rows by local day (placed already, or `raw` slots placed here), grouped by row (except per thread or project), by day and in all. */
const walkDays = (sums: ReadonlyArray<Sums>, by: StatsReport.By, dayOf: (r: Sums) => string | undefined) => {
  const rows = new Map<string, StatsMix.Acc>()
  const days = new Map<string, StatsMix.Acc>()
  const mix = new Map<string, StatsTokens.Tokens>()
  let total = StatsTokens.zero
  for (const r of sums) {
    const day = dayOf(r)
    if (day === undefined) continue
    const model = String(r["model"])
    const tier = String(r["tier"])
    const b = bucketOf(r)
    StatsMix.add(days, day, b, model, tier)
    if (by !== "session" && by !== "project") StatsMix.add(rows, rowKey(by, day, model), b, model, tier)
    const k = `${model}\u0000${tier}`
    mix.set(k, StatsTokens.add(mix.get(k) ?? StatsTokens.zero, b.tokens))
    total = StatsTokens.add(total, b.tokens)
  }
  return { rows, days, mix, total }
}

/** Sums per thread or project, keyed by `key`, with their mix for the cost. */
const walkKeys = (sums: ReadonlyArray<Sums>, key: (r: Sums) => string) => {
  const out = new Map<string, StatsMix.Acc>()
  for (const r of sums) StatsMix.add(out, key(r), bucketOf(r), String(r["model"]), String(r["tier"]))
  return out
}

const report = async (db: TeamDatabase.Shape, q: Query): Promise<StatsReport.Report> => {
  const table = q.pricing ?? StatsPricing.builtIn
  const window = { timezone: q.timezone ?? "UTC", since: q.since ?? null, until: q.until ?? null }
  const windowed = window.since !== null || window.until !== null
  const localDay = StatsWindow.localDays(window.timezone)
  const keep = (day: string) => !((window.since !== null && day < window.since) || (window.until !== null && day > window.until))
  const machine = StatsScope.machineFilter(q.machine)
  const buckets: StatsScope.Buckets = { machine, range: StatsScope.slotRange(window) }
  // One snapshot for every statement: a push committing meanwhile cannot split the answer.
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    // Room to group a year of quarter hours in memory rather than sort them on disk.
    await tx.query("SET LOCAL work_mem = '64MB'")
    const steps = LocalDays.steps(window.timezone, await StatsSums.utcDays(tx, buckets))
    const daySums = await StatsSums.byDay(tx, buckets, steps)
    const raw = new Map<string, string>()
    for (const r of daySums) if (r["day"] === null) raw.set(String(r["raw"]), localDay(String(r["raw"])))
    const place: LocalDays.Placement = { steps, raw, keep }
    const all = walkDays(daySums, q.by, (r) => {
      const day = r["day"] === null ? raw.get(String(r["raw"])) : String(r["day"])
      return day !== undefined && keep(day) ? day : undefined
    })
    const inWindow = windowed ? place : undefined
    const threads =
      q.by === "session"
        ? walkKeys(await StatsSums.threads(tx, buckets, "thread", inWindow), (r) => StatsScope.threadId(String(r["machine"]), String(r["key"])))
        : undefined
    const projects =
      q.by === "project" ? walkKeys(await StatsSums.threads(tx, buckets, "project", inWindow), (r) => (r["cwd"] as string | null) ?? "(unknown)") : undefined
    const subTokens = windowed
      ? (await StatsSums.threads(tx, buckets, "sub_agents", place)).reduce((a, r) => StatsTokens.add(a, tokens(r)), StatsTokens.zero)
      : undefined
    const scope = windowed ? StatsScope.active(buckets, place) : machine
    const accOf = (id: string) => threads?.get(id) ?? StatsMix.empty()
    const priced = (a: StatsMix.Acc) => {
      const p = StatsMix.cost(a.mix, table)
      return { costUSD: p.costUSD, models: p.models }
    }
    const facts = await StatsScope.facts(tx, scope, machine)
    const t = facts.threads
    const s = StatsScope.prefixed(t, "sub_")
    const rows: Array<StatsReport.Row> =
      q.by === "session"
        ? (await StatsScope.sessions(tx, scope)).map((r) => {
            const id = StatsScope.threadId(String(r["machine"]), String(r["key"]))
            const a = accOf(id)
            return {
              session: String(r["key"]),
              startedAt: (r["started_at"] as string | null) ?? null,
              source: String(r["source"]),
              forkedFromId: (r["forked_from_id"] as string | null) ?? null,
              ...tokenColumns(windowed ? a.bucket.tokens : tokens(r)),
              turns: windowed ? a.bucket.turns : n(r["turns_started"]),
              toolCalls: windowed ? a.bucket.toolCalls : n(r["tool_calls"]),
              errors: windowed ? a.bucket.errors : n(r["errors"]),
              project: (r["cwd"] as string | null) ?? null,
              ...priced(a),
              machine: String(r["machine"])
            }
          })
        : [...(projects ?? all.rows)]
            .sort(([a], [b]) => cmp(a, b))
            .map(([k, a]) => ({
              [q.by]: k,
              ...tokenColumns(a.bucket.tokens),
              turns: a.bucket.turns,
              toolCalls: a.bucket.toolCalls,
              errors: a.bucket.errors,
              ...priced(a)
            }))
    const cost = StatsMix.cost(all.mix, table)
    const activity: Record<string, number> = {}
    for (const r of facts.kinds) if (r["kind"] === "activity") activity[String(r["name"])] = n(r["count"])
    const f = facts.files
    const totals: StatsReport.Totals = {
      files: n(f["files"]),
      threads: n(t["threads"]),
      forks: n(t["forks"]),
      lines: n(f["lines"]),
      copiedLines: n(f["copied"]),
      firstAt: (f["first_at"] as string | null) ?? null,
      lastAt: (f["last_at"] as string | null) ?? null,
      tokens: windowed ? all.total : tokens(t),
      costUSD: cost.costUSD,
      knownCostUSD: cost.knownCostUSD,
      unpricedModels: cost.unpriced.map((u) => ({ model: u.model, tier: u.tier === "" ? null : u.tier, totalTokens: u.tokens.total })),
      models: cost.models,
      window,
      pricing: { source: table.source, retrieved: table.retrieved },
      turns: {
        started: n(t["started"]),
        completed: n(t["completed"]),
        failed: n(t["failed"]),
        aborted: n(t["aborted"]),
        timed: n(t["timed"]),
        durationMs: n(t["duration"]),
        maxMs: n(t["max_ms"]),
        avgMs: avg(n(t["duration"]), n(t["timed"]))
      },
      tools: facts.tools
        .map((r) => ({
          tool: String(r["tool"]),
          calls: n(r["calls"]),
          failures: n(r["failures"]),
          timedCalls: n(r["timed"]),
          durationMs: n(r["duration"]),
          maxMs: n(r["max_ms"]),
          avgMs: avg(n(r["duration"]), n(r["timed"]))
        }))
        .sort((a, b) => b.calls - a.calls || cmp(a.tool, b.tool)),
      errors: counts(facts.kinds, "error"),
      streamRetries: counts(facts.kinds, "retry"),
      subAgents: {
        threads: n(s["threads"]),
        tokens: subTokens ?? tokens(s),
        turns: n(s["turns"]),
        toolCalls: n(s["tool_calls"]),
        activity
      },
      diagnostics: n(facts.diagnostics)
    }
    return {
      by: q.by,
      rows,
      totals,
      diagnostics: await StatsScope.diagnostics(tx, machine),
      days: [...all.days]
        .sort(([a], [b]) => cmp(a, b))
        .map(([day, a]) => ({ day, tokens: a.bucket.tokens, costUSD: StatsMix.cost(a.mix, table).costUSD, models: StatsMix.byModel(a.mix, table) }))
    }
  })
}

/** The report over every machine (or one). */
export const stats = (query: Query): Effect.Effect<StatsReport.Report, TeamError.TeamError, TeamDatabase.TeamDatabase> =>
  TeamDatabase.use((db) => report(db, query))
