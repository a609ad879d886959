/**
 * The tolerant backward reader: a plain `.jsonl` rollout read from its end, in fixed-size blocks,
 * as entries newest first: each parsed line with its byte offset and raw text, or a diagnostic.
 * The consumer stops whenever it has what it needs, so the bytes read (and the time taken) depend
 * on how far back it looks, not on the file's size. Memory is one block plus the longest line.
 *
 * Framing follows `LineFramer` exactly, mirrored: lines end at LF (a CR before it stays in `raw`),
 * blank lines are skipped, a line that is not UTF-8, not JSON or not an object is a diagnostic, a
 * last line without LF is delivered if it parses and reported as torn if it does not, a leading
 * BOM on the first line is skipped and reported, an over-long line is skipped without being held.
 * Read to the start, it yields exactly the forward reader's entries in reverse order.
 *
 * It is not for `.jsonl.zst` files (a zstd stream cannot be entered from the end: read those
 * forward) and it does not know line numbers, which count from the start: a diagnostic's `line`
 * is 0 except for the BOM on line 1, and `byteOffset` says where the line is.
 */
import { isUtf8 } from "node:buffer"
import * as Diagnostic from "./Diagnostic.js"
import type * as Files from "./Files.js"
import { DEFAULT_MAX_LINE_BYTES, type JsonObject, ONLY_BOM } from "./LineFramer.js"
import * as RolloutReader from "./RolloutReader.js"

export interface BackLine {
  readonly _tag: "Line"
  /** Byte offset of the line's first byte (after a BOM on the first line). */
  readonly offset: number
  /** The line's text without its LF: writing `raw + "\n"` reproduces the line's bytes. */
  readonly raw: string
  readonly value: JsonObject
  /** False for a final line that had no LF. */
  readonly terminated: boolean
}

export type Entry = BackLine | Diagnostic.Diagnostic

export interface Options {
  /** Longest line delivered, in bytes (as `LineFramer`). */
  readonly maxLineBytes?: number
  /** Bytes read per step from the end. */
  readonly blockSize?: number
}

export const DEFAULT_BLOCK_SIZE = 1 << 20

const LF = 0x0a

/** Whether `path` can be read backward through `files` (a seekable file system, not zstd). */
export const supports = (files: Files.Shape, path: string): boolean => files.read !== undefined && !RolloutReader.isZstdPath(path)

const errorMessage = Diagnostic.why

/**
 * The entries of `path`, newest first, one array per block read (never empty). Stop iterating to
 * stop reading. A file that cannot be read is one `read_error` diagnostic.
 */
export async function* batches(files: Files.Shape, path: string, options: Options = {}): AsyncGenerator<ReadonlyArray<Entry>> {
  const read = files.read
  if (read === undefined || RolloutReader.isZstdPath(path)) {
    yield [
      Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path} backward (${read === undefined ? "the file system does not seek" : "a zstd stream"})`)
    ]
    return
  }
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  const blockSize = Math.max(1, options.blockSize ?? DEFAULT_BLOCK_SIZE)
  let size: number
  try {
    size = (await files.stat(path)).size
  } catch (error) {
    yield [Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${errorMessage(error)}`)]
    return
  }
  const framer = new Framer(path, maxLineBytes)
  // End of the line being assembled: the file's end, then each LF going back.
  let pos = size
  let sawLF = false
  while (pos > 0) {
    const start = Math.max(0, pos - blockSize)
    let block: Uint8Array
    try {
      block = await read(path, start, pos - start)
    } catch (error) {
      yield [Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${errorMessage(error)}`)]
      return
    }
    if (block.length !== pos - start) {
      yield [Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: it changed size while being read`)]
      return
    }
    const buf = Buffer.isBuffer(block) ? block : Buffer.from(block.buffer, block.byteOffset, block.byteLength)
    const out: Array<Entry> = []
    // One UTF-8 check for the lines wholly inside the block (between its first and last LF), as
    // the forward framer does per chunk; the others are checked one by one.
    const firstLF = buf.indexOf(LF)
    const lastLF = buf.lastIndexOf(LF)
    const checkedFrom = firstLF !== -1 && firstLF < lastLF && isUtf8(buf.subarray(firstLF + 1, lastLF)) ? firstLF + 1 : Infinity
    let end = buf.length
    for (;;) {
      const nl = end === 0 ? -1 : buf.lastIndexOf(LF, end - 1)
      if (nl === -1) break
      const where = sawLF ? "middle" : "last"
      if (framer.holding()) {
        // The bytes after this LF complete the line held from the blocks after this one.
        framer.prepend(buf.subarray(nl + 1, end))
        framer.finishLine(start + nl + 1, where, out)
      } else {
        framer.lineAt(buf.subarray(nl + 1, end), start + nl + 1, where, nl + 1 >= checkedFrom && end <= lastLF, out)
      }
      sawLF = true
      end = nl
    }
    framer.prepend(buf.subarray(0, end))
    pos = start
    // At the start: an empty file's report is the forward reader's last entry, so it comes first here (before a BOM's).
    if (pos === 0) framer.finishLine(0, sawLF ? "first" : "only", out)
    if (pos === 0) out.unshift(...framer.end(size))
    if (out.length > 0) yield out
  }
  if (size === 0) yield framer.end(size)
}

/** The line being assembled from the blocks, newest bytes first, and what was seen so far. */
class Framer {
  /** Parts of the current line, the newest-read (earliest in the file) last. */
  private parts: Array<Buffer> = []
  private partsBytes = 0
  /** The current line's length (bytes seen, held or not). */
  private lineBytes = 0
  private skipping = false
  private sawLine = false
  private sawBom = false

  constructor(
    readonly path: string,
    readonly maxLineBytes: number
  ) {}

  /** Whether part of a line (from later blocks) is held. */
  holding(): boolean {
    return this.lineBytes > 0
  }

  /** A whole line inside one block (nothing held): framed without a copy. */
  lineAt(bytes: Buffer, offset: number, where: "last" | "middle", utf8Checked: boolean, out: Array<Entry>): void {
    if (bytes.length === 0 && where === "last") return
    this.emit(bytes, offset, where === "middle", false, utf8Checked, out)
  }

  /** Adds the bytes that precede, in the file, the ones held. */
  prepend(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.lineBytes += bytes.length
    if (this.skipping) return
    if (this.partsBytes + bytes.length > this.maxLineBytes) {
      this.parts = []
      this.partsBytes = 0
      this.skipping = true
      return
    }
    // A copy: the block's memory is released (or reused) after this step.
    this.parts.push(Buffer.from(bytes))
    this.partsBytes += bytes.length
  }

  /**
   * The held bytes form a whole line starting at `offset`. `last`: the file's final segment (after
   * its last LF, so without one); `first`: line 1; `only`: both.
   */
  finishLine(offset: number, where: "last" | "middle" | "first" | "only", out: Array<Entry>): void {
    const terminated = where === "middle" || where === "first"
    const first = where === "first" || where === "only"
    const bytes = this.lineBytes
    const skipped = this.skipping
    const whole = skipped ? Buffer.alloc(0) : this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts.reverse(), this.partsBytes)
    this.parts = []
    this.partsBytes = 0
    this.lineBytes = 0
    this.skipping = false
    if (skipped) {
      this.sawLine = true
      out.push(Diagnostic.make(this.path, 0, offset, "line_too_long", `line of ${bytes} bytes exceeds the limit of ${this.maxLineBytes} bytes; skipped`))
      return
    }
    if (bytes === 0 && where === "last") return // the file ends with LF: no final segment
    this.emit(whole, offset, terminated, first, false, out)
  }

  private emit(buf: Buffer, offset: number, terminated: boolean, first: boolean, utf8Checked: boolean, out: Array<Entry>): void {
    let s = 0
    let bom: Diagnostic.Diagnostic | undefined
    if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      this.sawBom = true
      bom = Diagnostic.make(this.path, 1, 0, "bom", "the file starts with a UTF-8 byte order mark (skipped here; Codex cannot parse the first line)")
      s = 3
      offset += 3
    }
    const entry = this.classify(buf, s, offset, terminated, utf8Checked)
    if (entry !== undefined) out.push(entry)
    // Newest first: line 1's own entry, then the BOM that precedes it.
    if (bom !== undefined) out.push(bom)
  }

  private classify(buf: Buffer, s: number, offset: number, terminated: boolean, utf8Checked: boolean): Entry | undefined {
    const e = buf.length
    if (e - s > this.maxLineBytes) {
      this.sawLine = true
      return Diagnostic.make(this.path, 0, offset, "line_too_long", `line of ${e - s} bytes exceeds the limit of ${this.maxLineBytes} bytes; skipped`)
    }
    if (buf[s] !== 0x7b /* { */ && isBlank(buf, s, e)) return undefined
    this.sawLine = true
    if (!utf8Checked && !isUtf8(buf.subarray(s, e))) return Diagnostic.make(this.path, 0, offset, "invalid_utf8", "the line is not valid UTF-8")
    const raw = buf.toString("utf8", s, e)
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return terminated
        ? Diagnostic.make(this.path, 0, offset, "invalid_json", `not JSON (${reason}): ${Diagnostic.preview(raw)}`)
        : Diagnostic.make(this.path, 0, offset, "truncated_line", `the last line is cut off after ${e - s} bytes (no newline, incomplete JSON)`)
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return Diagnostic.make(
        this.path,
        0,
        offset,
        "not_an_object",
        `expected a JSON object, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}: ${Diagnostic.preview(raw)}`
      )
    }
    return { _tag: "Line", offset, raw, value: value as JsonObject, terminated }
  }

  /** After the first byte: an empty file is reported, as the forward reader does. */
  end(size: number): Array<Entry> {
    if (this.sawLine) return []
    const message = size === 0 ? "the file is empty (0 bytes)" : this.sawBom ? ONLY_BOM : "the file holds only blank lines"
    return [Diagnostic.make(this.path, 0, 0, "empty_file", message)]
  }
}

const isBlank = (buf: Buffer, s: number, e: number): boolean => {
  for (let i = s; i < e; i++) {
    const b = buf[i]
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false
  }
  return true
}
