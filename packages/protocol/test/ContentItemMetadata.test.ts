import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as ContentItemMetadata from "@rollout/protocol/ContentItemMetadata"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as UndeclaredFields from "@rollout/protocol/UndeclaredFields"

const Metadata = ContentItemMetadata.ContentItemMetadata
const decode = Schema.decodeUnknownSync(Metadata)
const encode = Schema.encodeUnknownSync(Metadata)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

describe("ContentItemMetadata", () => {
  it.each([
    // Written by Codex 0.171 (fixtures/matrix/0.171.0).
    '{"provenance":{"type":"skills"}}',
    '{"provenance":{"type":"harness","hook":false}}',
    '{"provenance":{"type":"tool","namespace":"tool_search"}}',
    '{"provenance":{"type":"user"}}',
    // The other sources Codex writes, and the fields older entries carry instead.
    '{"provenance":{"type":"developer_instructions","from_additional_requirements":true}}',
    '{"provenance":{"type":"agents_md"}}',
    '{"provenance":{"type":"unknown"}}',
    '{"harness_injected":true}',
    '{"harness_injected":false,"source_tool_namespace":"functions"}'
  ])("given %s, when decoded and re-encoded, then the bytes are identical and no field is undeclared", (text) => {
    expect(roundTrip(text)).toBe(text)
    expect(UndeclaredFields.find(Metadata, JSON.parse(text))).toEqual([])
  })

  it("given a provenance tag this version does not type, then it is kept as written", () => {
    const text = '{"provenance":{"type":"user_configured","origin":"x"}}'
    expect(roundTrip(text)).toBe(text)
  })

  it("given a known provenance tag with a bad payload, then it is rejected", () => {
    expect(() => decode({ provenance: { type: "developer_instructions", from_additional_requirements: "yes" } })).toThrow()
  })

  it("given a message whose passthrough carries it, then the message round-trips with no undeclared field", () => {
    const text =
      '{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}],"internal_chat_message_metadata_passthrough":{"turn_id":"t","create_time":1796610385.5253356,"content_item_kinds":["user.text"],"content_item_metadata":[{"provenance":{"type":"user"}}]}}'
    const decoded = ResponseItem.ResponseItem.decode(JSON.parse(text))
    if (decoded._tag !== "Known") throw new Error(JSON.stringify(decoded))
    expect(Json.stringify(ResponseItem.ResponseItem.encode(decoded.value))).toBe(text)
    expect(UndeclaredFields.find(ResponseItem.ResponseItem.schema, JSON.parse(text))).toEqual([])
  })

  it("property: any generated entry re-encodes to the text it was decoded from", () => {
    fc.assert(
      fc.property(Arbitrary.of(Metadata, { maxLength: 2 }), (value) => {
        const text = Json.stringify(encode(value))
        expect(roundTrip(text)).toBe(text)
      }),
      { numRuns: 200 }
    )
  })
})
