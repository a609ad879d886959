import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsCorpus from "@rollout/cli/StatsCorpus"
import * as StatsDecode from "@rollout/cli/StatsDecode"

describe("StatsDecode", () => {
  it("types every generated line exactly as the full schema decode does", () => {
    fc.assert(
      fc.property(fc.nat(10_000), (seed) => {
        const rand = StatsCorpus.prng(seed)
        const w = new StatsCorpus.Writer("0198f2a4-5b6c-7d8e-9f00-112233445566", Date.UTC(2026, 6, 14))
        const lines = [StatsCorpus.sessionMeta("0198f2a4-5b6c-7d8e-9f00-112233445566", Date.UTC(2026, 6, 14))]
        for (let i = 0; i < 4; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
        for (const l of lines) {
          const value = JSON.parse(l) as Record<string, unknown>
          expect(StatsDecode.decode(value)).toEqual(RolloutLine.decode(value))
        }
      }),
      { numRuns: 30 }
    )
  })

  it("sends a hot line that breaks the fields statistics read to the full decode, which reports it", () => {
    const bad = { timestamp: "2026-07-14T00:00:00.000Z", type: "event_msg", payload: { type: "token_count", info: { total_token_usage: { input_tokens: "many" } }, rate_limits: null } }
    expect(StatsDecode.decode(bad)._tag).toBe("Invalid")
    const noModel = { timestamp: "2026-07-14T00:00:00.000Z", type: "turn_context", payload: { cwd: "/p" } }
    expect(StatsDecode.decode(noModel)._tag).toBe("Invalid")
  })
})
