/**
 * Segment bytes → the reader's entries, or back to the original JSONL bytes. Reading a segment
 * yields exactly what reading its JSONL yields (same lines, numbers, offsets, values, raw text and
 * diagnostics): packed values become lines directly, and every other line goes through the JSONL
 * framer itself, so the two readers cannot drift apart on bad lines.
 *
 * A line read from its packed value gets its `raw` text on demand, from the block's original bytes
 * (inflated once per block, the first time a line of it is asked for its text): most consumers only
 * look at `value`. A damaged frame (a checksum mismatch, a garbled header) is one `segment_error`
 * diagnostic naming the lines it held, and reading goes on at the next good frame, as a damaged
 * line of a JSONL rollout costs that line only; a cut file or a missing end frame is one
 * `segment_error` after the last good block.
 */
import * as zlib from "node:zlib"
import { Unpackr } from "msgpackr"
import * as Diagnostic from "../Diagnostic.js"
import { type Entry, LineFramer, type LogLine, type JsonObject, type Options, type Sink } from "../LineFramer.js"
import * as SegmentFormat from "../SegmentFormat.js"
import { packOptions } from "../SegmentWriter.js"

/** A segment that cannot be decoded, with where (line and byte offset in the original JSONL). */
export class SegmentError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly offset: number
  ) {
    super(message)
  }
}

const LF = Buffer.of(0x0a)
const BOM = Buffer.of(0xef, 0xbb, 0xbf)
const DUMMY = Buffer.from("{}\n")

/** A decoded block: its payload, with its original bytes inflated on first use. */
class Block {
  #text: Buffer | undefined
  readonly compressed: Buffer
  constructor(readonly payload: SegmentFormat.BlockPayload) {
    // A copy: the payload is a view of a read buffer that will be reused.
    this.compressed = Buffer.from(payload[5])
  }
  get firstLine(): number {
    return this.payload[0]
  }
  get firstOffset(): number {
    return this.payload[1]
  }
  get lengths(): ReadonlyArray<number> {
    return this.payload[2]
  }
  get items(): ReadonlyArray<SegmentFormat.Item> {
    return this.payload[3]
  }
  get lastTerminated(): boolean {
    return this.payload[4]
  }
  /** The block's original bytes (every line with its LF, but the file's last line maybe without). */
  text(): Buffer {
    return (this.#text ??= zlib.inflateRawSync(this.compressed))
  }
}

/**
 * A line delivered from its packed value. `raw` is a getter on the prototype, computed once on
 * demand from the block's bytes (a closure or accessor per object would give each line its own
 * hidden class). So `raw` is not an own property: spread a line and it is gone.
 */
class ValueLine implements LogLine {
  readonly _tag = "Line"
  #raw: string | undefined
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly value: JsonObject,
    readonly terminated: boolean,
    private readonly block: Block,
    private readonly start: number,
    private readonly end: number
  ) {}
  get raw(): string {
    return (this.#raw ??= this.block.text().toString("utf8", this.start, this.end))
  }
}

/**
 * What the JSONL framer makes of one line at `lineNo`/`offset`. A dummy first line keeps the framer
 * from treating a later line as the file's first (where it strips a BOM).
 */
const frameOne = (
  path: string,
  options: Options,
  lineNo: number,
  offset: number,
  bytes: Uint8Array,
  terminated: boolean,
  blank: Sink["blank"]
): Array<Entry> => {
  const framer = new LineFramer(path, options)
  const shift = lineNo === 1 ? 0 : DUMMY.length
  const at = lineNo === 1 ? 1 : 2
  // A blank line makes no entry (a BOM and blank space on line 1 makes only the BOM's): told on the side.
  const told = blank === undefined ? undefined : (n: number) => n === at && blank(lineNo)
  if (lineNo > 1) framer.push(DUMMY)
  const out = framer.push(terminated ? Buffer.concat([bytes, LF]) : bytes, told)
  for (const e of framer.end(told)) out.push(e)
  return out
    .filter((e) => e.line === at)
    .map((e) =>
      e._tag === "Line" ? { ...e, line: lineNo, offset: offset + e.offset - shift } : { ...e, line: lineNo, byteOffset: offset + e.byteOffset - shift }
    )
}

/** Decodes and checks a block payload: it must continue where the previous block stopped. */
const decodeBlock = (unpackr: Unpackr, payload: Buffer, line: number, offset: number): Block => {
  const p = unpackr.unpack(payload) as SegmentFormat.BlockPayload
  if (!Array.isArray(p) || p.length !== 6 || !Array.isArray(p[2]) || !Array.isArray(p[3]) || p[2].length !== p[3].length || !(p[5] instanceof Uint8Array)) {
    throw new SegmentError("malformed block", line, offset)
  }
  if (p[0] !== line || p[1] !== offset)
    throw new SegmentError(`block starts at line ${p[0]}, byte ${p[1]}; expected line ${line}, byte ${offset}`, line, offset)
  return new Block(p)
}

const checkEnd = (unpackr: Unpackr, payload: Buffer, line: number, offset: number): void => {
  const end = unpackr.unpack(payload) as SegmentFormat.EndRecord
  if (end?.lines !== line - 1 || end.bytes !== offset) {
    throw new SegmentError(`the end frame counts ${end?.lines} lines and ${end?.bytes} bytes, the blocks hold ${line - 1} and ${offset}`, line, offset)
  }
}

type Unit = { readonly block: Block } | { readonly end: true } | { readonly damage: SegmentError }

/**
 * The segment's frames, decoded and checked one at a time. A damaged frame is one `damage` unit,
 * yielded once the next good frame says which lines it held (they are lost; reading goes on from
 * there); damage the reader cannot get past (the file header, a cut file, no end frame) throws
 * `SegmentError`.
 */
async function* blocks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Unit> {
  const parser = new SegmentFormat.FrameParser()
  const unpackr = new Unpackr(packOptions)
  let line = 1
  let offset = 0
  let ended = false
  /** Damage seen, not yet reported: reported with the lines it cost once a good frame follows. */
  let damaged: { readonly message: string; readonly line: number; readonly offset: number } | undefined
  const lost = (toLine: number, toOffset: number): SegmentError => {
    const d = damaged as NonNullable<typeof damaged>
    damaged = undefined
    const what = toLine > d.line ? `lines ${d.line}–${toLine - 1} (bytes ${d.offset}–${toOffset - 1}) lost` : "no line lost"
    return new SegmentError(`${d.message}; ${what}, reading goes on after it`, d.line, d.offset)
  }
  const take = (frame: SegmentFormat.Parsed): Array<Unit> => {
    switch (frame._tag) {
      case "Corrupt":
        throw new SegmentError(frame.message, line, offset)
      case "Damaged":
        damaged ??= { message: frame.message, line, offset }
        return []
      case "Resumed":
        return []
      case "Frame":
        break
      default: {
        const unreachable: never = frame
        return unreachable
      }
    }
    if (ended) throw new SegmentError("data after the end frame", line, offset)
    try {
      if (frame.kind === SegmentFormat.END) {
        const out: Array<Unit> = []
        if (damaged !== undefined) {
          const end = unpackr.unpack(frame.payload) as SegmentFormat.EndRecord
          if (typeof end?.lines === "number" && typeof end.bytes === "number" && end.lines >= line - 1 && end.bytes >= offset) {
            out.push({ damage: lost(end.lines + 1, end.bytes) })
            line = end.lines + 1
            offset = end.bytes
          }
        }
        checkEnd(unpackr, frame.payload, line, offset)
        ended = true
        out.push({ end: true })
        return out
      }
      const out: Array<Unit> = []
      if (damaged !== undefined) {
        const [firstLine, firstOffset] = unpackr.unpack(frame.payload) as SegmentFormat.BlockPayload
        if (typeof firstLine === "number" && typeof firstOffset === "number" && firstLine >= line && firstOffset >= offset) {
          out.push({ damage: lost(firstLine, firstOffset) })
          line = firstLine
          offset = firstOffset
        }
      }
      const block = decodeBlock(unpackr, frame.payload, line, offset)
      for (const length of block.lengths) offset += length + 1
      if (!block.lastTerminated) offset -= 1
      line += block.items.length
      out.push({ block })
      return out
    } catch (error) {
      if (error instanceof SegmentError) throw error
      throw new SegmentError(`undecodable frame: ${error instanceof Error ? error.message : String(error)}`, line, offset)
    }
  }
  for await (const chunk of chunks) for (const frame of parser.push(chunk)) yield* take(frame)
  for (const frame of parser.flush()) yield* take(frame)
  if (damaged !== undefined) throw new SegmentError(`${damaged.message}; no good frame follows it: the rest of the file is lost`, damaged.line, damaged.offset)
  if (parser.empty) return
  const cut = parser.end()
  if (cut !== undefined) throw new SegmentError(cut, line, offset)
  if (!ended) throw new SegmentError("the segment has no end frame (it was cut short or is still being written)", line, offset)
}

/** The entries of one block, as the JSONL reader would give them. */
const blockEntries = (path: string, options: Options, block: Block, blank: Sink["blank"]): Array<Entry> => {
  const max = options.maxLineBytes
  const { firstLine, firstOffset, lengths, items } = block
  const last = items.length - 1
  const out: Array<Entry> = []
  // `start` indexes the block's text, `offset` the file.
  let start = 0
  for (let i = 0; i <= last; i++) {
    const item = items[i] as SegmentFormat.Item
    const length = lengths[i] as number
    const line = firstLine + i
    const offset = firstOffset + start
    const terminated = i < last || block.lastTerminated
    if (typeof item === "object" && (max === undefined || length <= max)) {
      out.push(new ValueLine(line, offset, item, terminated, block, start, start + length))
    } else if (item === 0 && (max === undefined || length <= max)) {
      const raw = block.text().toString("utf8", start, start + length)
      out.push({ _tag: "Line", line, offset, raw, value: JSON.parse(raw) as JsonObject, terminated })
    } else {
      for (const e of frameOne(path, options, line, offset, block.text().subarray(start, start + length), terminated, blank)) out.push(e)
    }
    start += length + 1
  }
  return out
}

const segmentError = (path: string, error: SegmentError): Diagnostic.Diagnostic =>
  Diagnostic.make(path, error.line, error.offset, "segment_error", `damaged segment: ${error.message}`)

/** Reads a segment as the JSONL reader reads its JSONL: one array of entries per block. */
export async function* batches(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  options: Options = {},
  blank?: Sink["blank"]
): AsyncGenerator<ReadonlyArray<Entry>> {
  let any = false
  let sawLines = false
  let sawBom = false
  try {
    for await (const next of blocks(chunks)) {
      if ("end" in next) continue
      if ("damage" in next) {
        yield [segmentError(path, next.damage)]
        continue
      }
      const out = blockEntries(path, options, next.block, blank)
      if (next.block.items.length > 0) sawLines = true
      if (out.length > 0) {
        // A BOM alone is no line: such a file is empty, as the JSONL reader says.
        if (out.some((e) => e._tag !== "Diagnostic" || e.kind !== "bom")) any = true
        else sawBom = true
        yield out
      }
    }
  } catch (error) {
    const diagnostic =
      error instanceof SegmentError ? segmentError(path, error) : Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${Diagnostic.why(error)}`)
    yield [diagnostic]
    return
  }
  if (!any) {
    // Only blank lines (or none), perhaps after a BOM (already said): let the framer say which, in its words.
    const framer = new LineFramer(path, options)
    if (sawBom) framer.push(BOM)
    if (sawLines) framer.push(LF)
    yield framer.end().filter((e) => e._tag !== "Diagnostic" || e.kind !== "bom")
  }
}

/** The original JSONL bytes of a segment, in order; throws `SegmentError` on damage. */
export async function* jsonl(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let line = 1
  let offset = 0
  for await (const next of blocks(chunks)) {
    if ("end" in next) continue
    // The original bytes of a damaged frame are gone: no exact copy can be made.
    if ("damage" in next) throw next.damage
    const text = next.block.text()
    const bytes = next.block.lengths.reduce((n, l) => n + l + 1, 0) - (next.block.lastTerminated ? 0 : 1)
    if (text.length !== bytes) throw new SegmentError(`a block's text holds ${text.length} bytes, its lines ${bytes}`, line, offset)
    line += next.block.items.length
    offset += bytes
    yield text
  }
}
