import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadSummary from "../src/ThreadSummary.js"
import * as ThreadFacts from "../src/ThreadFacts.js"

const fold = (lines: ReadonlyArray<RolloutLine.RolloutLine>, from: ThreadFacts.State = ThreadFacts.empty) => lines.reduce(ThreadFacts.step, from)

const turnStart = (n: number): RolloutLine.RolloutLine =>
  ({ timestamp: "2026-07-14T00:00:00.000Z", type: "event_msg", payload: { type: "task_started", turn_id: `t${n}` } }) as unknown as RolloutLine.RolloutLine

const tokenCount = (total: number | null): RolloutLine.RolloutLine =>
  ({
    timestamp: "2026-07-14T00:00:01.000Z",
    type: "event_msg",
    payload: {
      type: "token_count",
      info:
        total === null
          ? null
          : {
              total_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total },
              last_token_usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 1 },
              model_context_window: null
            },
      rate_limits: null
    }
  }) as unknown as RolloutLine.RolloutLine

describe("ThreadFacts", () => {
  it("given any lines, then the fold gives the turns and tokens ThreadSummary (rollout info) gives, and folding in two parts equals folding once", () => {
    fc.assert(
      fc.property(fc.array(Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }), { maxLength: 12 }), fc.nat(12), (lines, cut) => {
        const summary = ThreadSummary.fold(lines)
        const whole = fold(lines)
        expect(whole).toEqual({ turns: summary.turns, tokens: summary.tokens })
        expect(fold(lines.slice(cut), fold(lines.slice(0, cut)))).toEqual(whole)
      }),
      { numRuns: 500 }
    )
  })

  it("given a token count without usage after one with usage, then the tokens are the last usage", () => {
    const s = fold([turnStart(1), tokenCount(10), turnStart(2), tokenCount(25), tokenCount(null)])
    expect(s).toEqual({ turns: 2, tokens: { input: 25, cachedInput: 0, output: 0, reasoningOutput: 0, total: 25 } })
  })

  it("combines segments: turns add up, tokens come from the last segment that has any", () => {
    const a = fold([turnStart(1), tokenCount(10)])
    const b = fold([turnStart(2)])
    expect(ThreadFacts.combine([a, b])).toEqual({ turns: 2, tokens: a.tokens })
    expect(ThreadFacts.combine([b, a]).tokens).toEqual(a.tokens)
    expect(ThreadFacts.combine([])).toEqual(ThreadFacts.empty)
  })
})
