/**
 * Writing one thread's row: its file rows (the stored fold states of its segments) are combined by
 * `ThreadRow` (and `ThreadFacts`, with the files' sizes) into what the files say, then the row is
 * inserted, updated or deleted, with unique millisecond cursors from `MillisCursor` (kept while the
 * underlying instant does not move, so a cursor handed out stays valid). Runs inside the caller's
 * write transaction.
 */
import * as FileRow from "./FileRow.js"
import { type Db, statement } from "../IndexDatabase.js"
import * as MillisCursor from "./MillisCursor.js"
import * as ThreadRow from "@rollout/reduce/ThreadRow"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"

/** Rebuilds (or deletes) the row of thread `id` from its file rows. Call inside a write transaction. */
export const rebuild = (db: Db, id: string): void => {
  const rows = FileRow.ofThread(db, id)
  const segments = rows.map((r) => {
    const state = FileRow.latest(r)
    return { path: r.path, archived: r.archived === 1, mtimeMs: r.mtime_ms, metadata: state.metadata, facts: state.facts ?? ThreadFacts.empty, bytes: r.size }
  })
  const natural = ThreadRow.make(id, segments)
  if (natural === undefined) {
    statement(db, "DELETE FROM threads WHERE id = ?").run(id)
    return
  }
  const old = statement<[string], { created_at_natural_ms: number; updated_at_natural_ms: number; created_at_ms: number; updated_at_ms: number }>(
    db,
    "SELECT created_at_natural_ms, updated_at_natural_ms, created_at_ms, updated_at_ms FROM threads WHERE id = ?"
  ).get(natural.id)
  const createdMs =
    old !== undefined && old.created_at_natural_ms === natural.createdAtMs
      ? old.created_at_ms
      : MillisCursor.allocate(db, "created_at_ms", natural.createdAtMs, natural.id)
  const updatedMs =
    old !== undefined && old.updated_at_natural_ms === natural.updatedAtMs
      ? old.updated_at_ms
      : MillisCursor.allocate(db, "updated_at_ms", natural.updatedAtMs, natural.id)
  const facts = ThreadFacts.combine([...segments].sort(ThreadRow.order).map((s) => s.facts))
  // An upsert, not INSERT OR REPLACE: a cursor clash must fail loudly, never delete the other row.
  statement(db, UPSERT_THREAD).run(
    natural.id,
    natural.rolloutPath,
    natural.createdAtMs,
    natural.updatedAtMs,
    createdMs,
    updatedMs,
    natural.preview,
    natural.cwd,
    natural.source,
    natural.modelProvider,
    natural.model,
    natural.reasoningEffort,
    natural.cliVersion,
    natural.originator,
    natural.historyMode,
    natural.historyBaseId,
    natural.archived ? 1 : 0,
    natural.forkedFromId,
    natural.parentThreadId,
    natural.agentNickname,
    natural.agentRole,
    natural.lastTurnAt,
    facts.turns,
    facts.tokens === null ? null : JSON.stringify(facts.tokens),
    segments.reduce((n, s) => n + s.bytes, 0)
  )
}

const THREAD_COLUMNS = [
  "id",
  "rollout_path",
  "created_at_natural_ms",
  "updated_at_natural_ms",
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
  "last_turn_at",
  "turns",
  "tokens",
  "bytes"
]

const UPSERT_THREAD = `INSERT INTO threads (${THREAD_COLUMNS.join(", ")}) VALUES (${THREAD_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT(id) DO UPDATE SET ${THREAD_COLUMNS.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`
