/**
 * The byte layout of a rollout segment (`.rseg`), the project's binary form of a JSONL rollout,
 * and the incremental parser of its frames. It knows headers, frames and checksums; what a block
 * holds (lines) is `SegmentWriter`'s and `SegmentReader`'s business.
 *
 * Layout (all integers little-endian):
 *
 *   header  12 bytes   magic `89 52 53 45 47 0D 0A 1A` ("\x89RSEG\r\n\x1a"), u8 version, 3 zero bytes
 *   frame   9 bytes    u8 kind ('B' block, 'E' end), u32 payload length, u32 CRC-32 of the payload
 *           + payload  msgpack (msgpackr, records + bundled strings), one value
 *
 * The magic follows PNG's: a non-ASCII first byte so no text tool takes a segment for JSONL, and a
 * CR LF pair and ^Z that a text-mode copy would mangle, so such damage shows as a bad magic. Every
 * payload is checked by CRC-32 before msgpack sees it, so corruption is reported where it starts
 * instead of decoding into wrong values. The end frame is mandatory: a file cut at a frame boundary
 * would otherwise look complete. Each block is packed by itself (its record definitions are inline),
 * so blocks decode independently.
 */
import * as zlib from "node:zlib"

export const EXTENSION = ".rseg"

export const MAGIC = Uint8Array.of(0x89, 0x52, 0x53, 0x45, 0x47, 0x0d, 0x0a, 0x1a)
export const VERSION = 1
export const HEADER_BYTES = 12
export const FRAME_HEADER_BYTES = 9
export const BLOCK = 0x42 // 'B'
export const END = 0x45 // 'E'
/** No frame this writer makes comes near this; a larger length means a corrupt header. */
export const MAX_PAYLOAD = 1 << 30

export const isSegmentPath = (path: string): boolean => path.endsWith(EXTENSION)

/** Whether `bytes` starts with the segment magic (needs at least 8 bytes). */
export const hasMagic = (bytes: Uint8Array): boolean => bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b)

export const header = (): Buffer => {
  const h = Buffer.alloc(HEADER_BYTES)
  h.set(MAGIC, 0)
  h[MAGIC.length] = VERSION
  return h
}

export const crc32 = (bytes: Uint8Array): number => zlib.crc32(bytes) >>> 0

export const frame = (kind: number, payload: Uint8Array): Buffer => {
  const h = Buffer.alloc(FRAME_HEADER_BYTES)
  h[0] = kind
  h.writeUInt32LE(payload.length, 1)
  h.writeUInt32LE(crc32(payload), 5)
  return Buffer.concat([h, payload])
}

/**
 * A block payload is `[firstLine, firstOffset, lengths, items]`: the 1-based number and byte offset
 * of its first line, each line's length in bytes (without its LF), and one item per line:
 *
 *   {…}                       a line whose text is exactly `JSON.stringify(value)`, LF-terminated
 *   [0, value]                the same, as the last line without LF
 *   [1, value, raw, term]     a JSON object line written differently (spacing, `1.0`, CR, key order)
 *   [2, raw, term]            a JSON object line msgpack cannot carry exactly (-0, lone surrogates,
 *                             `__proto__`): the reader parses `raw`
 *   [3, bytes, term]          any other line (blank, not JSON, bad UTF-8, BOM): its bytes
 *
 * The end payload is `{lines, bytes, blocks}` of the whole original file.
 */
export type Item =
  | { readonly [key: string]: unknown }
  | readonly [0, unknown]
  | readonly [1, unknown, string, boolean]
  | readonly [2, string, boolean]
  | readonly [3, Uint8Array, boolean]

export interface EndRecord {
  readonly lines: number
  readonly bytes: number
  readonly blocks: number
}

export type Parsed =
  | { readonly _tag: "Frame"; readonly kind: number; readonly payload: Buffer }
  | { readonly _tag: "Corrupt"; readonly message: string }

/**
 * Cuts a byte stream into verified frames. `push` returns the frames completed by the chunk; after
 * a `Corrupt` result the parser stops (nothing after a damaged frame can be trusted). `end` says
 * whether the stream stopped cleanly: an unfinished header or frame is a truncation.
 */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0)
  private sawHeader = false
  private broken = false
  /** Bytes of the segment consumed so far (for messages). */
  consumed = 0

  push(chunk: Uint8Array): Array<Parsed> {
    if (this.broken) return []
    // A copy or a concat: the source may reuse the chunk's memory once this returns.
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk])
    const out: Array<Parsed> = []
    if (!this.sawHeader) {
      if (this.buffer.length < HEADER_BYTES) {
        const seen = Math.min(this.buffer.length, MAGIC.length)
        return MAGIC.subarray(0, seen).every((b, i) => this.buffer[i] === b) ? out : this.corrupt(out, "not a rollout segment (bad magic bytes)")
      }
      if (!hasMagic(this.buffer)) return this.corrupt(out, "not a rollout segment (bad magic bytes)")
      const version = this.buffer[MAGIC.length]
      if (version !== VERSION) return this.corrupt(out, `segment format version ${version} is not supported (this build reads version ${VERSION})`)
      if (this.buffer[MAGIC.length + 1] !== 0 || this.buffer[MAGIC.length + 2] !== 0 || this.buffer[MAGIC.length + 3] !== 0) {
        return this.corrupt(out, "corrupt segment header (reserved bytes are not zero)")
      }
      this.sawHeader = true
      this.take(HEADER_BYTES)
    }
    for (;;) {
      if (this.buffer.length < FRAME_HEADER_BYTES) return out
      const kind = this.buffer[0]
      const length = this.buffer.readUInt32LE(1)
      if ((kind !== BLOCK && kind !== END) || length > MAX_PAYLOAD) {
        return this.corrupt(out, `corrupt frame header at byte ${this.consumed} (kind ${kind}, length ${length})`)
      }
      if (this.buffer.length < FRAME_HEADER_BYTES + length) return out
      const payload = this.buffer.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length)
      if (crc32(payload) !== this.buffer.readUInt32LE(5)) return this.corrupt(out, `checksum mismatch in the frame at byte ${this.consumed}`)
      out.push({ _tag: "Frame", kind, payload })
      this.take(FRAME_HEADER_BYTES + length)
    }
  }

  /** Whether no byte at all was pushed (a 0-byte file: empty, not damaged). */
  get empty(): boolean {
    return !this.sawHeader && !this.broken && this.buffer.length === 0
  }

  /** Undefined when the stream ended on a frame boundary, else why it is incomplete. */
  end(): string | undefined {
    if (this.broken) return undefined
    if (!this.sawHeader) return "the segment ends inside its header"
    if (this.buffer.length > 0) return `the segment ends inside a frame at byte ${this.consumed} (${this.buffer.length} bytes of it present)`
    return undefined
  }

  private take(n: number): void {
    this.buffer = this.buffer.subarray(n)
    this.consumed += n
  }

  private corrupt(out: Array<Parsed>, message: string): Array<Parsed> {
    this.broken = true
    this.buffer = Buffer.alloc(0)
    out.push({ _tag: "Corrupt", message })
    return out
  }
}
