// The web list's parameters: days become the listing's instants, a malformed day is refused.
import { describe, expect, it } from "vitest"
import * as WebThreads from "../src/internal/WebThreads.js"

describe("WebThreads", () => {
  it("turns the filters into the index's query: local days inclusive, archived, unknown values left out", () => {
    const q = WebThreads.listQuery({ since: "2026-07-01", until: "2026-07-01", cwd: "/w", model: "", archived: "1", limit: "50" })
    expect(q.untilMs! - q.sinceMs!).toBe(86_400_000 - 1)
    expect(q.sinceMs).toBe(new Date("2026-07-01T00:00:00").getTime())
    expect(q).toMatchObject({ cwd: "/w", archived: true, limit: 50 })
    expect("model" in q).toBe(false)
    expect(() => WebThreads.listQuery({ since: "07/01/2026" })).toThrow(/not a day/)
  })
})
