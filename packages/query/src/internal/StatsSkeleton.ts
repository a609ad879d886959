/**
 * A line's skeleton: its bytes with the envelope timestamp and the integer part of every number cut
 * out as slots. A line whose bytes match a skeleton everywhere but in its slots (a timestamp of
 * plain printable ASCII, a digit run of at most 15 digits without a leading zero) is the same JSON
 * with other numbers in the same places. Statistics use it for `token_count` lines, which differ from
 * one another only in their numbers: one line is parsed and decoded in full, and the lines that
 * match its skeleton are read from their bytes (the slots that hold the wanted fields).
 *
 * Why a match decodes like its exemplar: the bytes outside the slots are the exemplar's (valid
 * UTF-8 and JSON, no duplicate keys: a skeleton is refused for a line that has one, since
 * `JSON.parse` keeps the last); a slot stays a JSON number of the same sign, fraction and (no)
 * exponent (exemplars with an exponent are refused), a safe integer part; and the schemas of the
 * lines this serves constrain numbers only to be numbers or integers, never a range or a literal,
 * so any other value in a slot is as valid as the exemplar's. Not a JSON parser: it only compares.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
/** Longest digit run a slot takes: below 2^53, so every value is exact. */
const MAX_DIGITS = 15

const TIMESTAMP = 0
const INTEGER = 1

export interface Skeleton {
  /** The exemplar's bytes without its slots. */
  readonly bytes: Uint8Array
  /** `bytes`, read four at a time (`spanEqual`). */
  readonly view: DataView
  /** Where each slot sits in `bytes` (before the byte at that index). */
  readonly at: Int32Array
  readonly kinds: Uint8Array
  /** The slot of each wanted path (`make`), or -1 where the exemplar has no plain integer there. */
  readonly fields: Int32Array
}

const isDigit = (b: number) => b >= ZERO && b <= NINE

/** End (index of the closing quote) of the JSON string whose content starts at `i`, or -1. */
const stringEnd = (buf: Uint8Array, i: number, e: number): number => {
  for (let k = i; k < e; k++) {
    const b = buf[k] as number
    if (b === QUOTE) return k
    if (b === BACKSLASH) k++
  }
  return -1
}

/** Whether `buf[s, e)` holds printable ASCII and no backslash: a JSON string whose value is its bytes. */
const plainText = (buf: Uint8Array, s: number, e: number): boolean => {
  for (let k = s; k < e; k++) {
    const b = buf[k] as number
    if (b < 0x20 || b > 0x7e || b === BACKSLASH) return false
  }
  return true
}

const latin1 = (buf: Uint8Array, s: number, e: number): string =>
  (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)).toString("latin1", s, e)

interface Frame {
  readonly object: boolean
  key: string
  index: number
}

/**
 * The skeleton of the line `buf[s, e)`, which the caller has parsed and decoded (it must be valid
 * JSON), with a slot index for each of `wanted` (dotted paths, e.g. `payload.info.x`); `undefined`
 * for a line it does not handle (a duplicate or escaped key, a number with an exponent, a wanted
 * number that is negative or not a plain integer, no plain timestamp).
 */
export const make = (buf: Uint8Array, s: number, e: number, wanted: ReadonlyArray<string>): Skeleton | undefined => {
  const bytes: Array<number> = []
  const at: Array<number> = []
  const kinds: Array<number> = []
  const paths: Array<string> = []
  const stack: Array<Frame> = []
  const seen = new Set<string>()
  let expectKey = false
  const path = () => stack.map((f) => (f.object ? f.key : String(f.index))).join(".")
  const copy = (from: number, to: number) => {
    for (let k = from; k < to; k++) bytes.push(buf[k] as number)
  }
  let i = s
  while (i < e) {
    const c = buf[i] as number
    const top = stack[stack.length - 1]
    if (c === QUOTE) {
      const end = stringEnd(buf, i + 1, e)
      if (end < 0) return undefined
      if (top?.object === true && expectKey) {
        // An escaped key could spell an earlier key another way: duplicates would go unseen.
        if (buf.subarray(i + 1, end).includes(BACKSLASH)) return undefined
        top.key = latin1(buf, i + 1, end)
        const p = path()
        if (seen.has(p)) return undefined
        seen.add(p)
        expectKey = false
        copy(i, end + 1)
      } else if (stack.length === 1 && top?.key === "timestamp") {
        if (!plainText(buf, i + 1, end)) return undefined
        bytes.push(QUOTE)
        at.push(bytes.length)
        kinds.push(TIMESTAMP)
        paths.push("timestamp")
        bytes.push(QUOTE)
      } else copy(i, end + 1)
      i = end + 1
      continue
    }
    if (c === MINUS || isDigit(c)) {
      if (c === MINUS) bytes.push(MINUS)
      let k = c === MINUS ? i + 1 : i
      const digits = k
      while (k < e && isDigit(buf[k] as number)) k++
      if (k - digits > MAX_DIGITS) return undefined
      at.push(bytes.length)
      kinds.push(INTEGER)
      paths.push(path())
      let end = k
      while (end < e && (isDigit(buf[end] as number) || buf[end] === DOT)) end++
      if (end < e && (buf[end] === 0x65 || buf[end] === 0x45)) return undefined
      copy(k, end)
      i = end
      continue
    }
    if (c === 0x7b) {
      stack.push({ object: true, key: "", index: 0 })
      expectKey = true
    } else if (c === 0x5b) stack.push({ object: false, key: "", index: 0 })
    else if (c === 0x7d || c === 0x5d) stack.pop()
    else if (c === 0x2c && top !== undefined) {
      if (top.object) expectKey = true
      else top.index++
    }
    bytes.push(c)
    i++
  }
  if (!kinds.includes(TIMESTAMP)) return undefined
  const fields = new Int32Array(wanted.length).fill(-1)
  for (let w = 0; w < wanted.length; w++) {
    const slot = paths.indexOf(wanted[w] as string)
    if (slot < 0) continue
    // A wanted value is read as the slot's digits: a sign or a fraction would be lost.
    const before = bytes[(at[slot] as number) - 1]
    const after = bytes[at[slot] as number]
    if (kinds[slot] !== INTEGER || before === MINUS || after === DOT) return undefined
    fields[w] = slot
  }
  const literal = Uint8Array.from(bytes)
  return { bytes: literal, view: new DataView(literal.buffer), at: Int32Array.from(at), kinds: Uint8Array.from(kinds), fields }
}

/** The view of the buffer last matched: lines come one chunk (one buffer) after another. */
let viewed: { readonly buffer: ArrayBufferLike; readonly view: DataView } | undefined

const viewOf = (buf: Uint8Array): DataView => {
  if (viewed?.buffer !== buf.buffer) viewed = { buffer: buf.buffer, view: new DataView(buf.buffer) }
  return viewed.view
}

/** Whether `n` bytes of the line at `i` equal the skeleton's at `j`: four at a time, a loop of single bytes costs as much as parsing them. */
const spanEqual = (buf: Uint8Array, line: DataView, i: number, sk: Skeleton, j: number, n: number): boolean => {
  const at = buf.byteOffset + i
  let k = 0
  for (; k + 4 <= n; k += 4) if (line.getUint32(at + k) !== sk.view.getUint32(j + k)) return false
  for (; k < n; k++) if (buf[i + k] !== sk.bytes[j + k]) return false
  return true
}

/**
 * Matches the line `buf[s, e)` against `sk`: its timestamp, with each slot's value put in `values`
 * (by slot index; at least `sk.at.length` long), or `undefined` when it does not match. `stamp` is
 * the line's timestamp when the caller has read it already (off its envelope, `LinePrefix`, which
 * takes the same plain bytes): it is then not made again.
 */
export const match = (sk: Skeleton, buf: Uint8Array, s: number, e: number, values: Float64Array, stamp?: string): string | undefined => {
  const slots = sk.at.length
  const line = viewOf(buf)
  let timestamp: string | undefined
  let i = s
  let j = 0
  for (let k = 0; ; k++) {
    const stop = k < slots ? (sk.at[k] as number) : sk.bytes.length
    if (e - i < stop - j || !spanEqual(buf, line, i, sk, j, stop - j)) return undefined
    i += stop - j
    j = stop
    if (k === slots) break
    const from = i
    if (sk.kinds[k] === TIMESTAMP) {
      while (i < e && buf[i] !== QUOTE) i++
      if (i === e || i === from || !plainText(buf, from, i)) return undefined
      timestamp = stamp ?? latin1(buf, from, i)
      continue
    }
    let v = 0
    while (i < e && isDigit(buf[i] as number)) v = v * 10 + ((buf[i++] as number) - ZERO)
    const n = i - from
    if (n === 0 || n > MAX_DIGITS || (n > 1 && buf[from] === ZERO)) return undefined
    values[k] = v
  }
  return i === e ? timestamp : undefined
}
