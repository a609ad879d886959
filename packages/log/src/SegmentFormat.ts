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
 * The original bytes travel compressed beside the parsed values: the values make reading fast (no
 * UTF-8 check, no JSON.parse), the bytes make the round trip exact by construction and give `raw`
 * text on demand (a block is inflated only when one of its lines' text is asked for). Values alone
 * (rebuilding `raw` with JSON.stringify where it matches) were measured too: the same size but
 * reading with `raw` fell to 0.46× the JSONL reader, and several consumers scan `raw` as a cheap
 * prefilter. With the bytes (bench/segments.mjs, 200 MB): 2.2× with values, 1.1× with raw too.
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
 * A block payload is `[firstLine, firstOffset, lengths, items, lastTerminated, text]`: the 1-based
 * number and byte offset of its first line; each line's length in bytes (without its LF); one item
 * per line; whether the block's last line had an LF (only a file's last line may lack one); and the
 * block's original bytes, every line with its LF, compressed with raw DEFLATE. Items:
 *
 *   {…}   the line is this JSON object (msgpack carries it exactly: the writer checked)
 *   0     the line is a JSON object msgpack cannot carry exactly (-0, lone surrogates,
 *         `__proto__`): the reader parses its text
 *   1     any other line (blank, not JSON, bad UTF-8, a BOM): the reader hands its bytes to the
 *         JSONL framer
 *
 * The end payload is `{lines, bytes, blocks}` of the whole original file.
 */
export type Item = { readonly [key: string]: unknown } | 0 | 1

export type BlockPayload = readonly [number, number, ReadonlyArray<number>, ReadonlyArray<Item>, boolean, Uint8Array]

export interface EndRecord {
  readonly lines: number
  readonly bytes: number
  readonly blocks: number
}

export type Parsed =
  | { readonly _tag: "Frame"; readonly kind: number; readonly payload: Buffer }
  /** A damaged frame; the parser looks for the next good one (`Resumed`) and goes on from there. */
  | { readonly _tag: "Damaged"; readonly message: string }
  /** The next good frame after damage starts at this byte; the frames from `Damaged` up to it are lost. */
  | { readonly _tag: "Resumed"; readonly at: number }
  /** Damage the parser cannot read past (the file header); nothing follows. */
  | { readonly _tag: "Corrupt"; readonly message: string }

/**
 * The largest frame a search past damage will wait for: a damaged length field could otherwise
 * make it hold a gigabyte. Blocks are about 1 MiB unless one line is bigger than that.
 */
export const RESYNC_MAX_PAYLOAD = 64 << 20
/** msgpack's header of a 6-element array: the first byte of every block payload. */
const BLOCK_PAYLOAD_START = 0x96
/** End payloads are a few dozen bytes. */
const END_MAX_PAYLOAD = 4096

const EMPTY = Buffer.alloc(0)

/**
 * Cuts a byte stream into verified frames. `push` returns the frames completed by the chunk. A
 * damaged frame (bad header or checksum) is reported as `Damaged`; the parser then searches the
 * following bytes for the next frame whose header is plausible and whose checksum matches, and
 * resumes there (`Resumed`), so damage costs the frames it touches, not the rest of the file. A
 * damaged file header is `Corrupt`, after which the parser stops. `end` says whether the stream
 * stopped cleanly: an unfinished header or frame is a truncation.
 *
 * Frames that lie inside one chunk are views of it, not copies (the payload must be used before
 * the next chunk is pushed); only a frame cut by a chunk boundary is assembled in a buffer of its
 * own, so each byte is copied at most once.
 */
export class FrameParser {
  /** The start of a unit (header or frame) cut by the end of the last chunk, copied. */
  private rest: Buffer = EMPTY
  /** How many bytes of `rest` are filled. */
  private filled = 0
  private sawHeader = false
  private broken = false
  /** Bytes after damage, held while searching for the next good frame (starting at `consumed`). */
  private searching: Buffer | undefined = undefined
  /** Bytes of the segment consumed so far (for messages). */
  consumed = 0

  push(chunk: Uint8Array): Array<Parsed> {
    const out: Array<Parsed> = []
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (this.searching !== undefined) return this.search(Buffer.concat([this.searching, buf]), out, false)
    let pos = 0
    // First finish the unit the last chunk cut, taking from this chunk only the bytes it lacks.
    while (!this.broken && this.filled > 0 && pos < buf.length) {
      const take = Math.min(this.rest.length - this.filled, buf.length - pos)
      buf.copy(this.rest, this.filled, pos, pos + take)
      this.filled += take
      pos += take
      if (this.filled < this.rest.length) return out
      const need = this.needed(this.rest, 0, out)
      if (need === undefined) return this.afterDamage(Buffer.concat([this.rest.subarray(1, this.filled), buf.subarray(pos)]), out)
      if (need > this.rest.length) {
        // The frame header is complete: now the frame's size is known.
        const grown = Buffer.allocUnsafe(need)
        this.rest.copy(grown)
        this.rest = grown
        continue
      }
      const unit = this.rest
      this.rest = EMPTY
      this.filled = 0
      if (!this.consume(unit, 0, need, out)) return this.afterDamage(Buffer.concat([unit.subarray(1), buf.subarray(pos)]), out)
    }
    while (!this.broken && pos < buf.length) {
      const need = this.needed(buf, pos, out)
      if (need === undefined) return this.afterDamage(buf.subarray(pos + 1), out)
      if (buf.length - pos < need) {
        // One buffer of the unit's full size (as far as known), filled by the next chunks.
        this.rest = Buffer.allocUnsafe(need)
        this.filled = buf.copy(this.rest, 0, pos)
        return out
      }
      if (!this.consume(buf, pos, need, out)) return this.afterDamage(buf.subarray(pos + 1), out)
      pos += need
    }
    return out
  }

  /**
   * After a damaged unit at byte `this.consumed`: searches `after` (the bytes from the one after
   * the unit's first) for the next good frame. Nothing to do once the parser has stopped.
   */
  private afterDamage(after: Buffer, out: Array<Parsed>): Array<Parsed> {
    if (this.broken) return out
    this.rest = EMPTY
    this.filled = 0
    this.consumed += 1
    return this.search(after, out, false)
  }

  /**
   * Looks for a good frame in `b` (which starts at byte `this.consumed`): a block whose payload
   * starts as every block's does, or a small end frame, whose checksum matches. Such a candidate
   * is 1 in millions of positions in damaged bytes, so few checksums are computed. A candidate
   * longer than the bytes at hand waits for more (up to `RESYNC_MAX_PAYLOAD`), unless the stream
   * has ended (`final`). Found: parsing resumes there; not found: the bytes that may still start
   * one are kept.
   */
  private search(b: Buffer, out: Array<Parsed>, final: boolean): Array<Parsed> {
    this.searching = undefined
    let p = 0
    let waitFrom = -1
    for (; p + FRAME_HEADER_BYTES <= b.length; p++) {
      const kind = b[p]
      if (kind !== BLOCK && kind !== END) continue
      const length = b.readUInt32LE(p + 1)
      if (kind === BLOCK ? length > RESYNC_MAX_PAYLOAD || length === 0 : length > END_MAX_PAYLOAD) continue
      if (kind === BLOCK && p + FRAME_HEADER_BYTES < b.length && b[p + FRAME_HEADER_BYTES] !== BLOCK_PAYLOAD_START) continue
      if (p + FRAME_HEADER_BYTES + length > b.length) {
        if (!final && waitFrom === -1) waitFrom = p
        continue
      }
      if (waitFrom !== -1) break
      const payload = b.subarray(p + FRAME_HEADER_BYTES, p + FRAME_HEADER_BYTES + length)
      if (crc32(payload) !== b.readUInt32LE(p + 5)) continue
      this.consumed += p
      out.push({ _tag: "Resumed", at: this.consumed })
      for (const f of this.push(b.subarray(p))) out.push(f)
      return out
    }
    const keep = waitFrom !== -1 ? waitFrom : p
    this.consumed += keep
    if (!final) this.searching = Buffer.from(b.subarray(keep))
    return out
  }

  /** Whether no byte at all was pushed (a 0-byte file: empty, not damaged). */
  get empty(): boolean {
    return !this.sawHeader && !this.broken && this.filled === 0 && this.consumed === 0 && this.searching === undefined
  }

  /**
   * The frames still to be found in bytes held back while searching past damage (a candidate that
   * waited for more bytes, which will not come now). Call before `end`.
   */
  flush(): Array<Parsed> {
    const held = this.searching
    return held === undefined ? [] : this.search(held, [], true)
  }

  /** Undefined when the stream ended on a frame boundary, else why it is incomplete. */
  end(): string | undefined {
    if (this.broken) return undefined
    if (this.searching !== undefined) return `no good frame follows the damage (searched to byte ${this.consumed + this.searching.length})`
    if (!this.sawHeader) {
      const seen = Math.min(this.filled, MAGIC.length)
      return MAGIC.subarray(0, seen).every((b, i) => this.rest[i] === b) ? "the segment ends inside its header" : "not a rollout segment (bad magic bytes)"
    }
    if (this.filled > 0) return `the segment ends inside a frame at byte ${this.consumed} (${this.filled} bytes of it present)`
    return undefined
  }

  /**
   * The size of the unit at `b[pos..]`, as far as its bytes tell (a frame header's size until the
   * header is complete); undefined after reporting a corrupt frame header.
   */
  private needed(b: Buffer, pos: number, out: Array<Parsed>): number | undefined {
    if (!this.sawHeader) return HEADER_BYTES
    if (b.length - pos < FRAME_HEADER_BYTES) return FRAME_HEADER_BYTES
    const kind = b[pos]
    const length = b.readUInt32LE(pos + 1)
    // The kind byte is outside the checksum: an end frame is always small, so a long one is a
    // damaged kind (a block's 'B' turned into 'E' would otherwise pass as an end frame).
    if ((kind !== BLOCK && kind !== END) || length > MAX_PAYLOAD || (kind === END && length > END_MAX_PAYLOAD)) {
      out.push({ _tag: "Damaged", message: `corrupt frame header at byte ${this.consumed} (kind ${kind}, length ${length})` })
      return undefined
    }
    return FRAME_HEADER_BYTES + length
  }

  /**
   * Checks and hands out the complete unit `b[pos, pos + size)`. False when it is damaged (the
   * caller searches past it); a damaged file header stops the parser instead.
   */
  private consume(b: Buffer, pos: number, size: number, out: Array<Parsed>): boolean {
    if (!this.sawHeader) {
      const stop = (message: string) => (this.corrupt(out, message), false)
      if (!hasMagic(b.subarray(pos, pos + MAGIC.length))) return stop("not a rollout segment (bad magic bytes)")
      const version = b[pos + MAGIC.length]
      if (version !== VERSION) return stop(`segment format version ${version} is not supported (this build reads version ${VERSION})`)
      if (b[pos + MAGIC.length + 1] !== 0 || b[pos + MAGIC.length + 2] !== 0 || b[pos + MAGIC.length + 3] !== 0) {
        return stop("corrupt segment header (reserved bytes are not zero)")
      }
      this.sawHeader = true
      this.consumed += size
      return true
    }
    const payload = b.subarray(pos + FRAME_HEADER_BYTES, pos + size)
    // Likewise an end frame's kind turned into 'B': every block payload starts the same way.
    if (b[pos] === BLOCK && payload[0] !== BLOCK_PAYLOAD_START) {
      out.push({ _tag: "Damaged", message: `corrupt frame at byte ${this.consumed} (a block that does not start as blocks do)` })
      return false
    }
    if (crc32(payload) !== b.readUInt32LE(pos + 5)) {
      out.push({ _tag: "Damaged", message: `checksum mismatch in the frame at byte ${this.consumed}` })
      return false
    }
    out.push({ _tag: "Frame", kind: b[pos] as number, payload })
    this.consumed += size
    return true
  }

  private corrupt(out: Array<Parsed>, message: string): void {
    this.broken = true
    this.rest = EMPTY
    this.filled = 0
    out.push({ _tag: "Corrupt", message })
  }
}
