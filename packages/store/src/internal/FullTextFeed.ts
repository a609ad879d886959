/**
 * The full-text index of a first build, fed while the files are still being read. A first build
 * defers the FTS5 entries (IndexDatabase's `fts_deferred`) to one pass over every document at the
 * end, which then runs alone, after the scan. Instead, the process that started the deferral on an
 * empty index adds the documents it inserted, in large chunks inside its batch transactions, so the
 * closing step indexes only the rest. That index equals what a 'rebuild' makes only when every
 * document it holds is still there unchanged and nobody else wrote: a document deleted (a file
 * read again, replaced or removed) or a commit by another connection (`PRAGMA data_version`) makes
 * the feed inexact, and the closing step then rebuilds the whole index as before. A crash leaves
 * the deferral row, and the next refresh, which did not start it, rebuilds.
 */
import { type Db, statement } from "../IndexDatabase.js"

/**
 * Characters of documents gathered before they are indexed: FTS5 writes at least one segment per
 * transaction, so feeding every batch (8 MiB of file) would write hundreds of small segments for
 * its merges to rewrite; about one term table's worth of text at a time writes a few dozen.
 */
const FEED_CHARS = 24_000_000

/** FTS5's in-memory term table while feeding (Refresh's closing rebuild uses the same). */
export const HASH_BYTES = 16 << 20
export const DEFAULT_HASH_BYTES = 1 << 20

interface Feed {
  /** Rowid ranges `[low, high)` inserted since the last feed, flat. */
  readonly pending: Array<number>
  chars: number
  exact: boolean
  readonly version: number
}

const feeds = new WeakMap<Db, Feed>()

const dataVersion = (db: Db): number => Number(db.pragma("data_version", { simple: true }))

/**
 * Starts feeding `db`'s full-text index, when this process has just deferred it on an index
 * holding no document (so the full-text index is empty too). Call right after that commit.
 */
export const start = (db: Db): void => {
  if (statement(db, "SELECT 1 FROM doc_texts LIMIT 1").get() !== undefined) return
  feeds.set(db, { pending: [], chars: 0, exact: true, version: dataVersion(db) })
}

/** Forgets the feed (the refresh is over, or was abandoned). */
export const stop = (db: Db): void => {
  feeds.delete(db)
}

/** Documents `[low, high)` were inserted, `chars` characters of text in all. */
export const inserted = (db: Db, low: number, high: number, chars: number): void => {
  const feed = feeds.get(db)
  if (feed === undefined || high <= low) return
  const n = feed.pending.length
  // Consecutive slices of one file extend one range.
  if (n > 0 && feed.pending[n - 1] === low) feed.pending[n - 1] = high
  else feed.pending.push(low, high)
  feed.chars += chars
}

/** `changes` documents were deleted: some may be indexed already, so the feed is no longer exact. */
export const deleted = (db: Db, changes: number): void => {
  const feed = feeds.get(db)
  if (feed !== undefined && changes > 0) feed.exact = false
}

/** Inside a batch's transaction: indexes the gathered documents once there are enough of them. */
export const afterBatch = (db: Db): void => {
  const feed = feeds.get(db)
  if (feed !== undefined && feed.exact && feed.chars >= FEED_CHARS) index(db, feed)
}

/**
 * Inside the closing transaction: indexes the rest and returns true when the full-text index is
 * then exactly what a rebuild would make; false when the caller must rebuild it.
 */
export const finish = (db: Db): boolean => {
  const feed = feeds.get(db)
  feeds.delete(db)
  if (feed === undefined || !feed.exact || dataVersion(db) !== feed.version) return false
  index(db, feed)
  return true
}

/** Indexes the pending ranges from `doc_texts`, with the large term table, in the caller's transaction. */
const index = (db: Db, feed: Feed): void => {
  if (dataVersion(db) !== feed.version) {
    feed.exact = false
    return
  }
  const add = statement(db, "INSERT INTO docs_fts(rowid, text) SELECT id, text FROM doc_texts WHERE id >= ? AND id < ?")
  db.exec(`INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', ${HASH_BYTES})`)
  for (let i = 0; i < feed.pending.length; i += 2) add.run(feed.pending[i], feed.pending[i + 1])
  db.exec(`INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_BYTES})`)
  feed.pending.length = 0
  feed.chars = 0
}
