/**
 * Full-text search over the indexed documents (user and agent messages, tool calls and outputs;
 * see `SearchDoc`) with SQLite FTS5: each hit names its thread, the turn it sits in (index and,
 * where the rollout records one, id), the kind of document, the rollout line, and a snippet with
 * the matched words marked. The text is matched as words in order (an FTS5 phrase, the last word
 * also as a prefix), so punctuation in the query is never FTS5 syntax. It only reads SQLite.
 */
import { type Db, statement } from "./IndexDatabase.js"
import type * as SearchDoc from "./SearchDoc.js"
import { SPAN } from "./internal/SearchDocs.js"

export interface Hit {
  readonly threadId: string
  readonly turn: { readonly index: number | null; readonly id: string | null }
  readonly kind: SearchDoc.Kind
  /** The matched text around the match; matched words are wrapped in `[` `]`. */
  readonly snippet: string
  /**
   * The same text cut into runs, matched or not: unlike `snippet`, a `[` or `]` of the text itself
   * (code is full of them) is not taken for a mark.
   */
  readonly parts: ReadonlyArray<Part>
  readonly path: string
  readonly line: number
  /** The thread's name or preview, to show which thread it is. */
  readonly threadTitle: string
  /** The folder the thread started in, where Codex resumes it. */
  readonly cwd: string
}

export interface Part {
  readonly text: string
  readonly hit: boolean
}

// The search engine (FTS5 here, PostgreSQL's ts_headline for a team) marks matches with these
// private-use characters, which no rollout text is expected to hold; `snippet` then shows them as
// the brackets of the contract.
export const OPEN = "\ue000"
export const CLOSE = "\ue001"

/** The runs of a snippet marked with `OPEN` `CLOSE`. */
export const partsOf = (marked: string): Array<Part> => {
  const parts: Array<Part> = []
  for (const [i, piece] of marked.split(OPEN).entries()) {
    const close = i === 0 ? -1 : piece.indexOf(CLOSE)
    if (close >= 0) parts.push({ text: piece.slice(0, close), hit: true })
    const rest = piece.slice(close + 1)
    if (rest !== "") parts.push({ text: rest, hit: false })
  }
  return parts
}

/** A hit's `snippet` (the contract's brackets) and `parts` from the snippet the engine marked. */
export const marked = (snippet: string): Pick<Hit, "snippet" | "parts"> => ({
  snippet: snippet.replaceAll(OPEN, "[").replaceAll(CLOSE, "]"),
  parts: partsOf(snippet)
})

export interface Query {
  readonly text: string
  /** Default 20, at most 500. */
  readonly limit?: number
  /** Only hits in these kinds of documents. */
  readonly kinds?: ReadonlyArray<SearchDoc.Kind>
  /** Include archived threads (default false). */
  readonly archived?: boolean
}

/** The FTS5 expression for plain text: its words as one phrase, the last one as a prefix. */
export const matchExpression = (text: string): string => {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? []
  if (words.length === 0) return '""'
  return `"${words.join(" ")}"*`
}

interface Row {
  readonly id: number
  readonly thread_id: string
  readonly turn_index: number | null
  readonly turn_id: string | null
  readonly kind: SearchDoc.Kind
  readonly path: string
  readonly line: number
  readonly title: string | null
  readonly cwd: string
}

/**
 * Every hit of the full-text index, and each again in every fork's copy that holds it
 * (`doc_copies`): `vid` the rowid it has (or would have, for a copy) in its own file, `id` the
 * stored row, `src` its file's source, `line_delta` what the copy adds to the stored line. The count
 * (and `ls --search`) needs no rank (bm25 for every match). Its one parameter, the match
 * expression, comes first in the statement.
 */
export const hits = (rank: "rank" | "NULL") => `WITH hit AS MATERIALIZED (SELECT rowid AS id, ${rank} AS rank FROM docs_fts WHERE docs_fts MATCH ?),
  row AS (
    SELECT id AS vid, id, id / ${SPAN} AS src, 0 AS line_delta, rank FROM hit
    UNION ALL
    SELECT c.fork * ${SPAN} + (h.id - c.target * ${SPAN}), h.id, c.fork, c.line_delta, h.rank
    FROM hit h JOIN doc_copies c ON c.target = h.id / ${SPAN} AND h.id < c.target * ${SPAN} + c.count
  )`

/** The WHERE clause of a query and its parameters, shared by the hits and their count. */
const filter = (query: Query): { readonly where: string; readonly params: Array<string | number>; readonly expression: string } => {
  const where = ["1"]
  const expression = matchExpression(query.text)
  const params: Array<string | number> = [expression]
  if (query.archived !== true) where.push("t.archived = 0")
  if (query.kinds !== undefined && query.kinds.length > 0) {
    where.push(`d.kind IN (${query.kinds.map(() => "?").join(", ")})`)
    params.push(...query.kinds)
  }
  return { where: where.join(" AND "), params, expression }
}

/** How many hits `query` has in all, whatever its limit: "5 of 479 matches". */
export const count = (db: Db, query: Query): number => {
  const { where, params } = filter(query)
  const row = db
    .prepare<Array<string | number>, { readonly n: number }>(
      `${hits("NULL")} SELECT count(*) AS n FROM row r JOIN doc_texts d ON d.id = r.id JOIN doc_sources s ON s.id = r.src JOIN threads t ON t.id = s.thread_id WHERE ${where}`
    )
    .get(...params)
  return row?.n ?? 0
}

/**
 * Hits for `query.text`, best match first (FTS5 rank), then newest thread, then in file order.
 * A fork's copy stored once ranks as its parent's row, which is the rank it would have stored:
 * the query is one phrase, so a row's bm25 is its phrase count and length against the average
 * length (FTS5's averages, which count the copies, `DocCopies`) times one IDF for the whole query;
 * the IDF differs from the one with every copy stored, but it is positive and the same for every
 * row, so the order is the same. The snippet depends on the row alone, and is cut only for the
 * hits returned.
 */
export const search = (db: Db, query: Query): ReadonlyArray<Hit> => {
  const limit = Math.min(500, Math.max(1, Math.trunc(query.limit ?? 20)))
  const { where, params, expression } = filter(query)
  const rows = db
    .prepare<Array<string | number>, Row>(
      `${hits("rank")}
       SELECT r.id, s.thread_id, d.turn_index, d.turn_id, d.kind, s.path, d.line + r.line_delta AS line,
         coalesce(n.name, nullif(t.preview, '')) AS title, t.cwd AS cwd
       FROM row r
       JOIN doc_texts d ON d.id = r.id
       JOIN doc_sources s ON s.id = r.src
       JOIN threads t ON t.id = s.thread_id
       LEFT JOIN names n ON n.id = t.id
       WHERE ${where}
       ORDER BY r.rank, t.created_at_ms DESC, r.vid
       LIMIT ?`
    )
    .all(...params, limit)
  // The rowid bound as an integer: FTS5 does not take a REAL (a JavaScript number) as a rowid to look up.
  const snippetOf = statement<[string, bigint], { readonly snippet: string }>(
    db,
    `SELECT snippet(docs_fts, 0, '${OPEN}', '${CLOSE}', '…', 16) AS snippet FROM docs_fts WHERE docs_fts MATCH ? AND rowid = ?`
  )
  return rows.map((r) => {
    const snippet = snippetOf.get(expression, BigInt(r.id))?.snippet ?? ""
    return {
      threadId: r.thread_id,
      turn: { index: r.turn_index, id: r.turn_id },
      kind: r.kind,
      ...marked(snippet),
      path: r.path,
      line: r.line,
      threadTitle: r.title ?? "",
      cwd: r.cwd
    }
  })
}
