/**
 * The bounded check for appends behind `ls --sort-key updated_at`, `ls --search` and `search`
 * (Refresh scope `quick`): which indexed files to stat when statting every one would cost more than
 * a listing should. An append changes a file's size and mtime but not its folder's, so only a stat
 * of the file finds it, and a stat costs 2–4 µs: 10,000 rollouts take 20–40 ms, a full listing
 * with folder reads (`rollout index`) 70 ms and more. New, removed and moved files are not this
 * module's business: HomeListing finds them all from folder times.
 *
 * The freshness rule (stated in `rollout ls --help` too):
 * - the `recent` files (default 128) with the newest stored modification times are always checked:
 *   the threads being written to now are the recently updated ones, so their appends show at once;
 * - then files in path order from where the previous check stopped, wrapping around, until the
 *   time budget (default 6 ms) is spent, but at least `minFiles` (default 512) of them. A home
 *   whose files all fit in the budget (about 1,500 to 3,000 rollouts, by machine) is checked whole
 *   every time; in a larger one, an append to a long-idle thread shows within ⌈files / minFiles⌉
 *   checks at worst, and at once after `rollout index`, which checks every file;
 * - compressed rollouts (`.jsonl.zst`) and segments (`.rseg`) are not checked: they are written
 *   once, and replacing one is a rename, which changes its folder.
 * It reads only SQLite's covering indexes and stats. The rotation's position is kept in a small
 * file next to the index (`<index>-check`), not in SQLite: a write transaction, and the checkpoint
 * it costs when the connection closes, would take longer than the whole check. Losing or garbling
 * that file only restarts the rotation (any string is a valid position).
 */
import * as HomeListing from "./internal/HomeListing.js"
import * as Host from "./internal/Host.js"
import { type Db, readCompanion, statement, writeCompanion } from "./IndexDatabase.js"

export interface Budget {
  /** Files with the newest stored modification times, always checked. */
  readonly recent: number
  /** Time for the rotation, in ms. */
  readonly ms: number
  /** Files of the rotation checked even when the time is up (so every check makes progress). */
  readonly minFiles: number
}

export const DEFAULT_BUDGET: Budget = { recent: 128, ms: 6, minFiles: 512 }

export interface Check {
  /** Files that differ from their row. */
  readonly candidates: ReadonlyArray<HomeListing.Candidate>
  /** Indexed files not found on disk. */
  readonly removed: ReadonlyArray<string>
  /** Where the next rotation starts; undefined when every file was checked (nothing to store). */
  readonly cursor: string | undefined
  /** Files stat'ed. */
  readonly checked: number
}

const CHUNK = 256
/** Reading the clock costs too: it is looked at once per this many files. */
const CLOCK_EVERY = 32

/** Appended to the index file's name (IndexDatabase.remove deletes it too). */
export const POSITION_SUFFIX = "-check"

const SELECT = "SELECT path, size, mtime_ms, archived FROM files INDEXED BY files_check"

/** Only plain rollouts grow in place. */
const growable = (path: string): boolean => path.endsWith(".jsonl")

/** The file holding the rotation's position, or undefined for a database without a file. */
export const positionFile = (db: Db): string | undefined => (db.memory || db.name === "" ? undefined : `${db.name}${POSITION_SUFFIX}`)

/** Where the previous rotation stopped ('' = the start). */
export const position = (db: Db): string => {
  const file = positionFile(db)
  if (file === undefined) return ""
  return readCompanion(file) ?? ""
}

/** Stores the rotation's position (after the refresh that used the check has committed). */
export const savePosition = (db: Db, path: string): void => {
  const file = positionFile(db)
  if (file === undefined) return
  try {
    writeCompanion(file, path)
  } catch {
    // A read-only folder: the rotation starts over next time, which is correct, only slower to cover.
  }
}

/** Checks files under the budget; `seen` are paths the caller already looked at (skipped). */
export const run = (db: Db, seen: ReadonlySet<string>, budget: Budget = DEFAULT_BUDGET, host: Host.Shape = Host.live): Check => {
  const { files, clock } = host
  const started = clock.monotonic()
  const candidates: Array<HomeListing.Candidate> = []
  const removed: Array<string> = []
  const done = new Set(seen)
  let checked = 0
  const check = (k: HomeListing.Known): void => {
    if (done.has(k.path) || !growable(k.path)) return
    done.add(k.path)
    checked++
    // A file permissions hide now (EACCES) keeps its row; the full listing reports it.
    const st = statOrNull(files, k.path)
    if (st === null) return
    if (st === undefined || st.kind !== "file") removed.push(k.path)
    else {
      const size = st.size
      const mtimeMs = Math.floor(st.mtimeMs)
      const archived = k.archived === 1
      if (HomeListing.differs(k, size, mtimeMs, archived)) candidates.push({ file: HomeListing.fileOf(k.path, archived), size, mtimeMs, known: k })
    }
  }

  for (const k of statement<[number], HomeListing.Known>(
    db,
    "SELECT path, size, mtime_ms, archived FROM files INDEXED BY files_recent ORDER BY mtime_ms DESC LIMIT ?"
  ).all(budget.recent))
    check(k)

  // The rotation: paths after `start` to the end, then from the beginning up to `start`.
  const start = position(db)
  const tail = statement<[string, number], HomeListing.Known>(db, `${SELECT} WHERE path > ? ORDER BY path LIMIT ?`)
  const head = statement<[string, string, number], HomeListing.Known>(db, `${SELECT} WHERE path > ? AND path <= ? ORDER BY path LIMIT ?`)
  let after = start
  let wrapped = false
  let rotated = 0
  for (;;) {
    const rows = wrapped ? head.all(after, start, CHUNK) : tail.all(after, CHUNK)
    for (const k of rows) {
      if (rotated >= budget.minFiles && (rotated - budget.minFiles) % CLOCK_EVERY === 0 && clock.monotonic() - started > budget.ms)
        return { candidates, removed, cursor: after, checked }
      check(k)
      rotated++
      after = k.path
    }
    if (rows.length < CHUNK) {
      if (wrapped || start === "") return { candidates, removed, cursor: undefined, checked }
      wrapped = true
      after = ""
    }
  }
}

const statOrNull = (files: Host.Shape["files"], path: string): ReturnType<Host.Shape["files"]["stat"]> | null => {
  try {
    return files.stat(path)
  } catch {
    return null
  }
}
