// The web list's parameters and search snippets: days become the listing's instants, a malformed
// day is refused, and a snippet's marked words become runs that rebuild it.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as WebThreads from "../src/internal/WebThreads.js"

describe("WebThreads", () => {
  it("cuts a snippet into runs that rebuild it, marked words as hits", () => {
    expect(WebThreads.snippetParts("…fix [the] [parser] now")).toEqual([
      { text: "…fix ", hit: false },
      { text: "the", hit: true },
      { text: " ", hit: false },
      { text: "parser", hit: true },
      { text: " now", hit: false }
    ])
    const plain = fc.string().filter((s) => !/[[\]]/.test(s))
    fc.assert(
      fc.property(fc.array(fc.tuple(plain, fc.boolean())), (runs) => {
        const snippet = runs.map(([t, hit]) => (hit ? `[${t}]` : t)).join("")
        const parts = WebThreads.snippetParts(snippet)
        expect(parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join("")).toBe(snippet)
      })
    )
  })

  it("turns the filters into the index's query: local days inclusive, archived, unknown values left out", () => {
    const q = WebThreads.listQuery({ since: "2026-07-01", until: "2026-07-01", cwd: "/w", model: "", archived: "1", limit: "50" })
    expect(q.untilMs! - q.sinceMs!).toBe(86_400_000 - 1)
    expect(q.sinceMs).toBe(new Date("2026-07-01T00:00:00").getTime())
    expect(q).toMatchObject({ cwd: "/w", archived: true, limit: 50 })
    expect("model" in q).toBe(false)
    expect(() => WebThreads.listQuery({ since: "07/01/2026" })).toThrow(/not a day/)
  })
})
