/**
 * One batch of a refresh: its files are read outside any transaction, then written in one short
 * `BEGIN IMMEDIATE` transaction that first checks each file's row is still the one its read
 * started from (compare-and-set). A row another process moved on meanwhile is handed back to be
 * read again; a file gone since it was listed loses its row and documents; every thread touched
 * has its row rebuilt before the commit. Refresh decides what to read and drives the batches.
 */
import type * as CodexHome from "@rollout/log/CodexHome"
import * as DocCopies from "./DocCopies.js"
import * as FileRow from "./FileRow.js"
import * as FileScan from "../FileScan.js"
import * as IndexDatabase from "../IndexDatabase.js"
import { type Db, statement } from "../IndexDatabase.js"
import * as RefreshDiagnostic from "../RefreshDiagnostic.js"
import type * as ForkCopies from "./ForkCopies.js"
import * as ScanAhead from "./ScanAhead.js"
import * as SearchDocs from "./SearchDocs.js"
import * as SyncFiles from "./SyncFiles.js"
import * as ThreadUpsert from "./ThreadUpsert.js"

/** A file that differs from its row, as listed. */
export interface Found {
  readonly file: CodexHome.RolloutFile
  readonly size: number
  readonly mtimeMs: number
}

/** A file read outside the transaction, with the row its read started from. */
export interface Read {
  readonly found: Found
  readonly base: FileRow.FileRow | undefined
  /** Undefined when the file could not be read (or its state could not be stored). */
  readonly scan: FileScan.Scan | undefined
  /** The scan's fold states as the `files` row stores them, serialised while reading. */
  readonly json: { readonly state: string; readonly tail: string | null } | undefined
}

/** What a refresh has done so far, added to by each batch. */
export interface Tally {
  filesRead: number
  bytesRead: number
  filesRemoved: number
  readonly changedThreads: Set<string>
}

export const emptyTally = (): Tally => ({ filesRead: 0, bytesRead: 0, filesRemoved: 0, changedThreads: new Set() })

export type Stage = "before-commit" | "after-commit"

/**
 * The most file bytes one batch reads before it is written: what the batch holds in memory (search
 * text, fold states) is bounded by this, whatever the sizes of the files. A file bigger than what
 * is left of it is read in slices, each written before the next is read.
 */
export const BATCH_BYTES = 32 << 20

/** When a batch is full: at `maxFiles` files or `maxBytes` bytes read. */
export interface Limits {
  readonly maxFiles: number
  readonly maxBytes: number
}

/**
 * Reads files of `queue` from their rows' positions (or whole), in order, until the batch has read
 * `maxFiles` files or `maxBytes` bytes; returns the reads and how many files of the queue it took.
 * A read whose scan is `partial` stopped at the byte budget: the caller writes it and queues the
 * file again. `onRead` follows each complete file. A file that cannot be read, or whose state
 * cannot be serialised (a `session_meta` nested thousands of levels deep overflows the stack), is
 * reported to `report` and costs only itself.
 */
export const read = async (
  files: SyncFiles.Shape,
  queue: ReadonlyArray<Found>,
  known: ReadonlyMap<string, FileRow.FileRow>,
  onRead: () => void,
  report: (d: RefreshDiagnostic.RefreshDiagnostic) => void = () => {},
  limits: Limits = { maxFiles: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY },
  ahead?: ScanAhead.Reader,
  copies?: ForkCopies.Cache
): Promise<{ readonly reads: Array<Read>; readonly taken: number }> => {
  const reads: Array<Read> = []
  let bytes = 0
  let taken = 0
  for (const found of queue) {
    if (taken >= limits.maxFiles || bytes >= limits.maxBytes) break
    taken++
    const base = known.get(found.file.path)
    const path = found.file.path
    const budget = limits.maxBytes - bytes
    // The read-ahead thread's scan when it made this very read; else the file is read here.
    const early = await ahead?.take(ScanAhead.key(path, base, budget))
    const scan =
      early?.scan ??
      (await FileScan.scan(path, FileRow.resume(base), files, copies === undefined ? { maxBytes: budget } : { maxBytes: budget, copies }).catch(
        (error: unknown) => {
          report(RefreshDiagnostic.make(path, 0, isTooDeep(error) ? "too_deep" : "read_error", `not indexed: ${RefreshDiagnostic.messageOf(error)}`))
          return undefined
        }
      ))
    const json = early?.json ?? (scan === undefined ? undefined : serialise(scan, report))
    if (scan !== undefined) {
      for (const d of scan.diagnostics) report(d)
      bytes += scan.offset - scan.from
    }
    reads.push({ found, base, scan: json === undefined ? undefined : scan, json })
    if (scan?.partial !== true) onRead()
  }
  return { reads, taken }
}

const isTooDeep = (error: unknown): boolean => error instanceof RangeError && /call stack/i.test(error.message)

const serialise = (scan: FileScan.Scan, report: (d: RefreshDiagnostic.RefreshDiagnostic) => void): Read["json"] => {
  try {
    return { state: JSON.stringify(scan.state), tail: scan.tail === null ? null : JSON.stringify(scan.tail) }
  } catch (error) {
    const why = isTooDeep(error) ? "its session_meta nests too deeply to be stored" : RefreshDiagnostic.messageOf(error)
    report(RefreshDiagnostic.make(scan.path, 0, isTooDeep(error) ? "too_deep" : "read_error", `thread not indexed: ${why}`))
    return undefined
  }
}

/**
 * Writes the batch in one transaction: first `removals` (files gone when listed), then `reads`.
 * Returns the files to read again. `interrupt` is Refresh's crash hook.
 */
export const write = (
  files: SyncFiles.Shape,
  db: Db,
  removals: ReadonlyArray<string>,
  reads: ReadonlyArray<Read>,
  tally: Tally,
  interrupt: (stage: Stage) => void,
  copies?: ForkCopies.Cache
): Array<Found> => {
  const dirty = new Set<string>()
  const retry: Array<Found> = []
  IndexDatabase.write(db, () => {
    for (const path of removals) removeGone(files, db, path, dirty, tally)
    for (const r of reads) if (apply(files, db, r, dirty, tally, copies) === "retry") retry.push(r.found)
    for (const id of dirty) ThreadUpsert.rebuild(db, id)
    interrupt("before-commit")
  })
  for (const id of dirty) tally.changedThreads.add(id)
  interrupt("after-commit")
  return retry
}

const drop = (db: Db, path: string, threadId: string, dirty: Set<string>, tally: Tally): void => {
  SearchDocs.remove(db, path)
  statement(db, "DELETE FROM files WHERE path = ?").run(path)
  dirty.add(threadId)
  tally.filesRemoved++
}

/** Drops the row of a file gone when listed, if it is still gone (another process may have moved it back). */
const removeGone = (files: SyncFiles.Shape, db: Db, path: string, dirty: Set<string>, tally: Tally): void => {
  if (SyncFiles.exists(files, path)) return
  const row = FileRow.get(db, path)
  if (row !== undefined) drop(db, path, row.thread_id, dirty, tally)
}

/** Stores one read unless its row moved on since the read started. */
const apply = (files: SyncFiles.Shape, db: Db, r: Read, dirty: Set<string>, tally: Tally, copies: ForkCopies.Cache | undefined): "done" | "retry" => {
  const { found: f, base, scan, json } = r
  const current = FileRow.get(db, f.file.path)
  if (scan === undefined || json === undefined || !SyncFiles.exists(files, f.file.path)) {
    // Unreadable or vanished since listed: drop its row if it is really gone.
    if (current !== undefined && !SyncFiles.exists(files, f.file.path)) drop(db, f.file.path, current.thread_id, dirty, tally)
    return "done"
  }
  if (!FileRow.same(current, base)) {
    // Another process moved this row on. If it reached what we read, nothing is left to do.
    if (current !== undefined && current.size === scan.size && current.mtime_ms === scan.mtimeMs && current.offset === scan.offset) return "done"
    return "retry"
  }
  // A fork's copy whose parent's rows are not what it was taken from: read again, whole.
  const target = scan.copy !== undefined && scan.copy.docs > 0 && copies !== undefined ? DocCopies.target(db, scan.copy) : undefined
  if (scan.copy !== undefined && scan.copy.docs > 0 && target === undefined) {
    copies?.refuse(f.file.path)
    return "retry"
  }
  const threadId = store(db, f.file, scan, json, target)
  if (current !== undefined && current.thread_id !== threadId) dirty.add(current.thread_id)
  dirty.add(threadId)
  // A file read in slices counts once, when its last slice is stored.
  if (!scan.partial) tally.filesRead++
  tally.bytesRead += scan.size - scan.from
  return "done"
}

/** Replaces the file's documents from where the scan started and writes its row; returns its thread. */
const store = (db: Db, file: CodexHome.RolloutFile, scan: FileScan.Scan, json: NonNullable<Read["json"]>, target: number | undefined): string => {
  const latest = FileScan.latest(scan)
  const threadId = file.id !== "" ? file.id : (latest.metadata.meta?.id ?? file.path)
  SearchDocs.replace(db, file.path, threadId, scan.from, scan.docs, scan.copy === undefined || target === undefined ? undefined : { copy: scan.copy, target })
  statement(
    db,
    "INSERT OR REPLACE INTO files(path, thread_id, archived, size, mtime_ms, offset, head_hash, state, tail_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
  ).run(file.path, threadId, file.archived ? 1 : 0, scan.size, scan.mtimeMs, scan.offset, scan.headHash, json.state, json.tail)
  return threadId
}
