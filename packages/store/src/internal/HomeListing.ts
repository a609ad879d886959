/**
 * Which rollout files of a Codex home a refresh must look at, in three depths:
 * - `all`: every indexed file under `sessions/` and `archived_sessions/` is stat'ed (a full
 *   refresh: catches files that grew anywhere), and every folder whose modification time moved is
 *   read again (new and removed files);
 * - `changedDirs`: only folders whose modification time moved since the last refresh are listed
 *   again (a file created, removed or renamed changes its folder's mtime; an append does not), so
 *   new and removed files are found with one `stat` per folder instead of one per file;
 * - `paths`: just the files named (the page `ls` is about to show).
 * Appends to files of unchanged folders are `AppendCheck`'s business. A listing returns only the
 * files whose size, mtime or folder differ from their row, and only the folder times that moved,
 * so an unchanged home costs stats and no writes. The naming rules are `@rollout/log/CodexHome`'s
 * (plain beats `.zst`; a `.rseg` segment counts only alone). Synchronous on purpose: a tight loop
 * of `statSync` is several times faster than a pool of promises here. Files and the clock come from
 * the Host.
 */
import * as nodePath from "node:path"
import * as CodexHome from "@rollout/log/CodexHome"
import type * as Host from "./Host.js"
import { type Db, statement } from "../IndexDatabase.js"
import type * as SyncFiles from "./SyncFiles.js"
import * as RefreshDiagnostic from "../RefreshDiagnostic.js"

/** What the index knows of a file (enough to tell whether it changed). */
export interface Known {
  readonly path: string
  readonly size: number
  readonly mtime_ms: number
  readonly archived: number
}

export interface Candidate {
  readonly file: CodexHome.RolloutFile
  readonly size: number
  readonly mtimeMs: number
  readonly known: Known | undefined
}

export interface Listing {
  /** Files seen on disk that differ from their row, or have none. */
  readonly candidates: ReadonlyArray<Candidate>
  /** Indexed files no longer on disk. */
  readonly removed: ReadonlyArray<string>
  /** Folder modification times that moved, to store once the refresh has succeeded. */
  readonly dirs: ReadonlyArray<readonly [string, number]>
  /** Folders and files that could not be looked at (permissions): they cost only themselves. */
  readonly diagnostics?: ReadonlyArray<RefreshDiagnostic.RefreshDiagnostic>
}

/** Folder mtimes younger than this are stored as untrusted (read again next time). */
const RACY_MS = 2000
const UNTRUSTED = -1
const GONE = -2

export const fileOf = (path: string, archived: boolean): CodexHome.RolloutFile => {
  const name = nodePath.basename(path)
  const parsed = CodexHome.parseName(name)
  return { path, id: parsed?.id ?? "", stamp: parsed?.stamp ?? "", compressed: name.endsWith(".zst"), archived }
}

/** Why a folder named like a rollout file is not read as one (its contents still are). */
const FOLDER = "a folder named like a rollout file (rollouts inside it are read)"

/**
 * The rollout file names of one folder after CodexHome's precedence rules, its subfolders, and
 * the entries named like rollouts that are not files to read (a FIFO, a dangling link, a folder).
 */
const read = (
  fs: SyncFiles.Shape,
  dir: string
): { readonly files: Array<string>; readonly subdirs: Array<string>; readonly skipped: Array<RefreshDiagnostic.RefreshDiagnostic> } => {
  const entries = fs.list(dir)
  const names = new Set(entries.map((e) => e.name))
  const files: Array<string> = []
  const subdirs: Array<string> = []
  const skipped: Array<RefreshDiagnostic.RefreshDiagnostic> = []
  for (const e of entries) {
    // `dir` is already normalised (from nodePath.join), so plain concatenation gives join's result, cheaper.
    if (e.kind !== "file" && CodexHome.isRolloutName(e.name)) {
      const what = e.what ?? (e.kind === "directory" ? FOLDER : "not a regular file")
      skipped.push(RefreshDiagnostic.make(`${dir}${nodePath.sep}${e.name}`, 0, "not_a_file", `skipped: ${what}`))
    }
    if (e.kind === "directory") subdirs.push(`${dir}${nodePath.sep}${e.name}`)
    else if (e.kind === "file" && CodexHome.isRolloutName(e.name)) {
      if (e.name.endsWith(".zst") && names.has(e.name.slice(0, -4))) continue
      const base = e.name.endsWith(".rseg") ? e.name.slice(0, -5) : undefined
      if (base !== undefined && (names.has(`${base}.jsonl`) || names.has(`${base}.jsonl.zst`))) continue
      files.push(`${dir}${nodePath.sep}${e.name}`)
    }
  }
  return { files, subdirs, skipped }
}

/** Whether the file on disk differs from what its row says (or it has none). */
export const differs = (k: Known | undefined, size: number, mtimeMs: number, archived: boolean): boolean =>
  k === undefined || k.size !== size || k.mtime_ms !== mtimeMs || k.archived !== (archived ? 1 : 0)

/** The indexed files directly in a folder: all rows read once (full listing) or a range per folder. */
const knownFiles = (db: Db, everything: boolean): ((dir: string) => Array<Known>) => {
  if (everything) {
    const byDir = new Map<string, Array<Known>>()
    // Served by the covering index files_check: the fold states in the rows are never read.
    for (const k of statement<[], Known>(db, "SELECT path, size, mtime_ms, archived FROM files INDEXED BY files_check").all()) {
      // Paths are absolute and stored as written by `nodePath.join`: the folder is everything before the last separator.
      const d = k.path.slice(0, k.path.lastIndexOf(nodePath.sep))
      const list = byDir.get(d)
      if (list === undefined) byDir.set(d, [k])
      else list.push(k)
    }
    return (dir) => byDir.get(dir) ?? []
  }
  // Every path under `dir/` sorts between "dir/" and "dir0" ('0' follows '/').
  const range = statement<[string, string], Known>(db, "SELECT path, size, mtime_ms, archived FROM files INDEXED BY files_check WHERE path >= ? AND path < ?")
  const after = String.fromCharCode(nodePath.sep.charCodeAt(0) + 1)
  return (dir) => range.all(`${dir}${nodePath.sep}`, `${dir}${after}`).filter((k) => nodePath.dirname(k.path) === dir)
}

const roots = (home: string): ReadonlyArray<readonly [string, boolean]> => [
  [nodePath.join(home, CodexHome.SESSIONS), false],
  [nodePath.join(home, CodexHome.ARCHIVED), true]
]

/** The folder times stored by the last refresh, and each stored folder's stored subfolders. */
interface StoredDirs {
  readonly times: ReadonlyMap<string, number>
  readonly childrenOf: (dir: string) => ReadonlyArray<string>
}

const storedDirs = (db: Db): StoredDirs => {
  const times = new Map(
    statement<[], { path: string; mtime_ms: number }>(db, "SELECT path, mtime_ms FROM dirs")
      .all()
      .map((d) => [d.path, d.mtime_ms])
  )
  const children = new Map<string, Array<string>>()
  for (const d of times.keys()) {
    const parent = nodePath.dirname(d)
    const list = children.get(parent)
    if (list === undefined) children.set(parent, [d])
    else list.push(d)
  }
  return { times, childrenOf: (dir) => children.get(dir) ?? [] }
}

/**
 * One listing of the home, gathering what it finds. With `onlyChanged`, folders whose mtime
 * matches the stored one are not read and their files not stat'ed.
 */
class Walk {
  readonly candidates: Array<Candidate> = []
  readonly removed: Array<string> = []
  readonly dirs: Array<readonly [string, number]> = []
  readonly diagnostics: Array<RefreshDiagnostic.RefreshDiagnostic> = []
  constructor(
    private readonly stored: StoredDirs,
    private readonly knownIn: (dir: string) => Array<Known>,
    private readonly onlyChanged: boolean,
    private readonly now: number,
    private readonly fs: SyncFiles.Shape
  ) {}

  visit(dir: string, archived: boolean): void {
    const st = this.stat(dir)
    if (st === null) return
    if (st === undefined || st.kind !== "directory") this.gone(dir, archived)
    else if (this.stored.times.get(dir) === st.mtimeMs) this.unchanged(dir, archived)
    else this.changed(dir, st.mtimeMs, archived)
  }

  /** The folder went away: so did every indexed file under it. */
  private gone(dir: string, archived: boolean): void {
    if (this.stored.times.has(dir)) this.dirs.push([dir, GONE])
    for (const k of this.knownIn(dir)) this.removed.push(k.path)
    for (const child of this.stored.childrenOf(dir)) this.visit(child, archived)
  }

  /**
   * Same folder time, same entries: a full listing stats the indexed files without reading the
   * folder again (reading ~400 folders costs as much as statting 10,000 files).
   */
  private unchanged(dir: string, archived: boolean): void {
    if (!this.onlyChanged) for (const k of this.knownIn(dir)) this.check(k.path, k, archived)
    for (const child of this.stored.childrenOf(dir)) this.visit(child, archived)
  }

  private changed(dir: string, mtime: number, archived: boolean): void {
    // A folder changed in the last moments may change again within the same clock tick, unseen:
    // it is not trusted until it has been still for a while (git's "racy" timestamps).
    const seen = this.now - mtime < RACY_MS ? UNTRUSTED : mtime
    let listed: ReturnType<typeof read>
    try {
      listed = read(this.fs, dir)
    } catch (error) {
      // Its indexed rows are kept and it is stored as untrusted, so its parent's listing leads
      // back to it and every refresh tries (and reports) it again.
      this.diagnostics.push(RefreshDiagnostic.make(dir, 0, "unreadable_folder", `folder skipped: ${RefreshDiagnostic.messageOf(error)}`))
      if (this.stored.times.get(dir) !== UNTRUSTED) this.dirs.push([dir, UNTRUSTED])
      return
    }
    const { files, subdirs, skipped } = listed
    // Said on every refresh, as an unreadable folder is: the folder is kept untrusted, so it is listed (and its entries said) again.
    this.diagnostics.push(...skipped)
    const stored = skipped.length > 0 ? UNTRUSTED : seen
    if (this.stored.times.get(dir) !== stored) this.dirs.push([dir, stored])
    const known = new Map(this.knownIn(dir).map((k) => [k.path, k]))
    for (const path of files) {
      const k = known.get(path)
      known.delete(path)
      this.check(path, k, archived)
    }
    for (const k of known.keys()) this.removed.push(k)
    const seenDirs = new Set(subdirs)
    for (const sub of subdirs) this.visit(sub, archived)
    // Subfolders the index knew that are gone now.
    for (const child of this.stored.childrenOf(dir)) if (!seenDirs.has(child)) this.visit(child, archived)
  }

  private check(path: string, k: Known | undefined, archived: boolean): void {
    const fst = this.stat(path)
    if (fst === null) return
    if (fst === undefined || fst.kind !== "file") {
      if (k !== undefined) this.removed.push(path)
      return
    }
    const size = fst.size
    const mtimeMs = Math.floor(fst.mtimeMs)
    if (differs(k, size, mtimeMs, archived)) this.candidates.push({ file: fileOf(path, archived), size, mtimeMs, known: k })
  }

  /** A stat, or null (reported) when permissions forbid it: that path is left as indexed. */
  private stat(path: string): ReturnType<SyncFiles.Shape["stat"]> | null {
    try {
      return this.fs.stat(path)
    } catch (error) {
      this.diagnostics.push(RefreshDiagnostic.make(path, 0, "read_error", `skipped: ${RefreshDiagnostic.messageOf(error)}`))
      return null
    }
  }
}

/** Lists the home (see Walk). */
const walk = (db: Db, home: string, onlyChanged: boolean, host: Host.Shape): Listing => {
  const stored = storedDirs(db)
  const now = host.clock.now()
  const w = new Walk(stored, knownFiles(db, !onlyChanged), onlyChanged, now, host.files)
  for (const [root, archived] of roots(home)) w.visit(root, archived)
  return { candidates: w.candidates, removed: w.removed, dirs: w.dirs, diagnostics: w.diagnostics }
}

export const all = (db: Db, home: string, host: Host.Shape): Listing => walk(db, home, false, host)

export const changedDirs = (db: Db, home: string, host: Host.Shape): Listing => walk(db, home, true, host)

/** Just these files (absolute paths inside the home). */
export const paths = (db: Db, home: string, list: ReadonlyArray<string>, files: SyncFiles.Shape): Listing => {
  const archivedRoot = nodePath.join(home, CodexHome.ARCHIVED) + nodePath.sep
  const get = statement<[string], Known>(db, "SELECT path, size, mtime_ms, archived FROM files WHERE path = ?")
  const candidates: Array<Candidate> = []
  const removed: Array<string> = []
  const diagnostics: Array<RefreshDiagnostic.RefreshDiagnostic> = []
  for (const path of list) {
    let st: ReturnType<SyncFiles.Shape["stat"]>
    try {
      st = files.stat(path)
    } catch (error) {
      // Hidden by permissions now: its row stays as indexed.
      diagnostics.push(RefreshDiagnostic.make(path, 0, "read_error", `skipped: ${RefreshDiagnostic.messageOf(error)}`))
      continue
    }
    if (st === undefined || st.kind !== "file") removed.push(path)
    else candidates.push({ file: fileOf(path, path.startsWith(archivedRoot)), size: st.size, mtimeMs: Math.floor(st.mtimeMs), known: get.get(path) })
  }
  return { candidates, removed, dirs: [], diagnostics }
}

/** Stores the folder mtimes of a listing. Call inside the refresh's last write transaction. */
export const commitDirs = (db: Db, listing: Listing): void => {
  const put = db.prepare("INSERT INTO dirs(path, mtime_ms) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET mtime_ms = excluded.mtime_ms")
  const drop = db.prepare("DELETE FROM dirs WHERE path = ?")
  for (const [path, mtime] of listing.dirs) {
    if (mtime === GONE) drop.run(path)
    else put.run(path, mtime)
  }
}
