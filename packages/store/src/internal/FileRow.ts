/**
 * A row of the index's `files` table: what the index stored about one rollout file (its size and
 * modification time when read, how far it was read, and the fold state at that point). Refresh
 * writes these rows; ThreadUpsert and Archive read them. It is the stored shape only: reading the
 * file itself is FileScan's business.
 */
import * as FileScan from "../FileScan.js"
import { type Db, statement } from "../IndexDatabase.js"

/** A `files` row as stored. */
export interface FileRow {
  readonly path: string
  readonly thread_id: string
  readonly archived: number
  readonly size: number
  readonly mtime_ms: number
  readonly offset: number
  readonly head_hash: string
  readonly state: string
  readonly tail_state: string | null
}

/** The row of `path`, if indexed. */
export const get = (db: Db, path: string): FileRow | undefined => statement<[string], FileRow>(db, "SELECT * FROM files WHERE path = ?").get(path)

/** Every row of thread `id`. */
export const ofThread = (db: Db, id: string): Array<FileRow> => statement<[string], FileRow>(db, "SELECT * FROM files WHERE thread_id = ?").all(id)

/** Whether two reads of a row saw the same stored position (the compare of Refresh's compare-and-set). */
export const same = (a: FileRow | undefined, b: FileRow | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.size === b.size && a.mtime_ms === b.mtime_ms && a.offset === b.offset && a.head_hash === b.head_hash)

/** Where a scan of the file resumes from this row. */
export const resume = (row: FileRow | undefined): FileScan.Resume | undefined =>
  row === undefined ? undefined : { offset: row.offset, headHash: row.head_hash, state: JSON.parse(row.state) as FileScan.State }

/** The fold state the thread row is built from (the tail's when there is one). */
export const latest = (row: FileRow): FileScan.State =>
  FileScan.latest({ state: JSON.parse(row.state) as FileScan.State, tail: row.tail_state === null ? null : (JSON.parse(row.tail_state) as FileScan.State) })
