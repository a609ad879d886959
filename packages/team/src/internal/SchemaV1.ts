/**
 * The first version of the team schema. Every row carries the machine it came from; a file's
 * facts hang off its `files` row (deleted with it), and thread rows are rebuilt from their files'
 * rows in the same transaction; its fold states (JSON) sit in `file_folds`, apart from the narrow
 * rows statistics scan. JSON that may hold U+0000 (the statistics bucket keys do) is kept
 * as text, which PostgreSQL's jsonb refuses. Search text is indexed by a stored tsvector under a
 * GIN index; lists page on (instant, machine, id), which is unique without allocating instants.
 */
export const statements: ReadonlyArray<string> = [
  `CREATE TABLE machines (
    name text PRIMARY KEY,
    home text NOT NULL,
    first_sync_at timestamptz NOT NULL DEFAULT now(),
    last_sync_at timestamptz NOT NULL DEFAULT now(),
    names_size bigint,
    names_mtime_ms bigint
  )`,
  `CREATE TABLE files (
    machine text NOT NULL,
    path text NOT NULL,
    archived boolean NOT NULL,
    size bigint NOT NULL,
    mtime_ms bigint NOT NULL,
    list_id text NOT NULL,
    stats_key text NOT NULL,
    scan_offset bigint NOT NULL,
    head_hash text NOT NULL,
    lines bigint NOT NULL,
    copied_lines bigint NOT NULL,
    first_at text COLLATE "C",
    last_at text COLLATE "C",
    diagnostics integer NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (machine, path)
  )`,
  // The bulky fold states live apart, so that the statistics' scans of files read narrow rows.
  `CREATE TABLE file_folds (
    machine text NOT NULL,
    path text NOT NULL,
    scan_state text NOT NULL,
    metadata text NOT NULL,
    stats text NOT NULL,
    PRIMARY KEY (machine, path),
    FOREIGN KEY (machine, path) REFERENCES files ON DELETE CASCADE
  )`,
  "CREATE INDEX files_stats_key ON files (machine, stats_key)",
  "CREATE INDEX files_list_id ON files (machine, list_id)",
  `CREATE TABLE file_tools (
    machine text NOT NULL,
    path text NOT NULL,
    tool text NOT NULL,
    calls bigint NOT NULL,
    failures bigint NOT NULL,
    timed_calls bigint NOT NULL,
    duration_ms bigint NOT NULL,
    max_ms bigint NOT NULL,
    PRIMARY KEY (machine, path, tool),
    FOREIGN KEY (machine, path) REFERENCES files ON DELETE CASCADE
  )`,
  `CREATE TABLE file_counts (
    machine text NOT NULL,
    path text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('error', 'retry', 'activity')),
    name text NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (machine, path, kind, name),
    FOREIGN KEY (machine, path) REFERENCES files ON DELETE CASCADE
  )`,
  `CREATE TABLE stat_threads (
    machine text NOT NULL,
    key text NOT NULL,
    started_at text COLLATE "C",
    source text NOT NULL,
    forked_from_id text,
    sub_agent boolean NOT NULL,
    parent_thread_id text,
    files integer NOT NULL,
    lines bigint NOT NULL,
    copied_lines bigint NOT NULL,
    input_tokens bigint NOT NULL,
    cached_input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    reasoning_output_tokens bigint NOT NULL,
    total_tokens bigint NOT NULL,
    turns_started bigint NOT NULL,
    turns_completed bigint NOT NULL,
    turns_failed bigint NOT NULL,
    turns_aborted bigint NOT NULL,
    turns_timed bigint NOT NULL,
    turn_duration_ms bigint NOT NULL,
    turn_max_ms bigint NOT NULL,
    tool_calls bigint NOT NULL,
    errors bigint NOT NULL,
    PRIMARY KEY (machine, key)
  )`,
  `CREATE TABLE stat_buckets (
    machine text NOT NULL,
    key text NOT NULL,
    day text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    input_tokens bigint NOT NULL,
    cached_input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    reasoning_output_tokens bigint NOT NULL,
    total_tokens bigint NOT NULL,
    turns bigint NOT NULL,
    tool_calls bigint NOT NULL,
    errors bigint NOT NULL,
    PRIMARY KEY (machine, key, day, model),
    FOREIGN KEY (machine, key) REFERENCES stat_threads ON DELETE CASCADE
  )`,
  "CREATE INDEX stat_buckets_day ON stat_buckets (day, model)",
  `CREATE TABLE threads (
    machine text NOT NULL,
    id text NOT NULL,
    rollout_path text NOT NULL,
    paths text NOT NULL,
    created_at_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL,
    preview text NOT NULL,
    cwd text NOT NULL,
    source text NOT NULL,
    model_provider text,
    model text,
    reasoning_effort text,
    cli_version text,
    originator text,
    history_mode text NOT NULL,
    history_base_id text,
    archived boolean NOT NULL,
    forked_from_id text,
    parent_thread_id text,
    agent_nickname text,
    agent_role text,
    last_turn_at bigint,
    PRIMARY KEY (machine, id)
  )`,
  "CREATE INDEX threads_created ON threads (archived, created_at_ms DESC, machine DESC, id DESC)",
  "CREATE INDEX threads_updated ON threads (archived, updated_at_ms DESC, machine DESC, id DESC)",
  "CREATE INDEX threads_cwd ON threads (cwd)",
  `CREATE TABLE names (
    machine text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (machine, id)
  )`,
  `CREATE TABLE docs (
    machine text NOT NULL,
    path text NOT NULL,
    byte_offset bigint NOT NULL,
    seq integer NOT NULL,
    line integer NOT NULL,
    thread_id text NOT NULL,
    turn_index integer,
    turn_id text,
    kind text NOT NULL,
    body text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
    PRIMARY KEY (machine, path, byte_offset, seq),
    FOREIGN KEY (machine, path) REFERENCES files ON DELETE CASCADE
  )`,
  "CREATE INDEX docs_tsv ON docs USING gin (tsv)",
  "CREATE INDEX docs_thread ON docs (machine, thread_id)"
]
