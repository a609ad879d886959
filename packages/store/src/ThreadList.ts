/**
 * Listing threads from the index: `ThreadSummary`, the public row shape of `rollout ls --json`,
 * and the paged query behind it. It only reads SQLite; bringing the index up to date first is the
 * caller's business (`Store.list` refreshes, then lists).
 *
 * ThreadSummary follows the `Thread` of Codex's `thread/list` (B3) where the index knows the value:
 * - `id`, `name` (from `session_index.jsonl`, else null), `preview` (first user message; a
 *   paginated fork without one inherits its base thread's), `cwd`, `source` (`cli`, `vscode`,
 *   `exec`, `subagent:thread_spawn`, ...), `modelProvider`, `model` and `reasoningEffort` (the
 *   latest turn context), `cliVersion`, `originator`, `historyMode`;
 * - `createdAt` / `updatedAt`: Unix seconds, as Codex (creation from `session_meta.timestamp`,
 *   update from the newest file modification time); `recencyAt`: seconds of the last turn start;
 * - `createdAtMs` / `updatedAtMs`: the same instants in milliseconds, bumped until unique: the
 *   values cursors are made of, so they may run a few ms after the real instant;
 * - `archived`, `forkedFromId`, `parentThreadId` (the spawning thread of a sub-agent),
 *   `agentNickname`, `agentRole`, `path` (the first rollout file), `paths` (every segment).
 *
 * The local index adds (`Sizes`, not in Codex's `Thread`): `turns` (turns started, as `rollout
 * info` counts them), `tokens` (`{input, cachedInput, output, reasoningOutput, total}` of the last
 * `token_count` with usage, or null) and `bytes` (the thread's files' sizes on disk).
 *
 * Cursors are opaque strings (`<sort key>:<ms>`); the next page starts strictly after the cursor's
 * instant, which is exact because the instants are unique. Biggest first (`bySize`), the cursor is
 * `size:<bytes>:<id>` and pages go on strictly after that (bytes, id) pair.
 */
import type * as ThreadSummaryFold from "@rollout/reduce/ThreadSummary"
import type { Db } from "./IndexDatabase.js"
import * as ThreadSearch from "./ThreadSearch.js"

export type SortKey = "created_at" | "updated_at"

export interface ThreadSummary {
  readonly id: string
  readonly name: string | null
  readonly preview: string
  readonly cwd: string
  readonly source: string
  readonly modelProvider: string | null
  readonly model: string | null
  readonly reasoningEffort: string | null
  readonly cliVersion: string | null
  readonly originator: string | null
  readonly historyMode: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly recencyAt: number
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly archived: boolean
  readonly forkedFromId: string | null
  readonly parentThreadId: string | null
  readonly agentNickname: string | null
  readonly agentRole: string | null
  readonly path: string
  readonly paths: ReadonlyArray<string>
}

/** What the local index knows of a thread beyond Codex's `Thread`. */
export interface Sizes {
  readonly turns: number
  readonly tokens: ThreadSummaryFold.Tokens | null
  readonly bytes: number
}

export type Listed = ThreadSummary & Sizes

export interface Query {
  /** 1 to 100; default 25, as Codex. */
  readonly limit?: number
  readonly cursor?: string | null
  readonly sortKey?: SortKey
  /** Exact match on the thread's working directory. */
  readonly cwd?: string
  /** Threads whose name or preview contains the text, or whose messages or tool calls match it. */
  readonly search?: string
  /** List archived threads instead of active ones. */
  readonly archived?: boolean
  /**
   * Only threads whose sort-key instant (creation or last update, as listed) is in this range of
   * milliseconds, both ends inclusive.
   */
  readonly sinceMs?: number
  readonly untilMs?: number
  /** Exact match on the model of the latest turn context. */
  readonly model?: string
  /** The source (`cli`, `vscode`, `exec`, ...); `subagent` also matches every `subagent:...`. */
  readonly source?: string
  /** Biggest threads first (bytes on disk, then id, both descending) instead of newest first. */
  readonly bySize?: boolean
}

export interface Page {
  readonly data: ReadonlyArray<Listed>
  readonly nextCursor: string | null
}

export class InvalidCursor extends Error {
  readonly _tag = "InvalidCursor"
}

export const DEFAULT_LIMIT = 25
export const MAX_LIMIT = 100

const column = (key: SortKey) => (key === "created_at" ? "created_at_ms" : "updated_at_ms")

export const encodeCursor = (key: SortKey, ms: number): string => `${key}:${ms}`

/** The instant in a cursor; throws `InvalidCursor` for anything else or a cursor of another sort key. */
export const decodeCursor = (key: SortKey, cursor: string): number => {
  const m = /^(created_at|updated_at):(-?\d{1,16})$/.exec(cursor)
  if (m === null) throw new InvalidCursor(`invalid cursor: ${cursor}`)
  if (m[1] !== key) throw new InvalidCursor(`the cursor ${cursor} belongs to --sort-key ${m[1]}, not ${key}`)
  return Number(m[2])
}

interface Row {
  readonly id: string
  readonly name: string | null
  readonly preview: string
  readonly base_preview: string | null
  readonly cwd: string
  readonly source: string
  readonly model_provider: string | null
  readonly model: string | null
  readonly reasoning_effort: string | null
  readonly cli_version: string | null
  readonly originator: string | null
  readonly history_mode: string
  readonly created_at_natural_ms: number
  readonly updated_at_natural_ms: number
  readonly created_at_ms: number
  readonly updated_at_ms: number
  readonly last_turn_at: number | null
  readonly archived: number
  readonly forked_from_id: string | null
  readonly parent_thread_id: string | null
  readonly agent_nickname: string | null
  readonly agent_role: string | null
  readonly rollout_path: string
  readonly paths: string
  readonly turns: number
  readonly tokens: string | null
  readonly bytes: number
}

export const SELECT = `
  SELECT t.*, n.name AS name, b.preview AS base_preview,
    (SELECT json_group_array(path) FROM (SELECT path FROM files f WHERE f.thread_id = t.id ORDER BY f.archived, f.path)) AS paths
  FROM threads t
  LEFT JOIN names n ON n.id = t.id
  LEFT JOIN threads b ON b.id = t.history_base_id`

export const toSummary = (r: Row): Listed => {
  const createdAt = Math.floor(r.created_at_natural_ms / 1000)
  return {
    id: r.id,
    name: r.name,
    preview: r.preview !== "" ? r.preview : (r.base_preview ?? ""),
    cwd: r.cwd,
    source: r.source,
    modelProvider: r.model_provider,
    model: r.model,
    reasoningEffort: r.reasoning_effort,
    cliVersion: r.cli_version,
    originator: r.originator,
    historyMode: r.history_mode,
    createdAt,
    updatedAt: Math.floor(r.updated_at_natural_ms / 1000),
    recencyAt: r.last_turn_at ?? createdAt,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
    archived: r.archived === 1,
    forkedFromId: r.forked_from_id,
    parentThreadId: r.parent_thread_id,
    agentNickname: r.agent_nickname,
    agentRole: r.agent_role,
    path: r.rollout_path,
    paths: JSON.parse(r.paths) as Array<string>,
    turns: r.turns,
    tokens: r.tokens === null ? null : (JSON.parse(r.tokens) as ThreadSummaryFold.Tokens),
    bytes: r.bytes
  }
}

export const encodeSizeCursor = (bytes: number, id: string): string => `size:${bytes}:${id}`

/** The (bytes, id) in a biggest-first cursor; throws `InvalidCursor` for anything else. */
export const decodeSizeCursor = (cursor: string): { readonly bytes: number; readonly id: string } => {
  const m = /^size:(\d{1,16}):(.+)$/.exec(cursor)
  if (m === null)
    throw new InvalidCursor(
      /^(created_at|updated_at):/.test(cursor) ? `the cursor ${cursor} belongs to a listing by time, not by size` : `invalid cursor: ${cursor}`
    )
  return { bytes: Number(m[1]), id: m[2] ?? "" }
}

/** Where the page starts: strictly after the cursor's instant, or its (bytes, id) pair biggest first. */
const after = (query: Query, key: SortKey, where: Array<string>, params: Array<string | number>): void => {
  if (query.cursor === undefined || query.cursor === null) return
  if (query.bySize === true) {
    const c = decodeSizeCursor(query.cursor)
    where.push("(t.bytes < ? OR (t.bytes = ? AND t.id < ?))")
    params.push(c.bytes, c.bytes, c.id)
  } else {
    where.push(`t.${column(key)} < ?`)
    params.push(decodeCursor(key, query.cursor))
  }
}

/** One page of threads, newest (or biggest) first. */
export const list = (db: Db, query: Query = {}): Page => {
  const key = query.sortKey ?? "created_at"
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)))
  const where: Array<string> = ["t.archived = ?"]
  const params: Array<string | number> = [query.archived === true ? 1 : 0]
  const bySize = query.bySize === true
  after(query, key, where, params)
  if (query.cwd !== undefined) {
    where.push("t.cwd = ?")
    params.push(query.cwd)
  }
  // The natural instants (before cursor bumps), as the listing shows them.
  const natural = key === "created_at" ? "created_at_natural_ms" : "updated_at_natural_ms"
  if (query.sinceMs !== undefined) {
    where.push(`t.${natural} >= ?`)
    params.push(query.sinceMs)
  }
  if (query.untilMs !== undefined) {
    where.push(`t.${natural} <= ?`)
    params.push(query.untilMs)
  }
  if (query.model !== undefined) {
    where.push("t.model = ?")
    params.push(query.model)
  }
  if (query.source !== undefined) {
    where.push("(t.source = ? OR substr(t.source, 1, length(?) + 1) = ? || ':')")
    params.push(query.source, query.source, query.source)
  }
  // The full-text hits, each also in every fork whose copy holds it (as search finds them), lead the statement.
  const searched = query.search !== undefined && query.search !== ""
  if (searched) {
    // Case-sensitive substring on name and preview, as Codex; plus full-text hits in the content.
    where.push(
      "(instr(coalesce(n.name, ''), ?) > 0 OR instr(t.preview, ?) > 0 OR t.id IN (SELECT s.thread_id FROM doc_sources s WHERE s.id IN (SELECT src FROM row)))"
    )
    params.push(query.search, query.search)
  }
  const order = bySize ? "t.bytes DESC, t.id DESC" : `t.${column(key)} DESC`
  const rows = db
    .prepare<Array<string | number>, Row>(`${searched ? ThreadSearch.hits("NULL") : ""} ${SELECT} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`)
    .all(...(searched ? [ThreadSearch.matchExpression(query.search ?? "")] : []), ...params, limit + 1)
  const page = rows.slice(0, limit).map(toSummary)
  const last = page[page.length - 1]
  const next = (t: Listed) => (bySize ? encodeSizeCursor(t.bytes, t.id) : encodeCursor(key, key === "created_at" ? t.createdAtMs : t.updatedAtMs))
  return { data: page, nextCursor: rows.length > limit && last !== undefined ? next(last) : null }
}
