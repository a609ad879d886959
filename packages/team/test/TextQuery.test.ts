import { describe, expect, it } from "vitest"
import * as TextQuery from "../src/internal/TextQuery.js"

describe("TextQuery", () => {
  it("given words with punctuation, then the query is those words as a phrase, the last a prefix, and no syntax passes", () => {
    expect(TextQuery.source("failing test")).toBe("failing <-> test:*")
    expect(TextQuery.source("a & b | !c <-> 'd':*")).toBe("a <-> b <-> c <-> d:*")
    expect(TextQuery.source("Ünïcode 東京")).toBe("Ünïcode <-> 東京:*")
    expect(TextQuery.source("&&& !!")).toBeUndefined()
  })
})
