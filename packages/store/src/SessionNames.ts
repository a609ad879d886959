/**
 * Thread names from the Codex home's `session_index.jsonl` (B1): an append-only file of
 * `{"id","thread_name","updated_at"}` lines where the newest line for an id wins. The index keeps
 * the names in `names` and how far the file was read in `name_source`, so a refresh reads only the
 * lines appended since; a file that shrank or was rewritten is read again from the start. Lines
 * that do not decode are skipped, as Codex skips them.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import type { Db } from "./IndexDatabase.js"

export const FILE_NAME = "session_index.jsonl"

interface Source {
  readonly size: number
  readonly mtime_ms: number
  readonly offset: number
  readonly head_hash: string
}

const HEAD = 4096

const hashHead = (fd: number, offset: number): string => {
  const buf = Buffer.alloc(Math.min(offset, HEAD))
  fs.readSync(fd, buf, 0, buf.length, 0)
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
export const changed = (db: Db, home: string): boolean => {
  const path = nodePath.join(home, FILE_NAME)
  const stored = db.prepare<[string], Source>("SELECT size, mtime_ms, offset, head_hash FROM name_source WHERE path = ?").get(path)
  const st = fs.statSync(path, { throwIfNoEntry: false })
  if (st === undefined) return stored !== undefined || db.prepare("SELECT 1 FROM names LIMIT 1").get() !== undefined
  return stored === undefined || stored.size !== st.size || stored.mtime_ms !== Math.floor(st.mtimeMs)
}

/** Brings `names` up to date with the home's session index. Call inside a write transaction. */
export const refresh = (db: Db, home: string): void => {
  const path = nodePath.join(home, FILE_NAME)
  const stored = db.prepare<[string], Source>("SELECT size, mtime_ms, offset, head_hash FROM name_source WHERE path = ?").get(path)
  let fd: number
  try {
    fd = fs.openSync(path, "r")
  } catch {
    // No index file: no names.
    db.prepare("DELETE FROM names").run()
    db.prepare("DELETE FROM name_source").run()
    return
  }
  try {
    const st = fs.fstatSync(fd)
    const mtime = Math.floor(st.mtimeMs)
    if (stored !== undefined && stored.size === st.size && stored.mtime_ms === mtime) return
    const resume = stored !== undefined && stored.offset <= st.size && hashHead(fd, stored.offset) === stored.head_hash
    const from = resume ? stored.offset : 0
    if (!resume) db.prepare("DELETE FROM names").run()
    const buf = Buffer.alloc(st.size - from)
    fs.readSync(fd, buf, 0, buf.length, from)
    // Only complete lines: a line being appended is read next time.
    const end = buf.lastIndexOf(0x0a) + 1
    const put = db.prepare("INSERT INTO names(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name")
    for (const [id, name] of parse(buf.toString("utf8", 0, end))) put.run(id, name)
    const offset = from + end
    db.prepare(
      "INSERT INTO name_source(path, size, mtime_ms, offset, head_hash) VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, offset = excluded.offset, head_hash = excluded.head_hash"
    ).run(path, st.size, mtime, offset, hashHead(fd, offset))
  } finally {
    fs.closeSync(fd)
  }
}
