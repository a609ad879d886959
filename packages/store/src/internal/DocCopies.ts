/**
 * Forks' copies of their parents' documents, stored once (`doc_copies`, schema version 6). A copy
 * says: the fork's first `count` documents are the target source's first `count` stored rows, each
 * `offset_delta` bytes and `line_delta` lines further on, same kind, text and turn, under the
 * rowids the fork would have given them. A copy points only at stored rows (never at another
 * copy), and before any of them is deleted it is written out as the fork's own rows, so it never
 * points at rows that changed. While the full-text index is built (not deferred), FTS5's averages
 * record counts each copy's rows and tokens (`FtsTotals`). Runs inside SearchDocs' transaction.
 */
import type * as FileScan from "../FileScan.js"
import { type Db, statement } from "../IndexDatabase.js"
import { SPAN } from "./DocRowid.js"
import * as FtsTotals from "./FtsTotals.js"

interface Row {
  readonly fork: number
  readonly target: number
  readonly count: number
  readonly offset_delta: number
  readonly line_delta: number
  readonly tokens: number | null
}

/** Whether the full-text entries are deferred to a closing rebuild (Refresh). */
export const deferred = (db: Db): boolean => statement(db, "SELECT 1 FROM fts_deferred").get() !== undefined

/** Documents the copies stand for. */
export const copiedRows = (db: Db): number => statement<[], { n: number | null }>(db, "SELECT sum(count) AS n FROM doc_copies").get()?.n ?? 0

/** How many leading documents of `source` are a copy (0: none). */
export const copiedBy = (db: Db, source: number): number =>
  statement<[number], { count: number }>(db, "SELECT count FROM doc_copies WHERE fork = ?").get(source)?.count ?? 0

const tokensOf = (db: Db, c: Row): number => FtsTotals.tokens(db, c.target * SPAN, c.target * SPAN + c.count)

/** Takes a copy's rows and tokens out of FTS5's averages, if they are in them (`tokens` set). */
const uncount = (db: Db, c: Row): void => {
  if (c.tokens !== null) FtsTotals.adjust(db, -c.count, -c.tokens)
}

/** The copy as rows of the fork's own; their full-text entries come with them (the triggers). */
const materialize = (db: Db, c: Row): void => {
  uncount(db, c)
  statement(
    db,
    `INSERT INTO doc_texts(id, offset, line, turn_index, turn_id, kind, text)
     SELECT ? + (d.id - ?), d.offset + ?, d.line + ?, d.turn_index, d.turn_id, d.kind, d.text
     FROM doc_texts d WHERE d.id >= ? AND d.id < ? ORDER BY d.id`
  ).run(c.fork * SPAN, c.target * SPAN, c.offset_delta, c.line_delta, c.target * SPAN, c.target * SPAN + c.count)
  statement(db, "DELETE FROM doc_copies WHERE fork = ?").run(c.fork)
}

const lastOffset = (db: Db, id: number): number =>
  statement<[number], { offset: number }>(db, "SELECT offset FROM doc_texts WHERE id = ?").get(id)?.offset ?? -1

/**
 * Before the stored documents of `source` at or after byte `from` (all of them: 0) are deleted:
 * copies of those rows are written out into their forks, and the source's own copy is dropped
 * (all deleted) or written out (some of it at or after `from`).
 */
export const beforeDelete = (db: Db, source: number, from: number): void => {
  for (const c of statement<[number], Row>(db, "SELECT * FROM doc_copies WHERE target = ?").all(source))
    if (from === 0 || lastOffset(db, c.target * SPAN + c.count - 1) >= from) materialize(db, c)
  const own = statement<[number], Row>(db, "SELECT * FROM doc_copies WHERE fork = ?").get(source)
  if (own === undefined) return
  if (from === 0) {
    uncount(db, own)
    statement(db, "DELETE FROM doc_copies WHERE fork = ?").run(source)
  } else if (lastOffset(db, own.target * SPAN + own.count - 1) + own.offset_delta >= from) materialize(db, own)
}

interface Stored {
  readonly id: number
  readonly offset: number
  readonly line: number
  readonly turn_index: number | null
  readonly turn_id: string | null
  readonly kind: string
  readonly text: string
}

const same = (row: Stored | undefined, d: FileScan.IndexedDoc | undefined, copy: FileScan.Copy): boolean =>
  row !== undefined &&
  d !== undefined &&
  row.offset + copy.offset === d.offset &&
  row.line + copy.line === d.line &&
  row.turn_index === d.turnIndex &&
  row.turn_id === d.turnId &&
  row.kind === d.kind &&
  row.text === d.text

/**
 * The source whose rows `copy` (a fork's, of at least one document) can point at: its parent's,
 * if they are stored as the copy was taken from them: the parent's `files` row at the size, time
 * and end its scan had, exactly `copy.docs` rows stored, no copy of its own, and its first and
 * last rows the copy's first and last documents less its offset and line. A parent written by
 * another process from the same file holds the same rows (the scan is a function of the bytes).
 * Undefined if not: the fork must then be read again without notes.
 */
export const target = (db: Db, copy: FileScan.Copy): number | undefined => {
  const file = statement<[string], { size: number; mtime_ms: number; offset: number; tail_state: string | null }>(
    db,
    "SELECT size, mtime_ms, offset, tail_state FROM files WHERE path = ?"
  ).get(copy.parent)
  if (file === undefined || file.size !== copy.parentSize || file.mtime_ms !== copy.parentMtimeMs || file.offset !== copy.parentEnd || file.tail_state !== null)
    return undefined
  const source = statement<[string], { id: number }>(db, "SELECT id FROM doc_sources WHERE path = ?").get(copy.parent)?.id
  if (source === undefined || copiedBy(db, source) > 0) return undefined
  const low = source * SPAN
  const held = statement<[number, number], { n: number; last: number | null }>(
    db,
    "SELECT count(*) AS n, max(id) AS last FROM doc_texts WHERE id >= ? AND id < ?"
  ).get(low, low + SPAN)
  if (held === undefined || held.n !== copy.docs || held.last !== low + copy.docs - 1) return undefined
  const row = statement<[number], Stored>(db, "SELECT * FROM doc_texts WHERE id = ?")
  if (!same(row.get(low), copy.first, copy) || !same(row.get(low + copy.docs - 1), copy.last, copy)) return undefined
  return source
}

/** Records the fork `source`'s copy (none of its documents stored) as pointing at `target`'s rows. */
export const record = (db: Db, source: number, target: number, copy: FileScan.Copy): void => {
  const c: Row = { fork: source, target, count: copy.docs, offset_delta: copy.offset, line_delta: copy.line, tokens: null }
  const tokens = deferred(db) ? null : tokensOf(db, c)
  statement(db, "INSERT INTO doc_copies(fork, target, count, offset_delta, line_delta, tokens) VALUES (?, ?, ?, ?, ?, ?)").run(
    c.fork,
    c.target,
    c.count,
    c.offset_delta,
    c.line_delta,
    tokens
  )
  if (tokens !== null) FtsTotals.adjust(db, c.count, tokens)
}

/**
 * After the deferred full text is built from the stored rows: every copy's rows and tokens into
 * FTS5's averages (what an older build wrote out meanwhile is in the rebuild's counts already).
 */
export const afterRebuild = (db: Db): void => {
  let rows = 0
  let tokens = 0
  const set = statement(db, "UPDATE doc_copies SET tokens = ? WHERE fork = ?")
  for (const c of statement<[], Row>(db, "SELECT * FROM doc_copies").all()) {
    const n = tokensOf(db, c)
    set.run(n, c.fork)
    rows += c.count
    tokens += n
  }
  statement(db, "DELETE FROM doc_copies_gone").run()
  FtsTotals.adjust(db, rows, tokens)
}

/** Whether an older build wrote out copies the averages still count (`doc_copies_gone`). */
export const gone = (db: Db): boolean => statement(db, "SELECT 1 FROM doc_copies_gone").get() !== undefined

interface Totals {
  readonly rows: number
  readonly tokens: number
}

/** The rows and tokens the averages count for what `sql` sums (`rows`, `tokens`). */
const totals = (db: Db, sql: string): Totals => {
  const t = statement<[], { rows: number | null; tokens: number | null }>(db, sql).get()
  return { rows: t?.rows ?? 0, tokens: t?.tokens ?? 0 }
}

/** What the copies an older build wrote out still add to the averages. */
const goneTotals = (db: Db): Totals => totals(db, "SELECT sum(rows) AS rows, sum(tokens) AS tokens FROM doc_copies_gone")

/** Takes the copies an older build wrote out out of FTS5's averages, once. */
export const heal = (db: Db): void => {
  const g = goneTotals(db)
  statement(db, "DELETE FROM doc_copies_gone").run()
  if (!deferred(db)) FtsTotals.adjust(db, -g.rows, -g.tokens)
}

/**
 * FTS5's `integrity-check`, which holds the averages to the stored rows: run with the copies'
 * share taken out, in a savepoint rolled back after. Throws as the check does.
 */
export const integrityCheck = (db: Db): void => {
  db.exec("SAVEPOINT fts_check")
  try {
    const c = totals(db, "SELECT sum(count) AS rows, sum(tokens) AS tokens FROM doc_copies")
    const g = goneTotals(db)
    FtsTotals.adjust(db, -c.rows - g.rows, -c.tokens - g.tokens)
    db.exec("INSERT INTO docs_fts(docs_fts, rank) VALUES ('integrity-check', 1)")
  } finally {
    db.exec("ROLLBACK TO fts_check")
    db.exec("RELEASE fts_check")
  }
}
