/**
 * `StatsCopy.Copy` on bytes, for `StatsFastScan`: a legacy fork's copied prefix matched against
 * its parent's plain `.jsonl` files without making a string of any line. The parent is read by
 * blocking reads into fresh chunks; each line's copy key (its bytes from the first `"type":` on,
 * as `StatsCopy.copyKey` takes it from the text) is a view into its chunk, and the fork's line is
 * compared with it in place. The lines are those `StatsCopy.Lines` gives (blank lines skipped, a
 * leading BOM dropped, an unterminated last line kept), so a match is the same match.
 *
 * A parent chunk holding invalid UTF-8 is compared as `Lines` compares it: its lines' keys are
 * decoded (to U+FFFD where the bytes are invalid), and so is the fork's line compared with one of
 * them. It cannot vouch for a parent `Lines` would read differently: one that is not a plain
 * `.jsonl` file (a `.zst` or a segment) or fails to read. Then it throws `Unsure`, and the fork is
 * read again through `StatsScan`, which matches text.
 */
import * as fs from "node:fs"
import { isUtf8 } from "node:buffer"
import * as StatsCopy from "./StatsCopy.js"

const LF = 0x0a
const QUOTE = 0x22
const OPEN_BRACE = 0x7b
const TYPE_KEY = Buffer.from('"type":', "latin1")
const CHUNK = 1 << 20

/** Thrown for a parent this cannot read exactly as `StatsCopy.Lines` does. */
export class Unsure extends Error {}

/** How far `keyStart` looks byte by byte: a Codex line has its `"type":` within its first hundred bytes. */
const NEAR = 256

/** Where a line's copy key starts: at its first `"type":`, or the whole line without one. */
export const keyStart = (buf: Buffer, s: number, e: number): number => {
  // A loop over the first bytes: `Buffer.indexOf` with a needle costs more per call than it scans.
  const near = Math.min(e - 6, s + NEAR)
  for (let i = s; i < near; i++) {
    if (buf[i] !== QUOTE) continue
    if (buf[i + 1] === 0x74 && buf[i + 2] === 0x79 && buf[i + 3] === 0x70 && buf[i + 4] === 0x65 && buf[i + 5] === QUOTE && buf[i + 6] === 0x3a) return i
  }
  if (near < s + NEAR) return s
  const i = buf.indexOf(TYPE_KEY, near)
  // The key holds no LF: a match that starts before the line's end lies within it.
  return i >= 0 && i < e ? i : s
}

/** Whether the line is blank as `StatsCopy.Lines` judges it (its text trims to nothing). */
const blank = (buf: Buffer, s: number, e: number): boolean => {
  if (s < e && buf[s] === OPEN_BRACE) return false
  return buf.toString("utf8", s, e).trim() === ""
}

/** A parent line's copy key: a view of its bytes, or its text when its chunk is not valid UTF-8. */
type Key = readonly [Buffer, number, number] | string

/** The copy keys of the lines of some plain `.jsonl` files in order, each a view into its chunk. */
class KeyLines {
  private readonly paths: Array<string>
  private fd: number | undefined
  private position = 0
  private chunk: Buffer = Buffer.alloc(0)
  private at = 0
  /** End of the complete lines in `chunk`; past it, `end` holds an incomplete one. */
  private lines = 0
  private end = 0
  private eof = true
  /** Whether `chunk`'s complete lines are valid UTF-8 (else their keys are given as text). */
  private valid = true

  constructor(paths: ReadonlyArray<string>) {
    this.paths = [...paths]
  }

  private open(): boolean {
    const path = this.paths.shift()
    if (path === undefined) return false
    try {
      this.fd = fs.openSync(path, "r")
    } catch {
      throw new Unsure()
    }
    this.position = 0
    this.chunk = Buffer.alloc(0)
    this.at = this.lines = this.end = 0
    this.eof = false
    return true
  }

  /** Reads on into a fresh chunk (earlier keys stay valid), the incomplete line carried over. */
  private fill(): void {
    const carry = this.end - this.at
    const next = Buffer.allocUnsafeSlow(Math.max(CHUNK, carry * 2))
    this.chunk.copy(next, 0, this.at, this.end)
    let n: number
    try {
      n = fs.readSync(this.fd as number, next, carry, next.length - carry, this.position)
    } catch {
      throw new Unsure()
    }
    this.position += n
    this.chunk = next
    this.at = 0
    this.end = carry + n
    if (n === 0) {
      this.eof = true
      this.lines = this.end
    } else this.lines = next.lastIndexOf(LF, this.end - 1) + 1
    this.valid = isUtf8(next.subarray(0, this.lines))
  }

  private close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }

  /** The next line's key, `[chunk, start, end)` or its text, or undefined past the last file. */
  next(): Key | undefined {
    for (;;) {
      if (this.fd === undefined && !this.open()) return undefined
      if (this.at >= this.lines) {
        if (this.eof) {
          this.close()
          continue
        }
        this.fill()
        continue
      }
      const chunk = this.chunk
      let s = this.at
      const lf = chunk.indexOf(LF, s)
      const terminated = lf >= 0 && lf < this.lines
      const e = terminated ? lf : this.lines
      this.at = e + 1
      // `position - end + s` is the line's offset in its file: `Lines` drops a BOM from the first
      // line only, and only when an LF ends it (an unterminated last line is taken whole).
      if (terminated && this.position - this.end + s === 0 && chunk[s] === 0xef && chunk[s + 1] === 0xbb && chunk[s + 2] === 0xbf) s += 3
      if (blank(chunk, s, e)) continue
      const k = keyStart(chunk, s, e)
      // Decoding resynchronises at every ASCII byte: the key's text is the line's text from `"type":` on.
      return this.valid ? [chunk, k, e] : chunk.toString("utf8", k, e)
    }
  }

  dispose(): void {
    this.close()
    this.paths.length = 0
  }
}

/** Whether a parent key equals the fork's key `buf[ks, e)` (valid UTF-8). */
const same = (key: Key, buf: Buffer, ks: number, e: number): boolean => {
  if (typeof key === "string") return key === buf.toString("utf8", ks, e)
  const [pb, ps, pe] = key
  return pe - ps === e - ks && buf.compare(pb, ps, pe, ks, e) === 0
}

export class Copy {
  private readonly lines: KeyLines
  /** Keys of parent lines read ahead and not yet matched. */
  private readonly ahead: Array<Key> = []

  constructor(parentPaths: ReadonlyArray<string>) {
    if (!parentPaths.every((p) => p.endsWith(".jsonl"))) throw new Unsure()
    this.lines = new KeyLines(parentPaths)
  }

  /** Whether the fork's line `buf[s, e)` is the parent's next line (or one of the next `WINDOW`, the ones before it left out). */
  matches(buf: Buffer, s: number, e: number): boolean {
    const ks = keyStart(buf, s, e)
    for (let i = 0; i < StatsCopy.WINDOW; i++) {
      if (i >= this.ahead.length) {
        const line = this.lines.next()
        if (line === undefined) return false
        this.ahead.push(line)
      }
      if (same(this.ahead[i] as Key, buf, ks, e)) {
        this.ahead.splice(0, i + 1)
        return true
      }
    }
    return false
  }

  close(): void {
    this.ahead.length = 0
    this.lines.dispose()
  }
}
