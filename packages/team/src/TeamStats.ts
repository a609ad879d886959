/**
 * `rollout stats --database`: the statistics report of every pushed machine, added up by
 * PostgreSQL from the stored facts, in the local report's shape (`@rollout/reduce/StatsReport`)
 * with `machine` on session rows and diagnostics. The facts are what the local fold computed for
 * each file and thread (`TeamSync`), keyed by machine; buckets keep the local key (UTC quarter
 * hour, model, service tier), so any zone's days, weeks and months, a date window and the cost
 * come out as the local report computes them, and the totals of several homes are the sum of each
 * home's local `stats`. SQL only sums integers; local days, the window, prices and sort orders
 * are applied here, with the local functions (`StatsWindow`, `StatsPricing`).
 */
import type { Effect } from "effect"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as StatsMix from "./internal/StatsMix.js"
import * as StatsScope from "./internal/StatsScope.js"
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

/** Every bucket in the window, grouped by local day and (except per thread) by row. */
const walkAll = (buckets: ReadonlyArray<Sums>, by: StatsReport.By, inWindow: (slot: string) => string | undefined) => {
  const rows = new Map<string, StatsMix.Acc>()
  const days = new Map<string, StatsMix.Acc>()
  const mix = new Map<string, StatsTokens.Tokens>()
  for (const r of buckets) {
    const day = inWindow(String(r["slot"]))
    if (day === undefined) continue
    const model = String(r["model"])
    const tier = String(r["tier"])
    const b = bucketOf(r)
    StatsMix.add(days, day, b, model, tier)
    if (by !== "session" && by !== "project") StatsMix.add(rows, rowKey(by, day, model), b, model, tier)
    const k = `${model}\u0000${tier}`
    mix.set(k, StatsTokens.add(mix.get(k) ?? StatsTokens.zero, b.tokens))
  }
  return { rows, days, mix }
}

/** Every thread's buckets in the window: which threads are active, their figures and projects. */
const walkThreads = (buckets: ReadonlyArray<Sums>, by: StatsReport.By, inWindow: (slot: string) => string | undefined) => {
  const threads = new Map<string, StatsMix.Acc>()
  const projects = new Map<string, StatsMix.Acc>()
  const sub = new Set<string>()
  for (const r of buckets) {
    if (r["slot"] !== undefined && inWindow(String(r["slot"])) === undefined) continue
    const id = StatsScope.threadId(String(r["machine"]), String(r["key"]))
    const model = String(r["model"])
    const tier = String(r["tier"])
    const b = bucketOf(r)
    StatsMix.add(threads, id, b, model, tier)
    if (r["sub_agent"] === true) sub.add(id)
    if (by === "project") StatsMix.add(projects, (r["cwd"] as string | null) ?? "(unknown)", b, model, tier)
  }
  return { threads, projects, sub }
}

const report = async (db: TeamDatabase.Shape, q: Query): Promise<StatsReport.Report> => {
  const table = q.pricing ?? StatsPricing.builtIn
  const window = { timezone: q.timezone ?? "UTC", since: q.since ?? null, until: q.until ?? null }
  const windowed = window.since !== null || window.until !== null
  const localDay = StatsWindow.localDays(window.timezone)
  const inWindow = (slot: string): string | undefined => {
    const day = localDay(slot)
    return (window.since !== null && day < window.since) || (window.until !== null && day > window.until) ? undefined : day
  }
  const machine = StatsScope.machineFilter(q.machine)
  const slots = StatsScope.slotRange(window, machine.params.length)
  const bucketWhere = StatsScope.where([machine.clause("b.machine", "b.key"), slots.clause("b.slot")])
  const bucketParams = [...machine.params, ...slots.params]
  // One snapshot for every statement: a push committing meanwhile cannot split the answer.
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    const all = walkAll(
      await tx.query<Sums>(
        `SELECT b.slot, b.model, b.tier, ${StatsScope.TOKENS}, sum(b.turns) AS turns, sum(b.tool_calls) AS tool_calls, sum(b.errors) AS errors
         FROM stat_buckets b ${bucketWhere} GROUP BY b.slot, b.model, b.tier`,
        bucketParams
      ),
      q.by,
      inWindow
    )
    const perThread = windowed || q.by === "session" || q.by === "project"
    const slot = windowed ? "b.slot, " : ""
    const walked = perThread
      ? walkThreads(
          await tx.query<Sums>(
            `SELECT b.machine, b.key, ${slot}b.model, b.tier, t.cwd, t.sub_agent, ${StatsScope.TOKENS}, sum(b.turns) AS turns, sum(b.tool_calls) AS tool_calls, sum(b.errors) AS errors
             FROM stat_buckets b JOIN stat_threads t ON t.machine = b.machine AND t.key = b.key ${bucketWhere}
             GROUP BY b.machine, b.key, ${slot}b.model, b.tier, t.cwd, t.sub_agent`,
            bucketParams
          ),
          q.by,
          inWindow
        )
      : undefined
    const scope = windowed && walked !== undefined ? StatsScope.active([...walked.threads.keys()]) : machine
    const accOf = (id: string) => walked?.threads.get(id) ?? StatsMix.empty()
    const priced = (a: StatsMix.Acc) => {
      const p = StatsMix.cost(a.mix, table)
      return { costUSD: p.costUSD, models: p.models }
    }
    const facts = await StatsScope.facts(tx, scope, machine)
    const t = facts.threads
    const s = StatsScope.prefixed(t, "sub_")
    const windowTokens = (ids: Iterable<string>) => [...ids].reduce((a, id) => StatsTokens.add(a, accOf(id).bucket.tokens), StatsTokens.zero)
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
        : [...(q.by === "project" ? (walked?.projects ?? new Map<string, StatsMix.Acc>()) : all.rows)]
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
      tokens: windowed ? windowTokens(walked?.threads.keys() ?? []) : tokens(t),
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
        tokens: windowed ? windowTokens(walked?.sub ?? []) : tokens(s),
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
