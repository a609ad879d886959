/**
 * The team's PostgreSQL database as a `ThreadSource`, for `rollout serve --database`: every pushed
 * machine's threads (the web app shows each one's machine), search over all of them, the
 * dashboard from the pushed statistics, and a thread's rollout read back from its pushed bytes
 * (`TeamFiles`) and rebuilt by the same folds as a local read, so `thread/read` and
 * `thread/turns/list` answer as the local server does for the same thread. `thread/list` follows
 * Codex's paging and cursor text, keyed as locally (creation by whole seconds, update by the file's
 * time); with no home there is no configured model provider, so every provider is listed unless
 * the request names some. The database is only read: it has no `writes`. Live updates are the feed
 * polling `changes` for new pushes.
 */
import { Effect } from "effect"
import * as TeamDatabase from "@rollout/team/TeamDatabase"
import type * as TeamError from "@rollout/team/TeamError"
import * as TeamFiles from "@rollout/team/TeamFiles"
import * as TeamList from "@rollout/team/TeamList"
import * as TeamSearch from "@rollout/team/TeamSearch"
import * as TeamStats from "@rollout/team/TeamStats"
import * as TeamThreads from "@rollout/team/TeamThreads"
import * as ThreadList from "@rollout/store/ThreadList"
import * as RpcError from "./RpcError.js"
import * as ListCursor from "./internal/ListCursor.js"
import * as MetaLine from "./internal/MetaLine.js"
import * as SourceKind from "./internal/SourceKind.js"
import type * as ThreadListQuery from "./internal/ThreadListQuery.js"
import * as WebStats from "./internal/WebStats.js"
import type * as ThreadSource from "./ThreadSource.js"

const strings = (v: unknown): ReadonlyArray<string> | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined)

/** Rows fetched per round while sources are filtered (they are not filtered in SQL, as locally). */
const BATCH = 200

const run = <A>(db: TeamDatabase.Shape, work: Effect.Effect<A, TeamError.TeamError, TeamDatabase.TeamDatabase>): Promise<A> =>
  Effect.runPromise(work.pipe(Effect.provideService(TeamDatabase.TeamDatabase, db)))

const machineOf = (t: ThreadSource.Thread): string => t.machine ?? ""

/** `thread/list` over the database, as `ThreadListQuery.run` over the index. */
const list = async (db: TeamDatabase.Shape, p: ThreadListQuery.Params): Promise<ThreadListQuery.Page<ThreadSource.Thread>> => {
  if (strings(p.originators)?.length)
    throw new RpcError.RpcError({ code: RpcError.INVALID_PARAMS, message: "originator filtering is not supported by the local app-server" })
  const byCreated = (p.sortKey ?? "created_at") === "created_at"
  const ascending = p.sortDirection === "asc"
  const kinds = strings(p.sourceKinds) ?? []
  const wanted = kinds.length > 0 ? kinds : SourceKind.interactive
  const blind = kinds.length > 0 && kinds.every((k) => !SourceKind.interactive.includes(k))
  const excluded = strings(p.excludedThreadIds) ?? []
  if (excluded.length > 100) throw RpcError.invalidRequest("excludedThreadIds accepts at most 100 ids")
  const cwds = typeof p.cwd === "string" ? [p.cwd] : strings(p.cwd)
  const filter: TeamThreads.Filter = {
    archived: p.archived === true,
    cwds,
    providers: strings(p.modelProviders),
    title: typeof p.searchTerm === "string" ? p.searchTerm : undefined,
    included: strings(p.includedThreadIds),
    excluded
  }
  const limit = Math.min(100, Math.max(1, p.limit ?? 25))
  const c = p.cursor === undefined || p.cursor === null ? undefined : ListCursor.decode(p.cursor)
  let after: TeamThreads.After | undefined = c === undefined ? undefined : c._tag === "After" ? { ms: c.ms, id: c.id } : { ms: c.ms }
  const rows: Array<TeamThreads.Keyed> = []
  for (;;) {
    const batch = await TeamThreads.ordered(db, { key: byCreated ? "created_at" : "updated_at", ascending, after, filter, limit: BATCH })
    for (const k of batch) if (SourceKind.matches(k.thread.source, wanted) && rows.length <= limit) rows.push(k)
    const last = batch[batch.length - 1]
    if (rows.length > limit || batch.length < BATCH || last === undefined) break
    after = { ms: last.keyMs, id: last.thread.id }
  }
  const data = rows.slice(0, limit)
  const first = data[0]?.thread
  const last = data[data.length - 1]
  return {
    data: data.map((k) => k.thread),
    nextCursor: (rows.length > limit || (blind && data.length === limit)) && last !== undefined ? ListCursor.next(last.keyMs, last.thread.id) : null,
    backwardsCursor: first === undefined ? null : ListCursor.backwards(byCreated ? first.createdAtMs : first.updatedAtMs, ascending)
  }
}

/** The web list's failures as the index's: a cursor it cannot read is the caller's mistake. */
const threads = (db: TeamDatabase.Shape, q: ThreadList.Query & { readonly machine?: string }) =>
  run(db, TeamList.list(q)).catch((e: unknown) => {
    const reason = (e as { reason?: unknown } | null)?.reason
    throw reason === "usage" ? new ThreadList.InvalidCursor((e as Error).message) : e
  })

/** Each thread's version, keyed by id (a thread pushed by two machines: both rows' versions). */
const changes = async (db: TeamDatabase.Shape): Promise<Map<string, string>> => {
  const out = new Map<string, string>()
  for (const [key, v] of await TeamThreads.changes(db)) {
    const id = key.slice(key.indexOf("\u0001") + 1)
    out.set(id, out.has(id) ? `${out.get(id)}|${v}` : v)
  }
  return out
}

/**
 * `changes`, read again only when a push has written something since the last look (one cheap
 * query), so a page listening to the live feed costs the database little between pushes.
 */
const changesOnPush = (db: TeamDatabase.Shape) => {
  let last: { readonly version: string; readonly threads: Map<string, string> } | undefined
  return async (): Promise<Map<string, string>> => {
    const version = await TeamThreads.statsVersion(db)
    if (last?.version !== version) last = { version, threads: await changes(db) }
    return last.threads
  }
}

export const make = (db: TeamDatabase.Shape): ThreadSource.ThreadSource => ({
  home: db.target.shown,
  refresh: async () => {},
  find: (id) => TeamThreads.find(db, id),
  reader: async (t) => {
    const home = await TeamFiles.open(db, machineOf(t))
    if (home === undefined) throw new Error(`no machine ${machineOf(t)} in the team database`)
    return { files: home.files, home: home.home }
  },
  version: (t) => TeamThreads.version(db, machineOf(t), t.paths),
  meta: async (t) => (t.path.endsWith(".jsonl") ? MetaLine.parse(await TeamFiles.firstLine(db, machineOf(t), t.path)) : undefined),
  list: (p) => list(db, p),
  threads: (q) => threads(db, q),
  facets: async () => {
    const f = await TeamThreads.facets(db)
    return { cwds: f.cwds, models: f.models, sources: f.sources, machines: f.machines }
  },
  search: (q) => run(db, TeamSearch.search(q)),
  statsVersion: () => TeamThreads.statsVersion(db),
  stats: () => run(db, TeamStats.stats({ by: "project" })).then(WebStats.answer),
  changes: changesOnPush(db),
  watched: [],
  writes: undefined,
  local: undefined,
  close: async () => {}
})
