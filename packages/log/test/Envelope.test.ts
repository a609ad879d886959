import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Envelope from "@rollout/log/Envelope"

/** What `Envelope.read` must answer: the same fields read off `JSON.parse`. */
const oracle = (raw: string): Envelope.Envelope | undefined => {
  let v: unknown
  try {
    v = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  const str = (x: unknown) => (typeof x === "string" ? x : undefined)
  const p = Object.hasOwn(o, "payload") ? o["payload"] : undefined
  const payloadType = typeof p === "object" && p !== null && !Array.isArray(p) && Object.hasOwn(p, "type") ? str((p as Record<string, unknown>)["type"]) : undefined
  return {
    type: Object.hasOwn(o, "type") ? str(o["type"]) : undefined,
    payloadType,
    timestamp: Object.hasOwn(o, "timestamp") ? str(o["timestamp"]) : undefined
  }
}

const key = fc.constantFrom("type", "payload", "timestamp", "typ\\u0065", "\\u0074ype", "payl\\u006fad", "other", "type ", "")
const leaf = fc.oneof(
  fc.constantFrom("token_count", "message", "a\\\"b", "2026-07-01T09:00:00.000Z", "tab\\there", "\\ud83d\\ude00", "é"),
  fc.string({ maxLength: 6 })
)

/** JSON texts shaped like rollout lines (envelope keys, duplicates, escapes) written as text. */
const lineText: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf.map((s) => JSON.stringify(s).replace(/\\\\/g, "\\")),
    fc.constantFrom("1", "-0", "2.5e+3", "true", "false", "null", "[]", "[1, \"x\" ,{}]"),
    tie("object")
  ),
  object: fc
    .array(fc.tuple(key, tie("value"), fc.constantFrom("", " ", "\t", "\r\n")), { maxLength: 5 })
    .map((kvs) => `{${kvs.map(([k, v, ws]) => `${ws}"${k}"${ws}:${ws}${v}`).join(",")}}`)
})).object

/** Damage that keeps text close to JSON: delete, insert a significant character, truncate. */
const damaged = fc
  .tuple(lineText, fc.nat(), fc.constantFrom("", "{", "}", "[", "]", ",", ":", '"', "\\", "\u0001", "\t", "\n", "0", "e", "-", "."), fc.boolean())
  .map(([s, at, c, del]) => {
    const i = s.length === 0 ? 0 : at % s.length
    return del ? s.slice(0, i) + c + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i)
  })

describe("Envelope.read", () => {
  it("given the lines Codex writes, reads type, payload type and timestamp", () => {
    const raw = '{"timestamp":"2026-07-01T09:00:01.007Z","type":"event_msg","payload":{"type":"token_count","info":null}}'
    expect(Envelope.read(raw)).toEqual({ type: "event_msg", payloadType: "token_count", timestamp: "2026-07-01T09:00:01.007Z" })
    expect(Envelope.read('{"timestamp":"t","type":"turn_context","payload":{"model":"m","nested":{"type":"x"}}}')).toEqual({
      type: "turn_context",
      payloadType: undefined,
      timestamp: "t"
    })
  })

  it("given what JSON.parse rejects or is not an object, answers undefined", () => {
    for (const raw of ['{"a":1', '{"a":1}}', '{"a":"\u0001"}', "[1]", "null", '"x"', '{"a":01}', '{"a":1.}', "{'a':1}", '{"a":"\\x"}', "", "{} x", '{"a" 1}'])
      expect(Envelope.read(raw), raw).toBeUndefined()
  })

  it("given duplicate or escaped envelope keys, answers what JSON.parse keeps (the last)", () => {
    expect(Envelope.read('{"type":"a","type":"b","payload":{"type":"x"},"payload":[1]}')).toEqual({ type: "b", payloadType: undefined, timestamp: undefined })
    expect(Envelope.read('{"typ\\u0065":"a\\"b","payload":{"type":1,"type":"y"}}')).toEqual({ type: 'a"b', payloadType: "y", timestamp: undefined })
  })

  it("property: agrees with JSON.parse on rollout-shaped text, damaged text and any JSON", () => {
    fc.assert(
      fc.property(fc.oneof(lineText, damaged, fc.json(), fc.string()), (raw) => {
        expect(Envelope.read(raw)).toEqual(oracle(raw))
      }),
      { numRuns: 5000 }
    )
  })

  it("property: agrees with JSON.parse on serialised objects with an envelope", () => {
    const obj = fc.record({ timestamp: fc.string(), type: fc.string(), payload: fc.oneof(fc.jsonValue(), fc.record({ type: fc.jsonValue() })) }, { requiredKeys: [] })
    fc.assert(
      fc.property(fc.tuple(obj, fc.dictionary(fc.string(), fc.jsonValue())), ([a, b]) => {
        const raw = JSON.stringify({ ...b, ...a })
        expect(Envelope.read(raw)).toEqual(oracle(raw))
      }),
      { numRuns: 2000 }
    )
  })
})
