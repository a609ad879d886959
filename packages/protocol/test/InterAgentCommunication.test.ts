import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as InterAgentCommunication from "@rollout/protocol/InterAgentCommunication"
import * as Json from "@rollout/protocol/Json"

const roundTrip = <S extends Schema.Codec<unknown, unknown>>(schema: S, text: string): string =>
  Json.stringify(Schema.encodeUnknownSync(schema)(Schema.decodeUnknownSync(schema)(JSON.parse(text))))

describe("InterAgentCommunication", () => {
  it.each([
    String.raw`{"author":"/root","recipient":"/root/reviewer","other_recipients":[],"content":"review the diff","trigger_turn":true}`,
    String.raw`{"id":"amsg_1","author":"/root/reviewer","recipient":"/root","other_recipients":["/root/worker"],"content":"done","encrypted_content":"e","internal_chat_message_metadata_passthrough":{"turn_id":"t"},"trigger_turn":false}`
  ])("given the payload %s, when decoded and re-encoded, then the bytes are identical", (text) => {
    expect(roundTrip(InterAgentCommunication.InterAgentCommunication, text)).toBe(text)
  })

  it("given an invalid agent path, when decoded, then it is rejected", () => {
    const decode = Schema.decodeUnknownSync(InterAgentCommunication.InterAgentCommunication)
    expect(() => decode({ author: "root", recipient: "/root", content: "x", trigger_turn: true })).toThrow()
  })

  it("given the metadata payload, when round-tripped, then the bytes are identical", () => {
    const text = '{"trigger_turn":false}'
    expect(roundTrip(InterAgentCommunication.InterAgentCommunicationMetadata, text)).toBe(text)
  })
})
