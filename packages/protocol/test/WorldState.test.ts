import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as WorldState from "../src/internal/WorldState.js"

const decode = Schema.decodeUnknownSync(WorldState.WorldStateItem)
const encode = Schema.encodeUnknownSync(WorldState.WorldStateItem)

describe("WorldStateItem", () => {
  it.each([String.raw`{"full":true,"state":{"agents_md":"…"}}`, String.raw`{"full":false,"state":{"open_files":["a","b"],"cursor":{"line":3}}}`])(
    "given the payload %s, when decoded and re-encoded, then the bytes are identical",
    (text) => {
      expect(Json.stringify(encode(decode(JSON.parse(text))))).toBe(text)
    }
  )

  it("given a state that is not an object, when decoded, then it is rejected", () => {
    expect(() => decode({ full: true, state: [1] })).toThrow()
  })
})
