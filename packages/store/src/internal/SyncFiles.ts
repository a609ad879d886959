/**
 * The file system as the store sees it: synchronous stat, list and positional reads of a Codex
 * home's files, plus the two changes archiving makes (rename into another folder, touch). It is
 * `@rollout/log/Files` made synchronous, reusing its `Stat` and `DirEntry` shapes, and it carries a
 * `Files` view of the same files for the streaming readers (`.jsonl.zst`, `.rseg`).
 *
 * Why a second service and not log's asynchronous one: the store's checks run inside better-sqlite3
 * write transactions, which are synchronous (a stat in the middle of a compare-and-set cannot
 * await), and its listing is a tight loop of stats where synchronous calls are several times
 * faster than a pool of promises. The index database and its companion files are not here: they
 * are SQLite's, opened by IndexDatabase.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Context, Layer } from "effect"
import * as Files from "@rollout/log/Files"

/** An open file, stat'ed when opened. */
export interface Handle {
  readonly size: number
  readonly mtimeMs: number
  /** The inode, where the file system has one (what tells a file replaced under the same name). */
  readonly ino?: number
  /** Reads up to `length` bytes at `position` into the start of `into`; returns how many it read. */
  readonly read: (into: Uint8Array, position: number, length: number) => number
  readonly close: () => void
}

export interface Shape {
  /** Undefined when nothing is at `path`; other failures (permissions) throw. */
  readonly stat: (path: string) => Files.Stat | undefined
  /** The entries of a folder; throws if it cannot be read. */
  readonly list: (dir: string) => ReadonlyArray<Files.DirEntry>
  /** Opens a file for reading; throws if it cannot be opened. */
  readonly open: (path: string) => Handle
  /** Renames `from` to `to`, creating `to`'s folder first. */
  readonly move: (from: string, to: string) => void
  /** Sets a file's modification (and access) time. */
  readonly touch: (path: string, mtimeMs: number) => void
  /** The same files for readers that stream them. */
  readonly files: Files.Shape
}

const enoent = (path: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: "ENOENT" })

export class SyncFiles extends Context.Service<SyncFiles, Shape>()("./SyncFiles.js") {}

/** Whether anything is at `path`; a path that cannot be stat'ed counts as absent (as `existsSync`). */
export const exists = (files: Shape, path: string): boolean => {
  try {
    return files.stat(path) !== undefined
  } catch {
    return false
  }
}

/** A stat of something that must be there: nothing at `path` throws ENOENT, as `statSync` does. */
export const statOf = (files: Shape, path: string): Files.Stat => {
  const st = files.stat(path)
  if (st === undefined) throw enoent(path)
  return st
}

const kindOf = (s: { isFile(): boolean; isDirectory(): boolean }): Files.Stat["kind"] => (s.isFile() ? "file" : s.isDirectory() ? "directory" : "other")

const nodeOpen = (path: string): Handle => {
  const fd = fs.openSync(path, "r")
  let st: fs.Stats
  try {
    st = fs.fstatSync(fd)
  } catch (error) {
    fs.closeSync(fd)
    throw error
  }
  return {
    size: st.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    read: (into, position, length) => fs.readSync(fd, into, 0, length, position),
    close: () => fs.closeSync(fd)
  }
}

export const node: Shape = {
  stat: (path) => {
    const st = fs.statSync(path, { throwIfNoEntry: false })
    return st === undefined ? undefined : { kind: kindOf(st), size: st.size, mtimeMs: st.mtimeMs }
  },
  list: (dir) =>
    // A symlinked rollout is read like the file it points to; a link to a folder is not followed (`Files.entryOf`).
    fs.readdirSync(dir, { withFileTypes: true }).map((e) => Files.entryOf(dir, e)),
  open: nodeOpen,
  move: (from, to) => {
    fs.mkdirSync(nodePath.dirname(to), { recursive: true })
    fs.renameSync(from, to)
  },
  touch: (path, mtimeMs) => fs.utimesSync(path, mtimeMs / 1000, mtimeMs / 1000),
  files: Files.node
}

export const layerNode: Layer.Layer<SyncFiles> = Layer.succeed(SyncFiles, node)

/** Files held in memory, which tests change through `write` and `remove`. */
export interface Memory extends Shape {
  /**
   * Creates or replaces a file, creating its folders. A new file stamps its folder with `now()`, as
   * the kernel does; the file itself gets `mtimeMs` (default `now()`).
   */
  readonly write: (path: string, content: string | Uint8Array, mtimeMs?: number) => void
  readonly remove: (path: string) => void
}

/** An empty file system in memory; `now` stamps what changes (pass the test clock's `now`). */
export const memory = (now: () => number = () => 0): Memory => {
  const files = new Map<string, { bytes: Uint8Array; mtimeMs: number; ino: number }>()
  let inodes = 0
  const dirs = new Map<string, number>()
  const mkdirs = (dir: string): void => {
    for (let d = dir; !dirs.has(d); d = nodePath.dirname(d)) {
      dirs.set(d, now())
      if (nodePath.dirname(d) === d) break
    }
  }
  const stampParent = (path: string): void => {
    mkdirs(nodePath.dirname(path))
    dirs.set(nodePath.dirname(path), now())
  }
  const fileAt = (path: string) => {
    const f = files.get(nodePath.resolve(path))
    if (f === undefined) throw enoent(path)
    return f
  }
  const snapshot = (): Files.Shape => Files.memory(Object.fromEntries([...files].map(([p, f]) => [p, f.bytes])))
  return {
    stat: (path) => {
      const abs = nodePath.resolve(path)
      const f = files.get(abs)
      if (f !== undefined) return { kind: "file", size: f.bytes.length, mtimeMs: f.mtimeMs }
      const d = dirs.get(abs)
      return d === undefined ? undefined : { kind: "directory", size: 0, mtimeMs: d }
    },
    list: (dir) => {
      const abs = nodePath.resolve(dir)
      if (!dirs.has(abs)) throw enoent(dir)
      const entries: Array<Files.DirEntry> = []
      for (const p of files.keys()) if (nodePath.dirname(p) === abs) entries.push({ name: nodePath.basename(p), kind: "file" })
      for (const p of dirs.keys()) if (p !== abs && nodePath.dirname(p) === abs) entries.push({ name: nodePath.basename(p), kind: "directory" })
      return entries.sort((a, b) => a.name.localeCompare(b.name))
    },
    open: (path) => {
      const { bytes, mtimeMs, ino } = fileAt(path)
      return {
        size: bytes.length,
        mtimeMs,
        ino,
        read: (into, position, length) => {
          const part = bytes.subarray(position, Math.min(position + length, bytes.length))
          into.set(part)
          return part.length
        },
        close: () => {}
      }
    },
    move: (from, to) => {
      const f = fileAt(from)
      files.delete(nodePath.resolve(from))
      stampParent(nodePath.resolve(from))
      files.set(nodePath.resolve(to), f)
      stampParent(nodePath.resolve(to))
    },
    touch: (path, mtimeMs) => {
      fileAt(path).mtimeMs = mtimeMs
    },
    files: {
      chunks: (path) => snapshot().chunks(path),
      stat: (path) => snapshot().stat(path),
      list: (dir) => snapshot().list(dir),
      read: (path, position, length) => snapshot().read?.(path, position, length) ?? Promise.reject(enoent(path))
    },
    write: (path, content, mtimeMs) => {
      const abs = nodePath.resolve(path)
      if (!files.has(abs)) stampParent(abs)
      // Each write is a new file, as a rewrite through a temporary file and a rename is on disk.
      files.set(abs, { bytes: typeof content === "string" ? Buffer.from(content) : content, mtimeMs: mtimeMs ?? now(), ino: ++inodes })
    },
    remove: (path) => {
      const abs = nodePath.resolve(path)
      if (files.delete(abs)) dirs.set(nodePath.dirname(abs), now())
    }
  }
}

export const layerMemory = (files: Memory): Layer.Layer<SyncFiles> => Layer.succeed(SyncFiles, files)
