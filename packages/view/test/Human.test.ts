import { describe, expect, it } from "vitest"
import * as Human from "../src/internal/Human.js"

describe("Human", () => {
  it("writes durations as a person says them", () => {
    expect([0, 340, 1_250, 12_400, 403_300, 3_600_000, 7_500_000].map(Human.duration)).toEqual([
      "0 s",
      "0.3 s",
      "1.3 s",
      "12 s",
      "6 min 43 s",
      "1 h",
      "2 h 5 min"
    ])
    expect(Human.duration(null)).toBe("")
  })

  it("writes times in the zone given, with the zone named", () => {
    expect(Human.time(1_784_012_760, "UTC")).toBe("Tue, 14 Jul 2026, 07:06:00 UTC")
    expect(Human.time(1_784_012_760, "Europe/Paris")).toBe("Tue, 14 Jul 2026, 09:06:00 CEST")
    expect(Human.time(null)).toBe("")
  })

  it("writes counts short", () => {
    expect([950, 9_515, 59_527, 1_250_000].map(Human.count)).toEqual(["950", "9.5k", "59.5k", "1.3M"])
  })
})
