/**
 * The SQLite file behind the index: where it lives, how it is opened (WAL, 5 s busy timeout and
 * writes that wait out other processes' locks with backoff,
 * `synchronous=NORMAL`, as Codex opens its state DB) and its schema, applied as numbered
 * migrations under `PRAGMA user_version`. It lives in the per-user cache folder, not in the Codex
 * home (`location`). A database that cannot be read (deleted, truncated,
 * overwritten with garbage) is thrown away and recreated empty: the index is a projection of
 * the rollout files and the next refresh rebuilds it. Next to it lives AppendCheck's position file
 * (`<index>-check`). It holds no queries of its own. The database and its companion files are the
 * store's own resource on the real disk, so this module uses `node:fs` directly; the Codex home's
 * files go through the Host.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import Database from "better-sqlite3"
import * as UserCache from "@rollout/log/UserCache"
import * as IndexPath from "./internal/IndexPath.js"

export type Db = Database.Database

/** The name an index inside the Codex home had before indexes moved to the cache folder. */
export const FILE_NAME = "rollout-index.sqlite"

/** The per-user cache folder of the index (`@rollout/log/UserCache`). */
export const cacheDir = UserCache.dir

/** `<cache>/<home's folder name>-<hash of its absolute path>.sqlite`: one index per home, none inside it. */
export const cachePath = (home: string, dir: string = cacheDir()): string => {
  const abs = nodePath.resolve(home)
  const hash = crypto.createHash("sha256").update(abs).digest("hex").slice(0, 16)
  const name =
    nodePath
      .basename(abs)
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^\.+/, "") || "home"
  return nodePath.join(dir, `${name}-${hash}.sqlite`)
}

/**
 * `--index FILE`, else `$ROLLOUT_INDEX`, else an index this tool already keeps in the Codex home
 * (`<home>/rollout-index.sqlite`, from earlier versions), else `cachePath(home)`: reading a home
 * never writes into it unasked.
 */
export const location = (flag: string | undefined, env: Readonly<Record<string, string | undefined>>, home: string): string => {
  const chosen = flag ?? env["ROLLOUT_INDEX"]
  if (chosen !== undefined) return nodePath.resolve(chosen)
  const legacy = nodePath.resolve(home, FILE_NAME)
  return fs.existsSync(legacy) ? legacy : cachePath(home, cacheDir({ ...process.env, ...env }))
}

/**
 * The schema, one entry per version. Entries are only ever appended: a database migrated by a
 * newer build keeps working with an older one (unknown later versions are left alone).
 */
export const migrations: ReadonlyArray<string> = [
  `
  -- One row per thread (the files named with one thread id, grouped). The *_natural_ms columns
  -- are what the files say; created_at_ms / updated_at_ms are the same instants bumped by 1 ms
  -- until unique, so one number is a stable cursor (Codex's "bump by 1 ms", B3).
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    rollout_path TEXT NOT NULL,
    created_at_natural_ms INTEGER NOT NULL,
    updated_at_natural_ms INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    preview TEXT NOT NULL DEFAULT '',
    cwd TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    model_provider TEXT,
    model TEXT,
    reasoning_effort TEXT,
    cli_version TEXT,
    originator TEXT,
    history_mode TEXT NOT NULL,
    history_base_id TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    forked_from_id TEXT,
    parent_thread_id TEXT,
    agent_nickname TEXT,
    agent_role TEXT,
    last_turn_at INTEGER
  );
  CREATE UNIQUE INDEX threads_created_ms ON threads(created_at_ms);
  CREATE UNIQUE INDEX threads_updated_ms ON threads(updated_at_ms);
  CREATE INDEX threads_archived_created ON threads(archived, created_at_ms);
  CREATE INDEX threads_archived_updated ON threads(archived, updated_at_ms);
  CREATE INDEX threads_cwd_created ON threads(archived, cwd, created_at_ms);
  CREATE INDEX threads_cwd_updated ON threads(archived, cwd, updated_at_ms);
  CREATE INDEX threads_parent ON threads(parent_thread_id);

  -- One row per rollout file: how far it was read (offset of the first byte not yet indexed, always
  -- just after a complete line) and the fold state there, so a grown file is read from that point.
  CREATE TABLE files (
    path TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    archived INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    tail_state TEXT
  );
  CREATE INDEX files_thread ON files(thread_id);

  -- Searchable text: user and agent messages, tool calls and outputs, each with its turn.
  CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    turn_index INTEGER,
    turn_id TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX docs_path ON docs(path, offset);
  CREATE INDEX docs_thread ON docs(thread_id);
  CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='docs', content_rowid='id');
  CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER docs_ad AFTER DELETE ON docs BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER docs_au AFTER UPDATE OF text ON docs BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;

  -- Thread names from session_index.jsonl (newest entry per id wins) and how far it was read.
  CREATE TABLE names (id TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE name_source (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    head_hash TEXT NOT NULL
  );
  `,
  `
  -- Folder modification times at the last refresh: a folder whose mtime did not move holds the same
  -- files, so listing an unchanged home costs one stat per folder (HomeListing.changedDirs).
  CREATE TABLE dirs (path TEXT PRIMARY KEY, mtime_ms REAL NOT NULL);
  `,
  `
  -- What a change check reads of each file, as covering indexes: checking 10,000 files reads these
  -- small entries instead of every row with its fold state (several KB each). files_check serves
  -- full listings and AppendCheck's rotation (path order), files_recent its most recent files.
  CREATE INDEX files_check ON files(path, size, mtime_ms, archived);
  CREATE INDEX files_recent ON files(mtime_ms, path, size, archived);

  -- While this row exists, documents are written without their full-text entries, which one
  -- 'rebuild' adds at the end (Refresh, first build): building the FTS5 index in one pass costs a
  -- third of maintaining it row by row. The triggers skip both inserts and deletes meanwhile, so
  -- the rebuild starts from documents alone; a build cut short leaves the row for the next refresh.
  CREATE TABLE fts_deferred (id INTEGER PRIMARY KEY CHECK (id = 1));
  DROP TRIGGER docs_ai;
  DROP TRIGGER docs_ad;
  DROP TRIGGER docs_au;
  CREATE TRIGGER docs_ai AFTER INSERT ON docs WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER docs_ad AFTER DELETE ON docs WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER docs_au AFTER UPDATE OF text ON docs WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;
  `,
  `
  -- Per thread for \`ls\`: turns started, token totals (JSON, null when none recorded) and bytes on
  -- disk (its files' sizes), kept by ThreadUpsert; biggest first pages on (bytes, id).
  ALTER TABLE threads ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE threads ADD COLUMN tokens TEXT;
  ALTER TABLE threads ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX threads_archived_bytes ON threads(archived, bytes, id);

  -- What \`rollout trim\` would free, as last measured (TrimCache), and the files it was measured on.
  CREATE TABLE trim_sizes (thread_id TEXT PRIMARY KEY, files TEXT NOT NULL, frees INTEGER);

  -- Stored fold states hold no turns or tokens yet: the index is emptied, and the next refresh
  -- reads every file again as a first build does. The deferral row makes the triggers skip the
  -- deletes; the full-text index is then cleared in one go and the row removed.
  INSERT OR IGNORE INTO fts_deferred(id) VALUES (1);
  DELETE FROM docs;
  DELETE FROM files;
  DELETE FROM threads;
  DELETE FROM dirs;
  INSERT INTO docs_fts(docs_fts) VALUES ('delete-all');
  DELETE FROM fts_deferred;
  `,
  `
  -- Documents without their file's path and thread id on every row (they were a third of the index
  -- and two of its indexes): one doc_sources row per file, and each document's rowid is its
  -- source's id times SearchDocs.SPAN plus its rank in the file, so a file's documents are one
  -- rowid range, in file order, and need no index of their own. \`docs\` stays as a view of the old
  -- shape. The old documents are dropped with their full-text index, and every file is read again
  -- on the next refresh, as after version 4.
  DROP TRIGGER docs_ai;
  DROP TRIGGER docs_ad;
  DROP TRIGGER docs_au;
  DROP TABLE docs_fts;
  DROP TABLE docs;
  CREATE TABLE doc_sources (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL);
  CREATE TABLE doc_texts (
    id INTEGER PRIMARY KEY,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    turn_index INTEGER,
    turn_id TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE VIEW docs AS
    SELECT d.id, s.path, s.thread_id, d.offset, d.line, d.turn_index, d.turn_id, d.kind, d.text
    FROM doc_texts d JOIN doc_sources s ON s.id = d.id / 4294967296;
  CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='doc_texts', content_rowid='id');
  CREATE TRIGGER doc_texts_ai AFTER INSERT ON doc_texts WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER doc_texts_ad AFTER DELETE ON doc_texts WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER doc_texts_au AFTER UPDATE OF text ON doc_texts WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO docs_fts(docs_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO docs_fts(rowid, text) VALUES (new.id, new.text);
  END;
  -- An older build that finds this version leaves it alone and goes on writing documents in the
  -- old shape: these triggers store them in the new tables (the rank after its file's last).
  CREATE TRIGGER docs_insert INSTEAD OF INSERT ON docs BEGIN
    INSERT INTO doc_sources(path, thread_id) VALUES (new.path, new.thread_id)
      ON CONFLICT(path) DO UPDATE SET thread_id = excluded.thread_id;
    INSERT INTO doc_texts(id, offset, line, turn_index, turn_id, kind, text)
      SELECT coalesce(
          (SELECT max(d.id) + 1 FROM doc_texts d WHERE d.id >= s.id * 4294967296 AND d.id < (s.id + 1) * 4294967296),
          s.id * 4294967296),
        new.offset, new.line, new.turn_index, new.turn_id, new.kind, new.text
      FROM doc_sources s WHERE s.path = new.path;
  END;
  CREATE TRIGGER docs_delete INSTEAD OF DELETE ON docs BEGIN
    DELETE FROM doc_texts WHERE id = old.id;
  END;
  CREATE TRIGGER docs_update INSTEAD OF UPDATE OF path ON docs BEGIN
    UPDATE doc_sources SET path = new.path WHERE id = old.id / 4294967296 AND path != new.path;
  END;
  DELETE FROM files;
  DELETE FROM threads;
  DELETE FROM dirs;
  `,
  `
  -- A fork's copy of its parent's documents stored once (SearchDocs): the fork's first \`count\`
  -- documents are the target source's first \`count\` rows, each \`offset_delta\` bytes and
  -- \`line_delta\` lines further on, under the rowids the fork would have given them (fork * SPAN +
  -- rank), which stay free. Search expands a hit to every copy that holds it; FTS5's averages
  -- record counts the copies as if they were rows, so ranks are as with every copy stored.
  -- \`docs\` lists the copies too.
  -- \`tokens\`: the copy's tokens as counted into FTS5's averages (null while the full text is deferred).
  CREATE TABLE doc_copies (
    fork INTEGER PRIMARY KEY,
    target INTEGER NOT NULL,
    count INTEGER NOT NULL,
    offset_delta INTEGER NOT NULL,
    line_delta INTEGER NOT NULL,
    tokens INTEGER
  );
  CREATE INDEX doc_copies_target ON doc_copies(target);
  -- Copies an older build's deletes wrote out (docs_delete) while FTS5's averages counted them: the
  -- next refresh takes them out of the averages (DocCopies.heal), as this build does when it writes one out.
  CREATE TABLE doc_copies_gone (rows INTEGER NOT NULL, tokens INTEGER NOT NULL);
  DROP VIEW docs;
  CREATE VIEW docs AS
    SELECT d.id, s.path, s.thread_id, d.offset, d.line, d.turn_index, d.turn_id, d.kind, d.text
    FROM doc_texts d JOIN doc_sources s ON s.id = d.id / 4294967296
    UNION ALL
    SELECT c.fork * 4294967296 + (d.id - c.target * 4294967296), s.path, s.thread_id, d.offset + c.offset_delta,
      d.line + c.line_delta, d.turn_index, d.turn_id, d.kind, d.text
    FROM doc_copies c
    JOIN doc_texts d ON d.id >= c.target * 4294967296 AND d.id < c.target * 4294967296 + c.count
    JOIN doc_sources s ON s.id = c.fork;
  CREATE TRIGGER docs_insert INSTEAD OF INSERT ON docs BEGIN
    INSERT INTO doc_sources(path, thread_id) VALUES (new.path, new.thread_id)
      ON CONFLICT(path) DO UPDATE SET thread_id = excluded.thread_id;
    INSERT INTO doc_texts(id, offset, line, turn_index, turn_id, kind, text)
      SELECT max(
          coalesce(
            (SELECT max(d.id) + 1 FROM doc_texts d WHERE d.id >= s.id * 4294967296 AND d.id < (s.id + 1) * 4294967296),
            s.id * 4294967296),
          s.id * 4294967296 + coalesce((SELECT c.count FROM doc_copies c WHERE c.fork = s.id), 0)),
        new.offset, new.line, new.turn_index, new.turn_id, new.kind, new.text
      FROM doc_sources s WHERE s.path = new.path;
  END;
  -- A copy that stands for or points at the deleted row is first written out as the fork's rows.
  CREATE TRIGGER docs_delete INSTEAD OF DELETE ON docs BEGIN
    INSERT INTO doc_copies_gone(rows, tokens)
      SELECT c.count, c.tokens FROM doc_copies c
      WHERE (c.target = old.id / 4294967296 OR c.fork = old.id / 4294967296) AND c.tokens IS NOT NULL;
    INSERT INTO doc_texts(id, offset, line, turn_index, turn_id, kind, text)
      SELECT c.fork * 4294967296 + (d.id - c.target * 4294967296), d.offset + c.offset_delta, d.line + c.line_delta,
        d.turn_index, d.turn_id, d.kind, d.text
      FROM doc_copies c JOIN doc_texts d ON d.id >= c.target * 4294967296 AND d.id < c.target * 4294967296 + c.count
      WHERE c.target = old.id / 4294967296 OR c.fork = old.id / 4294967296;
    DELETE FROM doc_copies WHERE target = old.id / 4294967296 OR fork = old.id / 4294967296;
    DELETE FROM doc_texts WHERE id = old.id;
  END;
  CREATE TRIGGER docs_update INSTEAD OF UPDATE OF path ON docs BEGIN
    UPDATE doc_sources SET path = new.path WHERE id = old.id / 4294967296 AND path != new.path;
  END;
  `
]

export const VERSION = migrations.length

const isUnreadable = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || (typeof code === "string" && code.startsWith("SQLITE_CORRUPT"))
}

/** How long a write waits in all for other processes' write locks before it gives up. */
export const WRITE_PATIENCE_MS = 120_000

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
}

const pause = new Int32Array(new SharedArrayBuffer(4))
/** Blocks this thread for `ms` (as SQLite's own busy handler does): the store's API is synchronous. */
const sleep = (ms: number): void => void Atomics.wait(pause, 0, 0, ms)

/**
 * Runs `f` until it does not fail with SQLITE_BUSY: the busy timeout (5 s) covers short waits, and
 * past it the attempt is repeated with a growing, jittered pause for up to `patience` ms in all,
 * so that two `rollout index` runs and an `ls` at once on a loaded machine wait for each other
 * instead of failing with "database is locked". `f` must be safe to repeat when it failed busy.
 */
export const retryBusy = <A>(f: () => A, canRetry: () => boolean = () => true, patience = WRITE_PATIENCE_MS): A => {
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      return f()
    } catch (error) {
      if (!isBusy(error) || !canRetry() || Date.now() - started > patience) throw error
      sleep(Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2))
    }
  }
}

/**
 * `f` in one `BEGIN IMMEDIATE` write transaction, waiting out other writers (retryBusy). Only a
 * transaction refused before `f` started is tried again: once it holds the write lock nothing in
 * WAL mode makes it busy, and `f` may have changed its caller's state.
 */
export const write = <A>(db: Db, f: () => A): A => {
  let entered = false
  const transaction = db.transaction(() => {
    entered = true
    return f()
  })
  return retryBusy(
    () => transaction.immediate(),
    () => !entered
  )
}

const connect = (path: string): Db => {
  fs.mkdirSync(nodePath.dirname(path), { recursive: true })
  const db = new Database(path)
  try {
    db.pragma("busy_timeout = 5000")
    // Applies to a new file only (an existing one keeps its page size): a first build bulk loads
    // hundreds of MB of documents, and 16 KiB pages need a quarter as many page writes and splits.
    db.pragma("page_size = 16384")
    // Switching to WAL needs a moment alone with the file: a second process opening it then waits.
    retryBusy(() => db.pragma("journal_mode = WAL"))
    db.pragma("synchronous = NORMAL")
    migrate(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

const migrate = (db: Db): void => {
  if ((db.pragma("user_version", { simple: true }) as number) >= VERSION) return
  // IMMEDIATE takes the write lock first, so two processes opening a fresh file migrate once.
  write(db, () => {
    const current = db.pragma("user_version", { simple: true }) as number
    for (let v = current; v < VERSION; v++) db.exec(migrations[v] ?? "")
    db.pragma(`user_version = ${VERSION}`)
  })
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>()

/**
 * The prepared statement for `sql` on `db`, compiled once per connection: preparing is a large
 * share of the cost of small per-thread queries run thousands of times in a build.
 */
export const statement = <P extends Array<unknown> = Array<unknown>, R = unknown>(db: Db, sql: string): Database.Statement<P, R> => {
  let cache = statements.get(db)
  if (cache === undefined) statements.set(db, (cache = new Map()))
  let st = cache.get(sql)
  if (st === undefined) cache.set(sql, (st = db.prepare(sql)))
  return st as unknown as Database.Statement<P, R>
}

/** Removes the index file, its WAL and shared-memory companions and AppendCheck's position file. */
export const remove = (path: string): void => {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`, `${path}-check`]) fs.rmSync(p, { force: true })
}

/**
 * The text of a companion file of the index (AppendCheck's position), or undefined when it cannot
 * be read. Companions live beside the database and are removed with it, so like the database's own
 * files they are this module's, on the real disk, and not the Codex home's (Host).
 */
export const readCompanion = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

/** Writes a companion file of the index; throws if it cannot (a read-only folder). */
export const writeCompanion = (file: string, text: string): void => fs.writeFileSync(file, text)

export { NotAnIndex } from "./internal/IndexPath.js"

/**
 * Opens (creating or migrating) the index at `path`, once `IndexPath.check` found it free or an
 * index (and, with `rebuild`, removed it). A file that is not a readable SQLite database is
 * removed and recreated; `rebuilt` says so.
 */
export const open = (path: string, rebuild = false): { readonly db: Db; readonly rebuilt: boolean } => {
  IndexPath.check(path)
  if (rebuild) remove(path)
  try {
    return { db: connect(path), rebuilt: false }
  } catch (error) {
    if (!isUnreadable(error)) throw error
    remove(path)
    return { db: connect(path), rebuilt: true }
  }
}

export { isUnreadable }
