// The steps LocalDays hands PostgreSQL put every quarter hour on the local day StatsWindow gives
// it, in every zone Intl knows: transitions at midnight, half- and quarter-hour offsets, skipped days.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as LocalDays from "../src/internal/LocalDays.js"

const QUARTER_MS = 900_000
const zones = ["UTC", ...Intl.supportedValuesOf("timeZone")]
const slotAt = (ms: number) => new Date(ms).toISOString().slice(0, 16)

/** The local day the steps give a regular slot, or undefined when none covers it. */
const placed = (steps: LocalDays.Steps, slot: string): string | undefined => {
  const q = Number(slot.slice(11, 13)) * 4 + Number(slot.slice(14, 16)) / 15
  const i = steps.utc.findIndex((u, k) => u === slot.slice(0, 10) && (steps.lo[k] ?? 0) <= q && q < (steps.hi[k] ?? 0))
  return i < 0 ? undefined : steps.day[i]
}

describe("LocalDays", () => {
  it("given any zone and quarter hours from 1900 to 2100, then each is placed on StatsWindow's local day", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: -2_208_988_800_000 / QUARTER_MS, max: 4_102_444_800_000 / QUARTER_MS }), { minLength: 1, maxLength: 20 }),
        (tz, qs) => {
          const slots = qs.map((q) => slotAt(q * QUARTER_MS))
          const steps = LocalDays.steps(tz, new Set(slots.map((s) => s.slice(0, 10))))
          const local = StatsWindow.localDays(tz)
          for (const s of slots) expect(placed(steps, s), `${tz} ${s}`).toBe(local(s))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("given the days around transitions, then every quarter hour of each is placed as StatsWindow places it", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["America/Santiago", "2026-04-05"],
      ["America/Santiago", "2026-09-06"],
      ["Asia/Beirut", "2025-10-25"],
      ["Australia/Lord_Howe", "2026-04-04"],
      ["Pacific/Apia", "2011-12-30"],
      ["America/St_Johns", "2026-03-08"],
      ["Asia/Kathmandu", "2026-06-01"],
      ["Europe/London", "2026-03-29"]
    ]
    for (const [tz, day] of cases) {
      const start = Date.parse(`${day}T00:00:00Z`)
      const days = [-1, 0, 1].map((d) => new Date(start + d * 86_400_000).toISOString().slice(0, 10))
      const steps = LocalDays.steps(tz, days)
      const local = StatsWindow.localDays(tz)
      for (let q = -96; q < 192; q++) {
        const s = slotAt(start + q * QUARTER_MS)
        expect(placed(steps, s), `${tz} ${s}`).toBe(local(s))
      }
    }
  })

  it("given days that are no real date or lie before 1900, then no step covers them (the report places them itself)", () => {
    expect(LocalDays.steps("Asia/Tokyo", ["2026-02-30", "1899-12-31", "2026-13-01", "garbage!!!"]).utc).toEqual([])
  })
})
