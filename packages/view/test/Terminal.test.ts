import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Terminal from "@rollout/view/Terminal"

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

describe("Terminal", () => {
  it("shows ESC, OSC, CR and BEL escaped", () => {
    const osc52 = "\u001b]52;c;ZWNobyBoaQ==\u0007"
    expect(Terminal.field(`a${osc52}b\r\n`)).toBe("a\\x1b]52;c;ZWNobyBoaQ==\\x07b\\r\\n")
    expect(Terminal.text("line 1\n\u001b[2Jline 2")).toBe("line 1\n\\x1b[2Jline 2")
    expect(Terminal.field("\u009b31m")).toBe("\\x9b31m")
  })

  it("a one-line field never keeps a control character, a newline included (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = Terminal.field(s)
        expect(CONTROL.test(out)).toBe(false)
        expect(out.includes("\u2028")).toBe(false)
      })
    )
  })

  it("multi-line text keeps only newlines, and escaping is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = Terminal.text(s)
        expect(CONTROL.test(out.replace(/\n/g, ""))).toBe(false)
        expect(Terminal.isInert(out)).toBe(true)
        expect(Terminal.text(out)).toBe(out)
        expect(out.split("\n").length).toBe(s.split("\n").length)
      })
    )
  })

  it("text for a page keeps its layout (newline, tab, CR, line separators) and escapes the rest as `text` does (property)", () => {
    const layout = /[\n\t\r\u2028\u2029]/
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = Terminal.page(s)
        expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(out)).toBe(false)
        expect(Terminal.page(out)).toBe(out)
        // Where no layout character is in the way, it is the terminal's multi-line text.
        if (!layout.test(s)) expect(out).toBe(Terminal.text(s))
      })
    )
    expect(Terminal.page("a\tb\r\n\u2028\u202eevil\u001b")).toBe("a\tb\r\n\u2028\\u202eevil\\x1b")
  })

  it("an overlong run without white space is cut to its start and its length; everything else is kept (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 990, maxLength: 3000 }), fc.constantFrom(" ", "\n", "😀")), { maxLength: 6 }),
        (parts) => {
          const text = parts.join("")
          const out = Terminal.clipRuns(text)
          for (const run of out.match(/\S+/g) ?? []) expect(run.length).toBeLessThanOrEqual(Terminal.RUN_MAX + 1)
          if (!/\S{1001}/.test(text)) expect(out).toBe(text)
          // No half of a surrogate pair is left by a cut.
          expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(out)).toBe(/[\ud800-\udbff](?![\udc00-\udfff])/.test(text))
        }
      )
    )
    expect(Terminal.clipRuns(`bad "${"x".repeat(5000)}" here`)).toBe(`bad "${"x".repeat(999)}… (5002 characters) here`)
  })

  it("leaves printable text alone", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !CONTROL.test(s) && !/[\u2028-\u202e\u2066-\u2069]/.test(s)),
        (s) => {
          expect(Terminal.field(s)).toBe(s)
        }
      )
    )
  })
})
