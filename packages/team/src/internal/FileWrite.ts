/**
 * One file's push, as one transaction: under the file's advisory lock, the stored row is read
 * again (another push of the same machine may have just written it), the file is scanned for
 * search text from the stored byte offset (`@rollout/store/FileScan`: a rewritten head starts it
 * over), and its new offset, fold state, statistics facts and search documents are written with
 * the thread rows they change. Committed together or not at all, so a killed push leaves every
 * file either as it was or wholly pushed, and pushing again adds nothing twice.
 */
import type * as CodexHome from "@rollout/log/CodexHome"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as FileScan from "@rollout/store/FileScan"
import type { Session } from "../TeamDatabase.js"
import * as Text from "./Text.js"
import * as ThreadRebuild from "./ThreadRebuild.js"

/** A listed file and what it looked like before it was read. */
export interface Found {
  readonly file: CodexHome.RolloutFile
  readonly size: number
  readonly mtimeMs: number
}

interface Stored {
  readonly size: number
  readonly mtime_ms: number
  readonly archived: boolean
  readonly scan_offset: number
  readonly head_hash: string
  readonly scan_state: string
  readonly list_id: string
  readonly stats_key: string
}

export interface Written {
  readonly written: boolean
  readonly bytesRead: number
  readonly docs: number
}

const lockFile = (tx: Session, machine: string, path: string) =>
  tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 3))", [`file\u0001${machine}\u0001${path}`])

const stored = async (tx: Session, machine: string, path: string): Promise<Stored | undefined> =>
  (
    await tx.query<Stored>(
      `SELECT f.size, f.mtime_ms, f.archived, f.scan_offset, f.head_hash, ff.scan_state, f.list_id, f.stats_key
       FROM files f JOIN file_folds ff ON ff.machine = f.machine AND ff.path = f.path WHERE f.machine = $1 AND f.path = $2`,
      [machine, path]
    )
  )[0]

/** Whether the stored row already describes the file as found. */
export const current = (row: { readonly size: number; readonly mtime_ms: number; readonly archived: boolean } | undefined, f: Found): boolean =>
  row !== undefined && row.size === f.size && row.mtime_ms === f.mtimeMs && row.archived === f.file.archived

/** Rebuilds the statistics threads and listing rows named, each under its lock, in one order. */
const rebuild = async (tx: Session, machine: string, statsKeys: ReadonlyArray<string>, listIds: ReadonlyArray<string>): Promise<void> => {
  const work: Array<readonly ["stats" | "list", string]> = [
    ...[...new Set(statsKeys)].map((k) => ["stats", k] as const),
    ...[...new Set(listIds)].map((k) => ["list", k] as const)
  ]
  work.sort((a, b) => (`${a[0]}\u0001${a[1]}` < `${b[0]}\u0001${b[1]}` ? -1 : 1))
  await ThreadRebuild.lock(
    tx,
    machine,
    work.map(([scope, key]) => `${scope}\u0001${key}`)
  )
  for (const [scope, key] of work) await (scope === "stats" ? ThreadRebuild.stats(tx, machine, key) : ThreadRebuild.listing(tx, machine, key))
}

/** Pushes one file whose statistics were folded from it after `found` was taken. */
export const apply = async (tx: Session, machine: string, found: Found, stats: StatsFile.FileStats): Promise<Written> => {
  const path = found.file.path
  await lockFile(tx, machine, path)
  const row = await stored(tx, machine, path)
  if (current(row, found)) return { written: false, bytesRead: 0, docs: 0 }
  const resume: FileScan.Resume | undefined =
    row === undefined ? undefined : { offset: row.scan_offset, headHash: row.head_hash, state: JSON.parse(row.scan_state) as FileScan.State }
  const scan = await FileScan.scan(path, resume)
  const latest = FileScan.latest(scan)
  const listId = found.file.id !== "" ? found.file.id : (latest.metadata.meta?.id ?? `file:${path}`)
  const statsKey = stats.thread?.id ?? `file:${path}`
  await upsertFile(tx, machine, found, scan, latest, listId, statsKey, stats)
  await replaceDocs(tx, machine, path, listId, scan)
  await replaceFacts(tx, machine, path, stats)
  await rebuild(tx, machine, [statsKey, ...(row === undefined ? [] : [row.stats_key])], [listId, ...(row === undefined ? [] : [row.list_id])])
  return { written: true, bytesRead: scan.size - scan.from, docs: scan.docs.length }
}

/** Forgets a file gone from the home, with everything it contributed. */
export const remove = async (tx: Session, machine: string, path: string): Promise<boolean> => {
  await lockFile(tx, machine, path)
  const row = await stored(tx, machine, path)
  if (row === undefined) return false
  await tx.query("DELETE FROM files WHERE machine = $1 AND path = $2", [machine, path])
  await rebuild(tx, machine, [row.stats_key], [row.list_id])
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
  "diagnostics"
]

const UPSERT_FILE = `INSERT INTO files (${FILE_COLUMNS.join(", ")}) VALUES (${FILE_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
  ON CONFLICT (machine, path) DO UPDATE SET ${FILE_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}, synced_at = now()`

const UPSERT_FOLDS = `INSERT INTO file_folds (machine, path, scan_state, metadata, stats) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (machine, path) DO UPDATE SET scan_state = excluded.scan_state, metadata = excluded.metadata, stats = excluded.stats`

const upsertFile = async (
  tx: Session,
  machine: string,
  found: Found,
  scan: FileScan.Scan,
  latest: FileScan.State,
  listId: string,
  statsKey: string,
  stats: StatsFile.FileStats
) => {
  await tx.query(UPSERT_FILE, [
    machine,
    found.file.path,
    found.file.archived,
    found.size,
    found.mtimeMs,
    listId,
    Text.clean(statsKey),
    scan.offset,
    scan.headHash,
    stats.lines,
    stats.copiedLines,
    Text.cleanOrNull(stats.firstAt),
    Text.cleanOrNull(stats.lastAt),
    stats.diagnostics.length + (stats.moreDiagnostics > 0 ? 1 : 0)
  ])
  await tx.query(UPSERT_FOLDS, [machine, found.file.path, JSON.stringify(scan.state), JSON.stringify(latest.metadata), JSON.stringify(stats)])
}

/** Documents from the scan's start on are replaced: those before it were pushed already. */
const replaceDocs = async (tx: Session, machine: string, path: string, threadId: string, scan: FileScan.Scan): Promise<void> => {
  // One round trip for the three deletes: the facts are replaced whole, the documents from the scan's start.
  await tx.query(
    `WITH tools AS (DELETE FROM file_tools WHERE machine = $1 AND path = $2), counts AS (DELETE FROM file_counts WHERE machine = $1 AND path = $2)
     DELETE FROM docs WHERE machine = $1 AND path = $2 AND byte_offset >= $3`,
    [machine, path, scan.from]
  )
  if (scan.docs.length === 0) return
  const seq: Array<number> = []
  scan.docs.forEach((d, i) => {
    const prev = scan.docs[i - 1]
    seq.push(prev !== undefined && prev.offset === d.offset ? (seq[i - 1] ?? 0) + 1 : 0)
  })
  await tx.query(
    `INSERT INTO docs (machine, path, thread_id, byte_offset, seq, line, turn_index, turn_id, kind, body)
     SELECT $1, $2, $3, * FROM unnest($4::bigint[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[])`,
    [
      machine,
      path,
      threadId,
      scan.docs.map((d) => d.offset),
      seq,
      scan.docs.map((d) => d.line),
      scan.docs.map((d) => d.turnIndex),
      scan.docs.map((d) => Text.cleanOrNull(d.turnId)),
      scan.docs.map((d) => d.kind),
      scan.docs.map((d) => Text.clean(d.text))
    ]
  )
}

/** The file's tool and count facts (deleted with its documents above): statistics are folded from the whole file. */
const replaceFacts = async (tx: Session, machine: string, path: string, stats: StatsFile.FileStats): Promise<void> => {
  const tools = Object.entries(stats.tools)
  if (tools.length > 0)
    await tx.query(
      `INSERT INTO file_tools (machine, path, tool, calls, failures, timed_calls, duration_ms, max_ms)
       SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])`,
      [
        machine,
        path,
        tools.map(([t]) => Text.clean(t)),
        tools.map(([, s]) => s.calls),
        tools.map(([, s]) => s.failures),
        tools.map(([, s]) => s.timedCalls),
        tools.map(([, s]) => s.durationMs),
        tools.map(([, s]) => s.maxMs)
      ]
    )
  const counts = [
    ...Object.entries(stats.errors).map(([n, c]) => ["error", n, c] as const),
    ...Object.entries(stats.retries).map(([n, c]) => ["retry", n, c] as const),
    ...Object.entries(stats.subAgentActivity).map(([n, c]) => ["activity", n, c] as const)
  ]
  if (counts.length > 0)
    await tx.query(`INSERT INTO file_counts (machine, path, kind, name, count) SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[])`, [
      machine,
      path,
      counts.map((c) => c[0]),
      counts.map((c) => Text.clean(c[1])),
      counts.map((c) => c[2])
    ])
}
