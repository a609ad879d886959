/**
 * The stored search documents of the index's files (schema version 5): one `doc_sources` row per
 * file (its path and thread), and its documents in `doc_texts` under rowids `source * SPAN + rank`,
 * so all of a file's documents are one rowid range in file order. Replacing a file's documents
 * from an offset deletes a suffix of that range and appends after what is left; nothing needs an
 * index beyond the rowid. Runs inside the caller's write transaction; the full-text entries follow
 * the rows through the triggers (or the deferred rebuild, Refresh).
 *
 * A fork's copy of its parent's documents (`FileScan.Copy`) is stored once: a `doc_copies` row
 * points the fork's first ranks at the parent's rows (`DocCopies`), checked against what is stored
 * when it is written. Before any stored row a copy points at is deleted, the copy is written out as
 * rows of the fork's own (under the rowids it stood for), so a copy always points at live rows.
 */
import type * as FileScan from "../FileScan.js"
import { type Db, statement } from "../IndexDatabase.js"
import * as DocCopies from "./DocCopies.js"

import { MAX_SOURCES, SPAN } from "./DocRowid.js"

export { SPAN }

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
  const table = DocCopies.deferred(db) ? "doc_texts" : "docs_fts_docsize"
  return (statement<[], { n: number }>(db, `SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0) + DocCopies.copiedRows(db)
}

/** Removes the documents of `path` and its source row. */
export const remove = (db: Db, path: string): void => {
  const source = statement<[string], { id: number }>(db, "SELECT id FROM doc_sources WHERE path = ?").get(path)
  if (source === undefined) return
  DocCopies.beforeDelete(db, source.id, 0)
  statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ?").run(source.id * SPAN, (source.id + 1) * SPAN)
  statement(db, "DELETE FROM doc_sources WHERE id = ?").run(source.id)
}

/** Moves the documents of `from` to `to` (a file renamed), replacing any `to` had. */
export const move = (db: Db, from: string, to: string): void => {
  if (from === to) return
  remove(db, to)
  statement(db, "UPDATE doc_sources SET path = ? WHERE path = ?").run(to, from)
}

/**
 * Replaces the documents of `path` at or after byte `from` with `docs` (in file order). With
 * `copy` (a fork's scan from the start, its copied documents left out of `docs`), the copy is
 * stored as a pointer at the rows of `copy.target`, which the caller found to be what the copy
 * was taken from (`DocCopies.target`, in the same transaction).
 */
export const replace = (
  db: Db,
  path: string,
  threadId: string,
  from: number,
  docs: ReadonlyArray<FileScan.IndexedDoc>,
  copy?: { readonly copy: FileScan.Copy; readonly target: number }
): void => {
  const source = sourceOf(db, path, threadId)
  const low = source * SPAN
  const high = low + SPAN
  DocCopies.beforeDelete(db, source, from)
  if (from > 0) statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ? AND offset >= ?").run(low, high, from)
  else statement(db, "DELETE FROM doc_texts WHERE id >= ? AND id < ?").run(low, high)
  if (copy !== undefined && copy.copy.docs > 0) {
    if (from !== 0) throw new Error(`${path}: a fork's copy stored from byte ${from}, not from the start`)
    DocCopies.record(db, source, copy.target, copy.copy)
  }
  const last = statement<[number, number], { id: number | null }>(db, "SELECT max(id) AS id FROM doc_texts WHERE id >= ? AND id < ?").get(low, high)?.id
  // After a copy's rowids, which stay free.
  let id = Math.max(last === null || last === undefined ? low : last + 1, low + DocCopies.copiedBy(db, source))
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
