/**
 * The `session_meta` payload of a rollout's first line, read alone: the index keeps a thread's
 * source as a flat name (`subagent:thread_spawn`), while Codex's `Thread.source` is the recorded
 * value (an object for sub-agents). Reading one line per listed thread keeps the answer exact
 * without folding the file. Compressed or unreadable files give `undefined`.
 */
import * as fs from "node:fs"

const CHUNK = 64 * 1024
/** A session_meta carries the base instructions; past this a first line is not worth reading. */
const MAX = 8 * 1024 * 1024

export interface Meta {
  readonly source?: unknown
  readonly session_id?: string
  readonly thread_source?: string
}

const firstLine = (path: string): string | undefined => {
  if (!path.endsWith(".jsonl")) return undefined
  let fd: number
  try {
    fd = fs.openSync(path, "r")
  } catch {
    return undefined
  }
  try {
    const parts: Array<Buffer> = []
    let total = 0
    while (total < MAX) {
      const buf = Buffer.allocUnsafe(CHUNK)
      const n = fs.readSync(fd, buf, 0, CHUNK, total)
      if (n === 0) break
      const nl = buf.subarray(0, n).indexOf(10)
      if (nl >= 0) {
        parts.push(buf.subarray(0, nl))
        return Buffer.concat(parts).toString("utf8")
      }
      parts.push(buf.subarray(0, n))
      total += n
    }
    return Buffer.concat(parts).toString("utf8")
  } finally {
    fs.closeSync(fd)
  }
}

export const read = (path: string): Meta | undefined => parse(firstLine(path))

/** The payload of a rollout's first line when it is a `session_meta`. */
export const parse = (line: string | undefined): Meta | undefined => {
  if (line === undefined) return undefined
  try {
    const parsed = JSON.parse(line) as { type?: unknown; payload?: Meta }
    return parsed.type === "session_meta" ? parsed.payload : undefined
  } catch {
    return undefined
  }
}
