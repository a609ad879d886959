/**
 * FTS5's averages record of `docs_fts` (rowid 1 of `docs_fts_data`: the row count, then the token
 * total of the one column, as SQLite varints), which bm25 divides for the average document length.
 * A fork's copy stored once (`SearchDocs`) has no rows of its own in the full-text index, so its
 * rows and tokens are added here by hand: the record then reads as if every copy were stored, and
 * every rank is as it would be then (ThreadSearch says why). Runs inside the caller's write
 * transaction. Not a general editor of FTS5's records.
 */
import { type Db, statement } from "../IndexDatabase.js"

/** SQLite's varint (the 9-byte form never arises below 2^56). */
const readVarints = (block: Uint8Array): Array<number> => {
  const out: Array<number> = []
  let i = 0
  while (i < block.length) {
    let v = 0
    for (;;) {
      const b = block[i++] as number
      v = v * 128 + (b & 0x7f)
      if ((b & 0x80) === 0 || i >= block.length) break
    }
    out.push(v)
  }
  return out
}

const writeVarint = (v: number, out: Array<number>): void => {
  const bytes: Array<number> = [v % 128]
  for (let rest = Math.floor(v / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift((rest % 128) | 0x80)
  out.push(...bytes)
}

/** The record's row count and token total. */
export const read = (db: Db): { readonly rows: number; readonly tokens: number } => {
  const row = statement<[], { block: Uint8Array }>(db, "SELECT block FROM docs_fts_data WHERE id = 1").get()
  const [rows = 0, tokens = 0] = row === undefined ? [] : readVarints(row.block)
  return { rows, tokens }
}

/** Tokens FTS5 counted in the rows `[low, high)` (their size rows). */
export const tokens = (db: Db, low: number, high: number): number => {
  let n = 0
  for (const r of statement<[number, number], { sz: Uint8Array }>(db, "SELECT sz FROM docs_fts_docsize WHERE id >= ? AND id < ?").iterate(low, high))
    n += readVarints(r.sz)[0] ?? 0
  return n
}

/**
 * Adds `rows` and `tokens` (either may be negative) to the record. FTS5 keeps the totals in memory
 * from its first write in a transaction and writes them back at the commit; a savepoint makes it
 * write them out and read them again at its next write, so the change is neither lost nor undone.
 * The record is a shadow table's row, which the connection's defensive mode guards: lifted for the
 * one statement.
 */
export const adjust = (db: Db, rows: number, tokens: number): void => {
  if (rows === 0 && tokens === 0) return
  db.exec("SAVEPOINT fts_totals")
  try {
    const now = read(db)
    const out: Array<number> = []
    writeVarint(now.rows + rows, out)
    writeVarint(now.tokens + tokens, out)
    db.unsafeMode(true)
    try {
      statement(db, "INSERT OR REPLACE INTO docs_fts_data(id, block) VALUES (1, ?)").run(Buffer.from(out))
    } finally {
      db.unsafeMode(false)
    }
    db.exec("RELEASE fts_totals")
  } catch (error) {
    db.exec("ROLLBACK TO fts_totals")
    db.exec("RELEASE fts_totals")
    throw error
  }
}
