/**
 * The third version of the team schema: `stat_rollup`, the statistics buckets summed over a
 * machine's threads per UTC quarter hour, model and service tier, kept in step with
 * `stat_buckets` by every push (`ThreadRebuild` adds each rebuilt thread's new buckets and
 * subtracts its old ones in the same transaction). `stats --database` groups it by local day on
 * the server, so an answer reads at most one row per machine, quarter hour, model and tier, however
 * many threads there are. `buckets` counts the `stat_buckets` rows a row sums: a row is deleted
 * when it reaches zero, so that a day on which nothing is left is not reported. It is filled from
 * the buckets already pushed, so no machine has to push again. Both tables get the slot's quarter
 * hour of its UTC day (`LocalDays.quarter`), worked out once as rows are written rather than by
 * every report, which joins it to the local day's steps.
 */
import * as LocalDays from "./LocalDays.js"

const QUARTER = LocalDays.quarter("slot")

export const statements: ReadonlyArray<string> = [
  `CREATE TABLE stat_rollup (
    machine text NOT NULL,
    slot text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    tier text COLLATE "C" NOT NULL,
    buckets bigint NOT NULL,
    input_tokens bigint NOT NULL,
    cached_input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    reasoning_output_tokens bigint NOT NULL,
    total_tokens bigint NOT NULL,
    turns bigint NOT NULL,
    tool_calls bigint NOT NULL,
    errors bigint NOT NULL,
    quarter smallint GENERATED ALWAYS AS (${QUARTER}) STORED,
    PRIMARY KEY (machine, slot, model, tier)
  )`,
  `ALTER TABLE stat_buckets ADD COLUMN quarter smallint GENERATED ALWAYS AS (${QUARTER}) STORED`,
  "CREATE INDEX stat_rollup_slot ON stat_rollup (slot)",
  `INSERT INTO stat_rollup (machine, slot, model, tier, buckets, input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens,
      total_tokens, turns, tool_calls, errors)
    SELECT machine, slot, model, tier, count(*), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(reasoning_output_tokens),
      sum(total_tokens), sum(turns), sum(tool_calls), sum(errors)
    FROM stat_buckets GROUP BY machine, slot, model, tier`
]
