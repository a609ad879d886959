/**
 * A rollout line's envelope read from its first bytes, without decoding the line: Codex writes
 * every line as `{"timestamp":"…",("ordinal":N,)"type":"…","payload":{"type":"…"` (the payload's own
 * tag first when it has one), so the line type and payload tag sit in the first hundred bytes of a
 * line that may be megabytes long. A reader that needs only some tags (statistics) looks here and
 * leaves the rest of the line unparsed. Anything not in exactly that shape (other key order,
 * escapes, spaces, non-ASCII) gives `undefined`: the caller then parses the line as usual, so this
 * never decides about a line it cannot read with certainty. It does not validate the line.
 */

export interface Prefix {
  readonly timestamp: string
  /** The line type (`event_msg`, `response_item`, ...). */
  readonly type: string
  /** The payload's `type` when it is the payload's first key, else `undefined` (`turn_context`, `session_meta`). */
  readonly tag: string | undefined
  /**
   * The whole line, `bytes[start, end)`, for a reader that reads more of it than the envelope
   * (statistics read token counts from their bytes). Valid only during the call it is given to:
   * the reader reuses the buffer.
   */
  readonly bytes: Uint8Array
  readonly start: number
  readonly end: number
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
/** The envelope as Codex writes it, piece by piece: what a reader of line prefixes matches. */
export const OPEN = bytes('{"timestamp":"')
export const ORDINAL = bytes(',"ordinal":')
export const TYPE = bytes(',"type":"')
export const PAYLOAD = bytes(',"payload":')
export const TAG = bytes('{"type":"')
const QUOTE = 0x22
const BACKSLASH = 0x5c

const at = (buf: Uint8Array, i: number, lit: Uint8Array): boolean => {
  if (i + lit.length > buf.length) return false
  for (let k = 0; k < lit.length; k++) if (buf[i + k] !== lit[k]) return false
  return true
}

/**
 * End (the closing quote's index) of a plain ASCII string starting at `i`, or -1 (escape,
 * non-ASCII, control character, no quote before `e`): the only strings an envelope is read from.
 */
export const stringEnd = (buf: Uint8Array, i: number, e: number): number => {
  for (let k = i; k < e; k++) {
    const b = buf[k] as number
    if (b === QUOTE) return k
    if (b === BACKSLASH || b >= 0x80 || b < 0x20) return -1
  }
  return -1
}

// Only ASCII reaches here (`stringEnd` refuses anything else), so latin1 is exact.
const latin1 = (buf: Uint8Array, s: number, e: number): string =>
  (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)).toString("latin1", s, e)

/**
 * Names (line types and payload tags) met so far, by a hash of their bytes: a home holds a few
 * dozen, met on every line, and one looked up costs less than a string made from the buffer.
 */
const names = new Map<number, { readonly bytes: Uint8Array; readonly text: string }>()
const MAX_NAMES = 1024

const name = (buf: Uint8Array, s: number, e: number): string => {
  let h = e - s
  for (let k = s; k < e; k++) h = (Math.imul(h, 31) + (buf[k] as number)) | 0
  const known = names.get(h)
  if (known !== undefined && known.bytes.length === e - s) {
    let same = true
    for (let k = 0; k < e - s && same; k++) same = known.bytes[k] === buf[s + k]
    if (same) return known.text
  }
  const text = latin1(buf, s, e)
  // A copy (`Buffer#slice` is a view): the reader reuses its buffers.
  if (names.size < MAX_NAMES) names.set(h, { bytes: Uint8Array.prototype.slice.call(buf, s, e), text })
  return text
}

/** The envelope of the line `buf[s, e)`, or `undefined` when it is not in Codex's exact shape. */
export const read = (buf: Uint8Array, s: number, e: number): Prefix | undefined => {
  if (!at(buf, s, OPEN)) return undefined
  let i = s + OPEN.length
  const tsEnd = stringEnd(buf, i, e)
  if (tsEnd < 0) return undefined
  const timestamp = latin1(buf, i, tsEnd)
  i = tsEnd + 1
  if (at(buf, i, ORDINAL)) {
    i += ORDINAL.length
    const digits = i
    while (i < e && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) i++
    if (i === digits) return undefined
  }
  if (!at(buf, i, TYPE)) return undefined
  i += TYPE.length
  const typeEnd = stringEnd(buf, i, e)
  if (typeEnd < 0) return undefined
  const type = name(buf, i, typeEnd)
  i = typeEnd + 1
  if (!at(buf, i, PAYLOAD)) return undefined
  i += PAYLOAD.length
  if (!at(buf, i, TAG)) return { timestamp, type, tag: undefined, bytes: buf, start: s, end: e }
  i += TAG.length
  const tagEnd = stringEnd(buf, i, e)
  if (tagEnd < 0) return undefined
  return { timestamp, type, tag: name(buf, i, tagEnd), bytes: buf, start: s, end: e }
}
