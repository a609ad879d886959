/**
 * What a path given for the index may hold before the index is opened there: nothing, or an
 * index. Anything else (a user's file, a folder, a pipe, a link to nothing) is refused before
 * anything is removed or written, whatever `--index` or `--rebuild` asked.
 */
import * as fs from "node:fs"

/** The path given for the index holds something else: it is never removed or written over. */
export class NotAnIndex extends Error {}

/** The 16 bytes every SQLite database file starts with. */
const HEADER = Buffer.from("SQLite format 3\u0000", "latin1")

/**
 * Throws `NotAnIndex` unless `path` is free for the index (nothing there) or holds one: a regular
 * file that is empty or starts as an SQLite database (damaged or of another version, it is
 * rebuilt). A user's file, a folder, a pipe or a link to nothing given as `--index` is refused
 * before anything is removed or written.
 */
export const check = (path: string): void => {
  const link = fs.lstatSync(path, { throwIfNoEntry: false })
  if (link === undefined) return
  const st = fs.statSync(path, { throwIfNoEntry: false })
  if (st === undefined) throw new NotAnIndex(`${path} is a link to nothing, not an index file`)
  if (st.isDirectory()) throw new NotAnIndex(`${path} is a folder, not an index file`)
  if (!st.isFile()) throw new NotAnIndex(`${path} is not a regular file, not an index file`)
  if (st.size === 0) return
  const head = Buffer.alloc(HEADER.length)
  const fd = fs.openSync(path, "r")
  try {
    fs.readSync(fd, head, 0, head.length, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (!head.equals(HEADER)) throw new NotAnIndex(`${path} is not an index file (not an SQLite database): it is left as it is; give --index another path`)
}
