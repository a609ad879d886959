/**
 * Checks on a team database's own invariants, read with psql (the tests' processes hold no
 * driver connection of their own).
 */
import type * as PgCluster from "./PgCluster.js"

/** Rows of the rollup that differ from the buckets summed per machine, quarter hour, model and tier (both ways). */
export const rollupDrift = (c: PgCluster.Cluster, db: string): string =>
  c.psql(
    db,
    `WITH want AS (SELECT machine, slot, model, tier, count(*) AS n, sum(input_tokens) AS i, sum(cached_input_tokens) AS c, sum(output_tokens) AS o,
       sum(reasoning_output_tokens) AS r, sum(total_tokens) AS t, sum(turns) AS u, sum(tool_calls) AS l, sum(errors) AS e FROM stat_buckets GROUP BY 1, 2, 3, 4),
     have AS (SELECT machine, slot, model, tier, buckets, input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens, turns,
       tool_calls, errors FROM stat_rollup)
     SELECT count(*) FROM ((SELECT * FROM want EXCEPT SELECT * FROM have) UNION ALL (SELECT * FROM have EXCEPT SELECT * FROM want)) d`
  )

/**
 * Files whose pushed bytes are not one gapless run of pieces from 0 to the size pushed (a piece
 * missing, repeated or overlapping, or `bytes_end` short of the file's size).
 */
export const bytesDrift = (c: PgCluster.Cluster, db: string): string =>
  c.psql(
    db,
    `WITH p AS (SELECT machine, path, start, length, lag(start + length, 1, 0::bigint) OVER (PARTITION BY machine, path ORDER BY start) AS prev FROM file_bytes)
     SELECT (SELECT count(*) FROM p WHERE start <> prev)
       + (SELECT count(*) FROM files f WHERE f.bytes_end <> f.size
            OR f.bytes_end <> coalesce((SELECT sum(length) FROM file_bytes b WHERE b.machine = f.machine AND b.path = f.path), 0))`
  )
