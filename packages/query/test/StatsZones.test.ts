// Ground truth for zone-aware reports: sessions of random turns that start around midnight UTC
// (and a fork copying part of one), read through the real scan and merged in zones of fixed
// offset. Rows by day must equal the truth's own token_count times shifted by the offset, and a
// --since/--until window must count exactly the truth's days inside it.
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/query/StatsPool"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsCorpus from "./support/StatsCorpus.js"

const home = path.resolve("/home/test/.codex")
const PARENT = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const CHILD = "0198f2a4-5b6c-7d8e-9f00-aaaaaaaaaaaa"
const ZONES = [
  ["UTC", 0],
  ["Asia/Tokyo", 540],
  ["Asia/Kolkata", 330],
  ["Pacific/Honolulu", -600]
] as const
const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")
const dir = (ms: number) => path.join(home, "sessions", new Date(ms).toISOString().slice(0, 10).replace(/-/g, "/"))

const corpus = (seed: number, start: number, turns: number, cutAt: number) => {
  const rand = StatsCorpus.prng(seed)
  const w = new StatsCorpus.Writer(PARENT, start)
  const parent = [StatsCorpus.sessionMeta(PARENT, start)]
  for (let i = 0; i < turns; i++) {
    parent.push(...w.turn(StatsCorpus.randomTurn(rand)))
    // Turns a few hours apart, so that they straddle midnight in some zone.
    w.ms += 3 * 3_600_000
  }
  const forkAt = w.ms + 60_000
  const cut = 1 + (cutAt % parent.length)
  const c = new StatsCorpus.Writer(CHILD, forkAt + 1000, StatsCorpus.runningAt(parent, cut))
  const child = [StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), ...StatsCorpus.copied(parent, cut, forkAt)]
  child.push(...c.turn(StatsCorpus.randomTurn(rand)))
  return {
    files: {
      [path.join(dir(start), StatsCorpus.fileName(PARENT, start))]: text(parent),
      [path.join(dir(forkAt), StatsCorpus.fileName(CHILD, forkAt))]: text(child)
    },
    truth: StatsCorpus.addTruth(w.truth, c.truth)
  }
}

const daysOf = (r: StatsReport.Report) => Object.fromEntries(r.rows.filter((row) => row["totalTokens"] !== 0).map((row) => [row["day"], row["totalTokens"]]))

describe("stats in time zones (ground truth)", () => {
  it("rows by local day and date windows are exact in every zone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1000),
        fc.integer({ min: -180, max: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.nat(3),
        async (seed, minutes, turns, cutAt, z) => {
          const [tz, offset] = ZONES[z] ?? ZONES[0]
          const start = Date.UTC(2026, 6, 14, 23, 30) + minutes * 60_000
          const c = corpus(seed, start, turns, cutAt)
          const paths = Object.keys(c.files).sort()
          const partials = await StatsPool.run({ files: Files.memory(c.files, 997), paths, codexHome: home, jobs: 1 })
          const truthDays = StatsCorpus.byDayAtOffset(c.truth, offset)
          const report = StatsReport.merge(partials, "day", { timezone: tz })
          expect(daysOf(report)).toEqual(Object.fromEntries(Object.entries(truthDays).map(([d, t]) => [d, t.total])))
          expect(report.totals.tokens).toEqual(c.truth.tokens)
          const days = Object.keys(truthDays).sort()
          const pick = days[seed % days.length] ?? "2026-07-14"
          const inWindow = Object.entries(truthDays)
            .filter(([d]) => d >= pick && d <= pick)
            .reduce((a, [, t]) => StatsTokens.add(a, t), StatsTokens.zero)
          const windowed = StatsReport.merge(partials, "model", { timezone: tz, since: pick, until: pick })
          expect(windowed.totals.tokens).toEqual(inWindow)
          expect(windowed.rows.reduce((n, row) => n + Number(row["totalTokens"]), 0)).toBe(inWindow.total)
        }
      ),
      { numRuns: 40 }
    )
  }, 60_000)
})
