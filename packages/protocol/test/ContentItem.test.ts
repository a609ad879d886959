import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as ContentItem from "@rollout/protocol/ContentItem"
import * as Json from "@rollout/protocol/Json"

/** decode → encode → stringify through a content item family. */
const roundTrip = (family: typeof ContentItem.ContentItem, text: string): string => {
  const decoded = family.decode(JSON.parse(text))
  if (decoded._tag !== "Known") throw new Error(`expected Known, got ${JSON.stringify(decoded)}`)
  return Json.stringify(family.encode(decoded.value))
}

const decodePayload = Schema.decodeUnknownSync(ContentItem.FunctionCallOutputPayload)
const encodePayload = Schema.encodeUnknownSync(ContentItem.FunctionCallOutputPayload)
const payloadRoundTrip = (text: string): string => Json.stringify(encodePayload(decodePayload(JSON.parse(text))))

describe("ContentItem", () => {
  it.each([
    '{"type":"input_text","text":"fix the failing test"}',
    '{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}',
    '{"type":"input_image","image_url":"https://example.com/a.png"}',
    '{"type":"input_image","file_id":"file_0198f2a5","detail":"original"}',
    '{"type":"input_audio","audio_url":"data:audio/wav;base64,UklGRg=="}',
    '{"type":"output_text","text":"All tests pass."}',
    '{"type":"output_text","text":"done","annotations":[],"logprobs":[]}'
  ])("given a Codex-written item %s, when it is decoded and re-encoded, then the bytes are identical", (text) => {
    expect(roundTrip(ContentItem.ContentItem, text)).toBe(text)
  })

  it.each(["auto", "low"])("given a legacy image detail %s, when decoded, then the value is kept and re-encodes verbatim", (detail) => {
    const text = `{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"${detail}"}`
    const decoded = ContentItem.ContentItem.decode(JSON.parse(text))
    expect(decoded).toMatchObject({ _tag: "Known", value: { detail } })
    expect(roundTrip(ContentItem.ContentItem, text)).toBe(text)
  })

  it("given an image detail Codex does not know, when decoded, then it is reported invalid", () => {
    const decoded = ContentItem.ContentItem.decode({ type: "input_image", image_url: "x", detail: "bogus" })
    expect(decoded._tag).toBe("Invalid")
  })

  it("given an input_image with neither image_url nor file_id, when decoded, then it is invalid", () => {
    expect(ContentItem.ContentItem.decode({ type: "input_image", detail: "high" })._tag).toBe("Invalid")
  })

  it("given an unknown field, when round-tripped, then it is kept after the declared fields", () => {
    expect(roundTrip(ContentItem.ContentItem, '{"text":"hi","future":1,"type":"input_text"}')).toBe('{"type":"input_text","text":"hi","future":1}')
  })

  it("given a content type Codex does not know, when decoded, then the family reports it as unknown", () => {
    expect(ContentItem.ContentItem.decode({ type: "input_file", file_id: "f" })).toEqual({ _tag: "Unknown", tag: "input_file" })
  })

  it("given an encrypted_content item, when decoded as message content, then it is not a message content item", () => {
    expect(ContentItem.ContentItem.decode({ type: "encrypted_content", encrypted_content: "x" })._tag).toBe("Unknown")
  })
})

describe("FunctionCallOutputPayload", () => {
  it.each([
    '"Process exited with code 0\\nOutput:\\nok"',
    '[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"low"}]',
    '[{"type":"input_image","file_id":"file_1"},{"type":"input_audio","audio_url":"u"},{"type":"encrypted_content","encrypted_content":"gAAA"}]',
    "[]",
    '{"content":"legacy output","success":true}'
  ])("given the wire form %s, when decoded and re-encoded, then the bytes are identical", (text) => {
    expect(payloadRoundTrip(text)).toBe(text)
  })

  it("given the string form, when decoded, then the value is that string", () => {
    expect(decodePayload("ok")).toBe("ok")
  })

  it("given an output item with an unknown detail, when decoded, then it is rejected", () => {
    expect(() => decodePayload([{ type: "input_image", image_url: "x", detail: "bogus" }])).toThrow()
  })

  it("given an output item of a type outputs do not allow, when decoded, then it is rejected", () => {
    expect(() => decodePayload([{ type: "output_text", text: "x" }])).toThrow()
  })
})
