/**
 * Segment bytes → the reader's entries, or back to the original JSONL bytes. Reading a segment
 * yields exactly what reading its JSONL yields (same lines, numbers, offsets, values, raw text and
 * diagnostics): stored values become lines directly, and every line kept as bytes goes through the
 * JSONL framer itself, so the two readers cannot drift apart on bad lines.
 *
 * A line stored as its value gets its `raw` text lazily (`JSON.stringify(value)`, which the writer
 * proved equal to the original text): most consumers only look at `value`, and building the string
 * for every line would cost more than the JSON.parse the segment saves. Damage (a checksum
 * mismatch, a cut file, no end frame) is one `segment_error` diagnostic after the last good block.
 */
import { Unpackr } from "msgpackr"
import * as Diagnostic from "./Diagnostic.js"
import { type Entry, LineFramer, type LogLine, type JsonObject, type Options } from "./LineFramer.js"
import * as SegmentFormat from "./SegmentFormat.js"
import { packOptions } from "./SegmentWriter.js"

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

type Block = readonly [number, number, ReadonlyArray<number>, ReadonlyArray<SegmentFormat.Item>]

const LF = Buffer.of(0x0a)
const DUMMY = Buffer.from("{}\n")

const isItemArray = (item: SegmentFormat.Item): item is Extract<SegmentFormat.Item, ReadonlyArray<unknown>> => Array.isArray(item)

/**
 * A line stored as its value. `raw` is a getter on the prototype, computed once on demand: a
 * closure or accessor per object would give each line its own hidden class and cost more than the
 * JSON.parse the segment saves. (So `raw` is not an own property: spread a line and it is gone.)
 */
class ValueLine implements LogLine {
  readonly _tag = "Line"
  #raw: string | undefined
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly value: JsonObject,
    readonly terminated: boolean
  ) {}
  get raw(): string {
    return (this.#raw ??= JSON.stringify(this.value))
  }
}

/** The original bytes of an item's line, without its LF, and whether it had one. */
export const lineBytes = (item: SegmentFormat.Item): { readonly bytes: Uint8Array; readonly terminated: boolean } => {
  if (!isItemArray(item)) return { bytes: Buffer.from(JSON.stringify(item)), terminated: true }
  switch (item[0]) {
    case 0:
      return { bytes: Buffer.from(JSON.stringify(item[1])), terminated: false }
    case 1:
      return { bytes: Buffer.from(item[2]), terminated: item[3] }
    case 2:
      return { bytes: Buffer.from(item[1]), terminated: item[2] }
    case 3:
      return { bytes: item[1], terminated: item[2] }
    default: {
      const never: never = item
      throw new Error(`unknown item ${JSON.stringify(never)}`)
    }
  }
}

/**
 * What the JSONL framer makes of one line at `lineNo`/`offset`. A dummy first line keeps the framer
 * from treating a later line as the file's first (where it strips a BOM).
 */
const frameOne = (path: string, options: Options, lineNo: number, offset: number, bytes: Uint8Array, terminated: boolean): Array<Entry> => {
  const framer = new LineFramer(path, options)
  const shift = lineNo === 1 ? 0 : DUMMY.length
  if (lineNo > 1) framer.push(DUMMY)
  const out = framer.push(terminated ? Buffer.concat([bytes, LF]) : bytes)
  for (const e of framer.end()) out.push(e)
  const at = lineNo === 1 ? 1 : 2
  return out
    .filter((e) => e.line === at)
    .map((e) => (e._tag === "Line" ? { ...e, line: lineNo, offset: offset + e.offset - shift } : { ...e, line: lineNo, byteOffset: offset + e.byteOffset - shift }))
}

/** Decodes and checks a block payload: it must continue where the previous block stopped. */
const decodeBlock = (unpackr: Unpackr, payload: Buffer, line: number, offset: number): Block => {
  const block = unpackr.unpack(payload) as Block
  if (!Array.isArray(block) || block.length !== 4 || !Array.isArray(block[2]) || !Array.isArray(block[3]) || block[2].length !== block[3].length) {
    throw new SegmentError("malformed block", line, offset)
  }
  if (block[0] !== line || block[1] !== offset) throw new SegmentError(`block starts at line ${block[0]}, byte ${block[1]}; expected line ${line}, byte ${offset}`, line, offset)
  return block
}

const checkEnd = (unpackr: Unpackr, payload: Buffer, line: number, offset: number): void => {
  const end = unpackr.unpack(payload) as SegmentFormat.EndRecord
  if (end?.lines !== line - 1 || end.bytes !== offset) {
    throw new SegmentError(`the end frame counts ${end?.lines} lines and ${end?.bytes} bytes, the blocks hold ${line - 1} and ${offset}`, line, offset)
  }
}

/** The segment's frames, decoded and checked one at a time; throws `SegmentError` on damage. */
async function* blocks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<{ readonly block: Block } | { readonly end: true }> {
  const parser = new SegmentFormat.FrameParser()
  const unpackr = new Unpackr(packOptions)
  let line = 1
  let offset = 0
  let ended = false
  const take = (frame: SegmentFormat.Parsed): Block | undefined => {
    if (frame._tag === "Corrupt") throw new SegmentError(frame.message, line, offset)
    if (ended) throw new SegmentError("data after the end frame", line, offset)
    try {
      if (frame.kind === SegmentFormat.END) {
        checkEnd(unpackr, frame.payload, line, offset)
        ended = true
        return undefined
      }
      const block = decodeBlock(unpackr, frame.payload, line, offset)
      const lengths = block[2]
      const items = block[3]
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as SegmentFormat.Item
        const terminated = !isItemArray(item) || (item[0] === 0 ? false : item[0] === 1 ? item[3] : item[2])
        offset += (lengths[i] as number) + (terminated ? 1 : 0)
      }
      line += items.length
      return block
    } catch (error) {
      if (error instanceof SegmentError) throw error
      throw new SegmentError(`undecodable frame: ${error instanceof Error ? error.message : String(error)}`, line, offset)
    }
  }
  for await (const chunk of chunks) {
    for (const frame of parser.push(chunk)) {
      const block = take(frame)
      yield block === undefined ? { end: true } : { block }
    }
  }
  if (parser.empty) return
  const cut = parser.end()
  if (cut !== undefined) throw new SegmentError(cut, line, offset)
  if (!ended) throw new SegmentError("the segment has no end frame (it was cut short or is still being written)", line, offset)
}

/** The entries of one block, as the JSONL reader would give them. */
const blockEntries = (path: string, options: Options, block: Block): Array<Entry> => {
  const max = options.maxLineBytes
  const [first, firstOffset, lengths, items] = block
  const out: Array<Entry> = []
  let offset = firstOffset
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as SegmentFormat.Item
    const length = lengths[i] as number
    const line = first + i
    let terminated = true
    if (max !== undefined && length > max) {
      const b = lineBytes(item)
      terminated = b.terminated
      for (const e of frameOne(path, options, line, offset, b.bytes, terminated)) out.push(e)
    } else if (!isItemArray(item)) {
      out.push(new ValueLine(line, offset, item, true))
    } else {
      switch (item[0]) {
        case 0:
          terminated = false
          out.push(new ValueLine(line, offset, item[1] as JsonObject, false))
          break
        case 1:
          terminated = item[3]
          out.push({ _tag: "Line", line, offset, raw: item[2], value: item[1] as JsonObject, terminated })
          break
        case 2:
          terminated = item[2]
          out.push({ _tag: "Line", line, offset, raw: item[1], value: JSON.parse(item[1]) as JsonObject, terminated })
          break
        case 3:
          terminated = item[2]
          for (const e of frameOne(path, options, line, offset, item[1], terminated)) out.push(e)
          break
      }
    }
    offset += length + (terminated ? 1 : 0)
  }
  return out
}

/** Reads a segment as the JSONL reader reads its JSONL: one array of entries per block. */
export async function* batches(path: string, chunks: AsyncIterable<Uint8Array>, options: Options = {}): AsyncGenerator<ReadonlyArray<Entry>> {
  let any = false
  let sawLines = false
  try {
    for await (const next of blocks(chunks)) {
      if ("end" in next) continue
      const out = blockEntries(path, options, next.block)
      if (next.block[3].length > 0) sawLines = true
      if (out.length > 0) {
        any = true
        yield out
      }
    }
  } catch (error) {
    const diagnostic =
      error instanceof SegmentError
        ? Diagnostic.make(path, error.line, error.offset, "segment_error", `damaged segment: ${error.message}`)
        : Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
    yield [diagnostic]
    return
  }
  if (!any) {
    // Only blank lines (or none): let the framer say which, in its words.
    const framer = new LineFramer(path, options)
    if (sawLines) framer.push(LF)
    yield framer.end()
  }
}

/** The original JSONL bytes of a segment, in order; throws `SegmentError` on damage. */
export async function* jsonl(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const next of blocks(chunks)) {
    if ("end" in next) continue
    const parts: Array<Uint8Array> = []
    for (const item of next.block[3]) {
      const { bytes, terminated } = lineBytes(item)
      parts.push(bytes)
      if (terminated) parts.push(LF)
    }
    yield Buffer.concat(parts)
  }
}
