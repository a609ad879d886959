/**
 * The second version of the team schema: statistics buckets keyed as the local fold keys them
 * since cost and time windows (`StatsFile.bucketKey`: the UTC quarter hour, the model and the
 * service tier) instead of a UTC day and a model, so that `stats --database` puts each bucket on
 * its local day in any zone and prices it by tier; and the thread's project (`cwd`). Old buckets
 * cannot be split into quarter hours, and the stored per-file folds are of the old shape too: the
 * statistics threads are dropped and every file is marked changed (`size = -1`), so each
 * machine's next push folds its files again (search text resumes from its stored offset, so no
 * document is read twice) and rebuilds its threads.
 */
export const statements: ReadonlyArray<string> = [
  "DROP TABLE stat_buckets",
  "DELETE FROM stat_threads",
  "ALTER TABLE stat_threads ADD COLUMN cwd text",
  `CREATE TABLE stat_buckets (
    machine text NOT NULL,
    key text NOT NULL,
    slot text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    tier text COLLATE "C" NOT NULL,
    input_tokens bigint NOT NULL,
    cached_input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    reasoning_output_tokens bigint NOT NULL,
    total_tokens bigint NOT NULL,
    turns bigint NOT NULL,
    tool_calls bigint NOT NULL,
    errors bigint NOT NULL,
    PRIMARY KEY (machine, key, slot, model, tier),
    FOREIGN KEY (machine, key) REFERENCES stat_threads ON DELETE CASCADE
  )`,
  "CREATE INDEX stat_buckets_slot ON stat_buckets (slot)",
  "UPDATE files SET size = -1"
]
