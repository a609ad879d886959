/**
 * The threads of one local Codex home as a `ThreadSource`: rows, pages and hits from its SQLite
 * index (refreshed the bounded way a listing refreshes it), files from the disk, the dashboard
 * from `rollout stats` over the home, and archive, unarchive and rename as the CLI makes them.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as StatsQuery from "@rollout/query/StatsQuery"
import type * as Store from "@rollout/store/Store"
import * as ThreadList from "@rollout/store/ThreadList"
import * as HomeConfig from "./internal/HomeConfig.js"
import * as MetaLine from "./internal/MetaLine.js"
import * as ThreadListQuery from "./internal/ThreadListQuery.js"
import * as WebStats from "./internal/WebStats.js"
import type * as ThreadSource from "./ThreadSource.js"

export interface Options {
  readonly home: string
  readonly store: Store.Store
}

/** What changes when a thread's files change: their sizes and modification times. */
const version = (t: ThreadSource.Thread): string =>
  t.paths
    .map((p) => {
      try {
        const s = fs.statSync(p)
        return `${p}:${s.size}:${s.mtimeMs}`
      } catch {
        return `${p}:gone`
      }
    })
    .join("|")

const distinct = (store: Store.Store, column: "cwd" | "model" | "source"): Array<string> =>
  (
    store.database
      .prepare(`SELECT ${column} AS v, count(*) AS n FROM threads WHERE ${column} IS NOT NULL AND ${column} != '' GROUP BY ${column} ORDER BY n DESC LIMIT 200`)
      .all() as Array<{ v: string }>
  ).map((r) => r.v)

/**
 * Every thread's update instant, read again only when the table's count or sum of instants moved
 * (the live feed asks after every look; most looks find nothing new).
 */
const changes = (store: Store.Store): (() => Promise<Map<string, string>>) => {
  let last: { readonly mark: string; readonly map: Map<string, string> } | undefined
  return async () => {
    const mark = JSON.stringify(store.database.prepare("SELECT count(*) AS n, total(updated_at_ms) AS s FROM threads").get())
    if (last?.mark === mark) return last.map
    const rows = store.database.prepare("SELECT id, updated_at_ms AS u FROM threads").all() as Array<{ id: string; u: number }>
    last = { mark, map: new Map(rows.map((r) => [r.id, String(r.u)])) }
    return last.map
  }
}

export const make = ({ home, store }: Options): ThreadSource.ThreadSource => ({
  home,
  refresh: () => store.refresh({ scope: "quick" }).then(() => undefined),
  find: async (id) => {
    const row = store.database.prepare(`${ThreadList.SELECT} WHERE t.id = ?`).get(id.toLowerCase())
    return row === undefined ? undefined : ThreadList.toSummary(row as Parameters<typeof ThreadList.toSummary>[0])
  },
  reader: async () => ({ files: Files.node, home }),
  version: async (t) => version(t),
  meta: async (t) => MetaLine.read(t.path),
  list: async (p) => {
    await store.refresh({ scope: "quick" })
    return ThreadListQuery.run(store.database, p, HomeConfig.modelProvider(home))
  },
  // A home is one machine's: there is nothing to filter by machine.
  threads: ({ machine: _machine, ...q }) => store.list(q),
  facets: async () => ({ cwds: distinct(store, "cwd"), models: distinct(store, "model"), sources: distinct(store, "source") }),
  search: async (q) => {
    const hits = await store.search(q)
    return { hits, total: store.searchTotal(q) }
  },
  // The index's state in one string: it moves whenever a thread appears, grows or goes.
  statsVersion: async () => JSON.stringify(store.database.prepare("SELECT count(*) AS n, max(updated_at_ms) AS u FROM threads").get()),
  stats: () =>
    Effect.runPromise(StatsQuery.report({ paths: [home], by: "project", codexHome: home, jobs: "auto" }).pipe(Effect.provide(Files.layerNode))).then((a) =>
      WebStats.answer(a.report)
    ),
  changes: changes(store),
  watched: ["sessions", "archived_sessions"].map((d) => nodePath.join(home, d)),
  writes: {
    archive: (id) => store.archive(id).then(() => undefined),
    unarchive: (id) => store.unarchive(id).then(() => undefined),
    setName: (id, name) => {
      // Codex stamps nanoseconds; the clock here has milliseconds.
      const updatedAt = new Date().toISOString().replace("Z", "000000Z")
      fs.appendFileSync(nodePath.join(home, "session_index.jsonl"), `${JSON.stringify({ id, thread_name: name, updated_at: updatedAt })}\n`)
    }
  },
  local: { home, store },
  close: async () => {}
})
