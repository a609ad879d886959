import { describe, expect, it } from "vitest"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsChart from "@rollout/view/StatsChart"

const empty = StatsReport.merge([], "day")

describe("StatsChart", () => {
  it("draws days without activity as gaps on a true time axis", () => {
    const report = {
      ...empty,
      days: [
        { day: "2026-07-01", tokens: { input: 10, cachedInput: 4, output: 2, reasoningOutput: 0, total: 12 } },
        { day: "2026-07-04", tokens: { input: 5, cachedInput: 0, output: 1, reasoningOutput: 0, total: 6 } }
      ]
    }
    const svg = StatsChart.svg(report)
    expect(svg).toContain("2026-07-01 input (uncached): 6")
    expect(svg).toContain("2026-07-01 cached input: 4")
    expect(svg).toContain("2026-07-04 output: 1")
    expect(svg).toContain("2026-07-01 to 2026-07-04")
    expect(svg.match(/<title>/g)).toHaveLength(5)
  })

  it("says so when there is nothing to draw", () => {
    expect(StatsChart.svg(empty)).toContain("no token counts")
  })
})
