/**
 * Unique millisecond cursors. `created_at_ms` and `updated_at_ms` are each unique across the whole
 * table (a UNIQUE index), so a page boundary is one number and a listing never skips or repeats
 * threads that share an instant. A wanted instant already taken is bumped by 1 ms until free, as
 * Codex does (B3) — but against the table itself, inside the caller's `BEGIN IMMEDIATE`
 * transaction, so values are unique across processes too, not only within one (Codex's per-process
 * high-water mark is not, B5).
 */
import { type Db, statement } from "../IndexDatabase.js"

export type Column = "created_at_ms" | "updated_at_ms"

/** How many taken values are fetched per query while looking for a gap. */
const WINDOW = 256

/**
 * The smallest free value ≥ `wanted` in `column`, ignoring the row of thread `id` itself. Must run
 * inside a write transaction (the value is only reserved once the caller writes it).
 */
export const allocate = (db: Db, column: Column, wanted: number, id: string): number => {
  const taken = statement<[number, string, number], { v: number }>(
    db,
    `SELECT ${column} AS v FROM threads WHERE ${column} >= ? AND id != ? ORDER BY ${column} LIMIT ?`
  )
  let candidate = wanted
  for (;;) {
    const rows = taken.all(candidate, id, WINDOW)
    for (const { v } of rows) {
      if (v > candidate) return candidate
      candidate = v + 1
    }
    if (rows.length < WINDOW) return candidate
  }
}
