/**
 * The fourth version of the team schema: the rollout bytes themselves (`file_bytes`), so that a
 * thread can be opened from the database and rebuilt there by the local folds (`TeamFiles`). A
 * file's bytes are rows of consecutive pieces keyed by their start offset, each deflated when that
 * pays; `files.bytes_end` says how far they reach and moves in the same transaction as the rows, so
 * a push killed midway leaves either the old pieces or the old ones and the new. The pieces are
 * already compressed, so PostgreSQL is told not to compress them again. Every file is marked
 * changed (`size = -1`), so each machine's next push sends its bytes (its search text resumes from
 * the stored offset; its statistics are folded again, as after version 2).
 */
export const statements: ReadonlyArray<string> = [
  "ALTER TABLE files ADD COLUMN bytes_end bigint NOT NULL DEFAULT 0",
  `CREATE TABLE file_bytes (
    machine text NOT NULL,
    path text NOT NULL,
    start bigint NOT NULL,
    length integer NOT NULL,
    deflated boolean NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (machine, path, start),
    FOREIGN KEY (machine, path) REFERENCES files ON DELETE CASCADE
  )`,
  "ALTER TABLE file_bytes ALTER COLUMN data SET STORAGE EXTERNAL",
  "UPDATE files SET size = -1"
]
