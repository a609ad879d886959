/**
 * Framing a plain rollout for the index, without an object per line: `@rollout/log`'s
 * `LineFramer` with a `skim` hands back an entry (and a timestamp string) for every line, and on
 * a home most lines are ones the index never reads. Here each line's envelope is read off its
 * bytes in place (the shape `LinePrefix` reads, its names looked up by a hash of their bytes),
 * judged once per line type and payload tag, and only the lines to parse are decoded from UTF-8
 * and parsed. It is not a general framer: it reports nothing (the index drops the framer's
 * diagnostics) and delivers only what `Sink` asks for. The framing rules are `LineFramer`'s, line
 * numbers and offsets included; a test holds the two to the same lines on arbitrary bytes.
 */
import { isUtf8 } from "node:buffer"
import * as LinePrefix from "@rollout/log/LinePrefix"

/**
 * What to do with a line, judged from its envelope: leave it, parse it, or leave it unparsed and
 * note its offset under a mark of the caller's (`M`).
 */
export type Verdict<M extends string> = "skip" | "parse" | { readonly mark: M }

/** Judges an envelope (only its `type` and `tag` are read); asked once per pair met. */
export type Judge<M extends string> = (prefix: LinePrefix.Prefix) => Verdict<M>

export interface Sink<M extends string> {
  /** A parsed line (a JSON object): its offset and 1-based line number from where framing started. */
  readonly line: (value: { readonly [key: string]: unknown }, offset: number, line: number) => void
  /** A complete line judged to be marked, left unparsed. */
  readonly mark: (mark: M, offset: number) => void
}

/** V8 refuses longer strings (`LineFramer.DEFAULT_MAX_LINE_BYTES`): such a line is skipped. */
const MAX_LINE_BYTES = 2 ** 29 - 24
const LF = 0x0a

const { OPEN, ORDINAL, TYPE, PAYLOAD, TAG } = LinePrefix

const at = (buf: Uint8Array, i: number, e: number, lit: Uint8Array): boolean => {
  if (i + lit.length > e) return false
  for (let k = 0; k < lit.length; k++) if (buf[i + k] !== lit[k]) return false
  return true
}

const isBlank = (buf: Uint8Array, s: number, e: number): boolean => {
  for (let i = s; i < e; i++) {
    const b = buf[i]
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false
  }
  return true
}

interface Name {
  readonly bytes: Uint8Array
  readonly text: string
  readonly id: number
}

/** Names beyond this many (a home holds a few dozen) are not remembered: their lines are parsed. */
const MAX_NAMES = 1024
const NO_TAG = MAX_NAMES
const SKIP = -2
const PARSE = -1

/**
 * The names and verdicts met so far, shared by every file framed with one judge: a verdict is
 * SKIP, PARSE or the index of its mark in `marks`.
 */
export class Envelopes<M extends string> {
  readonly names = new Map<number, Name>()
  readonly byId: Array<Name> = []
  readonly verdicts = new Map<number, number>()
  readonly marks: Array<M> = []
  constructor(readonly judge: Judge<M>) {}
}

export class IndexLines<M extends string> {
  private readonly names: Map<number, Name>
  private readonly byId: Array<Name>
  private readonly verdicts: Map<number, number>
  private readonly marks: Array<M>
  private readonly judge: Judge<M>
  /** Bytes of the current partial line. */
  private parts: Array<Buffer> = []
  private partsBytes = 0
  private skipping = false
  private consumed = 0
  private lineStart = 0
  /** Lines framed so far (blank and unreadable ones count, as in `LineFramer`). */
  lines = 0

  constructor(
    envelopes: Envelopes<M>,
    private readonly sink: Sink<M>
  ) {
    this.names = envelopes.names
    this.byId = envelopes.byId
    this.verdicts = envelopes.verdicts
    this.marks = envelopes.marks
    this.judge = envelopes.judge
  }

  /** Frames the next chunk; its memory may be reused once this returns. */
  push(chunk: Buffer): void {
    const base = this.consumed
    this.consumed += chunk.length
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(LF, start)
      if (nl === -1) {
        if (start < chunk.length) this.hold(chunk.subarray(start))
        return
      }
      if (this.skipping) this.dropLong()
      else if (this.partsBytes === 0) this.emit(chunk, start, nl, true)
      else {
        this.hold(chunk.subarray(start, nl))
        if (this.skipping) this.dropLong()
        else {
          const whole = Buffer.concat(this.parts, this.partsBytes)
          this.parts = []
          this.partsBytes = 0
          this.emit(whole, 0, whole.length, true)
        }
      }
      start = nl + 1
      this.lineStart = base + start
    }
  }

  /** Ends the input: a last line without LF is parsed (and delivered if it is an object). */
  end(): void {
    if (this.skipping) this.dropLong()
    else if (this.partsBytes > 0) {
      const whole = Buffer.concat(this.parts, this.partsBytes)
      this.parts = []
      this.partsBytes = 0
      this.emit(whole, 0, whole.length, false)
    }
  }

  private hold(part: Buffer): void {
    if (this.skipping) return
    if (this.partsBytes + part.length > MAX_LINE_BYTES) {
      this.parts = []
      this.partsBytes = 0
      this.skipping = true
      return
    }
    this.parts.push(Buffer.from(part))
    this.partsBytes += part.length
  }

  private dropLong(): void {
    this.lines++
    this.skipping = false
    this.parts = []
    this.partsBytes = 0
  }

  /** The line `buf[s, e)` (LF excluded) that starts at `this.lineStart`. */
  private emit(buf: Buffer, s: number, e: number, terminated: boolean): void {
    const lineNo = ++this.lines
    let offset = this.lineStart
    if (lineNo === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) {
      s += 3
      offset += 3
    }
    if (e - s > MAX_LINE_BYTES) return
    if (terminated) {
      const verdict = this.envelope(buf, s, e)
      if (verdict === SKIP) return
      if (verdict >= 0) {
        this.sink.mark(this.marks[verdict] as M, offset)
        return
      }
    }
    if (buf[s] !== 0x7b && isBlank(buf, s, e)) return
    const line = buf.subarray(s, e)
    if (!isUtf8(line)) return
    let value: unknown
    try {
      value = JSON.parse(buf.toString("utf8", s, e))
    } catch {
      return
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) this.sink.line(value as { readonly [key: string]: unknown }, offset, lineNo)
  }

  /** The verdict on the envelope of `buf[s, e)`; PARSE when it is not in Codex's exact shape. */
  private envelope(buf: Buffer, s: number, e: number): number {
    if (!at(buf, s, e, OPEN)) return PARSE
    let i = LinePrefix.stringEnd(buf, s + OPEN.length, e)
    if (i < 0) return PARSE
    i++
    if (at(buf, i, e, ORDINAL)) {
      i += ORDINAL.length
      const digits = i
      while (i < e && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) i++
      if (i === digits) return PARSE
    }
    if (!at(buf, i, e, TYPE)) return PARSE
    i += TYPE.length
    const typeEnd = LinePrefix.stringEnd(buf, i, e)
    if (typeEnd < 0) return PARSE
    const type = this.nameId(buf, i, typeEnd)
    if (type < 0) return PARSE
    i = typeEnd + 1
    if (!at(buf, i, e, PAYLOAD)) return PARSE
    i += PAYLOAD.length
    let tag = NO_TAG
    if (at(buf, i, e, TAG)) {
      i += TAG.length
      const tagEnd = LinePrefix.stringEnd(buf, i, e)
      if (tagEnd < 0) return PARSE
      tag = this.nameId(buf, i, tagEnd)
      if (tag < 0) return PARSE
    }
    return this.verdict(type, tag)
  }

  private verdict(type: number, tag: number): number {
    const key = type * (MAX_NAMES + 1) + tag
    const known = this.verdicts.get(key)
    if (known !== undefined) return known
    const empty = new Uint8Array(0)
    const prefix: LinePrefix.Prefix = {
      timestamp: "",
      type: (this.byId[type] as Name).text,
      tag: tag === NO_TAG ? undefined : this.byId[tag]?.text,
      bytes: empty,
      start: 0,
      end: 0
    }
    const verdict = this.judge(prefix)
    const code = verdict === "skip" ? SKIP : verdict === "parse" ? PARSE : this.markCode(verdict.mark)
    this.verdicts.set(key, code)
    return code
  }

  private markCode(mark: M): number {
    const at = this.marks.indexOf(mark)
    if (at >= 0) return at
    this.marks.push(mark)
    return this.marks.length - 1
  }

  /** The id of the name `buf[s, e)` (ASCII), or -1 once the table is full. */
  private nameId(buf: Uint8Array, s: number, e: number): number {
    let h = e - s
    for (let k = s; k < e; k++) h = (Math.imul(h, 31) + (buf[k] as number)) | 0
    const known = this.names.get(h)
    if (known !== undefined) {
      if (known.bytes.length !== e - s) return -1
      for (let k = 0; k < e - s; k++) if (known.bytes[k] !== buf[s + k]) return -1
      return known.id
    }
    if (this.byId.length >= MAX_NAMES) return -1
    const name: Name = {
      bytes: Uint8Array.prototype.slice.call(buf, s, e),
      text: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1", s, e),
      id: this.byId.length
    }
    this.names.set(h, name)
    this.byId.push(name)
    return name.id
  }
}
