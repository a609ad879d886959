import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Compacted from "@rollout/protocol/Compacted"
import * as Json from "@rollout/protocol/Json"

const decode = Schema.decodeUnknownSync(Compacted.CompactedItem)
const encode = Schema.encodeUnknownSync(Compacted.CompactedItem)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

describe("CompactedItem", () => {
  it.each([
    [
      "the G3 spec example",
      String.raw`{"message":"Summary of work so far…","replacement_history":[{"type":"message","role":"user","content":[{"type":"input_text","text":"fix the failing test"}]}],"compaction_response_id":null,"latest_token_usage_record":null}`
    ],
    ["the G1 spec example", String.raw`{"message":"Summary of work so far…"}`],
    [
      "a G2.9 payload with window fields",
      String.raw`{"message":"","replacement_history":[],"window_number":2,"first_window_id":"w0","previous_window_id":"w1","window_id":"w2"}`
    ],
    ["a legacy payload whose window_id is a number", String.raw`{"message":"m","window_id":3}`],
    [
      "a G3 payload with metadata and a token usage record",
      String.raw`{"message":"m","replacement_history":[{"type":"compaction","encrypted_content":"e"}],"replacement_history_metadata":[{"client_authored":false}],"guardian_history":{},"retained_context":{"k":"v"},"mcp_resource_origins":{},"window_number":1,"window_id":"w","compaction_response_id":"resp_1","latest_token_usage_record":{"thread_id":"t","turn_id":"u","session_id":"s","root_turn_id":"r","response_id":"resp_1","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":0,"total_tokens":15},"turn_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":0,"total_tokens":15},"thread_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":0,"total_tokens":15}},"resume_metadata":{"x":1}}`
    ],
    [
      "a replacement history holding a legacy and an unknown item",
      String.raw`{"message":"m","replacement_history":[{"type":"ghost_snapshot","ghost_commit":{"id":"g","parent":null,"preexisting_untracked_files":[],"preexisting_untracked_dirs":[]}},{"type":"future_item","x":1},{"type":"reasoning","summary":[],"encrypted_content":"e"}]}`
    ]
  ])("given %s, when decoded and re-encoded, then the bytes are identical", (_, text) => {
    expect(roundTrip(text)).toBe(text)
  })

  it("given a numeric window_id, when decoded, then it stays a number in window_id", () => {
    expect(decode({ message: "m", window_id: 3 })).toEqual({ message: "m", window_id: 3 })
  })

  it("given metadata whose length differs from the history, when decoded, then it is rejected", () => {
    expect(() => decode({ message: "m", replacement_history: [], replacement_history_metadata: [{}] })).toThrow()
  })

  it("given a history item with a known tag and a bad payload, when decoded, then the line is rejected", () => {
    expect(() => decode({ message: "m", replacement_history: [{ type: "message", role: "user" }] })).toThrow()
  })
})
