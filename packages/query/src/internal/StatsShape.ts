/**
 * A line's shape: its bytes with every number and its free-text strings (ids, names, tool outputs,
 * the timestamp) cut out as slots, and the value `JSON.parse` gave for it. The lines statistics
 * read (turn contexts, turn starts and ends, tool calls and outputs) repeat a handful of shapes per
 * session, so a line that matches a learnt shape is the same JSON with other values in the slots:
 * its parsed value is the exemplar's with the slots' values put in (`rebuild`), made without
 * parsing the line or allocating its text.
 *
 * Why a rebuilt value equals `JSON.parse` of the line: the bytes outside the slots are the
 * exemplar's (valid JSON, no duplicate or escaped keys: a shape is refused for a line with one,
 * since `JSON.parse` keeps the last duplicate); a number slot holds a digit run of the exemplar's
 * sign and fraction (no exponent, at most 15 digits, no leading zero), read exactly; a string slot
 * holds a JSON string checked byte by byte (no control byte, only the escapes JSON allows), decoded
 * as `JSON.parse` decodes it. The line's bytes must be valid UTF-8 (the caller checks its chunks).
 * Not a parser and not a schema check: the caller still types the rebuilt value (`StatsDecode`).
 */
import * as StatsSkeleton from "./StatsSkeleton.js"

const QUOTE = 0x22
const BACKSLASH = 0x5c
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const MAX_DIGITS = 15

const NUMBER = 0
const STRING = 1

/** Keys whose string values vary from line to line of one shape (the rest are tags and settings, kept as bytes). */
const FREE_TEXT = new Set([
  "timestamp",
  "turn_id",
  "root_turn_id",
  "call_id",
  "id",
  "name",
  "namespace",
  "arguments",
  "input",
  "output",
  "cwd",
  "model",
  "message",
  "last_agent_message",
  "text"
])
/** A string this long is free text whatever its key (a message, a path): a slot. */
const LONG_STRING = 48

type Key = string | number

/** Where the slots sit in the exemplar's value: the containers on their paths, to copy on rebuild. */
interface Plan {
  readonly key: Key
  /** The slot this key holds, or -1 for a container holding slots further down. */
  readonly slot: number
  readonly children: ReadonlyArray<Plan>
}

export interface Shape {
  readonly bytes: Uint8Array
  readonly view: DataView
  /** Where each slot sits in `bytes` (before the byte at that index). */
  readonly at: Int32Array
  readonly kinds: Uint8Array
  /** For a number slot: its sign (-1, 1) and the length of the fraction that follows it in `bytes`. */
  readonly sign: Int8Array
  readonly fraction: Int32Array
  readonly exemplar: Readonly<Record<string, unknown>>
  readonly plan: ReadonlyArray<Plan>
}

const isDigit = (b: number) => b >= ZERO && b <= NINE

const stringEnd = (buf: Uint8Array, i: number, e: number): number => {
  for (let k = i; k < e; k++) {
    const b = buf[k] as number
    if (b === QUOTE) return k
    if (b === BACKSLASH) k++
  }
  return -1
}

interface Frame {
  readonly object: boolean
  key: Key
}

/** The plan of the slots' paths (`paths[k]` is slot `k`'s path below this level). */
const planOf = (paths: ReadonlyArray<readonly [number, ReadonlyArray<Key>]>): Array<Plan> => {
  const byKey = new Map<Key, { slot: number; rest: Array<readonly [number, ReadonlyArray<Key>]> }>()
  for (const [slot, path] of paths) {
    const [head, ...rest] = path as [Key, ...Array<Key>]
    const entry = byKey.get(head) ?? { slot: -1, rest: [] }
    if (rest.length === 0) entry.slot = slot
    else entry.rest.push([slot, rest])
    byKey.set(head, entry)
  }
  return [...byKey].map(([key, { slot, rest }]) => (slot >= 0 ? { key, slot, children: [] } : { key, slot: -1, children: planOf(rest) }))
}

/**
 * The shape of the line `buf[s, e)`, whose parsed value is `value` (the caller parsed it: it is
 * valid JSON), or `undefined` for a line it does not handle (a duplicate or escaped key, a number
 * with an exponent or of more than 15 digits).
 */
export const make = (buf: Uint8Array, s: number, e: number, value: Readonly<Record<string, unknown>>): Shape | undefined => {
  const bytes: Array<number> = []
  const at: Array<number> = []
  const kinds: Array<number> = []
  const sign: Array<number> = []
  const fraction: Array<number> = []
  const paths: Array<Array<Key>> = []
  const stack: Array<Frame> = []
  const seen = new Set<string>()
  let expectKey = false
  const path = () => stack.map((f) => f.key)
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
        if (buf.subarray(i + 1, end).includes(BACKSLASH)) return undefined
        top.key = Buffer.from(buf.buffer, buf.byteOffset + i + 1, end - i - 1).toString("latin1")
        const p = JSON.stringify(path())
        if (seen.has(p)) return undefined
        seen.add(p)
        expectKey = false
        copy(i, end + 1)
      } else if (top !== undefined && ((top.object && FREE_TEXT.has(top.key as string)) || end - i - 1 >= LONG_STRING)) {
        bytes.push(QUOTE)
        at.push(bytes.length)
        kinds.push(STRING)
        sign.push(1)
        fraction.push(0)
        paths.push(path())
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
      let end = k
      while (end < e && (isDigit(buf[end] as number) || buf[end] === DOT)) end++
      if (end < e && (buf[end] === 0x65 || buf[end] === 0x45)) return undefined
      at.push(bytes.length)
      kinds.push(NUMBER)
      sign.push(c === MINUS ? -1 : 1)
      fraction.push(end - k)
      paths.push(path())
      copy(k, end)
      i = end
      continue
    }
    if (c === 0x7b) {
      stack.push({ object: true, key: "" })
      expectKey = true
    } else if (c === 0x5b) stack.push({ object: false, key: 0 })
    else if (c === 0x7d || c === 0x5d) stack.pop()
    else if (c === 0x2c && top !== undefined) {
      if (top.object) expectKey = true
      else top.key = (top.key as number) + 1
    }
    bytes.push(c)
    i++
  }
  const literal = Uint8Array.from(bytes)
  return {
    bytes: literal,
    view: new DataView(literal.buffer),
    at: Int32Array.from(at),
    kinds: Uint8Array.from(kinds),
    sign: Int8Array.from(sign),
    fraction: Int32Array.from(fraction),
    exemplar: value,
    plan: planOf(paths.map((p, k) => [k, p] as const))
  }
}

const isHex = (b: number) => (b >= ZERO && b <= NINE) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)

/** End of a valid JSON string's content starting at `i` (the index of its closing quote); -1 if invalid. Sets `escaped`. */
const validStringEnd = (buf: Uint8Array, i: number, e: number, flags: { escaped: boolean }): number => {
  for (let k = i; k < e; k++) {
    const b = buf[k] as number
    if (b === QUOTE) return k
    if (b < 0x20) return -1
    if (b !== BACKSLASH) continue
    flags.escaped = true
    const x = buf[k + 1]
    if (x === 0x75) {
      if (k + 5 >= e || !isHex(buf[k + 2] as number) || !isHex(buf[k + 3] as number) || !isHex(buf[k + 4] as number) || !isHex(buf[k + 5] as number)) return -1
      k += 5
    } else if (x === QUOTE || x === BACKSLASH || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) k++
    else return -1
  }
  return -1
}

const asBuffer = (buf: Uint8Array): Buffer => (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength))

const flags = { escaped: false }

/**
 * Matches the line `buf[s, e)` against `shape`, putting each slot's value in `values` (by slot);
 * whether it matched.
 */
export const match = (shape: Shape, buf: Uint8Array, s: number, e: number, values: Array<unknown>): boolean => {
  const slots = shape.at.length
  const line = StatsSkeleton.viewOf(buf)
  let i = s
  let j = 0
  for (let k = 0; ; k++) {
    const stop = k < slots ? (shape.at[k] as number) : shape.bytes.length
    if (e - i < stop - j || !StatsSkeleton.spanEqual(buf, line, i, shape, j, stop - j)) return false
    i += stop - j
    j = stop
    if (k === slots) break
    const from = i
    if (shape.kinds[k] === STRING) {
      flags.escaped = false
      const end = validStringEnd(buf, i, e, flags)
      if (end < 0) return false
      values[k] = flags.escaped ? JSON.parse(asBuffer(buf).toString("utf8", from - 1, end + 1)) : asBuffer(buf).toString("utf8", from, end)
      i = end
      continue
    }
    let v = 0
    while (i < e && isDigit(buf[i] as number)) v = v * 10 + ((buf[i++] as number) - ZERO)
    const n = i - from
    if (n === 0 || n > MAX_DIGITS || (n > 1 && buf[from] === ZERO)) return false
    const frac = shape.fraction[k] as number
    const negative = shape.sign[k] === -1
    // A fraction is the exemplar's bytes (compared next): the number is read whole, as JSON reads it.
    values[k] = frac === 0 ? (negative ? -v : v) : Number(asBuffer(buf).toString("latin1", negative ? from - 1 : from, i + frac))
  }
  return i === e
}

const rebuildAt = (value: unknown, plan: ReadonlyArray<Plan>, values: ReadonlyArray<unknown>): unknown => {
  const source = value as Record<Key, unknown>
  const out: Record<Key, unknown> = Array.isArray(value) ? (value.slice() as unknown as Record<Key, unknown>) : { ...source }
  for (const p of plan) out[p.key] = p.slot >= 0 ? values[p.slot] : rebuildAt(source[p.key], p.children, values)
  return out
}

/** The parsed value of a line that matched `shape`, its slots' values in `values`: the exemplar's, copied along the slots' paths. */
export const rebuild = (shape: Shape, values: ReadonlyArray<unknown>): Record<string, unknown> =>
  rebuildAt(shape.exemplar, shape.plan, values) as Record<string, unknown>
