import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as MessageEvents from "@rollout/protocol/MessageEvents"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as SessionMeta from "@rollout/protocol/SessionMeta"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as HotLines from "@rollout/reduce/HotLines"

type Obj = Record<string, unknown>

const hot = [
  TurnEvents.TaskStarted,
  TurnEvents.TurnStarted,
  TurnEvents.TaskComplete,
  TurnEvents.TurnComplete,
  TurnEvents.TurnAborted,
  MessageEvents.UserMessage,
  MessageEvents.AgentMessage
]
const wrong = fc.constantFrom<unknown>("x", 1, -1, 1.5, null, true, [], ["x"], {}, { type: "x" })

/** A hot line as written, then one payload field given a wrong value (or none), as parsed from a file. */
const line = fc
  .tuple(
    fc.oneof(
      ...hot.map((s) => Arbitrary.of(s, { maxExtraKeys: 0, maxLength: 2 }).map((payload) => ({ type: "event_msg", payload }))),
      Arbitrary.of(TurnContext.TurnContextItem, { maxExtraKeys: 0, maxLength: 2 }).map((payload) => ({ type: "turn_context", payload })),
      Arbitrary.of(SessionMeta.SessionMetaLine, { maxExtraKeys: 0, maxLength: 2 }).map((payload) => ({ type: "session_meta", payload }))
    ),
    fc.record({ timestamp: fc.constant("2026-07-14T07:06:00.000Z"), ordinal: fc.integer({ min: -2 }) }, { requiredKeys: ["timestamp"] }),
    fc.option(fc.tuple(fc.nat(), wrong), { nil: undefined })
  )
  .map(([body, envelope, damage]) => {
    const value = JSON.parse(RolloutLine.encode({ ...envelope, ...body } as unknown as RolloutLine.RolloutLine)) as Obj
    if (damage !== undefined) {
      const p = value["payload"] as Obj
      const keys = Object.keys(p)
      p[keys[damage[0] % keys.length]!] = damage[1]
    }
    return value
  })

describe("HotLines.view", () => {
  it("given generated hot lines, some damaged, then it answers only for lines the decoder types to that very line", () => {
    let fast = 0
    fc.assert(
      fc.property(line, (value) => {
        const viewed = HotLines.view(value)
        if (viewed === undefined) return
        expect(RolloutLine.decode(value)).toEqual({ _tag: "Known", line: viewed })
        fast++
      }),
      { numRuns: 1000 }
    )
    // Not vacuous: plain hot lines take the fast path.
    expect(fast).toBeGreaterThan(200)
  })
})
