/**
 * The team database as a source of threads for `rollout serve --database`: one thread by id, the
 * threads in the order a `thread/list` walks them (by creation second or update instant, then id),
 * the values the web app's filters offer, and each thread's update instant for the live feed.
 * Rows are the listing's (`TeamList.toThread`: the local `ThreadSummary` and its machine). A thread
 * id pushed from two machines (a copied home) is one thread here: its most recently updated row.
 * It answers questions; Codex's paging rules and cursor text are the server's (`@rollout/serve`).
 */
import * as TeamList from "./TeamList.js"
import type { Session } from "./TeamDatabase.js"

export type Key = "created_at" | "updated_at"

export interface Filter {
  readonly archived: boolean
  readonly cwds?: ReadonlyArray<string> | undefined
  /** Model providers; empty or absent means every one. */
  readonly providers?: ReadonlyArray<string> | undefined
  /** Text the preview must contain (Codex's title search, as the local index answers it). */
  readonly title?: string | undefined
  readonly included?: ReadonlyArray<string> | undefined
  readonly excluded?: ReadonlyArray<string> | undefined
}

/** Where a walk starts: strictly after (`id` given) the row at `ms`, or strictly past the instant `ms`. */
export interface After {
  readonly ms: number
  readonly id?: string
}

export interface Keyed {
  readonly thread: TeamList.TeamThread
  /** The sort key's instant: creation in whole seconds (as Codex keys it) or the update instant. */
  readonly keyMs: number
}

const keyOf = (key: Key): string => (key === "created_at" ? "(t.created_at_ms / 1000) * 1000" : "t.updated_at_ms")

/** The newest row of each thread id only. */
const NEWEST = "NOT EXISTS (SELECT 1 FROM threads o WHERE o.id = t.id AND (o.updated_at_ms, o.machine) > (t.updated_at_ms, t.machine))"

/** Up to `limit` threads in key order from `after`, those passing `filter`. */
export const ordered = async (
  db: Session,
  o: { readonly key: Key; readonly ascending: boolean; readonly after?: After | undefined; readonly filter: Filter; readonly limit: number }
): Promise<ReadonlyArray<Keyed>> => {
  const params: Array<unknown> = [o.filter.archived]
  const param = (v: unknown) => {
    params.push(v)
    return `$${params.length}`
  }
  const k = keyOf(o.key)
  const where = ["t.archived = $1", NEWEST]
  const cmp = o.ascending ? ">" : "<"
  if (o.after !== undefined)
    where.push(o.after.id === undefined ? `${k} ${cmp} ${param(o.after.ms)}` : `(${k}, t.id) ${cmp} (${param(o.after.ms)}, ${param(o.after.id)})`)
  const f = o.filter
  if (f.cwds !== undefined) where.push(`t.cwd = ANY(${param([...f.cwds])}::text[])`)
  if (f.providers !== undefined && f.providers.length > 0) where.push(`t.model_provider = ANY(${param([...f.providers])}::text[])`)
  if (f.title !== undefined && f.title !== "") where.push(`strpos(t.preview, ${param(f.title)}) > 0`)
  if (f.included !== undefined) where.push(`t.id = ANY(${param(f.included.map((id) => id.toLowerCase()))}::text[])`)
  if (f.excluded !== undefined && f.excluded.length > 0) where.push(`NOT (t.id = ANY(${param(f.excluded.map((id) => id.toLowerCase()))}::text[]))`)
  const dir = o.ascending ? "ASC" : "DESC"
  const rows = await db.query<TeamList.Row & { key_ms: number }>(
    `${TeamList.SELECT.replace("SELECT t.*", `SELECT t.*, ${k} AS key_ms`)} WHERE ${where.join(" AND ")} ORDER BY key_ms ${dir}, t.id ${dir} LIMIT ${param(o.limit)}`,
    params
  )
  return rows.map((r) => ({ thread: TeamList.toThread(r), keyMs: r.key_ms }))
}

/** Thread `id` (its newest row when several machines pushed it). */
export const find = async (db: Session, id: string): Promise<TeamList.TeamThread | undefined> => {
  const [row] = await db.query<TeamList.Row>(`${TeamList.SELECT} WHERE t.id = $1 ORDER BY t.updated_at_ms DESC, t.machine DESC LIMIT 1`, [id.toLowerCase()])
  return row === undefined ? undefined : TeamList.toThread(row)
}

const distinct = async (db: Session, column: "cwd" | "model" | "source" | "machine"): Promise<Array<string>> =>
  (
    await db.query<{ v: string }>(
      `SELECT ${column} AS v, count(*) AS n FROM threads WHERE ${column} IS NOT NULL AND ${column} <> '' GROUP BY ${column} ORDER BY n DESC, v LIMIT 200`
    )
  ).map((r) => r.v)

/** The folders, models, sources and machines the threads have, most used first. */
export const facets = async (db: Session) => ({
  cwds: await distinct(db, "cwd"),
  models: await distinct(db, "model"),
  sources: await distinct(db, "source"),
  machines: await distinct(db, "machine")
})

/** Each thread's update instant and size, keyed by machine and id: what moves when a push changes it. */
export const changes = async (db: Session): Promise<Map<string, string>> => {
  const rows = await db.query<{ machine: string; id: string; v: string }>(
    `SELECT t.machine, t.id, t.updated_at_ms::text || ':' || coalesce((SELECT sum(f.bytes_end) FROM files f WHERE f.machine = t.machine AND f.list_id = t.id), 0)::text AS v
     FROM threads t ORDER BY t.machine, t.id`
  )
  return new Map(rows.map((r) => [`${r.machine}\u0001${r.id}`, r.v]))
}

/** What changes when a thread's files change: their pushed ends and modification times. */
export const version = async (db: Session, machine: string, paths: ReadonlyArray<string>): Promise<string> => {
  const [row] = await db.query<{ v: string | null }>(
    `SELECT string_agg(path || ':' || bytes_end::text || ':' || mtime_ms::text, '|' ORDER BY path) AS v FROM files WHERE machine = $1 AND path = ANY($2::text[])`,
    [machine, [...paths]]
  )
  return `${machine}|${row?.v ?? "gone"}`
}

/**
 * Moves whenever a push changes a file (one scan of the narrow `files` rows). Sums as well as the
 * newest push time: transactions commit out of order, so a file written by an earlier transaction
 * can commit after a later one and leave the newest time as it was.
 */
export const statsVersion = async (db: Session): Promise<string> => {
  const [row] = await db.query<{ v: string }>(
    "SELECT count(*)::text || ':' || coalesce(sum(bytes_end), 0)::text || ':' || coalesce(sum(mtime_ms), 0)::text || ':' || coalesce(max(synced_at)::text, '') AS v FROM files"
  )
  return row?.v ?? ""
}
