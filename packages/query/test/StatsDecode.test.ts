import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
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
  .tuple(
    hotPayload,
    fc.record(
      { timestamp: fc.constant("2026-07-14T07:06:00.000Z"), ordinal: fc.nat(), metadata: fc.jsonValue({ maxDepth: 1 }) },
      { requiredKeys: ["timestamp"] }
    )
  )
  .map(([line, envelope]) => ({ ...envelope, ...line }) as unknown as RolloutLine.RolloutLine)
const line = fc.oneof(
  { weight: 4, arbitrary: hotLine },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.TurnContextLine) as fc.Arbitrary<RolloutLine.RolloutLine> },
  // Without unknown fields, so that plain turn contexts reach the fast path too.
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.TurnContextLine, { maxExtraKeys: 0 }) as fc.Arbitrary<RolloutLine.RolloutLine> },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.EventMsgLine) as fc.Arbitrary<RolloutLine.RolloutLine> },
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.ResponseItemLine) as fc.Arbitrary<RolloutLine.RolloutLine> }
)

/** Every (object, key) slot of a parsed line, the envelope's and the nested ones'. */
const slots = (value: unknown, out: Array<readonly [Obj, string]> = []): Array<readonly [Obj, string]> => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Obj, k])
      slots(v, out)
    }
  } else if (Array.isArray(value)) for (const v of value) slots(v, out)
  return out
}

const wrong = fc.constantFrom<unknown>("x", "", 1, -1, 1.5, 0, null, true, [], ["x"], {}, { a: 1 })
const keys = fc.constantFrom("constructor", "__proto__", "toString", "x_extra", "error", "model", "info", "type", "output", "payload")

type Mutation =
  | { readonly kind: "retype"; readonly at: number; readonly to: unknown }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "add"; readonly at: number; readonly key: string; readonly to: unknown }
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("retype" as const), at: fc.nat(), to: wrong }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: keys, to: wrong })
)

/** The line with some fields given a wrong type, deleted, or added, as the text a file would hold. */
const mutate = (value: Obj, mutations: ReadonlyArray<Mutation>): Obj => {
  for (const m of mutations) {
    const all = slots(value)
    if (all.length === 0) break
    const [obj, key] = all[m.at % all.length]!
    switch (m.kind) {
      case "retype":
        obj[key] = structuredClone(m.to)
        break
      case "delete":
        delete obj[key]
        break
      case "add":
        // Defined, not assigned: `__proto__` becomes an own key, as JSON.parse makes it.
        Object.defineProperty(obj, m.key, { value: structuredClone(m.to), enumerable: true, writable: true, configurable: true })
        break
    }
  }
  return JSON.parse(JSON.stringify(value)) as Obj
}

describe("StatsDecode", () => {
  it("gives the full decoder's verdict for generated lines and their mutations (wrong types, missing and extra fields)", () => {
    let fast = 0
    let fastMutated = 0
    fc.assert(
      fc.property(line, fc.array(mutation, { maxLength: 3 }), (l, ms) => {
        const value = mutate(parsed(l), ms)
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
