/**
 * JSONL bytes → segment bytes. The writer cuts the input at LF exactly as the reader does and
 * writes blocks of lines (see `SegmentFormat.BlockPayload`): the block's original bytes, compressed,
 * so that the round trip is exact whatever the lines hold (garbage, BOM, CRLF, a torn end), and for
 * each line that the JSONL reader would deliver as a JSON object, that object packed with msgpack,
 * so that reading skips UTF-8 checks and JSON.parse.
 *
 * Each packed block is decoded again before it is written and every value compared with the parsed
 * one (same keys in the same order, `Object.is` on leaves); a line msgpack does not carry exactly
 * is marked for the reader to parse from its text. It is not the reader, and it does not touch
 * files: bytes in, bytes out.
 */
import { isUtf8 } from "node:buffer"
import * as zlib from "node:zlib"
import { Packr, Unpackr } from "msgpackr"
import { DEFAULT_MAX_LINE_BYTES } from "./LineFramer.js"
import * as SegmentFormat from "./SegmentFormat.js"

/** Source bytes per block: big enough to amortise record definitions, small enough to stream. */
const BLOCK_BYTES = 1 << 20
const BLOCK_LINES = 8192
const LF = 0x0a

export const packOptions = { useRecords: true, bundleStrings: true } as const

/** A block under construction. */
class Block {
  lengths: Array<number> = []
  items: Array<SegmentFormat.Item> = []
  /** The block's original bytes, line by line, LF included. */
  parts: Array<Buffer> = []
  lastTerminated = true
  bytes = 0
  constructor(
    readonly firstLine: number,
    readonly firstOffset: number
  ) {}
}

/** The block's text is compressed: it is read only when a line's raw text is asked for. */
const DEFLATE_LEVEL = 3

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Same JSON value, same key order, `Object.is` on leaves (so -0 and lone surrogates count). */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  if (!isPlainObject(a) || !isPlainObject(b) || Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a[k], b[k]))
}

/** The JSON object the JSONL reader would deliver for a line, or undefined for anything else. */
const parseLine = (bytes: Buffer, lineNo: number): Record<string, unknown> | undefined => {
  if (bytes.length > DEFAULT_MAX_LINE_BYTES) return undefined
  if (lineNo === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined
  if (!isUtf8(bytes)) return undefined
  const raw = bytes.toString("utf8")
  try {
    const value: unknown = JSON.parse(raw)
    return isPlainObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

export class SegmentWriter {
  private block: Block = new Block(1, 0)
  private parts: Array<Buffer> = []
  private lineNo = 0
  private offset = 0
  private blocks = 0
  private started = false

  /** Lines seen so far (the last one counts once `end` is called). */
  get lines(): number {
    return this.lineNo
  }

  /** Segment bytes for the next chunk of JSONL (possibly none yet). */
  push(chunk: Uint8Array): Array<Buffer> {
    const out: Array<Buffer> = this.start()
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    for (;;) {
      const nl = buf.indexOf(LF, start)
      if (nl === -1) {
        // A copy: the caller may reuse the chunk's memory.
        if (start < buf.length) this.parts.push(Buffer.from(buf.subarray(start)))
        return out
      }
      let bytes = buf.subarray(start, nl)
      if (this.parts.length > 0) {
        bytes = Buffer.concat([...this.parts, bytes])
        this.parts = []
      }
      this.add(bytes, true, out)
      start = nl + 1
    }
  }

  /** The rest of the segment: the last line without LF, the last block and the end frame. */
  end(): Array<Buffer> {
    const out: Array<Buffer> = this.start()
    if (this.parts.length > 0) {
      const bytes = Buffer.concat(this.parts)
      this.parts = []
      this.add(bytes, false, out)
    }
    this.flush(out)
    const end: SegmentFormat.EndRecord = { lines: this.lineNo, bytes: this.offset, blocks: this.blocks }
    out.push(SegmentFormat.frame(SegmentFormat.END, new Packr(packOptions).pack(end)))
    return out
  }

  private start(): Array<Buffer> {
    if (this.started) return []
    this.started = true
    return [SegmentFormat.header()]
  }

  private add(bytes: Buffer, terminated: boolean, out: Array<Buffer>): void {
    const lineNo = ++this.lineNo
    const block = this.block
    const value = parseLine(bytes, lineNo)
    block.items.push(value === undefined ? 1 : value)
    block.lengths.push(bytes.length)
    // A copy: `bytes` may be a view of the caller's chunk.
    block.parts.push(Buffer.from(bytes))
    if (terminated) block.parts.push(LF_BYTE)
    block.lastTerminated = terminated
    block.bytes += bytes.length + (terminated ? 1 : 0)
    this.offset += bytes.length + (terminated ? 1 : 0)
    if (block.bytes >= BLOCK_BYTES || block.items.length >= BLOCK_LINES) this.flush(out)
  }

  private flush(out: Array<Buffer>): void {
    const block = this.block
    this.block = new Block(this.lineNo + 1, this.offset)
    if (block.items.length === 0) return
    const text = zlib.deflateRawSync(Buffer.concat(block.parts, block.bytes), { level: DEFLATE_LEVEL })
    let payload = packBlock(block, text)
    const decoded = (new Unpackr(packOptions).unpack(payload) as SegmentFormat.BlockPayload)[3]
    let repack = false
    block.items.forEach((item, i) => {
      if (typeof item === "object" && !sameValue(decoded[i], item)) {
        block.items[i] = 0
        repack = true
      }
    })
    if (repack) payload = packBlock(block, text)
    this.blocks++
    out.push(SegmentFormat.frame(SegmentFormat.BLOCK, payload))
  }
}

const LF_BYTE = Buffer.of(LF)

const packBlock = (block: Block, text: Buffer): Buffer =>
  new Packr(packOptions).pack([block.firstLine, block.firstOffset, block.lengths, block.items, block.lastTerminated, text] satisfies SegmentFormat.BlockPayload)

/** A whole JSONL stream as a segment stream. */
export async function* encode(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const writer = new SegmentWriter()
  for await (const chunk of chunks) for (const b of writer.push(chunk)) yield b
  for (const b of writer.end()) yield b
}
