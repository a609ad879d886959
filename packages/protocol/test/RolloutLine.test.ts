import type { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as ContentItem from "@rollout/protocol/ContentItem"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as Wire from "@rollout/protocol/Wire"

const lineType = (schema: Schema.Top): string => Wire.tagOf(schema)

/** Decodes the text of a line, failing the test unless it is `Known`. */
const decodeKnown = (text: string): RolloutLine.RolloutLine => {
  const decoded = RolloutLine.decode(JSON.parse(text))
  if (decoded._tag !== "Known") throw new Error(`expected Known, got ${JSON.stringify(decoded)}`)
  return decoded.line
}

describe("RolloutLine property: every line type round-trips through its canonical text", () => {
  const members = RolloutLine.RolloutLine.members

  it("given the line schemas, then they are exactly the line types decode knows", () => {
    expect(new Set(members.map(lineType))).toEqual(RolloutLine.types)
  })

  it.each(members.map((schema) => [lineType(schema), schema] as const))(
    "given any generated %s line, when encoded, parsed and decoded, then it is Known, equal to the value and re-encodes to the same text",
    (_, schema) => {
      fc.assert(
        fc.property(Arbitrary.of(schema, { maxLength: 2 }), (line) => {
          const text = RolloutLine.encode(line)
          const decoded = decodeKnown(text)
          expect(decoded).toEqual(line)
          expect(RolloutLine.encode(decoded)).toBe(text)
        }),
        { numRuns: 100 }
      )
    }
  )
})

describe("RolloutLine.decode outcomes", () => {
  const envelope = '{"timestamp":"2026-07-14T07:05:33.412Z"'

  it("given a line type this version does not know, when decoded, then it is Unknown and named", () => {
    expect(RolloutLine.decode(JSON.parse(`${envelope},"type":"future_line","payload":{"a":1}}`))).toEqual({
      _tag: "Unknown",
      what: "future_line"
    })
  })

  it("given an event tag this version does not know, when decoded, then it is Unknown as event_msg/<tag>", () => {
    expect(RolloutLine.decode(JSON.parse(`${envelope},"type":"event_msg","payload":{"type":"future_event","x":1}}`))).toEqual({
      _tag: "Unknown",
      what: "event_msg/future_event"
    })
  })

  it("given a response item tag this version does not know, when decoded, then it is Unknown as response_item/<tag>", () => {
    expect(RolloutLine.decode(JSON.parse(`${envelope},"type":"response_item","payload":{"type":"other"}}`))).toEqual({
      _tag: "Unknown",
      what: "response_item/other"
    })
  })

  it.each([
    ["no timestamp", { type: "session_meta", payload: {} }],
    ["a numeric timestamp", { timestamp: 1, type: "session_meta", payload: {} }],
    ["no type", { timestamp: "2026-07-14T07:05:33.412Z", payload: {} }],
    ["a non-string type", { timestamp: "2026-07-14T07:05:33.412Z", type: 3, payload: {} }],
    ["no payload", { timestamp: "2026-07-14T07:05:33.412Z", type: "compacted" }],
    ["a fractional ordinal", { timestamp: "2026-07-14T07:05:33.412Z", ordinal: 1.5, type: "compacted", payload: { message: "" } }],
    ["an array", []],
    ["a string", "line"],
    ["null", null]
  ])("given an envelope with %s, when decoded, then it is Invalid envelope", (_, json) => {
    expect(RolloutLine.decode(json)).toMatchObject({ _tag: "Invalid", what: "envelope" })
  })

  it.each([
    ["session_meta", { id: "x" }, "session_meta"],
    ["compacted", { message: 5 }, "compacted"],
    ["turn_context", { cwd: "/" }, "turn_context"],
    ["world_state", { full: "yes", state: {} }, "world_state"],
    ["inter_agent_communication_metadata", {}, "inter_agent_communication_metadata"],
    ["response_item", { type: "message", role: "user" }, "response_item/message"],
    ["response_item", { role: "user", content: [] }, "response_item"],
    ["response_item", "text", "response_item"],
    ["event_msg", { type: "task_started" }, "event_msg/task_started"],
    ["event_msg", { type: "user_message", message: 1 }, "event_msg/user_message"],
    ["event_msg", [], "event_msg"]
  ])("given a known %s line with the bad payload %j, when decoded, then it is Invalid %s, never Unknown", (type, payload, what) => {
    const decoded = RolloutLine.decode({ timestamp: "2026-07-14T07:05:33.412Z", type, payload })
    expect(decoded).toMatchObject({ _tag: "Invalid", what })
  })
})

describe("legacy image details auto and low", () => {
  const line = (payload: string) => `{"timestamp":"2026-03-02T10:00:05.000Z","type":"response_item","payload":${payload}}`

  it.each(["auto", "low"] as const)(
    "given a message input_image with detail %s, when decoded and re-encoded, then the value is kept and the bytes are identical",
    (detail) => {
      const text = line(
        `{"type":"message","role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"${detail}"}]}`
      )
      const decoded = decodeKnown(text)
      expect(decoded).toMatchObject({ payload: { type: "message", content: [{}, { type: "input_image", detail }] } })
      expect(RolloutLine.encode(decoded)).toBe(text)
    }
  )

  it.each(["auto", "low"] as const)(
    "given a function_call_output image item with detail %s, when decoded and re-encoded, then the value is kept and the bytes are identical",
    (detail) => {
      const text = line(
        `{"type":"function_call_output","call_id":"call_1","output":[{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"${detail}"}]}`
      )
      const decoded = decodeKnown(text)
      expect(decoded).toMatchObject({ payload: { type: "function_call_output", output: [{ type: "input_image", detail }] } })
      expect(RolloutLine.encode(decoded)).toBe(text)
    }
  )
})

/**
 * decode ∘ encode = identity and encode is stable, for every member of a tagged family: one
 * property per member, so rare members are exercised as often as common ones.
 */
const familyRoundTrip = <Members extends ReadonlyArray<Schema.Top>>(name: string, family: Wire.Family<Members>, numRuns: number) =>
  describe(`${name} property: every member round-trips`, () => {
    it.each(family.schema.members.map((member) => [Wire.tagOf(member), member] as const))(
      `given any generated ${name} %s, when encoded and decoded, then it equals the value and re-encodes to the same text`,
      (_, member) => {
        fc.assert(
          fc.property(Arbitrary.of(member, { maxLength: 2 }), (value) => {
            const text = Json.stringify(family.encode(value))
            const decoded = family.decode(JSON.parse(text))
            expect(decoded).toEqual({ _tag: "Known", value })
            if (decoded._tag === "Known") expect(Json.stringify(family.encode(decoded.value))).toBe(text)
          }),
          { numRuns }
        )
      }
    )
  })

familyRoundTrip("ResponseItem", ResponseItem.ResponseItem, 60)
familyRoundTrip("EventMsg", EventMsg.EventMsg, 30)
familyRoundTrip("ContentItem", ContentItem.ContentItem, 100)
familyRoundTrip("FunctionCallOutputContentItem", ContentItem.FunctionCallOutputContentItem, 100)
