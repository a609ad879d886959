/**
 * Thread names from the Codex home's `session_index.jsonl` (B1): an append-only file of
 * `{"id","thread_name","updated_at"}` lines where the newest line for an id wins. The index keeps
 * the names in `names` and how far the file was read in `name_source`, so a refresh reads only the
 * lines appended since; a file that shrank or was rewritten is read again from the start. Lines
 * that do not decode are skipped, as Codex skips them.
 */
import { createHash } from "node:crypto"
import * as nodePath from "node:path"
import type { Db } from "../IndexDatabase.js"
import * as SyncFiles from "./SyncFiles.js"

export const FILE_NAME = "session_index.jsonl"

interface Source {
  readonly size: number
  readonly mtime_ms: number
  readonly offset: number
  readonly head_hash: string
}

const HEAD = 4096

const hashHead = (file: SyncFiles.Handle, offset: number): string => {
  const buf = Buffer.alloc(Math.min(offset, HEAD))
  file.read(buf, 0, buf.length)
  return createHash("sha1").update(buf).digest("hex")
}

/** Parses complete lines into `[id, name]` pairs, in file order. */
export const parse = (text: string): Array<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue
    try {
      const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown }
      if (typeof entry.id === "string" && typeof entry.thread_name === "string") out.push([entry.id.toLowerCase(), entry.thread_name])
    } catch {
      // skipped, as Codex skips undecodable index lines
    }
  }
  return out
}

/** Whether the session index differs (size or mtime) from what was last read; no transaction needed. */
export const changed = (db: Db, home: string, files: SyncFiles.Shape = SyncFiles.node): boolean => {
  const path = nodePath.join(home, FILE_NAME)
  const stored = db.prepare<[string], Source>("SELECT size, mtime_ms, offset, head_hash FROM name_source WHERE path = ?").get(path)
  const st = files.stat(path)
  if (st === undefined) return stored !== undefined || db.prepare("SELECT 1 FROM names LIMIT 1").get() !== undefined
  return stored === undefined || stored.size !== st.size || stored.mtime_ms !== Math.floor(st.mtimeMs)
}

/** Brings `names` up to date with the home's session index. Call inside a write transaction. */
export const refresh = (db: Db, home: string, files: SyncFiles.Shape = SyncFiles.node): void => {
  const path = nodePath.join(home, FILE_NAME)
  const stored = db.prepare<[string], Source>("SELECT size, mtime_ms, offset, head_hash FROM name_source WHERE path = ?").get(path)
  let file: SyncFiles.Handle
  try {
    file = files.open(path)
  } catch {
    // No index file: no names.
    db.prepare("DELETE FROM names").run()
    db.prepare("DELETE FROM name_source").run()
    return
  }
  try {
    const mtime = Math.floor(file.mtimeMs)
    if (stored !== undefined && stored.size === file.size && stored.mtime_ms === mtime) return
    const resume = stored !== undefined && stored.offset <= file.size && hashHead(file, stored.offset) === stored.head_hash
    const from = resume ? stored.offset : 0
    if (!resume) db.prepare("DELETE FROM names").run()
    const buf = Buffer.alloc(file.size - from)
    file.read(buf, from, buf.length)
    // Only complete lines: a line being appended is read next time.
    const end = buf.lastIndexOf(0x0a) + 1
    const put = db.prepare("INSERT INTO names(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name")
    for (const [id, name] of parse(buf.toString("utf8", 0, end))) put.run(id, name)
    const offset = from + end
    db.prepare(
      "INSERT INTO name_source(path, size, mtime_ms, offset, head_hash) VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, offset = excluded.offset, head_hash = excluded.head_hash"
    ).run(path, file.size, mtime, offset, hashHead(file, offset))
  } finally {
    file.close()
  }
}
