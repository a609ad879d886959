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
 * check the file's row is still the one the read started from (compare-and-set, RefreshBatch): two processes
 * refreshing one index at once never apply the same bytes twice, and a batch cut off by a crash
 * leaves the previous consistent state, finished by the next refresh.
 *
 * With enough to read, a second thread reads the files a batch ahead while this one writes
 * (ScanAhead); what it reads is used only when it is exactly the read this thread would make.
 */
import * as AppendCheck from "./AppendCheck.js"
import * as DocCopies from "./internal/DocCopies.js"
import * as ForkCopies from "./internal/ForkCopies.js"
import type * as FileRow from "./internal/FileRow.js"
import * as HeapTrim from "./internal/HeapTrim.js"
import * as HomeListing from "./internal/HomeListing.js"
import type * as Host from "./internal/Host.js"
import { type Db, statement, write } from "./IndexDatabase.js"
import type * as RefreshBatch from "./internal/RefreshBatch.js"
import type * as RefreshDiagnostic from "./RefreshDiagnostic.js"
import * as SessionNames from "./internal/SessionNames.js"
import type * as ScanAhead from "./internal/ScanAhead.js"
import type * as SyncFiles from "./internal/SyncFiles.js"

export interface Progress {
  readonly done: number
  readonly total: number
}

export interface Options {
  /** Called after each file read with the number of files read so far and to read in all. */
  readonly onProgress?: (progress: Progress) => void
  /** Files per write transaction. */
  readonly batchFiles?: number
  /** File bytes read per write transaction (`RefreshBatch.BATCH_BYTES`); bigger files are read in slices. */
  readonly batchBytes?: number
  /**
   * Which files to look at: `all` (default) stats every file; `changed-dirs` only lists folders
   * whose modification time moved (new and removed files, not appends: see HomeListing); `quick`
   * does that plus AppendCheck's bounded check for appends; `paths` only the files named.
   */
  readonly scope?: "all" | "changed-dirs" | "quick" | { readonly paths: ReadonlyArray<string> }
  /** The budget of scope `quick` (AppendCheck.DEFAULT_BUDGET). */
  readonly budget?: AppendCheck.Budget
  /** Told of each folder or file skipped (unreadable, invalid or too deep); the refresh goes on. */
  readonly onDiagnostic?: (diagnostic: RefreshDiagnostic.RefreshDiagnostic) => void
  /**
   * Store a fork's copy of its parent's documents once (`DocCopies`), as by default; false stores
   * every copy as rows of the fork's own (what tests compare the shared copies with).
   */
  readonly shareCopies?: boolean
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

/**
 * The largest first build whose full-text entries are deferred: the closing rebuild is one write
 * transaction (about 1–2 s per 10,000 rollouts here), and other processes wait for it only up to
 * the 5 s busy timeout. Larger homes are indexed row by row, in short transactions.
 */
const DEFER_MAX_FILES = 15_000

/** Rounds of reading again the rows another process changed between our read and our write. */
const ROUNDS = 5

/**
 * The modules that read and write files' rows, loaded only when a refresh has a file to read or a
 * row to remove: on an unchanged home (a warm `ls`) the check is all there is to do, and loading
 * them was most of its start-up.
 */
const readers = async () => {
  const [FileRow, RefreshBatch, ScanAhead] = await Promise.all([
    import("./internal/FileRow.js"),
    import("./internal/RefreshBatch.js"),
    import("./internal/ScanAhead.js")
  ])
  return { FileRow, RefreshBatch, ScanAhead }
}

type Readers = Awaited<ReturnType<typeof readers>>

/** Brings the index up to date with the files under `home`, as `host` shows them. */
export const refresh = async (db: Db, home: string, options: Options, host: Host.Shape): Promise<Result> => {
  const { listing, checkPosition } = list(db, home, options, host)
  for (const d of listing.diagnostics ?? []) options.onDiagnostic?.(d)
  const tally: RefreshBatch.Tally = { filesRead: 0, bytesRead: 0, filesRemoved: 0, changedThreads: new Set() }
  let settled = true
  if (listing.removed.length > 0 || listing.candidates.some((c) => !unchanged(c))) {
    const io = await readers()
    const { pending, known } = toRead(io, db, listing)
    deferFullText(db, pending.length)
    // The first round's files are read a batch ahead in a second thread when there is enough to read.
    const ahead = readAhead(io, host.files, pending, known, options)
    const limits = limitsOf(io, options, ahead !== undefined)
    const unsettled = await readAndWrite(io, host.files, db, pending, known, listing.removed, options, tally, limits, ahead).finally(() => ahead?.stop())
    settled = unsettled.length === 0
  }
  buildDeferredFullText(db)
  // Copies an older build wrote out: out of FTS5's averages once (one small read otherwise).
  if (DocCopies.gone(db)) write(db, () => DocCopies.heal(db))
  finish(host.files, db, home, listing, settled, checkPosition)
  return { filesRead: tally.filesRead, bytesRead: tally.bytesRead, filesRemoved: tally.filesRemoved, threadsChanged: tally.changedThreads.size }
}

/** The listing the scope asks for; scope `quick` adds AppendCheck's finds and its next position. */
const list = (
  db: Db,
  home: string,
  options: Options,
  host: Host.Shape
): { readonly listing: HomeListing.Listing; readonly checkPosition: string | undefined } => {
  const scope = options.scope ?? "all"
  const listing =
    scope === "all"
      ? HomeListing.all(db, home, host)
      : scope === "changed-dirs" || scope === "quick"
        ? HomeListing.changedDirs(db, home, host)
        : HomeListing.paths(db, home, scope.paths, host.files)
  if (scope !== "quick") return { listing, checkPosition: undefined }
  const check = AppendCheck.run(db, new Set([...listing.candidates.map((c) => c.file.path), ...listing.removed]), options.budget, host)
  return {
    listing: { ...listing, candidates: [...listing.candidates, ...check.candidates], removed: [...listing.removed, ...check.removed] },
    checkPosition: check.cursor
  }
}

/** Whether a listed file matches its row (size, modification time and folder): nothing to read. */
const unchanged = (c: HomeListing.Candidate): boolean => {
  const k = c.known
  return k !== undefined && k.size === c.size && k.mtime_ms === c.mtimeMs && k.archived === (c.file.archived ? 1 : 0)
}

/** The listed files that differ from their rows, and the rows their reads resume from. */
const toRead = (
  { FileRow }: Readers,
  db: Db,
  listing: HomeListing.Listing
): { readonly pending: Array<RefreshBatch.Found>; readonly known: Map<string, FileRow.FileRow> } => {
  const known = new Map<string, FileRow.FileRow>()
  const pending: Array<RefreshBatch.Found> = []
  for (const c of listing.candidates) {
    if (unchanged(c)) continue
    const k = c.known
    pending.push({ file: c.file, size: c.size, mtimeMs: c.mtimeMs })
    const row = k === undefined ? undefined : FileRow.get(db, c.file.path)
    if (row !== undefined) known.set(row.path, row)
  }
  return { pending, known }
}

/** A first build (no file indexed yet) defers the full-text entries to one rebuild at the end. */
const deferFullText = (db: Db, files: number): void => {
  if (files > 0 && files <= DEFER_MAX_FILES && statement(db, "SELECT 1 FROM files LIMIT 1").get() === undefined)
    write(db, () => statement(db, "INSERT OR IGNORE INTO fts_deferred(id) VALUES (1)").run())
}

/**
 * Reads and writes `pending` in batches, with `removed` in the first; rows another process
 * changed meanwhile are read again, for a few rounds. Returns the files still not settled.
 */
const readAndWrite = async (
  { FileRow, RefreshBatch }: Readers,
  files: SyncFiles.Shape,
  db: Db,
  pending: ReadonlyArray<RefreshBatch.Found>,
  known: Map<string, FileRow.FileRow>,
  removed: ReadonlyArray<string>,
  options: Options,
  tally: RefreshBatch.Tally,
  limits: RefreshBatch.Limits,
  ahead?: ScanAhead.Reader
): Promise<ReadonlyArray<RefreshBatch.Found>> => {
  const total = pending.length
  let scanned = 0
  const onRead = () => options.onProgress?.({ done: Math.min(++scanned, total), total })
  let removals = removed
  let batchNo = 0
  // The notes of this refresh's scans, for the forks it reads after their parents (ForkCopies).
  const copies = options.shareCopies === false ? undefined : new ForkCopies.Cache()
  for (let round = 0; round < ROUNDS && (pending.length > 0 || removals.length > 0); round++) {
    const retry: Array<RefreshBatch.Found> = []
    let queue = pending
    do {
      const { reads, taken } = await RefreshBatch.read(files, queue, known, onRead, options.onDiagnostic, limits, round === 0 ? ahead : undefined, copies)
      const doRemovals = removals
      removals = []
      const n = batchNo++
      const again = RefreshBatch.write(files, db, doRemovals, reads, tally, (stage) => options.interrupt?.(n, stage), copies)
      // The notes of forks' parents are live, not the batch's garbage.
      HeapTrim.afterBatch(HeapTrim.BOUND + (copies?.held ?? 0))
      retry.push(...again)
      // A file read in part goes on from its new row, before the rest of the queue.
      const slices = reads.filter((r) => r.scan?.partial === true && !again.includes(r.found)).map((r) => r.found)
      for (const f of slices) {
        const row = FileRow.get(db, f.file.path)
        if (row === undefined) known.delete(f.file.path)
        else known.set(f.file.path, row)
      }
      queue = [...slices, ...queue.slice(taken)]
    } while (queue.length > 0)
    pending = retry
    for (const f of retry) {
      const row = FileRow.get(db, f.file.path)
      if (row === undefined) known.delete(f.file.path)
      else known.set(f.file.path, row)
    }
  }
  return pending
}

/** The batches' bounds: smaller while a second thread reads ahead, which holds about one batch more. */
const limitsOf = ({ RefreshBatch, ScanAhead }: Readers, options: Options, ahead: boolean): RefreshBatch.Limits => ({
  maxFiles: options.batchFiles ?? 200,
  maxBytes: options.batchBytes ?? (ahead ? ScanAhead.BATCH_BYTES : RefreshBatch.BATCH_BYTES)
})

/** A read-ahead thread over `pending` (ScanAhead), for files on the real disk and enough bytes to read. */
const readAhead = (
  io: Readers,
  files: SyncFiles.Shape,
  pending: ReadonlyArray<RefreshBatch.Found>,
  known: ReadonlyMap<string, FileRow.FileRow>,
  options: Options
): ScanAhead.Reader | undefined => {
  const { ScanAhead } = io
  if (!ScanAhead.onDisk(files)) return undefined
  const bytes = pending.reduce((n, f) => n + f.size - (known.get(f.file.path)?.offset ?? 0), 0)
  if (bytes < ScanAhead.MIN_BYTES) return undefined
  const items = pending.map((f) => ({ path: f.file.path, base: known.get(f.file.path) }))
  try {
    return ScanAhead.Reader.start({ items, ...limitsOf(io, options, true), window: ScanAhead.WINDOW })
  } catch {
    // No thread to be had (a resource limit): the files are read here, as without it.
    return undefined
  }
}

/**
 * FTS5's in-memory term table for the closing rebuild: at its default (1 MiB) the rebuild of a
 * 2 GiB home writes ~20,000 small segments that its automatic merges then rewrite level by level;
 * 16 MiB writes fewer and costs about a tenth less CPU, for that much memory while it runs (the
 * scan's batches are gone by then). Row-by-row upkeep commits in small transactions and keeps the
 * default, which is set back in the same transaction.
 */
const REBUILD_HASH_BYTES = 16 << 20
const DEFAULT_HASH_BYTES = 1 << 20

/**
 * Deferred by this refresh or by one cut short (a crash, another process): every document is in
 * now, so the full-text index is built from them in one pass. Whoever gets here first does it.
 */
const buildDeferredFullText = (db: Db): void => {
  if (DocCopies.deferred(db))
    write(db, () => {
      if (statement(db, "DELETE FROM fts_deferred").run().changes === 0) return
      db.exec(`INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', ${REBUILD_HASH_BYTES})`)
      statement(db, "INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')").run()
      db.exec(`INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_BYTES})`)
      DocCopies.afterRebuild(db)
    })
}

/**
 * FTS5's `integrity-check` of the full-text index against the stored documents (throws
 * SQLITE_CORRUPT_VTAB when they differ), with forks' copies stored once taken into account
 * (`DocCopies`). For tests and checks; changes nothing.
 */
export const fullTextCheck = (db: Db): void => DocCopies.integrityCheck(db)

/**
 * Session names, then, once every listed file is `settled` (indexed), the listing's folder times
 * and AppendCheck's position: a crash before this point leaves them stale, so the next refresh
 * lists those folders (and checks those files) again.
 */
const finish = (files: SyncFiles.Shape, db: Db, home: string, listing: HomeListing.Listing, settled: boolean, checkPosition: string | undefined): void => {
  const namesChanged = SessionNames.changed(db, home, files)
  const dirsChanged = settled && listing.dirs.length > 0
  // A write transaction only when there is something to write: `ls` on an unchanged home writes nothing.
  if (namesChanged || dirsChanged)
    write(db, () => {
      SessionNames.refresh(db, home, files)
      if (settled) HomeListing.commitDirs(db, listing)
    })
  if (settled && checkPosition !== undefined) AppendCheck.savePosition(db, checkPosition)
}
