import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TableLayout from "../src/TableLayout.js"

type Row = { readonly a: string; readonly b: string; readonly c: string; readonly text: string }

const columns: ReadonlyArray<TableLayout.Column<Row>> = [
  { header: "id", cell: (r) => r.a, priority: 0 },
  { header: "b", cell: (r) => r.b, right: true, priority: 3 },
  { header: "c", cell: (r) => r.c, priority: 2 },
  { header: "some text", short: "text", cell: (r) => r.text, priority: 1, flex: { min: 6, max: 20 } }
]

const word = fc.string({ unit: fc.constantFrom("a", "b", "7", "-"), minLength: 1, maxLength: 12 })
const row = fc.record({ a: word, b: word, c: word, text: fc.string({ unit: fc.constantFrom("x", " ", "y"), maxLength: 40 }) })

describe("TableLayout", () => {
  it("never makes a line wider than the terminal when the always-shown columns fit, and keeps every row's always-shown cell", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.integer({ min: 20, max: 90 }), (rows, width) => {
        const lines = TableLayout.render(columns, rows, width)
        expect(lines.length).toBe(rows.length + 1)
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(width)
        rows.forEach((r, i) => expect(lines[i + 1]?.startsWith(r.a)).toBe(true))
      })
    )
  })

  it("drops columns by priority, right-aligns, clips the flexible one and shortens its header", () => {
    const rows = [{ a: "0001", b: "7", c: "ccc", text: "a long text that does not fit" }]
    expect(TableLayout.render(columns, rows, undefined)).toEqual(["id    b  c    some text", "0001  7  ccc  a long text that do…"])
    expect(TableLayout.render(columns, rows, 19)).toEqual(["id    c    text", "0001  ccc  a long…"])
    expect(TableLayout.render(columns, rows, 12)).toEqual(["id    text", "0001  a lon…"])
  })
})
