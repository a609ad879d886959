import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as StatsFamilies from "../src/internal/StatsFamilies.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "stats-families-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const P = "0198f2a4-5b6c-7d8e-9f00-000000000001"
const F = "0198f2a4-5b6c-7d8e-9f00-000000000002"
const G = "0198f2a4-5b6c-7d8e-9f00-000000000003"
const X = "0198f2a4-5b6c-7d8e-9f00-000000000004"

describe("StatsFamilies", () => {
  it("reads the id a file forks from in its first line only", () => {
    const file = (name: string, text: string) => {
      const p = path.join(root, name)
      fs.writeFileSync(p, text)
      return p
    }
    expect(StatsFamilies.forkedFrom(file("a.jsonl", `{"type":"session_meta","payload":{"id":"${F}","forked_from_id":"${P.toUpperCase()}"}}\n{}\n`))).toBe(P)
    expect(StatsFamilies.forkedFrom(file("b.jsonl", `{"type":"session_meta","payload":{"id":"${F}"}}\n{"forked_from_id":"${P}"}\n`))).toBeUndefined()
    expect(StatsFamilies.forkedFrom(file("c.jsonl", `{"forked_from_id":"short"}\n`))).toBeUndefined()
    expect(StatsFamilies.forkedFrom(path.join(root, "missing.jsonl"))).toBeUndefined()
  })

  it("puts each fork after its parent's files in one family, families largest first", () => {
    // Input order: a fork of a fork, the fork, an unrelated thread, the parent's two segments.
    const paths = ["g", "f", "x", "p1", "p2"]
    const index = { [G]: ["g"], [F]: ["f"], [X]: ["x"], [P]: ["p1", "p2"] }
    const parents: Record<string, string> = { g: F, f: P }
    const size = [10, 20, 100, 5, 5]
    const order = [2, 1, 0, 3, 4]
    expect(StatsFamilies.families(paths, order, index, size, (p) => parents[p])).toEqual([[2], [3, 4, 1, 0]])
    // A parent not among the files to read leaves its fork alone.
    expect(StatsFamilies.families(paths, [1, 0], index, size, (p) => parents[p])).toEqual([[1, 0]])
    expect(StatsFamilies.families(paths, [0], index, size, (p) => parents[p])).toEqual([[0]])
  })
})
