/**
 * Archiving and unarchiving a thread as Codex does (B1): archive renames the thread's rollout
 * files from `sessions/YYYY/MM/DD/` into the flat `archived_sessions/` (keeping their modification
 * time); unarchive renames them back into the date folder named by the file name and touches the
 * modification time, so the thread sorts as recently updated. The index rows follow the files
 * (path, archive flag, modification time) without reading them again. The thread must already be
 * indexed (`Store` refreshes first). Files and the time of the touch come from the Host.
 */
import * as nodePath from "node:path"
import { Data } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as IndexDatabase from "./IndexDatabase.js"
import type { Db } from "./IndexDatabase.js"
import type * as FileRow from "./internal/FileRow.js"
import type * as Host from "./internal/Host.js"
import * as SearchDocs from "./internal/SearchDocs.js"
import * as SyncFiles from "./internal/SyncFiles.js"
import * as ThreadUpsert from "./internal/ThreadUpsert.js"

/** No indexed rollout has this thread id. */
export class ThreadNotFound extends Data.TaggedError("ThreadNotFound")<{ readonly message: string }> {}

/** The thread is already in the requested state, or its files cannot be moved there. */
export class CannotMove extends Data.TaggedError("CannotMove")<{ readonly message: string }> {}

export type Failure = ThreadNotFound | CannotMove

interface Move {
  readonly from: string
  readonly to: string
}

const plan = (home: string, rows: ReadonlyArray<FileRow.FileRow>, archive: boolean): ReadonlyArray<Move> =>
  rows.map((r) => {
    const name = nodePath.basename(r.path)
    if (archive) return { from: r.path, to: nodePath.join(home, CodexHome.ARCHIVED, name) }
    // Date folders come from the file name's local wall-clock stamp (YYYY-MM-DDThh-mm-ss).
    const stamp = CodexHome.parseName(name)?.stamp ?? ""
    const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(stamp)
    if (m === null) throw new CannotMove({ message: `cannot tell the date folder of ${name}` })
    return { from: r.path, to: nodePath.join(home, CodexHome.SESSIONS, m[1] ?? "", m[2] ?? "", m[3] ?? "", name) }
  })

/** Moves thread `id`'s files into (`archive`) or out of `archived_sessions/` and updates its row. */
export interface Moved {
  readonly id: string
  /** Where the files are now. */
  readonly paths: ReadonlyArray<string>
}

export const move = (db: Db, home: string, id: string, archive: boolean, host: Host.Shape): Moved => {
  const { files, clock } = host
  const wanted = id.toLowerCase()
  const rows = db.prepare<[string], FileRow.FileRow>("SELECT * FROM files WHERE thread_id = ? ORDER BY archived, path").all(wanted)
  if (rows.length === 0) throw new ThreadNotFound({ message: `no thread ${id} in the Codex home ${home}` })
  const toMove = rows.filter((r) => (r.archived === 1) !== archive)
  if (toMove.length === 0) throw new CannotMove({ message: `thread ${id} is already ${archive ? "archived" : "active (not archived)"}` })
  const moves = plan(home, toMove, archive)
  for (const m of moves) {
    if (SyncFiles.exists(files, m.to)) throw new CannotMove({ message: `${m.to} already exists` })
  }
  const now = clock.now()
  // Whether each file is exactly as indexed; if not, its row is marked stale so the next refresh
  // reads what was added (a rename alone must not make new bytes look indexed).
  const fresh = new Map<string, boolean>()
  for (const m of moves) {
    const st = SyncFiles.statOf(files, m.from)
    const row = toMove.find((r) => r.path === m.from)
    fresh.set(m.from, row !== undefined && row.size === st.size && row.mtime_ms === Math.floor(st.mtimeMs))
    files.move(m.from, m.to)
    if (!archive) files.touch(m.to, now)
  }
  IndexDatabase.write(db, () => {
    const update = db.prepare("UPDATE files SET path = ?, archived = ?, size = ?, mtime_ms = ? WHERE path = ?")
    const stale = db.prepare("UPDATE files SET path = ?, archived = ?, mtime_ms = -1 WHERE path = ?")
    for (const m of moves) {
      const st = SyncFiles.statOf(files, m.to)
      if (fresh.get(m.from) === true) update.run(m.to, archive ? 1 : 0, st.size, Math.floor(st.mtimeMs), m.from)
      else stale.run(m.to, archive ? 1 : 0, m.from)
      SearchDocs.move(db, m.from, m.to)
    }
    ThreadUpsert.rebuild(db, wanted)
  })
  return { id: wanted, paths: moves.map((m) => m.to) }
}
