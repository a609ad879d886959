/**
 * The file system as the log sees it: read a file as a sequence of byte chunks, stat a path, list
 * a directory. A service so that the reader runs on real files (`layerNode`, plain `node:fs`
 * because this is the hot path) or on files held in memory (`layerMemory`, for tests). It does not
 * write; appending is the writer's business.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Context, Layer } from "effect"
import * as FileChunks from "./FileChunks.js"

export interface Stat {
  readonly kind: "file" | "directory" | "other"
  readonly size: number
  readonly mtimeMs: number
}

export interface DirEntry {
  readonly name: string
  readonly kind: "file" | "directory" | "other"
  /** For kind `other`, what it is, in words (`a named pipe (FIFO)`, `a symbolic link to nothing`). */
  readonly what?: string
}

export interface Shape {
  /** The file's bytes in order. A chunk's memory may be reused once the next one is requested. */
  readonly chunks: (path: string) => AsyncIterable<Uint8Array>
  readonly stat: (path: string) => Promise<Stat>
  readonly list: (dir: string) => Promise<ReadonlyArray<DirEntry>>
  /**
   * Up to `length` bytes at `position` (fewer at the end of the file), for readers that seek (the
   * backward reader). Optional: a file system without it is read forward only.
   */
  readonly read?: (path: string, position: number, length: number) => Promise<Uint8Array>
}

export class Files extends Context.Service<Files, Shape>()("@rollout/log/Files") {}

const CHUNK = FileChunks.CHUNK

const kindOf = (s: { isFile(): boolean; isDirectory(): boolean }): Stat["kind"] => (s.isFile() ? "file" : s.isDirectory() ? "directory" : "other")

/** What a special file is, in words. */
const special = (s: fs.Dirent | fs.Stats): string =>
  s.isFIFO() ? "a named pipe (FIFO)" : s.isSocket() ? "a socket" : s.isCharacterDevice() || s.isBlockDevice() ? "a device" : "a special file"

/** Why a symbolic link cannot be followed, in words. */
const unfollowable = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "ENOENT" || code === "ENOTDIR") return "a symbolic link to nothing (its target does not exist)"
  if (code === "ELOOP") return "a symbolic link loop"
  if (code === "EACCES" || code === "EPERM") return "a symbolic link whose target cannot be seen (permission denied)"
  return `a symbolic link that cannot be followed (${error instanceof Error ? error.message : String(error)})`
}

/**
 * A folder entry as a listing sees it. A symlinked file counts as the file it points to (people
 * link sessions in from elsewhere); a link to a folder is not followed, so a link cycle cannot
 * make a walk endless. Anything else is `other`, with what it is in words, so that a walk can say
 * why it stepped over an entry named like a rollout. Never opens the entry (a FIFO would block).
 */
export const entryOf = (dir: string, e: fs.Dirent): DirEntry => {
  if (e.isFile()) return { name: e.name, kind: "file" }
  if (e.isDirectory()) return { name: e.name, kind: "directory" }
  if (!e.isSymbolicLink()) return { name: e.name, kind: "other", what: special(e) }
  try {
    const st = fs.statSync(nodePath.join(dir, e.name))
    if (st.isFile()) return { name: e.name, kind: "file" }
    return { name: e.name, kind: "other", what: st.isDirectory() ? "a symbolic link to a folder (not followed)" : `a symbolic link to ${special(st)}` }
  } catch (error) {
    return { name: e.name, kind: "other", what: unfollowable(error) }
  }
}

const nodeRead = async (path: string, position: number, length: number): Promise<Uint8Array> => {
  const handle = await fs.promises.open(path, "r")
  try {
    const buf = Buffer.allocUnsafe(length)
    let filled = 0
    while (filled < length) {
      const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return buf.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

export const node: Shape = {
  chunks: FileChunks.read,
  read: nodeRead,
  stat: async (path) => {
    const s = await fs.promises.stat(path)
    return { kind: kindOf(s), size: s.size, mtimeMs: s.mtimeMs }
  },
  list: async (dir) => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true })
    return entries.map((e) => entryOf(dir, e))
  }
}

/**
 * `node`, with chunks read by blocking calls (`FileChunks.readBlocking`): for a worker lane that
 * only reads and folds. Not for a thread that serves anything else meanwhile.
 */
export const nodeBlocking: Shape = { ...node, chunks: FileChunks.readBlocking }

/** Whether `files` reads the real file system (either flavour). */
export const isNode = (files: Shape): boolean => files === node || files === nodeBlocking

export const layerNode: Layer.Layer<Files> = Layer.succeed(Files, node)

/**
 * Bytes `from`..`to` of `path` (to its end without `to`), in pieces of up to 1 MiB read at their
 * position by `files.read`: for a reader that comes back to a place it noted on a first pass
 * (replay's pages) instead of reading from byte 0. `chunks` is untouched, so every other reader
 * reads as before. Needs `read` (`canSeek`); a file that cannot seek (`.zst`) is the caller's to
 * avoid.
 */
export async function* range(files: Shape, path: string, from: number, to = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  const read = files.read
  if (read === undefined) throw new Error(`cannot read ${path} from byte ${from}: this file system reads forward only`)
  for (let at = from; at < to; ) {
    const bytes = await read(path, at, Math.min(CHUNK, to - at))
    if (bytes.length === 0) return
    yield bytes
    at += bytes.length
  }
}

/** Whether `files` reads at a position (`range`). */
export const canSeek = (files: Shape): boolean => files.read !== undefined

const enoent = (path: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" })

/**
 * Files held in memory, keyed by path; directories are implied by the paths. `chunkSize` splits
 * reads so that tests exercise chunk boundaries.
 */
export const memory = (files: Readonly<Record<string, Uint8Array | string>>, chunkSize = CHUNK): Shape => {
  const bytes = new Map(Object.entries(files).map(([p, b]) => [nodePath.resolve(p), typeof b === "string" ? Buffer.from(b) : b]))
  const isDir = (dir: string) => [...bytes.keys()].some((p) => p.startsWith(dir + nodePath.sep))
  return {
    chunks: async function* (path) {
      const data = bytes.get(nodePath.resolve(path))
      if (data === undefined) throw enoent(path)
      for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, Math.min(i + chunkSize, data.length))
    },
    read: async (path, position, length) => {
      const data = bytes.get(nodePath.resolve(path))
      if (data === undefined) throw enoent(path)
      return data.subarray(position, Math.min(position + length, data.length))
    },
    stat: async (path) => {
      const abs = nodePath.resolve(path)
      const data = bytes.get(abs)
      if (data !== undefined) return { kind: "file", size: data.length, mtimeMs: 0 }
      if (isDir(abs)) return { kind: "directory", size: 0, mtimeMs: 0 }
      throw enoent(path)
    },
    list: async (dir) => {
      const abs = nodePath.resolve(dir)
      const names = new Map<string, DirEntry["kind"]>()
      for (const p of bytes.keys()) {
        if (!p.startsWith(abs + nodePath.sep)) continue
        const [head, ...rest] = p.slice(abs.length + 1).split(nodePath.sep)
        if (head !== undefined) names.set(head, rest.length > 0 ? "directory" : "file")
      }
      if (names.size === 0 && !bytes.has(abs)) throw enoent(dir)
      return [...names].sort(([a], [b]) => a.localeCompare(b)).map(([name, kind]) => ({ name, kind }))
    }
  }
}

export const layerMemory = (files: Readonly<Record<string, Uint8Array | string>>, chunkSize?: number): Layer.Layer<Files> =>
  Layer.succeed(Files, memory(files, chunkSize))
