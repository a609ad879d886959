/**
 * The stored search documents of the index's files (schema version 5): one `doc_sources` row per
 * file (its path and thread), and its documents in `doc_texts` under rowids `source * SPAN + rank`,
 * so all of a file's documents are one rowid range in file order. Replacing a file's documents
 * from an offset deletes a suffix of that range and appends after what is left; nothing needs an
 * index beyond the rowid. Runs inside the caller's write transaction; the full-text entries follow
 * the rows through the triggers (or the deferred rebuild, Refresh).
 */
import type * as FileScan from "../FileScan.js"
import { type Db, statement } from "../IndexDatabase.js"

/**
 * Rowids per source: 2^32 documents for one file, and up to 2^21 sources before a rowid passes
 * 2^53, the largest integer a JavaScript number holds exactly. The view `docs` divides by it.
 */
export const SPAN = 4_294_967_296

const MAX_SOURCES = 2 ** 21

/** Rows per INSERT statement: one call binds many documents (a per-call cost dominates small rows). */
const ROWS = 32

const COLUMNS = 7
const insertSql = (rows: number): string =>
  `INSERT INTO doc_texts(id, offset, line, turn_index, turn_id, kind, text) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`

/** The source id of `path`, created or pointed at `threadId`. */
const sourceOf = (db: Db, path: string, threadId: string): number => {
  const row = statement<[string, string], { id: number }>(
    db,
    "INSERT INTO doc_sources(path, thread_id) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET thread_id = excluded.thread_id RETURNING id"
  ).get(path, threadId)
  if (row === undefined || row.id >= MAX_SOURCES) throw new Error(`the index holds too many files to add ${path}`)
  return row.id
}

/**
 * How many documents the index holds. Counting `doc_texts` walks every page of the texts (most of
 * the index file: 2.4 s after building a 2 GiB home); the full-text index keeps one small size row
 * per document it holds, which is every document once no build is deferred (Refresh ends by
 * building the deferred ones). While one is, the texts are counted.
 */
export const count = (db: Db): number => {
  const deferred = statement(db, "SELECT 1 FROM fts_deferred").get() !== undefined
  const table = deferred ? "doc_texts" : "docs_fts_docsize"
  return statement<[], { n: number }>(db, `SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0
}

/** Removes the documents of `path` and its source row. */
export const remove = (db: Db, path: string): void => {
  const source = statement<[string], { id: number }>(db, "SELECT id FROM doc_sources WHERE path = ?").get(path)
  if (source === undefined) return
  statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ?").run(source.id * SPAN, (source.id + 1) * SPAN)
  statement(db, "DELETE FROM doc_sources WHERE id = ?").run(source.id)
}

/** Moves the documents of `from` to `to` (a file renamed), replacing any `to` had. */
export const move = (db: Db, from: string, to: string): void => {
  if (from === to) return
  remove(db, to)
  statement(db, "UPDATE doc_sources SET path = ? WHERE path = ?").run(to, from)
}

/** Replaces the documents of `path` at or after byte `from` with `docs` (in file order). */
export const replace = (db: Db, path: string, threadId: string, from: number, docs: ReadonlyArray<FileScan.IndexedDoc>): void => {
  const source = sourceOf(db, path, threadId)
  const low = source * SPAN
  const high = low + SPAN
  if (from > 0) statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ? AND offset >= ?").run(low, high, from)
  else statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ?").run(low, high)
  const last = statement<[number, number], { id: number | null }>(db, "SELECT max(id) AS id FROM doc_texts WHERE id >= ? AND id < ?").get(low, high)?.id
  let id = last === null || last === undefined ? low : last + 1
  const many = statement(db, insertSql(ROWS))
  const one = statement(db, insertSql(1))
  const values: Array<unknown> = new Array(ROWS * COLUMNS)
  let i = 0
  for (; i + ROWS <= docs.length; i += ROWS) {
    for (let k = 0; k < ROWS; k++) {
      const d = docs[i + k] as FileScan.IndexedDoc
      const at = k * COLUMNS
      values[at] = id++
      values[at + 1] = d.offset
      values[at + 2] = d.line
      values[at + 3] = d.turnIndex
      values[at + 4] = d.turnId
      values[at + 5] = d.kind
      values[at + 6] = d.text
    }
    many.run(values)
  }
  for (; i < docs.length; i++) {
    const d = docs[i] as FileScan.IndexedDoc
    one.run(id++, d.offset, d.line, d.turnIndex, d.turnId, d.kind, d.text)
  }
}
