/**
 * `rollout search --database`: PostgreSQL full-text search over every pushed machine's user and
 * agent messages, tool calls and outputs (`docs.tsv`, a stored tsvector under a GIN index), with
 * the local hit shape (`@rollout/store/ThreadSearch`) plus `machine`. Best match first (`ts_rank`),
 * then newest thread; snippets come from `ts_headline` with matched words in `[` `]` (and as runs), computed
 * for the page only. Archived threads are left out unless asked for, as locally.
 */
import { Effect } from "effect"
import * as ThreadSearch from "@rollout/store/ThreadSearch"
import * as TextQuery from "./internal/TextQuery.js"
import * as TeamDatabase from "./TeamDatabase.js"
import type * as TeamError from "./TeamError.js"

export interface TeamHit extends ThreadSearch.Hit {
  readonly machine: string
}

export interface Answer {
  readonly hits: ReadonlyArray<TeamHit>
  /** Every hit, whatever the limit. */
  readonly total: number
}

interface Row {
  readonly machine: string
  readonly thread_id: string
  readonly turn_index: number | null
  readonly turn_id: string | null
  readonly kind: ThreadSearch.Hit["kind"]
  readonly path: string
  readonly line: number
  readonly snippet: string
  readonly title: string | null
  readonly cwd: string
}

// Matches marked as the local index marks them, so a bracket of the text itself is not taken for one.
const HEADLINE = `StartSel=${ThreadSearch.OPEN}, StopSel=${ThreadSearch.CLOSE}, MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=…`

/** The hits for `query.text` and how many there are in all. */
export const search = (query: ThreadSearch.Query & { readonly machine?: string }): Effect.Effect<Answer, TeamError.TeamError, TeamDatabase.TeamDatabase> =>
  Effect.gen(function* () {
    const ts = TextQuery.source(query.text)
    if (ts === undefined) return { hits: [], total: 0 }
    const limit = Math.min(500, Math.max(1, Math.trunc(query.limit ?? 20)))
    const params: Array<unknown> = [ts]
    const where = [`d.tsv @@ to_tsquery('${TextQuery.CONFIG}', $1)`]
    if (query.archived !== true) where.push("t.archived = false")
    if (query.kinds !== undefined && query.kinds.length > 0) {
      params.push([...query.kinds])
      where.push(`d.kind = ANY($${params.length}::text[])`)
    }
    if (query.machine !== undefined) {
      params.push(query.machine)
      where.push(`d.machine = $${params.length}`)
    }
    const from = `FROM docs d JOIN threads t ON t.machine = d.machine AND t.id = d.thread_id WHERE ${where.join(" AND ")}`
    return yield* TeamDatabase.use(async (db) => {
      const [count] = await db.query<{ n: number }>(`SELECT count(*) AS n ${from}`, params)
      const rows = await db.query<Row>(
        `SELECT h.machine, h.thread_id, h.turn_index, h.turn_id, h.kind, h.path, h.line,
           ts_headline('${TextQuery.CONFIG}', h.body, to_tsquery('${TextQuery.CONFIG}', $1), '${HEADLINE}') AS snippet,
           coalesce(n.name, nullif(h.preview, '')) AS title, h.cwd
         FROM (
           SELECT d.machine, d.thread_id, d.turn_index, d.turn_id, d.kind, d.path, d.line, d.body, t.preview, t.cwd, t.created_at_ms,
             ts_rank(d.tsv, to_tsquery('${TextQuery.CONFIG}', $1)) AS rank, d.byte_offset, d.seq
           ${from}
           ORDER BY rank DESC, t.created_at_ms DESC, d.machine, d.path, d.byte_offset, d.seq
           LIMIT ${limit}
         ) h
         LEFT JOIN names n ON n.machine = h.machine AND n.id = h.thread_id
         ORDER BY h.rank DESC, h.created_at_ms DESC, h.machine, h.path, h.byte_offset, h.seq`,
        params
      )
      const hits = rows.map((r) => ({
        threadId: r.thread_id,
        turn: { index: r.turn_index, id: r.turn_id },
        kind: r.kind,
        ...ThreadSearch.marked(r.snippet),
        path: r.path,
        line: r.line,
        threadTitle: r.title ?? "",
        cwd: r.cwd,
        machine: r.machine
      }))
      return { hits, total: count?.n ?? 0 }
    })
  })
