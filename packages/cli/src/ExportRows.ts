/**
 * The table of contents of a streamed `export`, gathered a row per turn in the first pass and read
 * back once when the head is written. A thread of millions of turns has hundreds of megabytes of
 * rows, so past `keepBytes` they go to a temporary file (one JSON string a line) and are read back
 * from it in pieces: memory stays at `keepBytes` whatever the thread. Not a general queue: rows
 * are pushed, then read once, then `clear` removes the file.
 *
 * Rows are held as the bytes of their JSON text, in chunks: a row built by concatenation keeps its
 * pieces, and a clipped title keeps the whole message it was cut from (V8's sliced strings), so
 * 8 MB of rows as given held over 100 MB; and rows kept as strings outlive young collections,
 * so each spill left megabytes of old garbage (a 2.5-million-turn head peaked 150 MB above it).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as DurableFile from "@rollout/log/DurableFile"

export interface Rows extends Iterable<string> {
  readonly length: number
  readonly push: (row: string) => void
  /** Lets the rows go and removes the file, if any. */
  readonly clear: () => void
}

/** Rows kept in memory up to this many bytes (of their JSON text). */
export const KEEP_BYTES = 8 << 20

/** Rows are written into chunks of this size, and read back in pieces of it. */
const CHUNK_BYTES = 1 << 20

const LF = 0x0a

/** The rows of `buf[from, to)`, whole JSON lines. */
function* rowsOf(buf: Buffer, from: number, to: number): Generator<string, number> {
  let start = from
  for (let nl = buf.indexOf(LF, start); nl !== -1 && nl < to; nl = buf.indexOf(LF, start)) {
    yield JSON.parse(buf.toString("utf8", start, nl)) as string
    start = nl + 1
  }
  return start
}

/** The rows of `file`, one JSON string a line, read a piece at a time into one reused buffer. */
function* readBack(file: string): Generator<string> {
  const fd = fs.openSync(file, "r")
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES)
    let have = 0
    for (;;) {
      // A row longer than the buffer: a larger one (rows are short; this is for odd titles).
      if (have === buf.length) buf = Buffer.concat([buf.subarray(0, have)], buf.length * 2)
      const n = fs.readSync(fd, buf, have, buf.length - have, null)
      if (n === 0) return
      have += n
      // A newline byte only ends a row (JSON escapes it inside strings), so pieces split cleanly at them.
      const used = yield* rowsOf(buf, 0, have)
      buf.copy(buf, 0, used, have)
      have -= used
    }
  } finally {
    fs.closeSync(fd)
  }
}

function* rowsOfChunks(chunks: ReadonlyArray<Buffer>): Generator<string> {
  for (const c of chunks) yield* rowsOf(c, 0, c.length)
}

export const make = (keepBytes: number = KEEP_BYTES): Rows => {
  // Rows as JSON lines in byte chunks: the full ones kept (`sealed`) until the rows pass
  // `keepBytes`, then everything goes to the file and one chunk is reused for the rest.
  let sealed: Array<Buffer> = []
  let sealedBytes = 0
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  let used = 0
  let count = 0
  let dir: string | undefined
  let file: string | undefined
  let fd: number | undefined
  // An export interrupted by a signal removes the folder too (the Effect's own cleanup never runs then).
  let untrack = () => {}
  const spill = () => {
    if (fd === undefined) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-export-"))
      untrack = DurableFile.track(dir)
      file = path.join(dir, "contents.jsonl")
      fd = fs.openSync(file, "a")
    }
    for (const c of sealed) fs.writeSync(fd, c)
    if (used > 0) fs.writeSync(fd, chunk, 0, used)
    sealed = []
    sealedBytes = 0
    used = 0
  }
  const seal = (room: number) => {
    if (used > 0) sealed.push(chunk.subarray(0, used))
    sealedBytes += used
    chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room))
    used = 0
  }
  const close = () => {
    if (fd !== undefined) fs.closeSync(fd)
    fd = undefined
  }
  return {
    get length() {
      return count
    },
    push: (row) => {
      const line = `${JSON.stringify(row)}\n`
      const bytes = Buffer.byteLength(line)
      if (used + bytes > chunk.length) {
        if (fd !== undefined) spill()
        if (fd === undefined || bytes > chunk.length) seal(bytes)
      }
      used += chunk.write(line, used)
      count++
      if (sealedBytes + used >= keepBytes) spill()
    },
    [Symbol.iterator]: () => {
      if (file === undefined) return rowsOfChunks([...sealed, chunk.subarray(0, used)])
      spill()
      close()
      return readBack(file)
    },
    clear: () => {
      sealed = []
      sealedBytes = 0
      used = 0
      close()
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true })
      untrack()
      untrack = () => {}
      dir = undefined
      file = undefined
    }
  }
}
