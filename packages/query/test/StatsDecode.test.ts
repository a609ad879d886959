import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as Mutation from "@rollout/protocol/test/support/Mutation"
import * as StatsCorpus from "./support/StatsCorpus.js"
import * as StatsDecode from "../src/internal/StatsDecode.js"
import * as StatsScan from "../src/internal/StatsScan.js"

type Obj = Record<string, unknown>

/** A line as `rollout stats` sees it: written by the encoder, then parsed back. */
const parsed = (line: RolloutLine.RolloutLine): Obj => JSON.parse(RolloutLine.encode(line)) as Obj

/** Hot lines (the payloads the fast path types) and whole lines of the types statistics read. */
const hotPayload = fc.oneof(
  ...[TurnEvents.TokenCount, TurnEvents.TaskStarted, TurnEvents.TurnStarted, TurnEvents.TaskComplete, TurnEvents.TurnComplete].map((s) =>
    fc.record({ type: fc.constant("event_msg"), payload: Arbitrary.of(s) })
  ),
  ...[ResponseItem.FunctionCall, ResponseItem.CustomToolCall, ResponseItem.FunctionCallOutput, ResponseItem.CustomToolCallOutput].map((s) =>
    fc.record({ type: fc.constant("response_item"), payload: Arbitrary.of(s) })
  )
)
const hotLine = fc
  .tuple(hotPayload, fc.record({ timestamp: fc.constant("2026-07-14T07:06:00.000Z"), ordinal: fc.nat() }, { requiredKeys: ["timestamp"] }))
  .map(([line, envelope]) => ({ ...envelope, ...line }) as unknown as RolloutLine.RolloutLine)
const line = fc.oneof(
  { weight: 4, arbitrary: hotLine },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.TurnContextLine) as fc.Arbitrary<RolloutLine.RolloutLine> },
  // Without unknown fields, so that plain turn contexts reach the fast path too.
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.TurnContextLine, { maxExtraKeys: 0 }) as fc.Arbitrary<RolloutLine.RolloutLine> },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.EventMsgLine) as fc.Arbitrary<RolloutLine.RolloutLine> },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.ResponseItemLine) as fc.Arbitrary<RolloutLine.RolloutLine> }
)

describe("StatsDecode", () => {
  it("gives the full decoder's verdict for generated lines and their mutations (wrong types, missing and extra fields)", () => {
    let fast = 0
    let fastMutated = 0
    fc.assert(
      fc.property(line, fc.array(Mutation.mutation, { maxLength: 3 }), (l, ms) => {
        const value = Mutation.apply(parsed(l), ms) as Obj
        const expected = RolloutLine.decode(value)
        expect(StatsDecode.decode(value)).toEqual(expected)
        const viewed = StatsDecode.view(value)
        if (viewed !== undefined) {
          // The fast path answers only for lines the schema accepts, with the decoder's value.
          expect(expected).toEqual({ _tag: "Known", line: viewed })
          if (ms.length === 0) fast++
          else fastMutated++
        }
      }),
      { numRuns: 1500 }
    )
    // Not vacuous: plain generated hot lines, and some harmless mutations of them, take the fast path.
    expect(fast).toBeGreaterThan(20)
    expect(fastMutated).toBeGreaterThan(0)
  })

  it("types every line of the statistics corpus as the full decode does, hot lines on the fast path", () => {
    let fast = 0
    fc.assert(
      fc.property(fc.nat(10_000), (seed) => {
        const rand = StatsCorpus.prng(seed)
        const w = new StatsCorpus.Writer("0198f2a4-5b6c-7d8e-9f00-112233445566", Date.UTC(2026, 6, 14))
        const lines = [StatsCorpus.sessionMeta("0198f2a4-5b6c-7d8e-9f00-112233445566", Date.UTC(2026, 6, 14))]
        for (let i = 0; i < 4; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
        for (const l of lines) {
          const value = JSON.parse(l) as Obj
          expect(StatsDecode.decode(value)).toEqual(RolloutLine.decode(value))
          if (StatsDecode.view(value) !== undefined) fast++
          else if (StatsScan.wanted(value))
            expect(["session_meta", "turn_aborted", "task_complete"]).toContain(
              value["type"] === "event_msg" ? (value["payload"] as Obj)["type"] : value["type"]
            )
        }
      }),
      { numRuns: 30 }
    )
    expect(fast).toBeGreaterThan(30)
  })

  it("reports the lines the reviewer found accepted by the old quick checks as the schema does", () => {
    const at = "2026-07-14T00:00:00.000Z"
    const cases: ReadonlyArray<Obj> = [
      { timestamp: at, type: "event_msg", payload: { type: "task_started", turn_id: "t", model_context_window: "x" } },
      { timestamp: at, type: "event_msg", payload: { type: "task_started", turn_id: "t" } },
      { timestamp: at, type: "event_msg", payload: { type: "task_complete", turn_id: "t" } },
      { timestamp: at, type: "turn_context", payload: { model: "gpt-5" } },
      { timestamp: at, type: "event_msg", payload: { type: "token_count", info: { total_token_usage: { input_tokens: "many" } }, rate_limits: null } },
      { timestamp: at, type: "event_msg", payload: { type: "token_count", info: null, rate_limits: { primary: { used_percent: "19" } } } },
      { timestamp: at, type: "response_item", payload: { type: "function_call", name: "shell", call_id: "c" } },
      { timestamp: at, type: "response_item", payload: { type: "custom_tool_call_output", call_id: "c", output: [{ type: "input_image" }] } },
      { timestamp: at, ordinal: -1.5, type: "event_msg", payload: { type: "task_started", turn_id: "t", model_context_window: null } }
    ]
    for (const value of cases) {
      const d = StatsDecode.decode(value)
      expect(d._tag).toBe("Invalid")
      expect(d).toEqual(RolloutLine.decode(value))
    }
  })

  it("never throws on a field named like an Object.prototype member", () => {
    const value = JSON.parse(
      '{"timestamp":"2026-07-14T00:00:00.000Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t","model_context_window":null,"constructor":1,"__proto__":2}}'
    ) as Obj
    expect(StatsDecode.view(value)).toBeUndefined()
    expect(StatsDecode.decode(value)).toEqual(RolloutLine.decode(value))
  })
})
