import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as CsvCell from "../src/internal/CsvCell.js"

// What a spreadsheet sees in a cell: RFC 4180 unquoting of one cell.
const unquote = (cell: string): string => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell)

describe("CsvCell", () => {
  it("guards the formula prefixes with a leading quote", () => {
    expect(CsvCell.cell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(["@SUM(A1)", "+1", "-1", "\tx", "\rx"].map(CsvCell.guard)).toEqual(["'@SUM(A1)", "'+1", "'-1", "'\tx", "'\rx"])
    expect(CsvCell.cell("gpt-5")).toBe("gpt-5")
    expect(CsvCell.cell(-3)).toBe("-3")
    expect(CsvCell.cell(null)).toBe("")
  })

  it("a guarded text cell never starts with a formula prefix, and keeps the text after the guard (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom("=", "+", "-", "@", "\t", "\r").chain((p) => fc.string().map((s) => p + s))
        ),
        (s) => {
          const seen = unquote(CsvCell.cell(s))
          expect(CsvCell.isFormula(seen)).toBe(false)
          expect(seen === s || seen === `'${s}`).toBe(true)
        }
      )
    )
  })
})
