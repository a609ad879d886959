import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItemMetadata from "@rollout/protocol/ResponseItemMetadata"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as UndeclaredFields from "@rollout/protocol/UndeclaredFields"

const Metadata = ResponseItemMetadata.ResponseItemMetadata
const decode = Schema.decodeUnknownSync(Metadata)
const encode = Schema.encodeUnknownSync(Metadata)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

// Written by Codex 0.169 and 0.171 (fixtures/matrix).
const written = [
  '{"history_sequence":1,"sampled_through_sequence":0,"client_authored":false,"mcp_attribution":{"status":"none"}}',
  '{"history_sequence":4,"sampled_through_sequence":0,"retained_source":{"id":{"message_id":"msg_1","turn_id":"t1","role":"user"},"revision":"r1","complete":true},"client_authored":false,"user_input_order":1,"mcp_attribution":{"status":"none"},"model_search_state":"unused"}',
  '{"history_sequence":9,"sampled_through_sequence":3,"client_authored":false,"fallback_token_limit_override":258400,"model_search_state":"unused"}',
  '{"history_sequence":12,"sampled_through_sequence":11,"client_authored":false,"compaction_output":true}',
  '{"history_sequence":7,"sampled_through_sequence":5,"client_authored":false,"fallback_token_limit_override":12000,"mcp_attribution":{"status":"complete","sources":[{"server_name":"glossary","tool_name":"lookup","first_turn_id":"t1"}]},"model_search_state":"unused"}'
]

describe("ResponseItemMetadata", () => {
  it.each(written)("given the Codex-written metadata %s, when decoded and re-encoded, then the bytes are identical and no field is undeclared", (text) => {
    expect(roundTrip(text)).toBe(text)
    expect(UndeclaredFields.find(Metadata, JSON.parse(text))).toEqual([])
  })

  it("given a malformed mcp_attribution, then it is kept as written (Codex reads it as an attribution error)", () => {
    const text = '{"client_authored":false,"mcp_attribution":"broken"}'
    expect(roundTrip(text)).toBe(text)
  })

  it("given a field a newer Codex adds, then it is kept and named as undeclared", () => {
    const text = '{"history_sequence":1,"client_authored":false,"model_search_state":"used","search_budget":3}'
    expect(roundTrip(text)).toBe(text)
    expect(UndeclaredFields.find(Metadata, JSON.parse(text))).toEqual(["search_budget"])
  })

  it("property: any generated metadata re-encodes to the text it was decoded from", () => {
    fc.assert(
      fc.property(Arbitrary.of(Metadata, { maxLength: 2 }), (value) => {
        const text = Json.stringify(encode(value))
        expect(roundTrip(text)).toBe(text)
      }),
      { numRuns: 200 }
    )
  })
})

describe("a response_item line's metadata", () => {
  const line = (metadata: string) =>
    JSON.parse(`{"timestamp":"2026-12-06T10:00:00.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[]},"metadata":${metadata}}`)

  it("given well-formed metadata, then the line is Known with it typed", () => {
    const decoded = RolloutLine.decode(line(written[1] as string))
    expect(decoded._tag).toBe("Known")
  })

  it("given metadata of the wrong type, then the line is reported as an invalid envelope", () => {
    const decoded = RolloutLine.decode(line('{"history_sequence":"one","client_authored":false}'))
    expect(decoded).toMatchObject({ _tag: "Invalid", what: "envelope" })
  })

  it("given metadata on a line of another type, then it stays opaque", () => {
    const text = '{"timestamp":"2026-12-06T10:00:00.000Z","type":"event_msg","payload":{"type":"agent_message","message":"hi"},"metadata":{"anything":1}}'
    expect(RolloutLine.decode(JSON.parse(text))._tag).toBe("Known")
    expect(UndeclaredFields.find(RolloutLine.RolloutLine, JSON.parse(text))).toEqual([])
  })
})
