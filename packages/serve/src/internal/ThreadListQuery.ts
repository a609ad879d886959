/**
 * `thread/list` over the SQLite index with Codex's semantics (0.171, local store): rows ordered by
 * the sort key then the thread id, `created_at` keyed by whole seconds, `updated_at` and
 * `recency_at` by the file's modification time; default sources `cli` and `vscode`; default model
 * provider the home's configured one; limit clamped to 1..100 (default 25). Refreshing the index
 * first is the caller's business.
 */
import type * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as ThreadList from "@rollout/store/ThreadList"
import * as RpcError from "../RpcError.js"
import * as ListCursor from "./ListCursor.js"
import * as SourceKind from "./SourceKind.js"

export interface Params {
  readonly limit?: number | null
  readonly cursor?: string | null
  readonly sortKey?: string | null
  readonly sortDirection?: string | null
  readonly archived?: boolean | null
  readonly cwd?: string | ReadonlyArray<string> | null
  readonly sourceKinds?: ReadonlyArray<string> | null
  readonly modelProviders?: ReadonlyArray<string> | null
  readonly searchTerm?: string | null
  readonly originators?: ReadonlyArray<string> | null
  readonly includedThreadIds?: ReadonlyArray<string> | null
  readonly excludedThreadIds?: ReadonlyArray<string> | null
}

export interface Page<T = ThreadList.ThreadSummary> {
  readonly data: ReadonlyArray<T>
  readonly nextCursor: string | null
  readonly backwardsCursor: string | null
}

const clamp = (limit: number | null | undefined): number => Math.min(100, Math.max(1, limit ?? 25))

const list = (v: unknown): ReadonlyArray<string> | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined)

export const run = (db: IndexDatabase.Db, p: Params, configuredProvider: string): Page => {
  if (list(p.originators)?.length)
    throw new RpcError.RpcError({ code: RpcError.INVALID_PARAMS, message: "originator filtering is not supported by the local app-server" })
  const sortKey = p.sortKey ?? "created_at"
  const byCreated = sortKey === "created_at"
  const asc = p.sortDirection === "asc"
  // Codex's recency of a thread it did not run is its bumped (unique) update instant, as ours.
  const searching = typeof p.searchTerm === "string" && p.searchTerm !== ""
  const kinds = list(p.sourceKinds) ?? []
  // Codex answers a title search, and a listing of every provider beyond the interactive sources,
  // by other paths: both start the backwards cursor from the whole second, and the second keeps
  // creation instants to the millisecond (as seen from Codex 0.171; its source does not say why).
  const everyProvider = Array.isArray(p.modelProviders) && p.modelProviders.length === 0
  const precise = everyProvider && kinds.some((k) => !SourceKind.interactive.includes(k))
  const scan = searching || precise
  // Asked for non-interactive sources only, Codex does not look past the page: a full page always
  // has a next cursor, even when nothing follows (the page after it is then empty).
  const blind = kinds.length > 0 && kinds.every((k) => !SourceKind.interactive.includes(k))
  const fine = byCreated ? "t.created_at_natural_ms" : sortKey === "recency_at" ? "t.updated_at_ms" : "t.updated_at_natural_ms"
  const key = byCreated && !precise ? "((t.created_at_natural_ms / 1000) * 1000)" : fine
  const where: Array<string> = ["t.archived = ?"]
  const args: Array<string | number> = [p.archived === true ? 1 : 0]
  if (p.cursor !== undefined && p.cursor !== null) {
    const c = ListCursor.decode(p.cursor)
    if (c._tag === "After") {
      where.push(asc ? `(${key} > ? OR (${key} = ? AND t.id > ?))` : `(${key} < ? OR (${key} = ? AND t.id < ?))`)
      args.push(c.ms, c.ms, c.id)
    } else {
      where.push(asc ? `${key} > ?` : `${key} < ?`)
      args.push(c.ms)
    }
  }
  const cwds = typeof p.cwd === "string" ? [p.cwd] : list(p.cwd)
  if (cwds !== undefined) {
    where.push(`t.cwd IN (${cwds.map(() => "?").join(",") || "NULL"})`)
    args.push(...cwds)
  }
  const providers = p.modelProviders === undefined || p.modelProviders === null ? [configuredProvider] : (list(p.modelProviders) ?? [])
  if (providers.length > 0) {
    where.push(`t.model_provider IN (${providers.map(() => "?").join(",")})`)
    args.push(...providers)
  }
  if (searching) {
    where.push("instr(t.preview, ?) > 0")
    args.push(p.searchTerm as string)
  }
  const included = list(p.includedThreadIds)
  if (included !== undefined) {
    where.push(`t.id IN (${included.map(() => "?").join(",") || "NULL"})`)
    args.push(...included.map((id) => id.toLowerCase()))
  }
  const excluded = list(p.excludedThreadIds) ?? []
  if (excluded.length > 100) throw RpcError.invalidRequest("excludedThreadIds accepts at most 100 ids")
  if (excluded.length > 0) {
    where.push(`t.id NOT IN (${excluded.map(() => "?").join(",")})`)
    args.push(...excluded.map((id) => id.toLowerCase()))
  }
  const wanted = kinds.length > 0 ? kinds : SourceKind.interactive
  const dir = asc ? "ASC" : "DESC"
  const sql = `${ThreadList.SELECT} WHERE ${where.join(" AND ")} ORDER BY ${key} ${dir}, t.id ${dir}`
  const limit = clamp(p.limit)
  const rows: Array<ThreadList.ThreadSummary> = []
  // Sources are filtered here, not in SQL: a stored name stands for one or two Codex kinds.
  for (const row of db.prepare(sql).iterate(...args)) {
    const summary = ThreadList.toSummary(row as Parameters<typeof ThreadList.toSummary>[0])
    if (!SourceKind.matches(summary.source, wanted)) continue
    rows.push(summary)
    if (rows.length > limit) break
  }
  const data = rows.slice(0, limit)
  const first = data[0]
  const last = data[data.length - 1]
  const column = (t: ThreadList.ThreadSummary, expr: string) => natural(db, expr, t.id)
  const keyMs = (t: ThreadList.ThreadSummary) => column(t, key)
  const fineMs = (t: ThreadList.ThreadSummary) => (scan ? Math.floor(column(t, fine) / 1000) * 1000 : column(t, fine))
  return {
    data,
    nextCursor: (rows.length > limit || (blind && data.length === limit)) && last !== undefined ? ListCursor.next(keyMs(last), last.id) : null,
    backwardsCursor: first === undefined ? null : ListCursor.backwards(fineMs(first), asc)
  }
}

const natural = (db: IndexDatabase.Db, expr: string, id: string): number =>
  (db.prepare(`SELECT ${expr} AS ms FROM threads t WHERE t.id = ?`).get(id) as { ms: number } | undefined)?.ms ?? 0
