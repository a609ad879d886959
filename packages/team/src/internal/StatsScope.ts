/**
 * The SQL behind `TeamStats`: which rows a report counts (every row of a machine, or, inside a
 * date window, the files and threads of the threads active in it, as the local report counts
 * them) and the aggregate queries over them. Only integer sums, maxima and counts run here.
 */
import * as StatsFile from "@rollout/reduce/StatsFile"
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type { Session } from "../TeamDatabase.js"
import * as LocalDays from "./LocalDays.js"

export type Sums = Readonly<Record<string, number | string | boolean | null>>

export const TOKENS =
  "sum(b.input_tokens) AS input, sum(b.cached_input_tokens) AS cached, sum(b.output_tokens) AS output, sum(b.reasoning_output_tokens) AS reasoning, sum(b.total_tokens) AS total"

export const n = (v: unknown): number => (typeof v === "number" ? v : v === null || v === undefined ? 0 : Number(v))

export const tokens = (r: Sums): StatsTokens.Tokens => ({
  input: n(r["input"]),
  cachedInput: n(r["cached"]),
  output: n(r["output"]),
  reasoningOutput: n(r["reasoning"]),
  total: n(r["total"])
})

/** A thread across machines. */
export const threadId = (machine: string, key: string): string => `${machine}\u0001${key}`

/** A statement's parameters, numbered as clauses add them. */
export class Params {
  readonly values: Array<unknown> = []
  readonly add = (value: unknown): string => {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** Rows kept, as a condition on a (machine, thread key) pair of columns, its parameters added to the statement's. */
export interface Scope {
  readonly clause: (p: Params, machine: string, key: string) => string | undefined
}

export const machineFilter = (machine: string | undefined): Scope => ({
  clause: (p, m) => (machine === undefined ? undefined : `${m} = ${p.add(machine)}`)
})

const DAY_MS = 86_400_000
const shift = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/**
 * A superset of the slots of a window of local days, for an index: no zone is more than a day
 * off UTC, so two days either side hold every slot; the exact cut is made on each slot's local day.
 */
export const slotRange =
  (window: { readonly since: string | null; readonly until: string | null }) =>
  (p: Params, slot: string): string | undefined => {
    const parts = [
      ...(window.since === null ? [] : [`${slot} >= ${p.add(shift(window.since, -2))}`]),
      ...(window.until === null ? [] : [`${slot} < ${p.add(shift(window.until, 3))}`])
    ]
    return parts.length === 0 ? undefined : parts.join(" AND ")
  }

/** The bucket rows a report reads (alias `b`): a machine's, in the window's slot range. */
export interface Buckets {
  readonly machine: Scope
  readonly range: (p: Params, slot: string) => string | undefined
}

/**
 * The threads with a bucket on a local day of the window, as the local report counts a window's
 * threads: a subquery over the buckets, placed on their local days by `join`.
 */
export const active = (buckets: Buckets, place: LocalDays.Placement): Scope => ({
  clause: (p, m, k) => {
    const z = LocalDays.join(place, "b", p.add)
    const kept = where([buckets.machine.clause(p, "b.machine", "b.key"), buckets.range(p, "b.slot"), z.keep])
    return `(${m}, ${k}) IN (SELECT b.machine, b.key FROM stat_buckets b ${z.sql} ${kept})`
  }
})

export const where = (clauses: ReadonlyArray<string | undefined>): string => {
  const kept = clauses.filter((c): c is string => c !== undefined)
  return kept.length === 0 ? "" : `WHERE ${kept.join(" AND ")}`
}

/** The keys of `r` that start with `prefix`, without it. */
export const prefixed = (r: Sums, prefix: string): Sums =>
  Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])))

const THREAD_TOKENS = TOKENS.replaceAll("b.", "st.")

/** The totals' sums over the files, threads, tools and counts in `scope` (`machine` itself, or a window's threads); diagnostics over every file of `machine`. */
export const facts = async (tx: Session, scope: Scope, machine: Scope) => {
  const scoped = (alias: string, key: string, sql: (filter: string) => string) => {
    const p = new Params()
    const text = sql(where([scope.clause(p, `${alias}.machine`, `${alias}.${key}`)]))
    return tx.query<Sums>(text, p.values)
  }
  const sub = (col: string, as: string) => `sum(st.${col}) FILTER (WHERE st.sub_agent) AS sub_${as}`
  const [f] = await scoped(
    "f",
    "stats_key",
    (w) => `SELECT count(*) AS files, sum(f.lines) AS lines, sum(f.copied_lines) AS copied, least(min(f.first_at), min(f.last_at)) AS first_at,
       greatest(max(f.first_at), max(f.last_at)) AS last_at FROM files f ${w}`
  )
  const pm = new Params()
  const [d] = await tx.query<Sums>(
    `SELECT sum(f.diagnostics) AS diagnostics FROM files f ${where([machine.clause(pm, "f.machine", "f.stats_key")])}`,
    pm.values
  )
  const [threads] = await scoped(
    "st",
    "key",
    (w) => `SELECT count(*) AS threads, count(st.forked_from_id) AS forks, ${THREAD_TOKENS},
       sum(st.turns_started) AS started, sum(st.turns_completed) AS completed, sum(st.turns_failed) AS failed, sum(st.turns_aborted) AS aborted,
       sum(st.turns_timed) AS timed, sum(st.turn_duration_ms) AS duration, max(st.turn_max_ms) AS max_ms,
       count(*) FILTER (WHERE st.sub_agent) AS sub_threads, ${sub("input_tokens", "input")}, ${sub("cached_input_tokens", "cached")},
       ${sub("output_tokens", "output")}, ${sub("reasoning_output_tokens", "reasoning")}, ${sub("total_tokens", "total")},
       ${sub("turns_started", "turns")}, ${sub("tool_calls", "tool_calls")}
     FROM stat_threads st ${w}`
  )
  // A file's facts carry its machine: only a scope of threads needs the files to tell which are in.
  const perFile = (sql: (from: string) => string) =>
    scope === machine
      ? scoped("x", "path", (w) => sql(`${w}`))
      : scoped("f", "stats_key", (w) => sql(`JOIN files f ON f.machine = x.machine AND f.path = x.path ${w}`))
  const tools = await perFile(
    (
      w
    ) => `SELECT x.tool, sum(x.calls) AS calls, sum(x.failures) AS failures, sum(x.timed_calls) AS timed, sum(x.duration_ms) AS duration, max(x.max_ms) AS max_ms
     FROM file_tools x ${w} GROUP BY x.tool`
  )
  const kinds = await perFile((w) => `SELECT x.kind, x.name, sum(x.count) AS count FROM file_counts x ${w} GROUP BY x.kind, x.name`)
  return { files: f ?? {}, diagnostics: d?.["diagnostics"] ?? 0, threads: threads ?? {}, tools, kinds }
}

/** The statistics threads in `scope`, in the local report's session order (then by machine). */
export const sessions = async (tx: Session, scope: Scope): Promise<ReadonlyArray<Sums>> => {
  const p = new Params()
  const w = where([scope.clause(p, "st.machine", "st.key")])
  const rows = await tx.query<Sums>(
    `SELECT st.machine, st.key, st.started_at, st.source, st.forked_from_id, st.cwd, ${THREAD_TOKENS.replaceAll("sum(", "(")},
       st.turns_started, st.tool_calls, st.errors FROM stat_threads st ${w}`,
    p.values
  )
  const sortKey = (r: Sums) => `${r["started_at"] ?? ""}\u0000${r["key"]}\u0000${r["machine"]}`
  return [...rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
}

/** Every file's diagnostics, as the local report lists them (per file, then one line for the overflow). */
export const diagnostics = async (tx: Session, machine: Scope): Promise<Array<StatsFile.Diagnostic & { readonly machine: string }>> => {
  const p = new Params()
  const files = await tx.query<{ machine: string; stats: string }>(
    `SELECT f.machine, ff.stats FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path
     ${where([machine.clause(p, "f.machine", "f.stats_key"), "f.diagnostics > 0"])} ORDER BY f.machine, f.archived, f.path COLLATE "C"`,
    p.values
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
