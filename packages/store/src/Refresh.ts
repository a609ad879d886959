/**
 * Backfill and incremental refresh: brings the index in line with the rollout files of a Codex
 * home. A file whose size and modification time match its row is not opened; a grown file is read
 * from its stored offset; a new file is read once, whole (its documents feed search); a file gone
 * from disk loses its row and documents; the rows of every thread touched are rebuilt from all of
 * its files. Then `session_index.jsonl` names are brought up to date the same way.
 *
 * A first build (of up to 15,000 files) writes documents without their full-text entries and builds
 * the FTS5 index in one pass at the end (IndexDatabase's `fts_deferred`), a third of the cost of
 * maintaining it row by row.
 *
 * Files are read outside any transaction and written in short `BEGIN IMMEDIATE` batches that first
 * check the file's row is still the one the read started from (compare-and-set): two processes
 * refreshing one index at once never apply the same bytes twice, and a batch cut off by a crash
 * leaves the previous consistent state, finished by the next refresh.
 */
import * as fs from "node:fs"
import type * as CodexHome from "@rollout/log/CodexHome"
import * as AppendCheck from "./AppendCheck.js"
import * as FileScan from "./FileScan.js"
import * as FileRow from "./FileRow.js"
import * as HomeListing from "./HomeListing.js"
import { type Db, statement } from "./IndexDatabase.js"
import * as SessionNames from "./SessionNames.js"
import * as ThreadUpsert from "./ThreadUpsert.js"

export interface Progress {
  readonly done: number
  readonly total: number
}

export interface Options {
  /** Called after each file read with the number of files read so far and to read in all. */
  readonly onProgress?: (progress: Progress) => void
  /** Files per write transaction. */
  readonly batchFiles?: number
  /**
   * Which files to look at: `all` (default) stats every file; `changed-dirs` only lists folders
   * whose modification time moved (new and removed files, not appends: see HomeListing); `quick`
   * does that plus AppendCheck's bounded check for appends; `paths` only the files named.
   */
  readonly scope?: "all" | "changed-dirs" | "quick" | { readonly paths: ReadonlyArray<string> }
  /** The budget of scope `quick` (AppendCheck.DEFAULT_BUDGET). */
  readonly budget?: AppendCheck.Budget
  /** Test hook: throwing here abandons the refresh at that point, as a crash would. */
  readonly interrupt?: (batch: number, stage: "before-commit" | "after-commit") => void
}

export interface Result {
  /** Files read (wholly or from their offset). */
  readonly filesRead: number
  readonly bytesRead: number
  readonly filesRemoved: number
  readonly threadsChanged: number
}

interface Found {
  readonly file: CodexHome.RolloutFile
  readonly size: number
  readonly mtimeMs: number
}

const statOf = (path: string): fs.Stats | undefined => {
  try {
    return fs.statSync(path)
  } catch {
    return undefined
  }
}

/**
 * The largest first build whose full-text entries are deferred: the closing rebuild is one write
 * transaction (about 1–2 s per 10,000 rollouts here), and other processes wait for it only up to
 * the 5 s busy timeout. Larger homes are indexed row by row, in short transactions.
 */
const DEFER_MAX_FILES = 15_000

/** Brings the index up to date with the files under `home`. */
export const refresh = async (db: Db, home: string, options: Options = {}): Promise<Result> => {
  const batchFiles = options.batchFiles ?? 200
  const scope = options.scope ?? "all"
    const deleteDocsFrom = statement(db, "DELETE FROM docs WHERE path = ? AND offset >= ?")
  const insertDoc = statement(db, "INSERT INTO docs(path, thread_id, offset, line, turn_index, turn_id, kind, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
  const putFile = statement(
    db,
    "INSERT OR REPLACE INTO files(path, thread_id, archived, size, mtime_ms, offset, head_hash, state, tail_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
  )
  const deleteFile = statement(db, "DELETE FROM files WHERE path = ?")
  const deleteDocs = statement(db, "DELETE FROM docs WHERE path = ?")

  let listing =
    scope === "all"
      ? HomeListing.all(db, home)
      : scope === "changed-dirs" || scope === "quick"
        ? HomeListing.changedDirs(db, home)
        : HomeListing.paths(db, home, scope.paths)
  let checkPosition: string | undefined
  if (scope === "quick") {
    const check = AppendCheck.run(db, new Set([...listing.candidates.map((c) => c.file.path), ...listing.removed]), options.budget)
    listing = { candidates: [...listing.candidates, ...check.candidates], removed: [...listing.removed, ...check.removed], dirs: listing.dirs }
    checkPosition = check.cursor
  }
  const known = new Map<string, FileRow.FileRow>()
  let pending: Array<Found> = []
  for (const c of listing.candidates) {
    const k = c.known
    if (k !== undefined && k.size === c.size && k.mtime_ms === c.mtimeMs && k.archived === (c.file.archived ? 1 : 0)) continue
    pending.push({ file: c.file, size: c.size, mtimeMs: c.mtimeMs })
    const row = k === undefined ? undefined : FileRow.get(db, c.file.path)
    if (row !== undefined) known.set(row.path, row)
  }
  let removals = [...listing.removed]
  // A first build (no file indexed yet) defers the full-text entries to one rebuild at the end.
  if (pending.length > 0 && pending.length <= DEFER_MAX_FILES && statement(db, "SELECT 1 FROM files LIMIT 1").get() === undefined)
    db.transaction(() => statement(db, "INSERT OR IGNORE INTO fts_deferred(id) VALUES (1)").run()).immediate()

  let filesRead = 0
  let bytesRead = 0
  let filesRemoved = 0
  const changedThreads = new Set<string>()
  const total = pending.length
  let batchNo = 0
  let scanned = 0

  // Rows changed by another process between our read and our write are read again (a few rounds).
  for (let round = 0; round < 5 && (pending.length > 0 || removals.length > 0); round++) {
    const retry: Array<Found> = []
    for (let i = 0; i === 0 || i < pending.length; i += batchFiles) {
      const batch = pending.slice(i, i + batchFiles)
      const scans: Array<{ found: Found; base: FileRow.FileRow | undefined; scan: FileScan.Scan | undefined }> = []
      for (const f of batch) {
        const base = known.get(f.file.path)
        const scan = await FileScan.scan(f.file.path, FileRow.resume(base)).catch(() => undefined)
        scans.push({ found: f, base, scan })
        options.onProgress?.({ done: Math.min(++scanned, total), total })
      }
      const dirty = new Set<string>()
      const doRemovals = removals
      removals = []
      db.transaction(() => {
        for (const path of doRemovals) {
          // Gone when we listed; still gone now? (Another process may have moved it back.)
          if (statOf(path) !== undefined) continue
          const row = FileRow.get(db, path)
          if (row === undefined) continue
          deleteDocs.run(path)
          deleteFile.run(path)
          dirty.add(row.thread_id)
          filesRemoved++
        }
        for (const { found: f, base, scan } of scans) {
          const current = FileRow.get(db, f.file.path)
          if (scan === undefined || statOf(f.file.path) === undefined) {
            // Unreadable or vanished since listed: drop its row if it is really gone.
            if (current !== undefined && statOf(f.file.path) === undefined) {
              deleteDocs.run(f.file.path)
              deleteFile.run(f.file.path)
              dirty.add(current.thread_id)
              filesRemoved++
            }
            continue
          }
          if (!FileRow.same(current, base)) {
            // Another process moved this row on. If it reached what we read, nothing is left to do.
            if (current !== undefined && current.size === scan.size && current.mtime_ms === scan.mtimeMs && current.offset === scan.offset) continue
            retry.push(f)
            continue
          }
          const latest = FileScan.latest(scan)
          const threadId = f.file.id !== "" ? f.file.id : (latest.metadata.meta?.id ?? f.file.path)
          deleteDocsFrom.run(f.file.path, scan.from)
          for (const d of scan.docs) insertDoc.run(f.file.path, threadId, d.offset, d.line, d.turnIndex, d.turnId, d.kind, d.text)
          putFile.run(
            f.file.path,
            threadId,
            f.file.archived ? 1 : 0,
            scan.size,
            scan.mtimeMs,
            scan.offset,
            scan.headHash,
            JSON.stringify(scan.state),
            scan.tail === null ? null : JSON.stringify(scan.tail)
          )
          if (current !== undefined && current.thread_id !== threadId) dirty.add(current.thread_id)
          dirty.add(threadId)
          filesRead++
          bytesRead += scan.size - scan.from
        }
        for (const id of dirty) ThreadUpsert.rebuild(db, id)
        options.interrupt?.(batchNo, "before-commit")
      }).immediate()
      for (const id of dirty) changedThreads.add(id)
      options.interrupt?.(batchNo, "after-commit")
      batchNo++
    }
    pending = retry
    for (const f of retry) {
      const row = FileRow.get(db, f.file.path)
      if (row === undefined) known.delete(f.file.path)
      else known.set(f.file.path, row)
    }
  }
  // Deferred by this refresh or by one cut short (a crash, another process): every document is in
  // now, so the full-text index is built from them in one pass. Whoever gets here first does it.
  if (statement(db, "SELECT 1 FROM fts_deferred").get() !== undefined)
    db.transaction(() => {
      if (statement(db, "DELETE FROM fts_deferred").run().changes > 0) statement(db, "INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')").run()
    }).immediate()
  const namesChanged = SessionNames.changed(db, home)
  const dirsChanged = pending.length === 0 && listing.dirs.length > 0
  // A write transaction only when there is something to write: `ls` on an unchanged home writes nothing.
  if (namesChanged || dirsChanged) db.transaction(() => {
    SessionNames.refresh(db, home)
    // Folder times are recorded only now that every file they hold is indexed: a crash before this
    // point leaves them stale, so the next refresh lists those folders again.
    if (pending.length === 0) HomeListing.commitDirs(db, listing)
  }).immediate()
  if (pending.length === 0 && checkPosition !== undefined) AppendCheck.savePosition(db, checkPosition)
  return { filesRead, bytesRead, filesRemoved, threadsChanged: changedThreads.size }
}
