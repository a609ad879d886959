/**
 * Rebuilding a thread's derived rows from its files' rows, inside the transaction that changed one
 * of those files: the statistics thread (`StatsReport.thread` over the stored per-file
 * `FileStats`, so segments are rebased exactly as the local fold does) with its buckets (UTC
 * quarter hour, model and tier, as the local fold keys them), and the listing row (`ThreadRow`, the local index's rule). A per-thread advisory lock keeps two pushes of the
 * same machine that touch different files of one thread from interleaving.
 */
import * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsReport from "@rollout/reduce/StatsReport"
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import type { Session } from "../TeamDatabase.js"
import * as ThreadRow from "@rollout/reduce/ThreadRow"
import * as Text from "./Text.js"

/** Takes the transaction's locks on `keys` of `machine`, in one round trip and always in the same (sorted) order. */
export const lock = (tx: Session, machine: string, keys: ReadonlyArray<string>): Promise<unknown> =>
  tx.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended($1 || k, 7) AS h FROM unnest($2::text[]) k ORDER BY k COLLATE "C") s', [
    `${machine}\u0001`,
    keys
  ])

const BUCKET_COLUMNS =
  "machine, key, slot, model, tier, input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens, turns, tool_calls, errors"

/** Recomputes the statistics thread `key` of `machine` from its files (deletes it when none is left). */
export const stats = async (tx: Session, machine: string, key: string): Promise<void> => {
  const rows = await tx.query<{ stats: string }>(
    "SELECT ff.stats FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path WHERE f.machine = $1 AND f.stats_key = $2",
    [machine, key]
  )
  await tx.query("DELETE FROM stat_threads WHERE machine = $1 AND key = $2", [machine, key])
  if (rows.length === 0) return
  const t = StatsReport.thread(
    key,
    rows.map((r) => JSON.parse(r.stats) as StatsFile.FileStats)
  )
  await tx.query(
    `INSERT INTO stat_threads (machine, key, started_at, source, forked_from_id, sub_agent, parent_thread_id, files, lines, copied_lines,
       input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens,
       turns_started, turns_completed, turns_failed, turns_aborted, turns_timed, turn_duration_ms, turn_max_ms, tool_calls, errors, cwd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
    [
      machine,
      key,
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
  )
  const buckets = Object.entries(t.buckets).map(([k, b]) => ({ ...StatsFile.splitBucket(k), b }))
  if (buckets.length === 0) return
  await tx.query(
    `INSERT INTO stat_buckets (${BUCKET_COLUMNS})
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])`,
    [
      machine,
      key,
      buckets.map((x) => Text.clean(x.slot)),
      buckets.map((x) => Text.clean(x.model)),
      buckets.map((x) => Text.clean(x.tier)),
      buckets.map((x) => x.b.tokens.input),
      buckets.map((x) => x.b.tokens.cachedInput),
      buckets.map((x) => x.b.tokens.output),
      buckets.map((x) => x.b.tokens.reasoningOutput),
      buckets.map((x) => x.b.tokens.total),
      buckets.map((x) => x.b.turns),
      buckets.map((x) => x.b.toolCalls),
      buckets.map((x) => x.b.errors)
    ]
  )
}

const THREAD_COLUMNS = [
  "machine",
  "id",
  "rollout_path",
  "paths",
  "created_at_ms",
  "updated_at_ms",
  "preview",
  "cwd",
  "source",
  "model_provider",
  "model",
  "reasoning_effort",
  "cli_version",
  "originator",
  "history_mode",
  "history_base_id",
  "archived",
  "forked_from_id",
  "parent_thread_id",
  "agent_nickname",
  "agent_role",
  "last_turn_at"
]

const UPSERT_THREAD = `INSERT INTO threads (${THREAD_COLUMNS.join(", ")}) VALUES (${THREAD_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
  ON CONFLICT (machine, id) DO UPDATE SET ${THREAD_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`

/** Recomputes the listing row of thread `id` of `machine` from its files (deletes it when none lists it). */
export const listing = async (tx: Session, machine: string, id: string): Promise<void> => {
  const rows = await tx.query<{ path: string; archived: boolean; mtime_ms: number; metadata: string }>(
    "SELECT f.path, f.archived, f.mtime_ms, ff.metadata FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path WHERE f.machine = $1 AND f.list_id = $2",
    [machine, id]
  )
  const segments = rows.map((r) => ({ path: r.path, archived: r.archived, mtimeMs: r.mtime_ms, metadata: JSON.parse(r.metadata) as ThreadMetadata.State }))
  const natural = ThreadRow.make(id, segments)
  const row = natural === undefined ? undefined : { ...natural, paths: [...segments].sort(ThreadRow.order).map((s) => s.path) }
  if (row === undefined) {
    await tx.query("DELETE FROM threads WHERE machine = $1 AND id = $2", [machine, id])
    return
  }
  await tx.query(UPSERT_THREAD, [
    machine,
    row.id,
    row.rolloutPath,
    JSON.stringify(row.paths),
    row.createdAtMs,
    row.updatedAtMs,
    Text.clean(row.preview),
    Text.clean(row.cwd),
    Text.clean(row.source),
    Text.cleanOrNull(row.modelProvider),
    Text.cleanOrNull(row.model),
    Text.cleanOrNull(row.reasoningEffort),
    Text.cleanOrNull(row.cliVersion),
    Text.cleanOrNull(row.originator),
    Text.clean(row.historyMode),
    Text.cleanOrNull(row.historyBaseId),
    row.archived,
    Text.cleanOrNull(row.forkedFromId),
    Text.cleanOrNull(row.parentThreadId),
    Text.cleanOrNull(row.agentNickname),
    Text.cleanOrNull(row.agentRole),
    row.lastTurnAt
  ])
}
