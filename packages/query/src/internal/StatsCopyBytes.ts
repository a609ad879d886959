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
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN = Buffer.from('{"timestamp":"', "latin1")
const EMPTY = Buffer.alloc(0)

/** A file's identity when it was read: what it vouched for holds only while it still has it. */
export interface Seen {
  readonly size: number
  readonly mtimeMs: number
  readonly ino: number
}

export const seenOf = (s: fs.Stats): Seen => ({ size: s.size, mtimeMs: s.mtimeMs, ino: s.ino })

/**
 * Files this thread's fast reader read whole and vouched for (`StatsFastScan.read`): each of
 * their lines it did not skim parsed as a JSON object whose `type` and payload `type` are those
 * its envelope names (`LinePrefix`). A fork's line matching one of their lines is then known to
 * parse the same way (see `Copy.match`), so the fork's reader need not parse it again.
 */
const vouched = new Map<string, Seen>()

export const vouch = (path: string, seen: Seen): void => {
  vouched.set(path, seen)
}

/** Forgets every file vouched for: a run trusts only what it read itself (a file rewritten since may keep its size and times). */
export const forget = (): void => {
  vouched.clear()
}

const vouchedFor = (path: string, fd: number): boolean => {
  const v = vouched.get(path)
  if (v === undefined) return false
  const now = fs.fstatSync(fd)
  return now.size === v.size && now.mtimeMs === v.mtimeMs && now.ino === v.ino
}

/**
 * Whether `buf[s, ks)` is exactly `{"timestamp":"T",` with T plain (printable ASCII, no quote or
 * backslash): two lines opening so, the rest of them equal, are both valid JSON or both not.
 */
export const plainOpening = (buf: Buffer, s: number, ks: number): boolean => {
  const from = s + OPEN.length
  if (ks < from + 2 || buf[ks - 1] !== COMMA || buf[ks - 2] !== QUOTE) return false
  for (let i = 0; i < OPEN.length; i++) if (buf[s + i] !== OPEN[i]) return false
  for (let i = from; i < ks - 2; i++) {
    const b = buf[i] as number
    if (b === QUOTE || b === BACKSLASH || b < 0x20 || b >= 0x80) return false
  }
  return true
}

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

/**
 * A parent line's copy key: a view of its bytes `[chunk, key start, end, line start]` (the line
 * start -1 when its file is not vouched for), or its text when its chunk is not valid UTF-8.
 */
type Key = readonly [Buffer, number, number, number] | string

/**
 * Chunks no key refers to any more, kept for the next fill or the next fork: a fresh chunk is
 * memory the kernel maps page by page as the read fills it, which cost more than the read's copy.
 */
const free: Array<Buffer> = []
const FREE_MAX = 4

/** The copy keys of the lines of some plain `.jsonl` files in order, each a view into its chunk. */
class KeyLines {
  private readonly paths: Array<string>
  /** Chunks read before the current one: free again once no key in `held` is a view into them. */
  private readonly old: Array<Buffer> = []
  private fd: number | undefined
  private position = 0
  private chunk: Buffer = EMPTY
  private at = 0
  /** End of the complete lines in `chunk`; past it, `end` holds an incomplete one. */
  private lines = 0
  private end = 0
  private eof = true
  /** Whether `chunk`'s complete lines are valid UTF-8 (else their keys are given as text). */
  private valid = true
  /** Whether the open file is one this thread vouched for, unchanged since. */
  private trusted = false

  /** `held`: the keys handed out and not yet done with (`Copy`'s read-ahead). */
  constructor(
    paths: ReadonlyArray<string>,
    private readonly held: ReadonlyArray<Key>
  ) {
    this.paths = [...paths]
  }

  /** A chunk of at least `size` bytes: one no held key refers to, or a fresh one. */
  private take(size: number): Buffer {
    for (let i = this.old.length - 1; i >= 0; i--) {
      const c = this.old[i] as Buffer
      if (this.held.some((k) => typeof k !== "string" && k[0] === c)) continue
      this.old.splice(i, 1)
      if (c.length >= size) return c
      if (free.length < FREE_MAX) free.push(c)
    }
    for (let i = free.length - 1; i >= 0; i--) if ((free[i] as Buffer).length >= size) return free.splice(i, 1)[0] as Buffer
    return Buffer.allocUnsafeSlow(size)
  }

  private open(): boolean {
    const path = this.paths.shift()
    if (path === undefined) return false
    try {
      this.fd = fs.openSync(path, "r")
    } catch {
      throw new Unsure()
    }
    try {
      this.trusted = vouchedFor(path, this.fd)
    } catch {
      throw new Unsure()
    }
    this.position = 0
    this.retire()
    this.at = this.lines = this.end = 0
    this.eof = false
    return true
  }

  /** Reads on into a fresh chunk (earlier keys stay valid), the incomplete line carried over. */
  private fill(): void {
    const carry = this.end - this.at
    const next = this.take(Math.max(CHUNK, carry * 2))
    this.chunk.copy(next, 0, this.at, this.end)
    this.retire()
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

  /** The current chunk joins the old ones (a key may still be a view into it). */
  private retire(): void {
    if (this.chunk.length > 0) this.old.push(this.chunk)
    this.chunk = EMPTY
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
      return this.valid ? [chunk, k, e, this.trusted ? s : -1] : chunk.toString("utf8", k, e)
    }
  }

  /** Ends the reading; `held` must be empty by then: every chunk is free. */
  dispose(): void {
    this.close()
    this.paths.length = 0
    this.retire()
    for (const c of this.old) if (free.length < FREE_MAX) free.push(c)
    this.old.length = 0
  }
}

/** Whether a parent key equals the fork's key `buf[ks, e)` (valid UTF-8). */
const same = (key: Key, buf: Buffer, ks: number, e: number): boolean => {
  if (typeof key === "string") return key === buf.toString("utf8", ks, e)
  const [pb, ps, pe] = key
  return pe - ps === e - ks && buf.compare(pb, ps, pe, ks, e) === 0
}

/** How a fork's line matched its parent's (see `Copy.match`). */
export const Match = { None: 0, Copied: 1, Trusted: 2 } as const
export type Match = (typeof Match)[keyof typeof Match]

export class Copy {
  private readonly lines: KeyLines
  /** Keys of parent lines read ahead and not yet matched. */
  private readonly ahead: Array<Key> = []

  constructor(parentPaths: ReadonlyArray<string>) {
    if (!parentPaths.every((p) => p.endsWith(".jsonl"))) throw new Unsure()
    this.lines = new KeyLines(parentPaths, this.ahead)
  }

  /** Whether the fork's line `buf[s, e)` is the parent's next line (or one of the next `WINDOW`, the ones before it left out). */
  matches(buf: Buffer, s: number, e: number): boolean {
    return this.match(buf, s, e) !== Match.None
  }

  /**
   * `matches`, and whether the match is `Trusted`: the parent's line is of a file this thread
   * vouched for, and both lines open with a plain timestamp and their `"type":` right after it.
   * The fork's line is then the parent's but for the timestamp's plain characters: a JSON object
   * whenever the parent's is, with the same `type` and payload `type`.
   */
  match(buf: Buffer, s: number, e: number): Match {
    const ks = keyStart(buf, s, e)
    for (let i = 0; i < StatsCopy.WINDOW; i++) {
      if (i >= this.ahead.length) {
        const line = this.lines.next()
        if (line === undefined) return Match.None
        this.ahead.push(line)
      }
      const key = this.ahead[i] as Key
      if (same(key, buf, ks, e)) {
        this.ahead.splice(0, i + 1)
        return typeof key !== "string" && key[3] >= 0 && plainOpening(key[0], key[3], key[1]) && plainOpening(buf, s, ks) ? Match.Trusted : Match.Copied
      }
    }
    return Match.None
  }

  close(): void {
    this.ahead.length = 0
    this.lines.dispose()
  }
}
