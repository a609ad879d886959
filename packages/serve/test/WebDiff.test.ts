// The diff's alignment: an edit script that rebuilds both sides, keeps as many turns in common as
// the longest common subsequence has, and pairs one-sided runs as changed rows.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as WebDiff from "../src/internal/WebDiff.js"

const keys = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 12 })

/** The length of the longest common subsequence, by the textbook table. */
const lcs = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  const t = Array.from({ length: a.length + 1 }, () => Array<number>(b.length + 1).fill(0))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      (t[i] as Array<number>)[j] = a[i - 1] === b[j - 1] ? (t[i - 1]?.[j - 1] ?? 0) + 1 : Math.max(t[i - 1]?.[j] ?? 0, t[i]?.[j - 1] ?? 0)
  return t[a.length]?.[b.length] ?? 0
}

describe("WebDiff.align", () => {
  it("rebuilds both sides in order, with as many shared turns as their longest common subsequence", () => {
    fc.assert(
      fc.property(keys, keys, (a, b) => {
        const ops = WebDiff.align(a, b)
        expect(ops.flatMap((o) => (o._tag === "b" ? [] : [a[o.i]]))).toEqual(a)
        expect(ops.flatMap((o) => (o._tag === "a" ? [] : [b[o.j]]))).toEqual(b)
        for (const o of ops) if (o._tag === "same") expect(a[o.i]).toBe(b[o.j])
        expect(ops.filter((o) => o._tag === "same").length).toBe(lcs(a, b))
      })
    )
  })

  it("a fork that adds a turn to its parent's shares the parent's turns and has one more", () => {
    const ops = WebDiff.align(["q1", "q2", "q3", "q4"], ["q1", "q2", "q3"])
    expect(ops.map((o) => o._tag)).toEqual(["same", "same", "same", "a"])
  })
})
