import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as Wire from "@rollout/protocol/Wire"

const Ping = Wire.tagged("ping", { n: Wire.Int, pct: Schema.optionalKey(Wire.Float) })
const Pong = Wire.tagged("pong", { text: Schema.NullOr(Schema.String) })
const Family = Wire.family([Ping, Pong])

describe("Wire.family", () => {
  it("dispatches on the tag and keeps unknown fields after the declared ones", () => {
    const decoded = Family.decode({ extra: [1], n: 3, type: "ping", pct: 19 })
    expect(decoded._tag).toBe("Known")
    if (decoded._tag !== "Known") return
    expect(Json.stringify(Family.encode(decoded.value))).toBe('{"type":"ping","n":3,"pct":19.0,"extra":[1]}')
  })
  it("reports a known tag with a bad payload as invalid, never as unknown", () => {
    const decoded = Family.decode({ type: "pong", text: 4 })
    expect(decoded._tag).toBe("Invalid")
  })
  it("reports an unknown tag as unknown", () => {
    expect(Family.decode({ type: "pang" })).toEqual({ _tag: "Unknown", tag: "pang" })
  })
})

describe("Json.floatText", () => {
  it("spells floats the way Rust does", () => {
    expect([19, 0, 2.5, -3, 1e-3].map(Json.floatText)).toEqual(["19.0", "0.0", "2.5", "-3.0", "0.001"])
  })
})
