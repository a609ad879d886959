import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as UndeclaredFields from "@rollout/protocol/UndeclaredFields"
import * as Wire from "@rollout/protocol/Wire"

const line = (payload: object, extra: object = {}) => ({ timestamp: "2026-07-14T07:05:41.001Z", type: "event_msg", payload, ...extra })

describe("UndeclaredFields.find", () => {
  it("given a line with only declared fields, then finds none", () => {
    expect(UndeclaredFields.find(RolloutLine.RolloutLine, line({ type: "agent_message", message: "hi" }))).toEqual([])
  })

  it("given extra fields in the envelope, the payload and a nested struct, then names each by path", () => {
    const value = line({ type: "task_complete", turn_id: "t", error: { message: "m", extra_info: 1 }, later: true }, { shiny: 1 })
    expect(UndeclaredFields.find(RolloutLine.RolloutLine, value)).toEqual(["payload.error.extra_info", "payload.later", "shiny"])
  })

  it("given an array of open structs, then paths carry the index", () => {
    const item = {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "a" },
        { type: "input_text", text: "b", weight: 2 }
      ]
    }
    expect(UndeclaredFields.find(RolloutLine.RolloutLine, { timestamp: "t", type: "response_item", payload: item })).toEqual(["payload.content[1].weight"])
  })

  it("given a record or an opaque JSON subtree, then any key is declared", () => {
    const schema = Wire.struct({ map: Schema.Record(Schema.String, Schema.Number), opaque: Wire.Json })
    expect(UndeclaredFields.find(schema, { map: { anything: 1 }, opaque: { deep: { er: 1 } } })).toEqual([])
  })

  it("given a compaction's replacement history (a union of the item family and any other item), then message fields are declared", () => {
    const line = {
      timestamp: "2026-07-14T07:06:00.000Z",
      type: "compacted",
      payload: {
        message: "summary",
        replacement_history: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }]
      }
    }
    expect(UndeclaredFields.find(RolloutLine.RolloutLine, line)).toEqual([])
  })
})
