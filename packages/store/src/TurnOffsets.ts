/**
 * The turn-offset table: for a rollout file, where each of its turns starts (byte offset and line)
 * and the small fold state a reader needs to rebuild that turn from there, so a page of a long
 * thread is read from its own lines instead of the whole file (`rollout serve` pages turns this
 * way). It stores what it is given and reads it back; building the rows is the reader's job, and a
 * row's `state` is that reader's JSON, opaque here. Like the rest of the index it is a projection:
 * dropping it only costs reading the file again. The tables are created on first use rather than
 * as a numbered migration, so this cache needs no schema version of the index's own.
 */
import * as IndexDatabase from "./IndexDatabase.js"

/** One file's entry: how far it was read and what the reader keeps beside its turns. */
export interface FileRow {
  readonly path: string
  /** The reader's format; a row of another format is thrown away. */
  readonly version: number
  /** A fingerprint of the file's first bytes: a rewritten file starts over. */
  readonly head: string
  /** The offset of the first byte not read yet (just after a complete line). */
  readonly size: number
  readonly state: string
}

/** One turn: its position in the thread (0-based), where its lines start, and the reader's state. */
export interface TurnRow {
  readonly n: number
  readonly offset: number
  readonly line: number
  readonly state: string
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS turn_offset_files (
    path TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    head TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS turn_offsets (
    path TEXT NOT NULL,
    n INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (path, n)
  ) WITHOUT ROWID;
`

const ready = new WeakSet<IndexDatabase.Db>()

const ensure = (db: IndexDatabase.Db): void => {
  if (ready.has(db)) return
  IndexDatabase.write(db, () => db.exec(SCHEMA))
  ready.add(db)
}

/** The file's rows, turns in order, or undefined when it has none. */
export const load = (db: IndexDatabase.Db, path: string): { readonly file: FileRow; readonly turns: ReadonlyArray<TurnRow> } | undefined => {
  ensure(db)
  const file = IndexDatabase.statement<[string], FileRow>(db, "SELECT path, version, head, size, state FROM turn_offset_files WHERE path = ?").get(path)
  if (file === undefined) return undefined
  const turns = IndexDatabase.statement<[string], TurnRow>(db, "SELECT n, offset, line, state FROM turn_offsets WHERE path = ? ORDER BY n").all(path)
  return { file, turns }
}

/** The file's row alone (how far it was read and the reader's state), or undefined. */
export const file = (db: IndexDatabase.Db, path: string): FileRow | undefined => {
  ensure(db)
  return IndexDatabase.statement<[string], FileRow>(db, "SELECT path, version, head, size, state FROM turn_offset_files WHERE path = ?").get(path)
}

/** The file's turns `[from, to)` in order, without reading the others. */
export const range = (db: IndexDatabase.Db, path: string, from: number, to: number): ReadonlyArray<TurnRow> => {
  ensure(db)
  return IndexDatabase.statement<[string, number, number], TurnRow>(
    db,
    "SELECT n, offset, line, state FROM turn_offsets WHERE path = ? AND n >= ? AND n < ? ORDER BY n"
  ).all(path, from, to)
}

/**
 * Replaces the file's row and its turns from `from` on with `turns` (their `n` at least `from`), in
 * one write: a reader that re-read the file from turn `from` keeps the rows before it.
 */
export const save = (db: IndexDatabase.Db, file: FileRow, from: number, turns: ReadonlyArray<TurnRow>): void => {
  ensure(db)
  IndexDatabase.write(db, () => {
    IndexDatabase.statement(db, "INSERT OR REPLACE INTO turn_offset_files (path, version, head, size, state) VALUES (?, ?, ?, ?, ?)").run(
      file.path,
      file.version,
      file.head,
      file.size,
      file.state
    )
    IndexDatabase.statement(db, "DELETE FROM turn_offsets WHERE path = ? AND n >= ?").run(file.path, from)
    const insert = IndexDatabase.statement(db, "INSERT INTO turn_offsets (path, n, offset, line, state) VALUES (?, ?, ?, ?, ?)")
    for (const t of turns) insert.run(file.path, t.n, t.offset, t.line, t.state)
  })
}

/** Forgets the file (it is gone, or its rows are of no use). */
export const drop = (db: IndexDatabase.Db, path: string): void => {
  ensure(db)
  IndexDatabase.write(db, () => {
    IndexDatabase.statement(db, "DELETE FROM turn_offset_files WHERE path = ?").run(path)
    IndexDatabase.statement(db, "DELETE FROM turn_offsets WHERE path = ?").run(path)
  })
}
