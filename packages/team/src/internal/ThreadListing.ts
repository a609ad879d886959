/**
 * Rebuilding threads' listing rows from their files, inside the transaction that changed one of
 * those files: `ThreadRow`, the local index's rule, over the stored metadata folds of each
 * thread's segments (this batch's from memory), written for many threads in one statement.
 */
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadRow from "@rollout/reduce/ThreadRow"
import type { Session } from "../TeamDatabase.js"
import * as Text from "./Text.js"
import * as Unnest from "./Unnest.js"

const THREAD_COLUMNS = [
  ["id", "text"],
  ["rollout_path", "text"],
  ["paths", "text"],
  ["created_at_ms", "bigint"],
  ["updated_at_ms", "bigint"],
  ["preview", "text"],
  ["cwd", "text"],
  ["source", "text"],
  ["model_provider", "text"],
  ["model", "text"],
  ["reasoning_effort", "text"],
  ["cli_version", "text"],
  ["originator", "text"],
  ["history_mode", "text"],
  ["history_base_id", "text"],
  ["archived", "boolean"],
  ["forked_from_id", "text"],
  ["parent_thread_id", "text"],
  ["agent_nickname", "text"],
  ["agent_role", "text"],
  ["last_turn_at", "bigint"]
] as const

const rowValues = (row: ThreadRow.Natural, paths: ReadonlyArray<string>): Array<unknown> => [
  row.id,
  row.rolloutPath,
  JSON.stringify(paths),
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
]

/** A file of this transaction's batch as a segment of the thread it lists under. */
export interface FreshSegment {
  readonly id: string
  readonly segment: ThreadRow.Segment
}

/** Recomputes the listing rows `ids` of `machine` from their files (deleting those no file lists any more). `fresh` are this batch's files. */
export const listing = async (tx: Session, machine: string, ids: ReadonlyArray<string>, fresh: ReadonlyArray<FreshSegment>): Promise<void> => {
  if (ids.length === 0) return
  const rows = await tx.query<{ list_id: string; path: string; archived: boolean; mtime_ms: number; metadata: string }>(
    `SELECT f.list_id, f.path, f.archived, f.mtime_ms, ff.metadata FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path
     WHERE f.machine = $1 AND f.list_id = ANY($2::text[]) AND NOT f.path = ANY($3::text[])`,
    [machine, ids, fresh.map((f) => f.segment.path)]
  )
  const segments = new Map<string, Array<ThreadRow.Segment>>(ids.map((id) => [id, []]))
  for (const r of rows)
    segments.get(r.list_id)?.push({ path: r.path, archived: r.archived, mtimeMs: r.mtime_ms, metadata: JSON.parse(r.metadata) as ThreadMetadata.State })
  for (const f of fresh) segments.get(f.id)?.push(f.segment)
  const listed: Array<Array<unknown>> = []
  for (const [id, s] of segments) {
    const row = ThreadRow.make(id, s)
    if (row !== undefined)
      listed.push(
        rowValues(
          row,
          [...s].sort(ThreadRow.order).map((x) => x.path)
        )
      )
  }
  const kept = new Set(listed.map((r) => r[0]))
  const dropped = ids.filter((id) => !kept.has(id))
  if (dropped.length > 0) await tx.query("DELETE FROM threads WHERE machine = $1 AND id = ANY($2::text[])", [machine, dropped])
  if (listed.length === 0) return
  const u = Unnest.rows(THREAD_COLUMNS, listed, 2)
  await tx.query(
    `INSERT INTO threads (machine, ${THREAD_COLUMNS.map(([c]) => c).join(", ")}) SELECT $1, * FROM ${u.sql}
     ON CONFLICT (machine, id) DO UPDATE SET ${THREAD_COLUMNS.slice(1)
       .map(([c]) => `${c} = excluded.${c}`)
       .join(", ")}`,
    [machine, ...u.params]
  )
}
