// Where a re-executed line differs from the recorded one: member paths and both values, a missing
// line or member as null, text that is not JSON as a whole, and equal values written differently.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as JsonDiff from "../src/internal/JsonDiff.js"

describe("JsonDiff", () => {
  it("names the members that differ, with both values", () => {
    const a = JSON.stringify({ type: "event_msg", payload: { type: "token_count", info: { total: 10, last: 2 }, list: [1, 2] } })
    const b = JSON.stringify({ type: "event_msg", payload: { type: "token_count", info: { total: 11, last: 2 }, list: [1], extra: true } })
    expect(JsonDiff.fields(a, b)).toEqual([
      { path: "payload.info.total", expected: "10", actual: "11" },
      { path: "payload.list[1]", expected: "2", actual: null },
      { path: "payload.extra", expected: null, actual: "true" }
    ])
  })

  it("takes a missing line, text that is not JSON, and the same value written otherwise", () => {
    expect(JsonDiff.fields('{"a":1}', null)).toEqual([{ path: "(line)", expected: '{"a":1}', actual: null }])
    expect(JsonDiff.fields("{oops", '{"a":1}')).toEqual([{ path: "(line)", expected: '"{oops"', actual: '"{\\"a\\":1}"' }])
    expect(JsonDiff.fields('{"a":1,"b":2}', '{"b":2,"a":1}')).toEqual([
      { path: "(text)", expected: '"{\\"a\\":1,\\"b\\":2}"', actual: '"{\\"b\\":2,\\"a\\":1}"' }
    ])
  })

  it("finds nothing exactly when the texts are equal", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
        const a = JSON.stringify(x)
        const b = JSON.stringify(y)
        expect(JsonDiff.fields(a, b).length === 0).toBe(a === b)
      })
    )
  })
})
