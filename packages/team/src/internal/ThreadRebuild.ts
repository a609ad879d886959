/**
 * Rebuilding statistics threads from their files' rows, inside the transaction that changed one of
 * those files: `StatsReport.thread` over the per-file `FileStats` (this batch's from memory, the
 * others' as stored), so segments are rebased exactly as the local fold does, with their buckets
 * (UTC quarter hour, model and tier, as the local fold keys them) and the rollup's difference.
 * Per-thread advisory locks keep two pushes of the same machine that touch different files of one
 * thread from interleaving.
 */
import * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsReport from "@rollout/reduce/StatsReport"
import type { Session } from "../TeamDatabase.js"
import * as StatRollup from "./StatRollup.js"
import * as Text from "./Text.js"
import * as Unnest from "./Unnest.js"

/** Takes the transaction's locks on `keys` of `machine`, in one round trip and always in the same (sorted) order. */
export const lock = (tx: Session, machine: string, keys: ReadonlyArray<string>): Promise<unknown> =>
  tx.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended($1 || k, 7) AS h FROM unnest($2::text[]) k ORDER BY k COLLATE "C") s', [
    `${machine}\u0001`,
    keys
  ])

/** A file of this transaction's batch, with the statistics it was folded into (not read back). */
export interface Fresh {
  readonly path: string
  readonly key: string
  readonly stats: StatsFile.FileStats
}

const THREAD_STATS_COLUMNS = [
  ["key", "text"],
  ["started_at", "text"],
  ["source", "text"],
  ["forked_from_id", "text"],
  ["sub_agent", "boolean"],
  ["parent_thread_id", "text"],
  ["files", "int"],
  ["lines", "bigint"],
  ["copied_lines", "bigint"],
  ["input_tokens", "bigint"],
  ["cached_input_tokens", "bigint"],
  ["output_tokens", "bigint"],
  ["reasoning_output_tokens", "bigint"],
  ["total_tokens", "bigint"],
  ["turns_started", "bigint"],
  ["turns_completed", "bigint"],
  ["turns_failed", "bigint"],
  ["turns_aborted", "bigint"],
  ["turns_timed", "bigint"],
  ["turn_duration_ms", "bigint"],
  ["turn_max_ms", "bigint"],
  ["tool_calls", "bigint"],
  ["errors", "bigint"],
  ["cwd", "text"]
] as const

const threadValues = (t: StatsReport.ThreadStats): Array<unknown> => [
  t.id,
  Text.cleanOrNull(t.startedAt),
  Text.clean(t.source),
  Text.cleanOrNull(t.forkedFromId),
  t.subAgent,
  Text.cleanOrNull(t.parentThreadId),
  t.files,
  t.lines,
  t.copiedLines,
  t.tokens.input,
  t.tokens.cachedInput,
  t.tokens.output,
  t.tokens.reasoningOutput,
  t.tokens.total,
  t.turns.started,
  t.turns.completed,
  t.turns.failed,
  t.turns.aborted,
  t.turns.timed,
  t.turns.durationMs,
  t.turns.maxMs,
  t.toolCalls,
  t.errors,
  Text.cleanOrNull(t.cwd)
]

/** The files of each thread among `keys`: this batch's from memory, the others' stored statistics from the database. */
const filesOf = async (tx: Session, machine: string, keys: ReadonlyArray<string>, fresh: ReadonlyArray<Fresh>) => {
  const wanted = new Set(keys)
  const rows = await tx.query<{ stats_key: string; stats: string }>(
    `SELECT f.stats_key, ff.stats FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path
     WHERE f.machine = $1 AND f.stats_key = ANY($2::text[]) AND NOT f.path = ANY($3::text[])`,
    [machine, keys, fresh.map((f) => f.path)]
  )
  const files = new Map<string, Array<StatsFile.FileStats>>()
  const add = (key: string, stats: StatsFile.FileStats) => files.set(key, [...(files.get(key) ?? []), stats])
  for (const r of rows) add(r.stats_key, JSON.parse(r.stats) as StatsFile.FileStats)
  for (const f of fresh) if (wanted.has(f.key)) add(f.key, f.stats)
  return files
}

/**
 * Recomputes the statistics threads `keys` of `machine` from their files (deleting those left with
 * none), their buckets, and the rollup by the difference. `fresh` are this batch's files.
 */
export const stats = async (tx: Session, machine: string, keys: ReadonlyArray<string>, fresh: ReadonlyArray<Fresh>): Promise<void> => {
  if (keys.length === 0) return
  const files = await filesOf(tx, machine, keys, fresh)
  const threads = [...files].map(([key, f]) => StatsReport.thread(key, f))
  const gone = await tx.query(
    `WITH gone AS (DELETE FROM stat_buckets WHERE machine = $1 AND key = ANY($2::text[]) RETURNING *)
     SELECT slot, model, tier, count(*) AS n, ${StatRollup.SUM_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM gone GROUP BY slot, model, tier`,
    [machine, keys]
  )
  await tx.query("DELETE FROM stat_threads WHERE machine = $1 AND key = ANY($2::text[])", [machine, keys])
  const added = threads.flatMap((t) =>
    Object.entries(t.buckets).map(([k, b]) => {
      const x = StatsFile.splitBucket(k)
      return [t.id, Text.clean(x.slot), Text.clean(x.model), Text.clean(x.tier), b] as const
    })
  )
  if (threads.length > 0) {
    const th = Unnest.rows(THREAD_STATS_COLUMNS, threads.map(threadValues), 2)
    const bucketRows = added.map(([key, slot, model, tier, b]) => [key, slot, model, tier, ...StatRollup.figures(b)])
    const bu = Unnest.rows(
      [["key", "text"], ["slot", "text"], ["model", "text"], ["tier", "text"], ...StatRollup.SUM_COLUMNS.map((c) => [c, "bigint"] as const)],
      bucketRows,
      2 + THREAD_STATS_COLUMNS.length
    )
    await tx.query(
      `WITH t AS (INSERT INTO stat_threads (machine, ${THREAD_STATS_COLUMNS.map(([c]) => c).join(", ")}) SELECT $1, * FROM ${th.sql})
       INSERT INTO stat_buckets (machine, key, slot, model, tier, ${StatRollup.SUM_COLUMNS.join(", ")}) SELECT $1, * FROM ${bu.sql}`,
      [machine, ...th.params, ...bu.params]
    )
  }
  await StatRollup.apply(
    tx,
    machine,
    StatRollup.delta(
      added.map(([, slot, model, tier, b]) => [slot, model, tier, b] as const),
      gone
    )
  )
}
