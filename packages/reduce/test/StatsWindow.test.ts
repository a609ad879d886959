import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as StatsWindow from "@rollout/reduce/StatsWindow"

describe("StatsWindow", () => {
  it("puts a UTC quarter hour on its local day", () => {
    expect(StatsWindow.localDays("Asia/Tokyo")("2026-07-14T23:30")).toBe("2026-07-15")
    expect(StatsWindow.localDays("UTC")("2026-07-14T23:30")).toBe("2026-07-14")
    expect(StatsWindow.localDays("Asia/Kolkata")("2026-07-14T18:15")).toBe("2026-07-14")
    expect(StatsWindow.localDays("Asia/Kolkata")("2026-07-14T18:30")).toBe("2026-07-15")
    expect(StatsWindow.localDays("America/Los_Angeles")("2026-07-15T06:45")).toBe("2026-07-14")
    expect(StatsWindow.localDays("UTC")("no time")).toBe("no time")
    expect(StatsWindow.localDays("UTC")("2026-07-14")).toBe("2026-07-14")
  })

  it("agrees with plain offset arithmetic in zones without daylight saving", () => {
    const zones = [
      ["UTC", 0],
      ["Asia/Tokyo", 540],
      ["Asia/Kolkata", 330],
      ["Asia/Kathmandu", 345],
      ["Pacific/Honolulu", -600]
    ] as const
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: Date.UTC(2025, 0, 1) / 900_000, max: Date.UTC(2027, 0, 1) / 900_000 }), (z, q) => {
        const [tz, offset] = zones[z] ?? ["UTC", 0]
        const ms = q * 900_000
        const slot = new Date(ms).toISOString().slice(0, 16)
        expect(StatsWindow.localDays(tz)(slot)).toBe(new Date(ms + offset * 60_000).toISOString().slice(0, 10))
      })
    )
  })

  it("numbers ISO weeks (Monday first, week 1 holds the first Thursday)", () => {
    expect(StatsWindow.isoWeek("2026-01-01")).toBe("2026-W01")
    expect(StatsWindow.isoWeek("2025-12-29")).toBe("2026-W01")
    expect(StatsWindow.isoWeek("2027-01-01")).toBe("2026-W53")
    expect(StatsWindow.isoWeek("2026-07-14")).toBe("2026-W29")
    expect(StatsWindow.isoWeek("2026-07-19")).toBe("2026-W29")
    expect(StatsWindow.isoWeek("2026-07-20")).toBe("2026-W30")
  })

  it("reads dates as ccusage does and refuses what is no date", () => {
    expect(StatsWindow.parseDate("20260714")).toBe("2026-07-14")
    expect(StatsWindow.parseDate("2026-07-14")).toBe("2026-07-14")
    expect(StatsWindow.parseDate("2026-02-30")).toBeNull()
    expect(StatsWindow.parseDate("yesterday")).toBeNull()
    expect(StatsWindow.isZone("Europe/Paris")).toBe(true)
    expect(StatsWindow.isZone("Mars/Olympus")).toBe(false)
  })

  it("counts the last N periods back from today, the current one included", () => {
    expect(StatsWindow.lastSince("2026-07-15", "day", 1)).toBe("2026-07-15")
    expect(StatsWindow.lastSince("2026-07-15", "day", 7)).toBe("2026-07-09")
    expect(StatsWindow.lastSince("2026-07-15", "week", 1)).toBe("2026-07-13")
    expect(StatsWindow.lastSince("2026-07-15", "week", 2)).toBe("2026-07-06")
    expect(StatsWindow.lastSince("2026-07-15", "month", 3)).toBe("2026-05-01")
    expect(StatsWindow.lastSince("2026-01-15", "month", 2)).toBe("2025-12-01")
    // Further back than year 1, or than a date can hold: from year 1.
    expect(StatsWindow.lastSince("2026-01-15", "day", 800_000)).toBe("0001-01-01")
    expect(StatsWindow.lastSince("2026-01-15", "day", 999_999_999)).toBe("0001-01-01")
    expect(StatsWindow.lastSince("2026-01-15", "week", 999_999_999)).toBe("0001-01-01")
    expect(StatsWindow.lastSince("2026-01-15", "month", 999_999_999)).toBe("0001-01-01")
  })
})
