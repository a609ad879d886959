import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as TraceEvent from "@rollout/protocol/TraceEvent"

// Lines of the spec's §2.4 examples (envelope prefix restored).
const examples = [
  '{"schema_version":1,"seq":1,"wall_time_unix_ms":1767225600001,"rollout_id":"R","thread_id":null,"codex_turn_id":null,"payload":{"type":"rollout_started","trace_id":"6f1c","root_thread_id":"T0"}}',
  '{"schema_version":1,"seq":5,"wall_time_unix_ms":1767225600900,"rollout_id":"R","thread_id":"T0","codex_turn_id":"turn-1","payload":{"type":"tool_call_started","tool_call_id":"call_1","model_visible_call_id":"call_1","code_mode_runtime_tool_id":null,"requester":{"type":"model"},"kind":{"type":"exec_command"},"summary":{"type":"generic","label":"exec_command","input_preview":"{\\"cmd\\":\\"ls\\"}","output_preview":null},"invocation_payload":{"raw_payload_id":"raw_payload:3","kind":{"type":"tool_invocation"},"path":"payloads/3.json"}}}',
  '{"schema_version":1,"seq":10,"wall_time_unix_ms":1767225601200,"rollout_id":"R","thread_id":"T0","codex_turn_id":"turn-1","payload":{"type":"inference_failed","inference_call_id":"c44d","upstream_request_id":null,"error":"stream disconnected","partial_response_payload":null}}',
  '{"schema_version":1,"seq":25,"wall_time_unix_ms":1767225609002,"rollout_id":"R","thread_id":null,"codex_turn_id":null,"payload":{"type":"other","kind":"experiment","summary":"x","payloads":[],"metadata":{}}}'
]

describe("TraceEvent", () => {
  it("given the spec's example lines, when decoded, then each is an event of its type", () => {
    const types = examples.map((line) => {
      const decoded = TraceEvent.decode(JSON.parse(line))
      return Result.isSuccess(decoded) ? decoded.success.payload.type : decoded.failure
    })
    expect(types).toEqual(["rollout_started", "tool_call_started", "inference_failed", "other"])
  })

  it("given Codex 0.169's schema 2 lines, when decoded, then acceptance (with its agent message ref) and recording completion are events", () => {
    const env = '"schema_version":2,"seq":6,"wall_time_unix_ms":1,"rollout_id":"R","thread_id":"T0","codex_turn_id":"u1"'
    const ref = { raw_payload_id: "raw_payload:13", kind: { type: "protocol_event" }, path: "payloads/13.json" }
    const lines = [
      `{${env},"payload":{"type":"history_item_accepted","item_id":"fc_1_0"}}`,
      `{${env},"payload":{"type":"history_item_accepted","item_id":"amsg_1","agent_message_payload":${JSON.stringify(ref)}}}`,
      `{${env},"payload":{"type":"recording_completed"}}`
    ]
    const payloads = lines.map((line) => Result.getOrThrow(TraceEvent.decode(JSON.parse(line))).payload)
    expect(payloads.map((p) => p.type)).toEqual(["history_item_accepted", "history_item_accepted", "recording_completed"])
    expect(payloads.map((p) => TraceEvent.payloadRefs(p))).toEqual([[], [ref], []])
  })

  it("given optional keys left out and unknown keys added, when decoded, then it is accepted as serde would", () => {
    const decoded = TraceEvent.decode({
      seq: 2,
      wall_time_unix_ms: 3,
      extra: true,
      payload: { type: "inference_cancelled", inference_call_id: "i", reason: "r", future: 1 }
    })
    expect(Result.isSuccess(decoded)).toBe(true)
  })

  it.each([
    ["an unknown payload type", { seq: 1, wall_time_unix_ms: 1, payload: { type: "thread_paused" } }],
    ["a missing required field", { seq: 1, wall_time_unix_ms: 1, payload: { type: "thread_ended", thread_id: "t" } }],
    ["an unknown status", { seq: 1, wall_time_unix_ms: 1, payload: { type: "thread_ended", thread_id: "t", status: "done" } }],
    ["a negative seq", { seq: -1, wall_time_unix_ms: 1, payload: { type: "rollout_ended", status: "completed" } }],
    [
      "an unknown payload kind",
      {
        seq: 1,
        wall_time_unix_ms: 1,
        payload: {
          type: "protocol_event_observed",
          event_type: "x",
          event_payload: { raw_payload_id: "raw_payload:1", kind: { type: "blob" }, path: "payloads/1.json" }
        }
      }
    ]
  ])("given %s, when decoded, then the line is rejected", (_, json) => {
    expect(Result.isFailure(TraceEvent.decode(json))).toBe(true)
  })

  it("given any event, when its payload refs are listed, then they are exactly the refs the payload holds", () => {
    fc.assert(
      fc.property(Arbitrary.of(TraceEvent.TraceEventPayload, { maxLength: 2 }), (payload) => {
        const found: Array<unknown> = []
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk)
          else if (typeof v === "object" && v !== null) {
            if ("raw_payload_id" in v && "path" in v) found.push(v)
            else Object.entries(v).forEach(([k, x]) => k !== "metadata" && walk(x))
          }
        }
        walk(payload)
        expect(TraceEvent.payloadRefs(payload)).toEqual(found)
      }),
      { numRuns: 300 }
    )
  })

  it("given any event, when encoded and decoded, then it comes back equal", () => {
    const encode = Schema.encodeSync(TraceEvent.TraceEvent)
    fc.assert(
      fc.property(Arbitrary.of(TraceEvent.TraceEvent, { maxLength: 2 }), (event) => {
        const back = TraceEvent.decode(JSON.parse(JSON.stringify(encode(event))))
        expect(Result.isSuccess(back) ? back.success : back.failure).toEqual(JSON.parse(JSON.stringify(event)))
      }),
      { numRuns: 200 }
    )
  })
})
