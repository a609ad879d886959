import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as FastView from "@rollout/protocol/FastView"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as SessionMeta from "@rollout/protocol/SessionMeta"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as Mutation from "./support/Mutation.js"

type Obj = Record<string, unknown>

const parsed = (line: RolloutLine.RolloutLine): Obj => JSON.parse(RolloutLine.encode(line)) as Obj
const at = "2026-07-14T07:06:00.000Z"

describe("FastView.make", () => {
  // Every payload the protocol has: the widest view, so every derived check meets generated lines.
  const all = FastView.make([
    ...EventMsg.EventMsg.schema.members,
    ...ResponseItem.ResponseItem.schema.members,
    TurnContext.TurnContextItem,
    SessionMeta.SessionMetaLine
  ])

  it("given generated lines and their mutations, then a line it answers for decodes Known to that very line", () => {
    let fast = 0
    fc.assert(
      // With and without unknown fields (with them, a line is never fast).
      fc.property(
        fc.oneof(Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }), Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2, maxExtraKeys: 0 })),
        fc.array(Mutation.mutation, { maxLength: 2 }),
        (line, ms) => {
          const value = Mutation.apply(parsed(line), ms) as Obj
          const viewed = all(value)
          if (viewed === undefined) return
          expect(RolloutLine.decode(value)).toEqual({ _tag: "Known", line: viewed })
          expect(viewed).toBe(value)
          fast++
        }
      ),
      { numRuns: 2000 }
    )
    expect(fast).toBeGreaterThan(100)
  })

  it("given lines of a payload it was not given, then it answers undefined", () => {
    const view = FastView.make([TurnEvents.TaskStarted])
    const started = { timestamp: at, type: "event_msg", payload: { type: "task_started", turn_id: "t", model_context_window: null } }
    expect(view(started)).toBe(started)
    expect(view({ ...started, payload: { type: "task_complete", turn_id: "t", last_agent_message: null } })).toBeUndefined()
    expect(
      view({ timestamp: at, type: "turn_context", payload: { cwd: "/", model: "m", approval_policy: "never", sandbox_policy: { type: "read-only" } } })
    ).toBeUndefined()
  })

  it("checks the envelope as RolloutLine declares it, and never crashes on keys named like Object.prototype members", () => {
    const view = FastView.make([TurnEvents.TaskStarted])
    const payload = { type: "task_started", turn_id: "t", model_context_window: 5 }
    expect(view({ timestamp: at, ordinal: 3, type: "event_msg", payload, metadata: { any: [1] } })).toBeDefined()
    for (const line of [
      { timestamp: 1, type: "event_msg", payload },
      { timestamp: at, ordinal: 1.5, type: "event_msg", payload },
      { timestamp: at, type: "event_msg", payload, extra: 1 },
      { timestamp: at, type: "constructor", payload },
      { timestamp: at, type: "event_msg", payload: { ...payload, type: "constructor" } },
      JSON.parse(`{"timestamp":"${at}","type":"event_msg","payload":{"type":"task_started","turn_id":"t","model_context_window":null,"__proto__":1}}`),
      JSON.parse(`{"timestamp":"${at}","type":"event_msg","__proto__":{},"payload":{"type":"task_started","turn_id":"t","model_context_window":null}}`)
    ] as ReadonlyArray<Obj>) {
      expect(view(line)).toBeUndefined()
    }
  })

  it("refuses a schema that is no line's payload", () => {
    expect(() => FastView.make([Schema.Struct({ type: Schema.Literal("task_started") })])).toThrow()
  })
})
