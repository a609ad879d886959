// The pieces a huge text is drawn in: they join to the text, each ends at a line end once long
// enough (or at the cap), and none cuts a surrogate pair.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TextPieces from "../src/app/TextPieces.js"

const text = fc
  .array(fc.oneof(fc.constantFrom("\n", "ab", "😀", "é"), fc.string({ unit: "grapheme", maxLength: 8 })), { maxLength: 200 })
  .map((p) => p.join(""))

describe("TextPieces.split", () => {
  it("joins to the text; cuts at a line end past `at`, else at `most`; never inside a pair", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 80 }), (t, at, extra) => {
        const most = at + extra
        const pieces = TextPieces.split(t, at, most)
        expect(pieces.join("")).toBe(t)
        for (const [i, p] of pieces.entries()) {
          expect(p.length).toBeGreaterThan(0)
          if (i === pieces.length - 1) continue
          // Not the last: long enough, and ended by a line end or by the cap (one more for a pair).
          expect(p.length).toBeGreaterThanOrEqual(at)
          expect(p.endsWith("\n") || p.length >= most).toBe(true)
          expect(p.length).toBeLessThanOrEqual(most + 1)
          if (!p.endsWith("\n")) expect(p.slice(at - 1, -1).includes("\n")).toBe(false)
          const last = p.charCodeAt(p.length - 1)
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false)
        }
      })
    )
  })

  it("counts a piece's lines (a last line end starts none)", () => {
    expect(TextPieces.lines("a")).toBe(1)
    expect(TextPieces.lines("a\n")).toBe(1)
    expect(TextPieces.lines("a\nb\n")).toBe(2)
    expect(TextPieces.lines("\n\n")).toBe(2)
  })
})
