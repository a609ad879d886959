// Given a snippet FTS5 marked with the private-use marks, when cut into runs, then the runs are the
// text's own, the matched ones flagged, whatever brackets the text itself holds.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ThreadSearch from "../src/ThreadSearch.js"

const text = fc.string({ minLength: 1, unit: fc.constantFrom("a", " ", "[", "]", "(", "é", "…") })
const run = fc.record({ text, hit: fc.boolean() })

/** Adjacent unmatched runs read as one. */
const merged = (runs: ReadonlyArray<ThreadSearch.Part>): Array<ThreadSearch.Part> =>
  runs.reduce<Array<ThreadSearch.Part>>((out, r) => {
    const last = out.at(-1)
    if (last !== undefined && !last.hit && !r.hit) out[out.length - 1] = { text: last.text + r.text, hit: false }
    else out.push(r)
    return out
  }, [])

describe("ThreadSearch.partsOf", () => {
  it("gives back the runs a snippet was marked from", () => {
    fc.assert(
      fc.property(fc.array(run, { maxLength: 8 }), (runs) => {
        const marked = runs.map((r) => (r.hit ? `\ue000${r.text}\ue001` : r.text)).join("")
        expect(ThreadSearch.partsOf(marked)).toEqual(merged(runs))
      })
    )
  })

  it("takes a bracket of the text for text", () => {
    expect(ThreadSearch.partsOf("arr[0] = \ue000x\ue001[1]")).toEqual([
      { text: "arr[0] = ", hit: false },
      { text: "x", hit: true },
      { text: "[1]", hit: false }
    ])
  })
})
