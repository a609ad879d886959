import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ListCursor from "../src/internal/ListCursor.js"
import * as RpcError from "../src/RpcError.js"

const instant = fc.integer({ min: 0, max: 4_102_444_800_000 })
const id = fc.uuid()

describe("ListCursor", () => {
  it("prints as Codex: next cursors cut the fraction's trailing zeros, backwards cursors keep three digits", () => {
    expect(ListCursor.next(1796620753210, "01a1fb98-4579-7172-9e2f-680148a871a8")).toBe("2026-12-07T05:19:13.21Z|01a1fb98-4579-7172-9e2f-680148a871a8")
    expect(ListCursor.next(1795222422000, "01a1fb98-4579-7172-9e2f-680148a871a8")).toBe("2026-11-21T00:53:42Z|01a1fb98-4579-7172-9e2f-680148a871a8")
    expect(ListCursor.backwards(1795222427291, false)).toBe("2026-11-21T00:53:47.290Z")
    expect(ListCursor.backwards(1795222421114, true)).toBe("2026-11-21T00:53:41.115Z")
  })

  it("a next cursor decodes to the instant and id it was made of", () => {
    fc.assert(
      fc.property(instant, id, (ms, thread) => {
        expect(ListCursor.decode(ListCursor.next(ms, thread))).toEqual({ _tag: "After", ms, id: thread.toLowerCase() })
      })
    )
  })

  it("a backwards cursor decodes to one millisecond beside the first row", () => {
    fc.assert(
      fc.property(instant, fc.boolean(), (ms, ascending) => {
        expect(ListCursor.decode(ListCursor.backwards(ms, ascending))).toEqual({ _tag: "Instant", ms: ascending ? ms + 1 : ms - 1 })
      })
    )
  })

  it("anything else is Codex's invalid cursor error", () => {
    for (const bad of ["bogus", "", "2026-11-21|x", "created_at:1", "2026-11-21T00:53:42Z|not-an-id"]) {
      expect(() => ListCursor.decode(bad)).toThrow(RpcError.RpcError)
      try {
        ListCursor.decode(bad)
      } catch (e) {
        expect(e).toMatchObject({ code: -32600, message: `invalid cursor: ${bad}` })
      }
    }
  })
})
