import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as SegmentWriter from "@rollout/log/SegmentWriter"
import { decode, encode, fileArb } from "./support/SegmentFiles.js"

describe("SegmentWriter: JSONL → segment → JSONL restores the exact bytes", () => {
  it("for arbitrary content split into lines (garbage, BOM, CRLF, blank lines, torn end), in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 64 }), async (file, size) => {
        const segment = await encode(file, size)
        expect(Buffer.compare(await decode(segment, size), file)).toBe(0)
      }),
      { numRuns: 300 }
    )
  })

  it("for raw random bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(Buffer.compare(await decode(await encode(bytes, 13)), Buffer.from(bytes))).toBe(0)
      }),
      { numRuns: 200 }
    )
  })

  it("over many blocks (more lines than a block holds)", async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => (i % 997 === 0 ? "garbage" : JSON.stringify({ i, t: "x".repeat(i % 50) })))
    const file = Buffer.from(lines.join("\n"))
    const segment = await encode(file, 4096)
    expect(segment.length).toBeLessThan(file.length)
    expect(Buffer.compare(await decode(segment, 5000), file)).toBe(0)
  })

  it("sameValue tells -0, key order and lone surrogates apart", () => {
    expect(SegmentWriter.sameValue({ a: 0 }, { a: -0 })).toBe(false)
    expect(SegmentWriter.sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false)
    expect(SegmentWriter.sameValue({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true)
    expect(SegmentWriter.sameValue("\ud800", "\ufffd")).toBe(false)
  })
})
