/**
 * JSONL framing on bytes. Feed it chunks of a file in order; it hands back each complete line as
 * `{line, offset, raw, value}` and each unreadable line as a diagnostic, then carries on. It does no
 * I/O and keeps only the current partial line in memory, so it serves files of any size, live
 * tails and decompressed streams alike. It is not a schema decoder: `value` is plain parsed JSON.
 *
 * Framing rules (those of Codex's reader, made explicit): lines end at LF; a CR before the LF stays
 * in `raw` (JSON ignores it, and writing `raw` back restores the file); blank lines are skipped; a
 * leading UTF-8 BOM is skipped and reported; a last line without LF is delivered if it parses and
 * reported as torn if it does not.
 */
import { isUtf8 } from "node:buffer"
import * as Diagnostic from "./Diagnostic.js"
import * as LinePrefix from "./LinePrefix.js"

export type JsonObject = { readonly [key: string]: unknown }

export interface LogLine {
  readonly _tag: "Line"
  /** 1-based line number in the file (blank and bad lines count). */
  readonly line: number
  /** Byte offset of the line's first byte (after a BOM on line 1). */
  readonly offset: number
  /** The line's text, without its LF. Writing `raw + "\n"` reproduces the file's bytes. */
  readonly raw: string
  /** `JSON.parse(raw)`. */
  readonly value: JsonObject
  /** False for a final line that had no LF. */
  readonly terminated: boolean
}

export type Entry = LogLine | Diagnostic.Diagnostic

/**
 * Where framed lines go, for a reader that handles each line at once (`LineFramer.pushTo`): a
 * parsed line as its parts, with no entry object made for it, and everything else (diagnostics,
 * skimmed lines) as its entry. `push` is `pushTo` into an array of entries.
 */
export interface Sink<Extra extends Skimmed = never> {
  readonly line: (value: JsonObject, line: number, offset: number, raw: string, terminated: boolean) => void
  readonly other: (entry: Diagnostic.Diagnostic | Extra) => void
  /** A blank line, skipped: only its number, for a reader that counts every line (`validate`). */
  readonly blank?: (line: number) => void
}

/** A sink that collects entries into `out`. */
const collect = <Extra extends Skimmed>(out: Array<Entry | Extra>): Sink<Extra> => ({
  line: (value, line, offset, raw, terminated) => {
    out.push({ _tag: "Line", line, offset, raw, value, terminated })
  },
  other: (entry) => {
    out.push(entry)
  }
})

/**
 * A complete line its reader asked not to parse (`Options.skim`): only its place and timestamp,
 * read off its first bytes (`LinePrefix`). Not validated: `rollout validate` reads every line.
 */
export interface Skimmed {
  readonly _tag: "Skimmed"
  readonly line: number
  readonly offset: number
  readonly timestamp: string
}

export interface Options {
  /**
   * Longest line delivered, in bytes. Longer lines are skipped (without being held in memory) and
   * reported. The default is just under V8's maximum string length.
   */
  readonly maxLineBytes?: number
  /**
   * Whether the reader wants a line, judged from its envelope alone: a terminated line whose
   * envelope `LinePrefix` can read and this calls unwanted is delivered as `Skimmed`, neither
   * decoded from UTF-8 nor parsed. Only a framer typed `LineFramer<Skimmed>` may be given one.
   */
  readonly skim?: (prefix: LinePrefix.Prefix) => boolean
}

/** V8 (Node 20, 64-bit) refuses strings longer than 2^29 - 24 characters. */
export const DEFAULT_MAX_LINE_BYTES = 2 ** 29 - 24

const LF = 0x0a

/** The `empty_file` message of a file with a BOM and no line after it (every reader words it so). */
export const ONLY_BOM = "the file holds only a byte order mark and blank space"

export class LineFramer<Extra extends Skimmed = never> {
  private readonly maxLineBytes: number
  private readonly skim: ((prefix: LinePrefix.Prefix) => boolean) | undefined
  /** Bytes of the current partial line, in order. */
  private parts: Array<Buffer> = []
  private partsBytes = 0
  /** File offset of the next byte to be pushed. */
  private consumed = 0
  /** File offset where the current line starts. */
  private lineStart = 0
  private lineNo = 0
  /** The current line exceeded the limit: its bytes are being dropped until the next LF. */
  private skipping = false
  /** A line that is not blank was met (a BOM alone is not one: such a file is empty too). */
  private sawLine = false
  private sawBom = false

  constructor(
    readonly path: string,
    options: Options = {}
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
    this.skim = options.skim
  }

  /**
   * Frames the next chunk of the file. The chunk's memory may be reused once this returns. Blank
   * lines make no entry: `blank`, if given, hears their numbers (`Sink.blank`).
   */
  push(chunk: Uint8Array, blank?: Sink["blank"]): Array<Entry | Extra> {
    const out: Array<Entry | Extra> = []
    this.pushTo(chunk, blank === undefined ? collect(out) : { ...collect(out), blank })
    return out
  }

  /** Ends the file: delivers or reports a last line without LF, and reports an empty file. */
  end(blank?: Sink["blank"]): Array<Entry | Extra> {
    const out: Array<Entry | Extra> = []
    this.endTo(blank === undefined ? collect(out) : { ...collect(out), blank })
    return out
  }

  /** `push`, each line handed to `out` as it is framed. */
  pushTo(chunk: Uint8Array, out: Sink<Extra>): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const base = this.consumed
    this.consumed += buf.length
    let start = 0
    // One UTF-8 check for all complete lines of the chunk (LF never occurs inside a multi-byte
    // sequence, so the region is valid iff each of its lines is); lines are checked one by one
    // only when it fails.
    const last = buf.lastIndexOf(LF)
    const validUpTo = last !== -1 && isUtf8(buf.subarray(0, last)) ? last : -1
    for (;;) {
      const nl = buf.indexOf(LF, start)
      if (nl === -1) {
        if (start < buf.length) this.hold(buf.subarray(start))
        return
      }
      if (this.skipping) {
        this.reportTooLong(base + nl - this.lineStart, out)
      } else if (this.partsBytes === 0) {
        this.emit(buf, start, nl, true, nl <= validUpTo, out)
      } else {
        this.hold(buf.subarray(start, nl))
        if (this.skipping) this.reportTooLong(base + nl - this.lineStart, out)
        else {
          const whole = Buffer.concat(this.parts, this.partsBytes)
          this.parts = []
          this.partsBytes = 0
          this.emit(whole, 0, whole.length, true, false, out)
        }
      }
      start = nl + 1
      this.lineStart = base + start
    }
  }

  /** `end`, into `out`. */
  endTo(out: Sink<Extra>): void {
    if (this.skipping) this.reportTooLong(this.consumed - this.lineStart, out)
    else if (this.partsBytes > 0) {
      const whole = Buffer.concat(this.parts, this.partsBytes)
      this.parts = []
      this.partsBytes = 0
      this.emit(whole, 0, whole.length, false, false, out)
    }
    if (!this.sawLine) out.other(Diagnostic.make(this.path, 0, 0, "empty_file", this.emptiness()))
  }

  private emptiness(): string {
    if (this.consumed === 0) return "the file is empty (0 bytes)"
    return this.sawBom ? ONLY_BOM : "the file holds only blank lines"
  }

  private hold(bytes: Buffer): void {
    if (this.skipping) return
    if (this.partsBytes + bytes.length > this.maxLineBytes) {
      this.parts = []
      this.partsBytes = 0
      this.skipping = true
      return
    }
    // A copy: the caller may reuse the chunk's memory for the next read.
    this.parts.push(Buffer.from(bytes))
    this.partsBytes += bytes.length
  }

  private reportTooLong(bytes: number, out: Sink<Extra>): void {
    this.lineNo++
    this.sawLine = true
    this.skipping = false
    this.parts = []
    this.partsBytes = 0
    out.other(
      Diagnostic.make(
        this.path,
        this.lineNo,
        this.lineStart,
        "line_too_long",
        `line of ${bytes > this.maxLineBytes ? `more than ${this.maxLineBytes}` : bytes} bytes exceeds the limit of ${this.maxLineBytes} bytes; skipped`
      )
    )
  }

  /** Delivers the line `buf[s, e)` (LF excluded) that starts at `this.lineStart`. */
  private emit(buf: Buffer, s: number, e: number, terminated: boolean, utf8Checked: boolean, out: Sink<Extra>): void {
    const lineNo = ++this.lineNo
    let offset = this.lineStart
    if (lineNo === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) {
      this.sawBom = true
      out.other(Diagnostic.make(this.path, 1, 0, "bom", "the file starts with a UTF-8 byte order mark (skipped here; Codex cannot parse the first line)"))
      s += 3
      offset += 3
    }
    if (e - s > this.maxLineBytes) {
      this.sawLine = true
      out.other(Diagnostic.make(this.path, lineNo, offset, "line_too_long", `line of ${e - s} bytes exceeds the limit of ${this.maxLineBytes} bytes; skipped`))
      return
    }
    const first = buf[s]
    if (first !== 0x7b /* { */ && isBlank(buf, s, e)) {
      out.blank?.(lineNo)
      return
    }
    this.sawLine = true
    if (this.skim !== undefined && terminated) {
      const prefix = LinePrefix.read(buf, s, e)
      if (prefix !== undefined && !this.skim(prefix)) {
        out.other({ _tag: "Skimmed", line: lineNo, offset, timestamp: prefix.timestamp } as Extra)
        return
      }
    }
    if (!utf8Checked && !isUtf8(buf.subarray(s, e))) {
      out.other(Diagnostic.make(this.path, lineNo, offset, "invalid_utf8", "the line is not valid UTF-8"))
      return
    }
    const raw = buf.toString("utf8", s, e)
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      out.other(
        terminated
          ? Diagnostic.make(this.path, lineNo, offset, "invalid_json", `not JSON (${reason}): ${Diagnostic.preview(raw)}`)
          : Diagnostic.make(this.path, lineNo, offset, "truncated_line", `the last line is cut off after ${e - s} bytes (no newline, incomplete JSON)`)
      )
      return
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      out.other(
        Diagnostic.make(
          this.path,
          lineNo,
          offset,
          "not_an_object",
          `expected a JSON object, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}: ${Diagnostic.preview(raw)}`
        )
      )
      return
    }
    out.line(value as JsonObject, lineNo, offset, raw, terminated)
  }
}

const isBlank = (buf: Buffer, s: number, e: number): boolean => {
  for (let i = s; i < e; i++) {
    const b = buf[i]
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false
  }
  return true
}
