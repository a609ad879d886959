/**
 * `rollout ls --database`: the threads of every pushed machine, newest first, a page at a time, as
 * the local `ThreadSummary` (`@rollout/store/ThreadList`) plus the `machine` it came from. Pages
 * are keyset pages on (instant, machine, id), which is unique without bumping instants, so a
 * cursor is stable and no thread is skipped or repeated. `createdAtMs`/`updatedAtMs` are the
 * natural instants (not bumped: the cursor carries machine and id as tie-breakers). Each thread
 * carries the local listing's `Sizes` too (turns, tokens, bytes), from its files' pushed fold
 * states by the same rule (`ThreadFacts.combine` over the segments in `ThreadRow.order`).
 */
import { Effect } from "effect"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"
import * as ThreadRow from "@rollout/reduce/ThreadRow"
import type * as ThreadList from "@rollout/store/ThreadList"
import * as TextQuery from "./internal/TextQuery.js"
import * as TeamDatabase from "./TeamDatabase.js"
import * as TeamError from "./TeamError.js"

export interface TeamThread extends ThreadList.ThreadSummary {
  readonly machine: string
}

export interface Page {
  readonly data: ReadonlyArray<TeamThread & ThreadList.Sizes>
  readonly nextCursor: string | null
}

interface Cursor {
  readonly ms: number
  readonly machine: string
  readonly id: string
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url")

export const encodeCursor = (key: ThreadList.SortKey, c: Cursor): string => `${key}:${c.ms}:${b64(c.machine)}:${c.id}`

/** The position in a cursor; a cursor of another sort key, or of the local index, is refused. */
export const decodeCursor = (key: ThreadList.SortKey, cursor: string): Cursor | TeamError.TeamError => {
  const m = /^(created_at|updated_at):(-?\d{1,16}):([A-Za-z0-9_-]*):(.+)$/.exec(cursor)
  if (m === null) return new TeamError.TeamError({ reason: "usage", message: `invalid cursor: ${cursor} (not a cursor of ls --database)` })
  if (m[1] !== key) return new TeamError.TeamError({ reason: "usage", message: `the cursor ${cursor} belongs to --sort-key ${m[1]}, not ${key}` })
  return { ms: Number(m[2]), machine: Buffer.from(m[3] ?? "", "base64url").toString("utf8"), id: m[4] ?? "" }
}

export interface Row {
  readonly machine: string
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
  readonly created_at_ms: number
  readonly updated_at_ms: number
  readonly last_turn_at: number | null
  readonly archived: boolean
  readonly forked_from_id: string | null
  readonly parent_thread_id: string | null
  readonly agent_nickname: string | null
  readonly agent_role: string | null
  readonly rollout_path: string
  readonly paths: string
}

export const toThread = (r: Row): TeamThread => {
  const createdAt = Math.floor(r.created_at_ms / 1000)
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
    updatedAt: Math.floor(r.updated_at_ms / 1000),
    recencyAt: r.last_turn_at ?? createdAt,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
    archived: r.archived,
    forkedFromId: r.forked_from_id,
    parentThreadId: r.parent_thread_id,
    agentNickname: r.agent_nickname,
    agentRole: r.agent_role,
    path: r.rollout_path,
    paths: JSON.parse(r.paths) as Array<string>,
    machine: r.machine
  }
}

/** A thread row with its name and its base thread's preview (a paginated fork without its own inherits it). */
export const SELECT = `SELECT t.*, n.name AS name, b.preview AS base_preview
         FROM threads t
         LEFT JOIN names n ON n.machine = t.machine AND n.id = t.id
         LEFT JOIN threads b ON b.machine = t.machine AND b.id = t.history_base_id`

const NO_SIZES: ThreadList.Sizes = { turns: 0, tokens: null, bytes: 0 }

/** The turns, tokens and bytes of `threads`, keyed by machine and id, from their files' rows (one query). */
const sizesOf = async (db: TeamDatabase.Shape, threads: ReadonlyArray<TeamThread>): Promise<Map<string, ThreadList.Sizes>> => {
  if (threads.length === 0) return new Map()
  const rows = await db.query<{ machine: string; list_id: string; path: string; archived: boolean; size: string | number; facts: ThreadFacts.State | null }>(
    `SELECT f.machine, f.list_id, f.path, f.archived, f.size, ff.scan_state::jsonb -> 'facts' AS facts
     FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path
     JOIN unnest($1::text[], $2::text[]) AS w (machine, id) ON f.machine = w.machine AND f.list_id = w.id`,
    [threads.map((t) => t.machine), threads.map((t) => t.id)]
  )
  const segments = new Map<string, Array<(typeof rows)[number]>>()
  for (const r of rows) {
    const key = `${r.machine}\u0001${r.list_id}`
    segments.set(key, [...(segments.get(key) ?? []), r])
  }
  const out = new Map<string, ThreadList.Sizes>()
  for (const [key, files] of segments) {
    const ordered = [...files].sort(ThreadRow.order)
    const facts = ThreadFacts.combine(ordered.map((f) => f.facts ?? ThreadFacts.empty))
    out.set(key, { turns: facts.turns, tokens: facts.tokens, bytes: ordered.reduce((n, f) => n + Number(f.size), 0) })
  }
  return out
}

const DEFAULT_LIMIT = 25
const MAX_LIMIT = 100

/** One page of threads across machines, newest first by the sort key. */
export const list = (query: ThreadList.Query & { readonly machine?: string }): Effect.Effect<Page, TeamError.TeamError, TeamDatabase.TeamDatabase> =>
  Effect.gen(function* () {
    const key = query.sortKey ?? "created_at"
    const col = key === "created_at" ? "created_at_ms" : "updated_at_ms"
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)))
    const params: Array<unknown> = [query.archived === true]
    const where = ["t.archived = $1"]
    const param = (v: unknown) => {
      params.push(v)
      return `$${params.length}`
    }
    if (query.cursor !== undefined && query.cursor !== null) {
      const c = decodeCursor(key, query.cursor)
      if (c instanceof TeamError.TeamError) return yield* c
      where.push(`(t.${col}, t.machine, t.id) < (${param(c.ms)}, ${param(c.machine)}, ${param(c.id)})`)
    }
    if (query.cwd !== undefined) where.push(`t.cwd = ${param(query.cwd)}`)
    if (query.model !== undefined) where.push(`t.model = ${param(query.model)}`)
    // As locally: `subagent` also matches every `subagent:...`.
    if (query.source !== undefined) {
      const s = param(query.source)
      where.push(`(t.source = ${s} OR left(t.source, length(${s}) + 1) = ${s} || ':')`)
    }
    if (query.sinceMs !== undefined) where.push(`t.${col} >= ${param(query.sinceMs)}`)
    if (query.untilMs !== undefined) where.push(`t.${col} <= ${param(query.untilMs)}`)
    if (query.machine !== undefined) where.push(`t.machine = ${param(query.machine)}`)
    if (query.search !== undefined && query.search !== "") {
      const s = param(query.search)
      const ts = TextQuery.source(query.search)
      const docs =
        ts === undefined
          ? ""
          : ` OR EXISTS (SELECT 1 FROM docs d WHERE d.machine = t.machine AND d.thread_id = t.id AND d.tsv @@ to_tsquery('${TextQuery.CONFIG}', ${param(ts)}))`
      where.push(`(strpos(coalesce(n.name, ''), ${s}) > 0 OR strpos(t.preview, ${s}) > 0${docs})`)
    }
    const rows = yield* TeamDatabase.use((db) =>
      db.query<Row>(
        `${SELECT}
         WHERE ${where.join(" AND ")}
         ORDER BY t.${col} DESC, t.machine DESC, t.id DESC
         LIMIT ${param(limit + 1)}`,
        params
      )
    )
    const page = rows.slice(0, limit).map(toThread)
    const last = page[page.length - 1]
    const sizes = yield* TeamDatabase.use((db) => sizesOf(db, page))
    return {
      data: page.map((t) => ({ ...t, ...(sizes.get(`${t.machine}\u0001${t.id}`) ?? NO_SIZES) })),
      nextCursor:
        rows.length > limit && last !== undefined
          ? encodeCursor(key, { ms: key === "created_at" ? last.createdAtMs : last.updatedAtMs, machine: last.machine, id: last.id })
          : null
    }
  })
