/**
 * One pushed machine's home as the log's `Files` service, read from the database: its rollout
 * files at the paths they had on that machine (so a thread's `path` is the one its own machine
 * shows), their bytes from `file_bytes`, piece by piece, and `session_index.jsonl` made from the
 * pushed names. The local readers and folds (`HistoryRead`, `TranscriptRead`, the replay) run on it
 * unchanged, which is how a thread is rebuilt from the database with the very reducers of a local
 * read. The listing is taken once, when first needed; bytes are fetched as they are read. Read only.
 */
import * as nodePath from "node:path"
import type * as Files from "@rollout/log/Files"
import * as FileBytes from "./internal/FileBytes.js"
import type { Session } from "./TeamDatabase.js"

export interface Home {
  readonly machine: string
  /** The home's path on its machine, as pushed. */
  readonly home: string
  readonly files: Files.Shape
}

interface Entry {
  readonly size: number
  readonly mtimeMs: number
}

interface Listing {
  readonly files: Map<string, Entry>
  readonly dirs: Map<string, Map<string, Files.DirEntry["kind"]>>
  readonly names: Buffer
}

/** Pieces fetched per round trip while a file streams. */
const WINDOW = 8

const enoent = (path: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" })

const namesFile = (rows: ReadonlyArray<{ id: string; name: string }>): Buffer =>
  Buffer.from(rows.map((r) => `${JSON.stringify({ id: r.id, thread_name: r.name })}\n`).join(""), "utf8")

const listing = async (db: Session, machine: string, home: string): Promise<Listing> => {
  const rows = await db.query<{ path: string; bytes_end: number; mtime_ms: number }>("SELECT path, bytes_end, mtime_ms FROM files WHERE machine = $1", [
    machine
  ])
  const names = await db.query<{ id: string; name: string }>("SELECT id, name FROM names WHERE machine = $1 ORDER BY id", [machine])
  const files = new Map<string, Entry>()
  const dirs = new Map<string, Map<string, Files.DirEntry["kind"]>>()
  const add = (path: string, kind: Files.DirEntry["kind"]) => {
    const parent = nodePath.dirname(path)
    if (parent === path) return
    const known = dirs.get(parent)
    if (known !== undefined) {
      known.set(nodePath.basename(path), kind)
      return
    }
    dirs.set(parent, new Map([[nodePath.basename(path), kind]]))
    add(parent, "directory")
  }
  for (const r of rows) {
    files.set(r.path, { size: r.bytes_end, mtimeMs: r.mtime_ms })
    add(r.path, "file")
  }
  const index = nodePath.join(home, "session_index.jsonl")
  const text = namesFile(names)
  if (names.length > 0) {
    files.set(index, { size: text.length, mtimeMs: 0 })
    add(index, "file")
  }
  return { files, dirs, names: text }
}

interface PieceRow {
  readonly start: number
  readonly length: number
  readonly deflated: boolean
  readonly data: Buffer
}

const pieces = (db: Session, machine: string, path: string, from: number, to: number, limit: number) =>
  db.query<PieceRow>(
    `SELECT start, length, deflated, data FROM file_bytes
     WHERE machine = $1 AND path = $2 AND start + length > $3 AND start < $4 ORDER BY start LIMIT $5`,
    [machine, path, from, to, limit]
  )

/** `machine`'s home as a `Files` service, or undefined when no such machine pushed. */
export const open = async (db: Session, machine: string): Promise<Home | undefined> => {
  const [row] = await db.query<{ home: string }>("SELECT home FROM machines WHERE name = $1", [machine])
  if (row === undefined) return undefined
  const home = row.home
  let listed: Promise<Listing> | undefined
  const list = () => (listed ??= listing(db, machine, home))
  const entry = async (path: string): Promise<Entry> => {
    const found = (await list()).files.get(nodePath.resolve(path))
    if (found === undefined) throw enoent(path)
    return found
  }
  const isIndex = (path: string) => nodePath.resolve(path) === nodePath.join(home, "session_index.jsonl")
  const files: Files.Shape = {
    chunks: async function* (path) {
      const { size } = await entry(path)
      if (isIndex(path)) {
        yield (await list()).names
        return
      }
      for (let at = 0; at < size; ) {
        const rows = await pieces(db, machine, nodePath.resolve(path), at, size, WINDOW)
        if (rows.length === 0) return
        for (const r of rows) {
          const bytes = FileBytes.unpack(r)
          yield bytes.subarray(Math.max(0, at - r.start), Math.min(bytes.length, size - r.start))
          at = r.start + r.length
        }
      }
    },
    read: async (path, position, length) => {
      const { size } = await entry(path)
      const end = Math.min(size, position + length)
      if (isIndex(path)) return (await list()).names.subarray(position, end)
      if (end <= position) return new Uint8Array(0)
      const rows = await pieces(db, machine, nodePath.resolve(path), position, end, 1 + Math.ceil((end - position) / FileBytes.PIECE))
      return Buffer.concat(rows.map((r) => FileBytes.unpack(r).subarray(Math.max(0, position - r.start), Math.max(0, end - r.start))))
    },
    stat: async (path) => {
      const abs = nodePath.resolve(path)
      const l = await list()
      const file = l.files.get(abs)
      if (file !== undefined) return { kind: "file", size: file.size, mtimeMs: file.mtimeMs }
      if (l.dirs.has(abs)) return { kind: "directory", size: 0, mtimeMs: 0 }
      throw enoent(path)
    },
    list: async (dir) => {
      const found = (await list()).dirs.get(nodePath.resolve(dir))
      if (found === undefined) throw enoent(dir)
      return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([name, kind]) => ({ name, kind }))
    }
  }
  return { machine, home, files }
}

/** The first line of a pushed file (its `session_meta`), from its first piece; undefined if none. */
export const firstLine = async (db: Session, machine: string, path: string): Promise<string | undefined> => {
  const [r] = await pieces(db, machine, path, 0, 1, 1)
  if (r === undefined) return undefined
  const bytes = FileBytes.unpack(r)
  const nl = bytes.indexOf(10)
  return bytes.subarray(0, nl < 0 ? bytes.length : nl).toString("utf8")
}
