import { describe, expect, it } from "vitest"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsRender from "@rollout/view/StatsRender"

const empty = StatsReport.merge([], "day")

describe("StatsRender", () => {
  it("shortens counts for tables", () => {
    expect([999, 12_345, 100_000, 2_000_000, 1_234_567_890].map(StatsRender.short)).toEqual(["999", "12.3k", "100k", "2M", "1.23B"])
  })

  it("quotes CSV cells that need it and prints a header even without rows", () => {
    expect(StatsRender.csv(empty)).toBe(
      "day,inputTokens,cachedInputTokens,outputTokens,reasoningOutputTokens,totalTokens,turns,toolCalls,errors,costUSD,models\n"
    )
    const report = { ...empty, rows: [{ model: 'a,"b"', totalTokens: 3 }] }
    expect(StatsRender.csv(report)).toBe('model,totalTokens\n"a,""b""",3\n')
  })

  it("prints an empty report without failing", () => {
    expect(StatsRender.human(empty)).toContain("Tokens by day (0 files")
  })
})
