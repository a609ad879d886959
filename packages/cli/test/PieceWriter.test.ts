import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as PieceWriter from "../src/PieceWriter.js"

const written = (first: string, parts: ReadonlyArray<string>, last: string) => {
  const out: Array<string> = []
  const writer = PieceWriter.make((text) => out.push(text), first)
  for (const part of parts) writer.put(part)
  writer.end(last)
  return out
}

const long = "x".repeat(PieceWriter.WRITE_BYTES)

describe("PieceWriter", () => {
  it("writes exactly the pieces, in order, never holding more than a write's worth", () => {
    const piece = fc.oneof(fc.string({ maxLength: 40 }), fc.constant(long), fc.constant(`${long}y`))
    fc.assert(
      fc.property(fc.string(), fc.array(piece, { maxLength: 30 }), fc.string(), (first, parts, last) => {
        const out = written(first, parts, last)
        expect(out.join("")).toBe(first + parts.join("") + last)
        for (const text of out.slice(0, -1)) expect(text.length).toBeGreaterThan(0)
      })
    )
  })

  it("gathers small pieces into writes of about WRITE_BYTES", () => {
    const out = written(
      "{",
      Array.from({ length: 3000 }, () => "0123456789,"),
      "}"
    )
    expect(out.length).toBe(1 + Math.floor((1 + 3000 * 11) / PieceWriter.WRITE_BYTES))
    for (const text of out.slice(0, -1)) expect(text.length).toBeLessThan(PieceWriter.WRITE_BYTES + 11)
  })

  it("writes a long piece alone, after what was gathered, not joined to it", () => {
    expect(written("{", ["a", long, "b"], "}")).toEqual(["{a", long, "b}"])
  })
})
