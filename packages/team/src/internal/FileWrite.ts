/**
 * A batch of files' push, in one transaction: under the files' advisory locks, their stored rows
 * are read again (another push of the same machine may have just written them), each file is
 * scanned for search text from its stored byte offset (`@rollout/store/FileScan`: a rewritten head
 * starts it over), and the new offsets, fold states, statistics facts and search documents are
 * written with the thread rows they change, each table in one statement for the whole batch.
 * Committed together or not at all, so a killed push leaves every file either as it was or wholly
 * pushed, and pushing again adds nothing twice.
 */
import type * as CodexHome from "@rollout/log/CodexHome"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as FileScan from "@rollout/store/FileScan"
import type { Session } from "../TeamDatabase.js"
import * as FileBytes from "./FileBytes.js"
import * as Text from "./Text.js"
import * as ThreadListing from "./ThreadListing.js"
import * as ThreadRebuild from "./ThreadRebuild.js"

/** A listed file and what it looked like before it was read. */
export interface Found {
  readonly file: CodexHome.RolloutFile
  readonly size: number
  readonly mtimeMs: number
}

/** A file to push, with the statistics folded from it after `found` was taken. */
export interface Item {
  readonly found: Found
  readonly stats: StatsFile.FileStats
}

interface Stored {
  readonly path: string
  readonly size: number
  readonly mtime_ms: number
  readonly archived: boolean
  readonly scan_offset: number
  readonly head_hash: string
  readonly scan_state: string
  readonly list_id: string
  readonly stats_key: string
  readonly bytes_end: number
}

export interface Written {
  readonly written: number
  readonly bytesRead: number
  readonly docs: number
}

/** Takes the transaction's locks on files of `machine`, in one round trip and always in the same (sorted) order. */
const lockFiles = (tx: Session, machine: string, paths: ReadonlyArray<string>) =>
  tx.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended($1 || p, 3) AS h FROM unnest($2::text[]) p ORDER BY p COLLATE "C") s', [
    `file\u0001${machine}\u0001`,
    paths
  ])

const stored = async (tx: Session, machine: string, paths: ReadonlyArray<string>): Promise<Map<string, Stored>> => {
  const rows = await tx.query<Stored>(
    `SELECT f.path, f.size, f.mtime_ms, f.archived, f.scan_offset, f.head_hash, ff.scan_state, f.list_id, f.stats_key, f.bytes_end
     FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path WHERE f.machine = $1 AND f.path = ANY($2::text[])`,
    [machine, paths]
  )
  return new Map(rows.map((r) => [r.path, r]))
}

/** Whether the stored row already describes the file as found. */
export const current = (row: { readonly size: number; readonly mtime_ms: number; readonly archived: boolean } | undefined, f: Found): boolean =>
  row !== undefined && row.size === f.size && row.mtime_ms === f.mtimeMs && row.archived === f.file.archived

/** A file read for this push: what is written for it. */
interface Scanned {
  readonly item: Item
  readonly scan: FileScan.Scan
  readonly latest: FileScan.State
  readonly listId: string
  readonly statsKey: string
  readonly row: Stored | undefined
  readonly bytes: FileBytes.Pending
}

const read = async (item: Item, row: Stored | undefined): Promise<Scanned> => {
  const path = item.found.file.path
  const resume: FileScan.Resume | undefined =
    row === undefined ? undefined : { offset: row.scan_offset, headHash: row.head_hash, state: JSON.parse(row.scan_state) as FileScan.State }
  const scan = await FileScan.scan(path, resume)
  const latest = FileScan.latest(scan)
  const listId = item.found.file.id !== "" ? item.found.file.id : (latest.metadata.meta?.id ?? `file:${path}`)
  const bytes = FileBytes.read(path, FileBytes.keepFrom(row, scan.from > 0, item.found.size), item.found.size)
  return { item, scan, latest, listId, statsKey: Text.clean(item.stats.thread?.id ?? `file:${path}`), row, bytes }
}

/** Rebuilds the statistics threads and listing rows the files touched (their old and new ones), each under its lock, in one order. */
const rebuild = async (tx: Session, machine: string, files: ReadonlyArray<Scanned>, removed: ReadonlyArray<Stored> = []): Promise<void> => {
  const statsKeys = [...new Set([...files.flatMap((f) => [f.statsKey, ...(f.row === undefined ? [] : [f.row.stats_key])]), ...removed.map((r) => r.stats_key)])]
  const listIds = [...new Set([...files.flatMap((f) => [f.listId, ...(f.row === undefined ? [] : [f.row.list_id])]), ...removed.map((r) => r.list_id)])]
  await ThreadRebuild.lock(tx, machine, [...statsKeys.map((k) => `stats\u0001${k}`), ...listIds.map((k) => `list\u0001${k}`)])
  await ThreadRebuild.stats(
    tx,
    machine,
    statsKeys,
    files.map((f) => ({ path: f.item.found.file.path, key: f.statsKey, stats: f.item.stats }))
  )
  await ThreadListing.listing(
    tx,
    machine,
    listIds,
    files.map((f) => ({
      id: f.listId,
      segment: { path: f.item.found.file.path, archived: f.item.found.file.archived, mtimeMs: f.item.found.mtimeMs, metadata: f.latest.metadata }
    }))
  )
}

/**
 * Pushes a batch of files in the caller's transaction: under their locks, the stored rows are read
 * again (another push of the same machine may have just written some), the files that still
 * differ are scanned for search text from their stored offsets, and their rows, facts and
 * documents are written with the thread rows they change, several files to a statement.
 */
export const apply = async (tx: Session, machine: string, items: ReadonlyArray<Item>): Promise<Written> => {
  await lockFiles(
    tx,
    machine,
    items.map((i) => i.found.file.path)
  )
  const rows = await stored(
    tx,
    machine,
    items.map((i) => i.found.file.path)
  )
  const files: Array<Scanned> = []
  for (const item of items) {
    const row = rows.get(item.found.file.path)
    if (!current(row, item.found)) files.push(await read(item, row))
  }
  if (files.length === 0) return { written: 0, bytesRead: 0, docs: 0 }
  await upsertFiles(tx, machine, files)
  await FileBytes.write(
    tx,
    machine,
    files.map((f) => f.bytes)
  )
  await replaceDocs(tx, machine, files)
  await replaceFacts(tx, machine, files)
  await rebuild(tx, machine, files)
  return { written: files.length, bytesRead: files.reduce((n, f) => n + f.scan.size - f.scan.from, 0), docs: files.reduce((n, f) => n + f.scan.docs.length, 0) }
}

/** Forgets a file gone from the home, with everything it contributed. */
export const remove = async (tx: Session, machine: string, path: string): Promise<boolean> => {
  await lockFiles(tx, machine, [path])
  const row = (await stored(tx, machine, [path])).get(path)
  if (row === undefined) return false
  await tx.query("DELETE FROM files WHERE machine = $1 AND path = $2", [machine, path])
  await rebuild(tx, machine, [], [row])
  return true
}

const FILE_COLUMNS = [
  "machine",
  "path",
  "archived",
  "size",
  "mtime_ms",
  "list_id",
  "stats_key",
  "scan_offset",
  "head_hash",
  "lines",
  "copied_lines",
  "first_at",
  "last_at",
  "diagnostics",
  "bytes_end"
]

const FILE_TYPES = ["text", "text", "boolean", "bigint", "bigint", "text", "text", "bigint", "text", "bigint", "bigint", "text", "text", "int", "bigint"]

const fileValues = (machine: string, f: Scanned): Array<unknown> => {
  const st = f.item.stats
  return [
    machine,
    f.item.found.file.path,
    f.item.found.file.archived,
    f.item.found.size,
    f.item.found.mtimeMs,
    f.listId,
    f.statsKey,
    f.scan.offset,
    f.scan.headHash,
    st.lines,
    st.copiedLines,
    Text.cleanOrNull(st.firstAt),
    Text.cleanOrNull(st.lastAt),
    st.diagnostics.length + (st.moreDiagnostics > 0 ? 1 : 0),
    f.bytes.end
  ]
}

/** The files' rows and fold states, one statement each for the whole batch. */
const upsertFiles = async (tx: Session, machine: string, files: ReadonlyArray<Scanned>) => {
  const rows = files.map((f) => fileValues(machine, f))
  await tx.query(
    `INSERT INTO files (${FILE_COLUMNS.join(", ")}) SELECT * FROM unnest(${FILE_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})
     ON CONFLICT (machine, path) DO UPDATE SET ${FILE_COLUMNS.slice(2)
       .map((c) => `${c} = excluded.${c}`)
       .join(", ")}, synced_at = now()`,
    FILE_COLUMNS.map((_, i) => rows.map((r) => r[i]))
  )
  await tx.query(
    `INSERT INTO file_folds (machine, path, scan_state, metadata, stats) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (machine, path) DO UPDATE SET scan_state = excluded.scan_state, metadata = excluded.metadata, stats = excluded.stats`,
    [
      machine,
      files.map((f) => f.item.found.file.path),
      files.map((f) => JSON.stringify(f.scan.state)),
      files.map((f) => JSON.stringify(f.latest.metadata)),
      files.map((f) => JSON.stringify(f.item.stats))
    ]
  )
}

/** Documents from each scan's start on are replaced (those before it were pushed already); the facts are replaced whole. */
const replaceDocs = async (tx: Session, machine: string, files: ReadonlyArray<Scanned>): Promise<void> => {
  const paths = files.map((f) => f.item.found.file.path)
  await tx.query(
    `WITH tools AS (DELETE FROM file_tools WHERE machine = $1 AND path = ANY($2::text[])),
       counts AS (DELETE FROM file_counts WHERE machine = $1 AND path = ANY($2::text[]))
     DELETE FROM docs d USING unnest($2::text[], $3::bigint[]) AS s(path, start) WHERE d.machine = $1 AND d.path = s.path AND d.byte_offset >= s.start`,
    [machine, paths, files.map((f) => f.scan.from)]
  )
  const docs = files.flatMap((f) => {
    let seq = 0
    return f.scan.docs.map((d, i) => {
      seq = i > 0 && f.scan.docs[i - 1]?.offset === d.offset ? seq + 1 : 0
      return [f.item.found.file.path, f.listId, d.offset, seq, d.line, d.turnIndex, Text.cleanOrNull(d.turnId), d.kind, Text.clean(d.text)] as const
    })
  })
  if (docs.length === 0) return
  await tx.query(
    `INSERT INTO docs (machine, path, thread_id, byte_offset, seq, line, turn_index, turn_id, kind, body)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[])`,
    [machine, ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => docs.map((d) => d[i]))]
  )
}

/** The files' tool and count facts (deleted with their documents above): statistics are folded from the whole file. */
const replaceFacts = async (tx: Session, machine: string, files: ReadonlyArray<Scanned>): Promise<void> => {
  const tools = files.flatMap((f) => Object.entries(f.item.stats.tools).map(([t, s]) => [f.item.found.file.path, Text.clean(t), s] as const))
  if (tools.length > 0)
    await tx.query(
      `INSERT INTO file_tools (machine, path, tool, calls, failures, timed_calls, duration_ms, max_ms)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])`,
      [
        machine,
        tools.map((t) => t[0]),
        tools.map((t) => t[1]),
        tools.map((t) => t[2].calls),
        tools.map((t) => t[2].failures),
        tools.map((t) => t[2].timedCalls),
        tools.map((t) => t[2].durationMs),
        tools.map((t) => t[2].maxMs)
      ]
    )
  const counts = files.flatMap((f) => {
    const path = f.item.found.file.path
    const st = f.item.stats
    return [
      ...Object.entries(st.errors).map(([n, c]) => [path, "error", n, c] as const),
      ...Object.entries(st.retries).map(([n, c]) => [path, "retry", n, c] as const),
      ...Object.entries(st.subAgentActivity).map(([n, c]) => [path, "activity", n, c] as const)
    ]
  })
  if (counts.length > 0)
    await tx.query(`INSERT INTO file_counts (machine, path, kind, name, count) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])`, [
      machine,
      counts.map((c) => c[0]),
      counts.map((c) => c[1]),
      counts.map((c) => Text.clean(c[2])),
      counts.map((c) => c[3])
    ])
}
