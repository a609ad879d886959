import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as StatsTokens from "@rollout/reduce/StatsTokens"

const tokens = fc.record({
  input: fc.nat(1_000_000),
  cachedInput: fc.nat(1_000_000),
  output: fc.nat(1_000_000),
  reasoningOutput: fc.nat(1_000_000),
  total: fc.nat(2_000_000)
})

describe("StatsTokens.delta", () => {
  it("given nothing counted yet, then the whole running total is new", () => {
    fc.assert(
      fc.property(tokens, (t) => {
        expect(StatsTokens.delta(null, t)).toEqual(t)
      })
    )
  })

  it("given the same running total again (a re-emitted count), then it adds nothing", () => {
    fc.assert(
      fc.property(tokens, (t) => {
        expect(StatsTokens.delta(t, t)).toEqual(StatsTokens.zero)
      })
    )
  })

  it("given running totals that only grow, then the deltas sum to the last total (telescoping)", () => {
    fc.assert(
      fc.property(fc.array(tokens, { maxLength: 20 }), (steps) => {
        let running: StatsTokens.Tokens | null = null
        let counted = StatsTokens.zero
        let truth = StatsTokens.zero
        for (const s of steps) {
          truth = StatsTokens.add(truth, s)
          counted = StatsTokens.add(counted, StatsTokens.delta(running, truth))
          // Codex re-emits a count now and then: it must not change anything.
          counted = StatsTokens.add(counted, StatsTokens.delta(truth, truth))
          running = truth
        }
        expect(counted).toEqual(truth)
      })
    )
  })

  it("given a running total that went down (usage not seeded on resume), then it restarted from zero", () => {
    const before = { input: 100, cachedInput: 10, output: 5, reasoningOutput: 1, total: 105 }
    const after = { input: 40, cachedInput: 0, output: 2, reasoningOutput: 0, total: 42 }
    expect(StatsTokens.delta(before, after)).toEqual(after)
  })
})
