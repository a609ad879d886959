import { describe, expect, it } from "vitest"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsChart from "@rollout/view/StatsChart"

const empty = StatsReport.merge([], "day")
const t1 = { input: 10, cachedInput: 4, output: 2, reasoningOutput: 0, total: 12 }
const t2 = { input: 5, cachedInput: 0, output: 1, reasoningOutput: 0, total: 6 }

describe("StatsChart", () => {
  it("draws days without activity as gaps on a true time axis", () => {
    const report = {
      ...empty,
      days: [
        { day: "2026-07-01", tokens: t1, costUSD: 0.5, models: [{ model: "gpt-5", tokens: t1, costUSD: 0.5 }] },
        { day: "2026-07-04", tokens: t2, costUSD: null, models: [{ model: "mystery", tokens: t2, costUSD: null }] }
      ]
    }
    const svg = StatsChart.svg(report)
    expect(svg).toContain("2026-07-01 input (uncached): 6")
    expect(svg).toContain("2026-07-01 cached input: 4")
    expect(svg).toContain("2026-07-04 output: 1")
    expect(svg).toContain("2026-07-01 to 2026-07-04")
    // Five token segments and one cost segment (the unpriced model's day has no cost bar).
    expect(svg.match(/<title>/g)).toHaveLength(6)
    expect(svg).toContain("2026-07-01 gpt-5: $0.5")
    expect(svg).toContain("Per model")
    expect(svg).toContain("no price")
  })

  it("says so when there is nothing to draw", () => {
    expect(StatsChart.svg(empty)).toContain("nothing counted")
  })
})
