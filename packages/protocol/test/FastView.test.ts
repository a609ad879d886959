import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as FastView from "@rollout/protocol/FastView"

const { arrayOf, int, nonNegativeInt, nullOr, oneOf, str, struct, tagged } = FastView

/** Any parsed JSON, plus the keys that find Object.prototype's members on a plain lookup. */
const value = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(-1, 0, 1.5, 2 ** 53, "a", "low", null, [], ["a", null], { constructor: 1 }, JSON.parse('{"__proto__":1}'))
)
const key = fc.constantFrom("a", "b", "c", "type", "constructor", "__proto__", "toString", "hasOwnProperty")
/** A parsed object (JSON.parse makes `__proto__` an own key, as a reader would see it). */
const object = fc.dictionary(key, value, { maxKeys: 4 }).map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>)

describe("FastView combinators", () => {
  it("scalar checks agree with their definitions", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(str(v)).toBe(typeof v === "string")
        expect(int(v)).toBe(typeof v === "number" && Number.isSafeInteger(v))
        expect(nonNegativeInt(v)).toBe(typeof v === "number" && Number.isSafeInteger(v) && v >= 0)
        expect(nullOr(str)(v)).toBe(v === null || typeof v === "string")
        expect(oneOf(["low", "high"])(v)).toBe(v === "low" || v === "high")
        expect(arrayOf(nullOr(str))(v)).toBe(Array.isArray(v) && v.every((x) => x === null || typeof x === "string"))
      }),
      { numRuns: 500 }
    )
  })

  const fields: FastView.Fields = { a: [str, true], b: [nullOr(int), false] }
  /** The reference: only declared own fields, each passing, every required one present. */
  const fits = (v: unknown, skip?: string): boolean =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).every((k) => k === skip || (k === "a" && str((v as any)[k])) || (k === "b" && nullOr(int)((v as any)[k]))) &&
    Object.hasOwn(v, "a")

  it("struct accepts exactly the objects of its fields, never crashing on prototype keys", () => {
    const check = struct(fields)
    fc.assert(
      fc.property(fc.oneof(object, value, fc.record({ a: fc.string(), b: fc.option(fc.integer(), { nil: null }) }, { requiredKeys: ["a"] })), (v) => {
        expect(check(v)).toBe(fits(v))
      }),
      { numRuns: 1000 }
    )
  })

  it("tagged picks the member its own `type` names", () => {
    const check = tagged({ x: fields, y: {} })
    fc.assert(
      fc.property(fc.oneof(object, fc.constantFrom("x", "y", "constructor", "__proto__", "toString").chain((type) => object.map((o) => ({ ...o, type })))), (v) => {
        const t = v["type"]
        const expected = t === "x" ? fits(v, "type") : t === "y" ? Object.keys(v).every((k) => k === "type") : false
        expect(check(v)).toBe(expected)
      }),
      { numRuns: 1000 }
    )
  })

  it("make answers only for lines whose every envelope field it checked", () => {
    const view = FastView.make({ event_msg: tagged({ x: fields }) }, { ordinal: nonNegativeInt })
    const line = fc.record(
      {
        timestamp: fc.oneof(fc.string(), value),
        type: fc.constantFrom("event_msg", "response_item", "constructor", "__proto__"),
        ordinal: value,
        payload: fc.oneof(object, object.map((o) => ({ ...o, type: "x" }))),
        metadata: value,
        constructor: value
      },
      { requiredKeys: [] }
    ).map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>)
    fc.assert(
      fc.property(line, (v) => {
        const expected =
          v["type"] === "event_msg" &&
          typeof v["timestamp"] === "string" &&
          Object.keys(v).every((k) => k === "timestamp" || k === "type" || k === "payload" || (k === "ordinal" && nonNegativeInt(v[k]))) &&
          typeof v["payload"] === "object" &&
          (v["payload"] as any)?.type === "x" &&
          fits(v["payload"], "type")
        expect(view(v)).toBe(expected ? v : undefined)
      }),
      { numRuns: 1000 }
    )
  })
})
