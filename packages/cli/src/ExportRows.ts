/**
 * The table of contents of a streamed `export`, gathered a row per turn in the first pass and read
 * back once when the head is written. A thread of millions of turns has hundreds of megabytes of
 * rows, so past `keepBytes` they go to a temporary file (one JSON string a line) and are read back
 * from it in pieces: memory stays at `keepBytes` whatever the thread. Not a general queue: rows
 * are pushed, then read once, then `clear` removes the file.
 *
 * Rows are held as their JSON text, a fresh flat string: a row built by concatenation keeps its
 * pieces, and a clipped title keeps the whole message it was cut from (V8's sliced strings), so
 * 8 MB of rows as given held over 100 MB and made every collection of the first pass slow.
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

/** Rows kept in memory up to this many characters. */
export const KEEP_BYTES = 8 << 20

const READ_BYTES = 1 << 20

/** The rows of `file`, one JSON string a line, read `READ_BYTES` at a time. */
function* readBack(file: string): Generator<string> {
  const fd = fs.openSync(file, "r")
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES)
    let carry = ""
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
      // Rows are JSON strings: a newline byte only ends one, so a piece splits cleanly at them (a
      // character cut at the piece's end stays in `carry` as bytes).
      const text = carry + buf.toString("latin1", 0, n)
      const lines = text.split("\n")
      carry = lines.pop() as string
      for (const line of lines) yield JSON.parse(Buffer.from(line, "latin1").toString("utf8")) as string
    }
  } finally {
    fs.closeSync(fd)
  }
}

function* parsed(held: ReadonlyArray<string>): Generator<string> {
  for (const json of held) yield JSON.parse(json) as string
}

export const make = (keepBytes: number = KEEP_BYTES): Rows => {
  // Each row as JSON (`JSON.stringify` copies it into one flat string), as the file has it.
  let held: Array<string> = []
  let heldBytes = 0
  let count = 0
  let dir: string | undefined
  let file: string | undefined
  // An export interrupted by a signal removes the folder too (the Effect's own cleanup never runs then).
  let untrack = () => {}
  const spill = () => {
    if (held.length === 0) return
    if (file === undefined) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-export-"))
      untrack = DurableFile.track(dir)
      file = path.join(dir, "contents.jsonl")
    }
    fs.appendFileSync(file, `${held.join("\n")}\n`)
    held = []
    heldBytes = 0
  }
  return {
    get length() {
      return count
    },
    push: (row) => {
      const json = JSON.stringify(row)
      held.push(json)
      count++
      heldBytes += json.length
      if (heldBytes >= keepBytes) spill()
    },
    [Symbol.iterator]: () => {
      if (file === undefined) return parsed(held)
      spill()
      return readBack(file)
    },
    clear: () => {
      held = []
      heldBytes = 0
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true })
      untrack()
      untrack = () => {}
      dir = undefined
      file = undefined
    }
  }
}
