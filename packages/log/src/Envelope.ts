/**
 * A rollout line's envelope — its `type`, its `payload`'s `type` and its `timestamp` — read from
 * the raw text in one pass that also checks the whole line is a JSON object, without building the
 * value. A reader that needs only some lines (statistics read token counts and tool calls, thread
 * history skips most response items) parses those and checks the rest here, at about twice the
 * speed of `JSON.parse`; every line is still checked, so a corrupt line is never passed over in
 * silence.
 *
 * It answers exactly what `JSON.parse` would: `read(raw)` is undefined iff `JSON.parse(raw)` throws
 * or is not a plain object, and the three fields are those of the parsed value (last duplicate key
 * wins, escapes decoded); a property test holds it to that. It is not a parser: a caller that needs
 * more than the envelope parses the line.
 */

export interface Envelope {
  /** `value.type` when a string. */
  readonly type: string | undefined
  /** `value.payload.type` when `payload` is an object whose `type` is a string. */
  readonly payloadType: string | undefined
  /** `value.timestamp` when a string. */
  readonly timestamp: string | undefined
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Which envelope field the next value is (set by a key, taken by the value). */
const NONE = 0
const TYPE = 1
const PAYLOAD = 2
const TIMESTAMP = 3
const PAYLOAD_TYPE = 4

/** Parser modes. */
const VALUE = 0
const AFTER = 1
const KEY = 2

const OBJECT = 1
const ARRAY = 2

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/** Where the next backslash of the line being read is (-1: none left); `string` keeps it current. */
let nextBackslash = -1

/**
 * Scans a string whose opening quote is at `i - 1`; returns the index after its closing quote, or
 * -1 when it is not a valid JSON string. `s.indexOf` jumps over plain text; the text it jumps over
 * has no control characters when the line has none (`plain`), else each character is checked.
 */
const string = (s: string, i: number, plain: boolean): number => {
  const n = s.length
  for (;;) {
    let q: number
    if (plain) {
      q = s.indexOf('"', i)
      if (q === -1) return -1
      if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = s.indexOf("\\", i)
      if (nextBackslash === -1 || nextBackslash > q) return q + 1
      q = nextBackslash
    } else {
      q = i
      for (; q < n; q++) {
        const c = s.charCodeAt(q)
        if (c === QUOTE || c === BACKSLASH) break
        if (c < 0x20) return -1
      }
      if (q >= n) return -1
      if (s.charCodeAt(q) === QUOTE) return q + 1
    }
    // An escape at q.
    const e = s.charCodeAt(q + 1)
    if (e === 0x75 /* u */) {
      if (!(isHex(s.charCodeAt(q + 2)) && isHex(s.charCodeAt(q + 3)) && isHex(s.charCodeAt(q + 4)) && isHex(s.charCodeAt(q + 5)))) return -1
      i = q + 6
    } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i = q + 2
    else return -1
  }
}

/** Scans a number starting at `i`; returns the index after it, or -1. */
const number = (s: string, i: number): number => {
  if (s.charCodeAt(i) === 0x2d /* - */) i++
  const first = s.charCodeAt(i)
  if (first === 0x30) i++
  else if (first >= 0x31 && first <= 0x39) while (isDigit(s.charCodeAt(++i)));
  else return -1
  if (s.charCodeAt(i) === 0x2e /* . */) {
    if (!isDigit(s.charCodeAt(++i))) return -1
    while (isDigit(s.charCodeAt(++i)));
  }
  const e = s.charCodeAt(i)
  if (e === 0x65 || e === 0x45) {
    const sign = s.charCodeAt(++i)
    if (sign === 0x2b || sign === 0x2d) i++
    if (!isDigit(s.charCodeAt(i))) return -1
    while (isDigit(s.charCodeAt(++i)));
  }
  return i
}

/** The text of the string `s[start, end)` (quotes included), escapes decoded only when present. */
const text = (s: string, start: number, end: number): string => {
  const inner = s.slice(start + 1, end - 1)
  return inner.includes("\\") ? (JSON.parse(s.slice(start, end)) as string) : inner
}

/** Which envelope field a key at this depth names (only keys of the line and of its payload can). */
const field = (s: string, start: number, end: number, depth: number, inPayload: boolean): number => {
  if (depth === 1) {
    const key = text(s, start, end)
    return key === "type" ? TYPE : key === "payload" ? PAYLOAD : key === "timestamp" ? TIMESTAMP : NONE
  }
  return depth === 2 && inPayload && text(s, start, end) === "type" ? PAYLOAD_TYPE : NONE
}

// A line has control characters only in corrupt strings or as whitespace: such lines take the slow path.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\t\n\r](?!\s*$)/

/** The envelope of `raw` when it is a JSON object (as `JSON.parse` reads it), else undefined. */
export const read = (raw: string): Envelope | undefined => {
  const s = raw
  const n = s.length
  const plain = !CONTROL.test(s)
  nextBackslash = s.indexOf("\\")
  const stack: Array<number> = []
  let type: string | undefined
  let payloadType: string | undefined
  let timestamp: string | undefined
  let pending = NONE
  let inPayload = false
  let i = 0
  while (i < n && isWs(s.charCodeAt(i))) i++
  if (s.charCodeAt(i) !== 0x7b) return undefined
  let mode = VALUE
  for (;;) {
    if (mode === VALUE) {
      const c = s.charCodeAt(i)
      const what = pending
      pending = NONE
      if (c === 0x7b /* { */) {
        stack.push(OBJECT)
        if (what === PAYLOAD) {
          inPayload = true
          payloadType = undefined
        } else if (what !== NONE) setField(what, undefined)
        i++
        while (isWs(s.charCodeAt(i))) i++
        if (s.charCodeAt(i) === 0x7d /* } */) {
          i++
          stack.pop()
          if (stack.length === 1) inPayload = false
          mode = AFTER
        } else mode = KEY
        continue
      }
      if (c === 0x5b /* [ */) {
        stack.push(ARRAY)
        if (what !== NONE) setField(what, undefined)
        i++
        while (isWs(s.charCodeAt(i))) i++
        if (s.charCodeAt(i) === 0x5d /* ] */) {
          i++
          stack.pop()
          mode = AFTER
        }
        continue
      }
      let end: number
      if (c === QUOTE) {
        end = string(s, i + 1, plain)
        if (end === -1) return undefined
        if (what !== NONE) setField(what, text(s, i, end))
      } else {
        if (c === 0x74 /* t */) end = s.startsWith("true", i) ? i + 4 : -1
        else if (c === 0x66 /* f */) end = s.startsWith("false", i) ? i + 5 : -1
        else if (c === 0x6e /* n */) end = s.startsWith("null", i) ? i + 4 : -1
        else end = number(s, i)
        if (end === -1) return undefined
        if (what !== NONE) setField(what, undefined)
      }
      i = end
      mode = AFTER
      continue
    }
    while (isWs(s.charCodeAt(i))) i++
    if (mode === KEY) {
      if (s.charCodeAt(i) !== QUOTE) return undefined
      const end = string(s, i + 1, plain)
      if (end === -1) return undefined
      pending = field(s, i, end, stack.length, inPayload)
      i = end
      while (isWs(s.charCodeAt(i))) i++
      if (s.charCodeAt(i) !== 0x3a /* : */) return undefined
      i++
      while (isWs(s.charCodeAt(i))) i++
      mode = VALUE
      continue
    }
    // AFTER a value.
    const top = stack[stack.length - 1]
    if (top === undefined) return i === n ? { type, payloadType, timestamp } : undefined
    const c = s.charCodeAt(i)
    if (c === 0x2c /* , */) {
      i++
      while (isWs(s.charCodeAt(i))) i++
      mode = top === OBJECT ? KEY : VALUE
    } else if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) {
      i++
      stack.pop()
      if (stack.length === 1) inPayload = false
    } else return undefined
  }

  function setField(what: number, value: string | undefined): void {
    if (what === TYPE) type = value
    else if (what === TIMESTAMP) timestamp = value
    else if (what === PAYLOAD) payloadType = undefined
    else if (what === PAYLOAD_TYPE) payloadType = value
  }
}
