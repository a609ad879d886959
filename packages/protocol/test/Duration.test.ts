import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Duration from "@rollout/protocol/Duration"
import * as Json from "@rollout/protocol/Json"

describe("Duration", () => {
  it("round-trips Rust's {secs, nanos} in that order", () => {
    const text = '{"secs":1,"nanos":250000000}'
    const decoded = Schema.decodeUnknownSync(Duration.Duration)(JSON.parse(text))
    expect(Json.stringify(Schema.encodeSync(Duration.Duration)(decoded))).toBe(text)
  })

  it("converts to whole milliseconds, truncating", () => {
    expect(Duration.toMillis({ secs: 1, nanos: 250_999_999 })).toBe(1250)
  })
})
