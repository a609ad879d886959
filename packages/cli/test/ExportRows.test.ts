// `ExportRows` keeps a streamed export's table of contents: whatever part of it went to the file,
// the rows come back once, in order, with their characters (newlines, quotes, non-Latin text
// cut across read pieces), and `clear` removes the file.
import * as fs from "node:fs"
import * as os from "node:os"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ExportRows from "../src/ExportRows.js"

const files = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("rollout-export-")).length

describe("ExportRows", () => {
  it("given rows pushed with any memory bound, then they are read back in order and the file is gone after clear", () => {
    // Counted once: each run must leave the count where it found it (listing a busy temporary folder twice a run took most of this test's time).
    const before = files()
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 30 })), fc.integer({ min: 0, max: 200 }), (rows, keep) => {
        const r = ExportRows.make(keep)
        for (const row of rows) r.push(`${row}\n"é"`)
        expect(r.length).toBe(rows.length)
        expect([...r]).toEqual(rows.map((row) => `${row}\n"é"`))
        r.clear()
        expect(files()).toBe(before)
      }),
      { numRuns: 200 }
    )
  })

  it("given more rows than one read piece, then every row comes back", () => {
    const r = ExportRows.make(1 << 10)
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i}. [ünïcödé ${"x".repeat(i % 97)}](#turn-${i})`)
    for (const row of rows) r.push(row)
    expect([...r]).toEqual(rows)
    r.clear()
  })

  it("given rows longer than a chunk among short ones, in memory or in the file, then every row comes back", () => {
    const rows = ["short", `${"é".repeat(1_500_000)}\n`, "x", "y".repeat(3 << 20), "last"]
    for (const keep of [0, 10, 64 << 20]) {
      const r = ExportRows.make(keep)
      for (const row of rows) r.push(row)
      expect([...r]).toEqual(rows)
      r.clear()
    }
  })

  it("given rows spilled to a file, when the process is sent SIGTERM, then the temporary folder is removed", () => {
    // Another listener keeps the signal from ending the test process (see DurableFile.track).
    const keepAlive = () => {}
    process.on("SIGTERM", keepAlive)
    try {
      const before = files()
      const r = ExportRows.make(0)
      r.push("a row")
      expect(files()).toBe(before + 1)
      process.emit("SIGTERM", "SIGTERM")
      expect(files()).toBe(before)
      r.clear()
    } finally {
      process.off("SIGTERM", keepAlive)
    }
  })
})
