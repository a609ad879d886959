/**
 * What `rollout trim` would free, per thread, kept in the index until the thread's files change.
 * The store does not know how to measure a trim (that reads the thread from its end, a query of
 * its own): the caller passes the measure, and it is run only for threads whose files (path, size,
 * modification time, as the index last saw them) differ from those of the stored measure. Measuring
 * costs about as much as indexing the file again, so it is done for the threads a listing shows,
 * not for every file a refresh reads.
 */
import { type Db, statement, write } from "./IndexDatabase.js"

/** Bytes trimming the thread's files (oldest first) would free, or null when it cannot trim them. */
export type Measure = (paths: ReadonlyArray<string>) => Promise<number | null>

interface FileKey {
  readonly path: string
  readonly size: number
  readonly mtime_ms: number
}

/** The thread's files as the index saw them, in segment order. */
const filesOf = (db: Db, id: string): ReadonlyArray<FileKey> =>
  statement<[string], FileKey>(db, "SELECT path, size, mtime_ms FROM files WHERE thread_id = ? ORDER BY archived, path").all(id)

/**
 * The measure of each thread of `ids`: stored when its files are unchanged, else taken with
 * `measure` and stored. A thread the index does not know is left out.
 */
export const frees = async (db: Db, ids: ReadonlyArray<string>, measure: Measure): Promise<ReadonlyMap<string, number | null>> => {
  const out = new Map<string, number | null>()
  const fresh: Array<readonly [string, string, number | null]> = []
  for (const id of ids) {
    const files = filesOf(db, id)
    if (files.length === 0) continue
    const key = JSON.stringify(files.map((f) => [f.path, f.size, f.mtime_ms]))
    const stored = statement<[string], { files: string; frees: number | null }>(db, "SELECT files, frees FROM trim_sizes WHERE thread_id = ?").get(id)
    if (stored !== undefined && stored.files === key) {
      out.set(id, stored.frees)
      continue
    }
    const value = await measure(files.map((f) => f.path))
    out.set(id, value)
    fresh.push([id, key, value])
  }
  if (fresh.length > 0)
    write(db, () => {
      for (const row of fresh) statement(db, "INSERT OR REPLACE INTO trim_sizes(thread_id, files, frees) VALUES (?, ?, ?)").run(...row)
    })
  return out
}
