/**
 * `rollout stats --database`: the statistics report of every pushed machine, added up by
 * PostgreSQL from the stored facts, in the local report's shape (`@rollout/reduce/StatsReport`)
 * with `machine` on session rows and diagnostics. The facts are what the local fold computed for
 * each file and thread (`TeamSync`), keyed by machine, so the totals of several homes are exactly
 * the sum of each home's local `stats`. Only sums, maxima and counts run in SQL (integers, no
 * rounding); the few rows and the sort orders of the local report are finished here.
 */
import type { Effect } from "effect"
import * as StatsFile from "@rollout/reduce/StatsFile"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as TeamDatabase from "./TeamDatabase.js"
import type * as TeamError from "./TeamError.js"

export interface Query {
  readonly by: StatsReport.By
  /** Only this machine's facts. */
  readonly machine?: string
}

type Sums = Readonly<Record<string, number | string | null>>

const TOKENS =
  "sum(input_tokens) AS input, sum(cached_input_tokens) AS cached, sum(output_tokens) AS output, sum(reasoning_output_tokens) AS reasoning, sum(total_tokens) AS total"

const n = (v: unknown): number => (typeof v === "number" ? v : v === null || v === undefined ? 0 : Number(v))

const tokens = (r: Sums): StatsTokens.Tokens => ({
  input: n(r["input"]),
  cachedInput: n(r["cached"]),
  output: n(r["output"]),
  reasoningOutput: n(r["reasoning"]),
  total: n(r["total"])
})

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

/** Sums of one day and model over every thread: the only scan of `stat_buckets`; rows and days are grouped from these. */
interface Bucket {
  readonly day: string
  readonly model: string
  readonly tokens: StatsTokens.Tokens
  readonly turns: number
  readonly toolCalls: number
  readonly errors: number
}

const addBucket = (a: Bucket | undefined, b: Bucket): Bucket =>
  a === undefined
    ? b
    : {
        day: a.day,
        model: a.model,
        tokens: StatsTokens.add(a.tokens, b.tokens),
        turns: a.turns + b.turns,
        toolCalls: a.toolCalls + b.toolCalls,
        errors: a.errors + b.errors
      }

/** The rows of the report for `by`. */
const rows = async (
  db: TeamDatabase.Session,
  by: StatsReport.By,
  buckets: ReadonlyArray<Bucket>,
  filter: string,
  params: ReadonlyArray<unknown>
): Promise<Array<StatsReport.Row>> => {
  if (by === "session") {
    const threads = await db.query<Sums>(
      `SELECT machine, key, started_at, source, forked_from_id, input_tokens AS input, cached_input_tokens AS cached, output_tokens AS output,
         reasoning_output_tokens AS reasoning, total_tokens AS total, turns_started, tool_calls, errors FROM stat_threads ${filter}`,
      params
    )
    const sortKey = (r: Sums) => `${r["started_at"] ?? ""}\u0000${r["key"]}\u0000${r["machine"]}`
    return [...threads]
      .sort((a, b) => cmp(sortKey(a), sortKey(b)))
      .map((r) => ({
        session: String(r["key"]),
        startedAt: (r["started_at"] as string | null) ?? null,
        source: String(r["source"]),
        forkedFromId: (r["forked_from_id"] as string | null) ?? null,
        ...tokenColumns(tokens(r)),
        turns: n(r["turns_started"]),
        toolCalls: n(r["tool_calls"]),
        errors: n(r["errors"]),
        machine: String(r["machine"])
      }))
  }
  const grouped = new Map<string, Bucket>()
  for (const b of buckets) {
    const k = by === "day" ? b.day : by === "month" ? b.day.slice(0, 7) : b.model
    grouped.set(k, addBucket(grouped.get(k), b))
  }
  return [...grouped]
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, b]) => ({ [by]: k, ...tokenColumns(b.tokens), turns: b.turns, toolCalls: b.toolCalls, errors: b.errors }))
}

/** Every file's diagnostics, as the local report lists them (per file, then one line for the overflow). */
const diagnostics = async (
  db: TeamDatabase.Session,
  filter: string,
  params: ReadonlyArray<unknown>
): Promise<Array<StatsFile.Diagnostic & { readonly machine: string }>> => {
  const where = filter === "" ? "WHERE f.diagnostics > 0" : "WHERE f.machine = $1 AND f.diagnostics > 0"
  const files = await db.query<{ machine: string; stats: string }>(
    `SELECT f.machine, ff.stats FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path ${where} ORDER BY f.machine, f.archived, f.path COLLATE "C"`,
    params
  )
  return files.flatMap(({ machine, stats }) => {
    const f = JSON.parse(stats) as StatsFile.FileStats
    const more =
      f.moreDiagnostics > 0
        ? [
            {
              path: f.path,
              line: 0,
              kind: "more_diagnostics",
              message: `${f.moreDiagnostics} more diagnostics in this file (only the first ${StatsFile.DIAGNOSTICS_PER_FILE} are listed)`
            }
          ]
        : []
    return [...f.diagnostics, ...more].map((d) => ({ ...d, machine }))
  })
}

const report = async (db: TeamDatabase.Shape, q: Query): Promise<StatsReport.Report> => {
  const params = q.machine === undefined ? [] : [q.machine]
  const filter = q.machine === undefined ? "" : "WHERE machine = $1"
  // One snapshot for every statement: a push committing meanwhile cannot split the answer.
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    const [files] = await tx.query<Sums>(
      `SELECT count(*) AS files, sum(lines) AS lines, sum(copied_lines) AS copied, min(first_at) AS first_at, max(last_at) AS last_at, sum(diagnostics) AS diagnostics FROM files ${filter}`,
      params
    )
    const sub = (col: string, as: string) => `sum(${col}) FILTER (WHERE sub_agent) AS sub_${as}`
    const [threads] = await tx.query<Sums>(
      `SELECT count(*) AS threads, count(forked_from_id) AS forks, ${TOKENS},
         sum(turns_started) AS started, sum(turns_completed) AS completed, sum(turns_failed) AS failed, sum(turns_aborted) AS aborted,
         sum(turns_timed) AS timed, sum(turn_duration_ms) AS duration, max(turn_max_ms) AS max_ms,
         count(*) FILTER (WHERE sub_agent) AS sub_threads, ${sub("input_tokens", "input")}, ${sub("cached_input_tokens", "cached")},
         ${sub("output_tokens", "output")}, ${sub("reasoning_output_tokens", "reasoning")}, ${sub("total_tokens", "total")},
         ${sub("turns_started", "turns")}, ${sub("tool_calls", "tool_calls")}
       FROM stat_threads ${filter}`,
      params
    )
    const tools = await tx.query<Sums>(
      `SELECT tool, sum(calls) AS calls, sum(failures) AS failures, sum(timed_calls) AS timed, sum(duration_ms) AS duration, max(max_ms) AS max_ms FROM file_tools ${filter} GROUP BY tool`,
      params
    )
    const kinds = await tx.query<Sums>(`SELECT kind, name, sum(count) AS count FROM file_counts ${filter} GROUP BY kind, name`, params)
    const buckets = (
      await tx.query<Sums>(
        `SELECT day, model, ${TOKENS}, sum(turns) AS turns, sum(tool_calls) AS tool_calls, sum(errors) AS errors FROM stat_buckets ${filter} GROUP BY day, model`,
        params
      )
    ).map((r) => ({
      day: String(r["day"]),
      model: String(r["model"]),
      tokens: tokens(r),
      turns: n(r["turns"]),
      toolCalls: n(r["tool_calls"]),
      errors: n(r["errors"])
    }))
    const days = new Map<string, StatsTokens.Tokens>()
    for (const b of buckets) days.set(b.day, StatsTokens.add(days.get(b.day) ?? StatsTokens.zero, b.tokens))
    const f = files ?? {}
    const t = threads ?? {}
    const prefixed = (prefix: string): Sums =>
      Object.fromEntries(Object.entries(t).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])))
    const s = prefixed("sub_")
    const activity: Record<string, number> = {}
    for (const r of kinds) if (r["kind"] === "activity") activity[String(r["name"])] = n(r["count"])
    const totals: StatsReport.Totals = {
      files: n(f["files"]),
      threads: n(t["threads"]),
      forks: n(t["forks"]),
      lines: n(f["lines"]),
      copiedLines: n(f["copied"]),
      firstAt: (f["first_at"] as string | null) ?? null,
      lastAt: (f["last_at"] as string | null) ?? null,
      tokens: tokens(t),
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
      tools: tools
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
      errors: counts(kinds, "error"),
      streamRetries: counts(kinds, "retry"),
      subAgents: { threads: n(s["threads"]), tokens: tokens(s), turns: n(s["turns"]), toolCalls: n(s["tool_calls"]), activity },
      diagnostics: n(f["diagnostics"])
    }
    return {
      by: q.by,
      rows: await rows(tx, q.by, buckets, filter, params),
      totals,
      diagnostics: await diagnostics(tx, filter, params),
      days: [...days].sort(([a], [b]) => cmp(a, b)).map(([day, tokens]) => ({ day, tokens }))
    }
  })
}

/** The report over every machine (or one). */
export const stats = (query: Query): Effect.Effect<StatsReport.Report, TeamError.TeamError, TeamDatabase.TeamDatabase> =>
  TeamDatabase.use((db) => report(db, query))
