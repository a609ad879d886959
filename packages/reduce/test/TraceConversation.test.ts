import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TraceConversation from "../src/internal/TraceConversation.js"

const text = fc.string({ unit: "grapheme", maxLength: 20 })
/** Model items of the kinds Codex sends, with arbitrary text. */
const modelItem = fc.oneof(
  fc.record({
    type: fc.constant("message"),
    role: fc.constantFrom("user", "developer", "assistant"),
    content: fc.array(fc.record({ type: fc.constant("input_text"), text }), { maxLength: 3 })
  }),
  fc.record({ type: fc.constant("function_call"), name: text, arguments: fc.oneof(text, fc.json()), call_id: text }),
  fc.record({ type: fc.constant("function_call_output"), call_id: text, output: fc.oneof(text, fc.jsonValue()) }),
  fc.record({ type: fc.constant("custom_tool_call"), name: fc.constantFrom("exec", "apply_patch"), input: text, call_id: text }),
  fc.record({
    type: fc.constant("reasoning"),
    summary: fc.array(fc.record({ type: fc.constant("summary_text"), text }), { maxLength: 2 }),
    encrypted_content: text
  })
)

const asItem = (n: TraceConversation.Normalized) => ({
  item_id: "conversation_item:1",
  thread_id: "T",
  codex_turn_id: null,
  first_seen_at_unix_ms: 0,
  role: n.role,
  channel: n.channel,
  kind: n.kind,
  ...(n.agent_message === null ? {} : { agent_message: n.agent_message }),
  body: { parts: n.parts },
  call_id: n.call_id,
  produced_by: []
})

describe("TraceConversation", () => {
  it("given any model item, when normalized from two payloads, then they match unless a part is a payload reference (§4.5.1)", () => {
    fc.assert(
      fc.property(modelItem, (item) => {
        const a = TraceConversation.normalize(item, "raw_payload:1")
        const b = TraceConversation.normalize(item, "raw_payload:2")
        expect(TraceConversation.matches(asItem(a), TraceConversation.normalize(item, "raw_payload:1"))).toBe(true)
        expect(TraceConversation.matches(asItem(a), b)).toBe(!a.parts.some((p) => p.type === "payload_ref"))
      })
    )
  })

  it("given any JSON value, when summarized, then the summary is its sorted compact JSON, cut on a character boundary at 240 bytes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const summary = TraceConversation.jsonSummary(value)
        const bytes = Buffer.byteLength(summary)
        if (summary.endsWith("...") && bytes > 240) {
          expect(bytes).toBeLessThanOrEqual(243)
          expect(Buffer.from(summary.slice(0, -3)).toString()).toBe(summary.slice(0, -3))
        } else expect(JSON.parse(summary)).toEqual(JSON.parse(JSON.stringify(value)))
      })
    )
  })

  it("given function call arguments, when normalized, then JSON text becomes a json part with sorted keys and other text a text part", () => {
    const part = (args: string) => TraceConversation.normalize({ type: "function_call", arguments: args, call_id: "c" }, "raw_payload:3").parts
    expect(part('{"b":1,"a":{"d":2,"c":3}}')).toEqual([{ type: "json", summary: '{"a":{"c":3,"d":2},"b":1}', raw_payload_id: "raw_payload:3" }])
    expect(part("ls -la")).toEqual([{ type: "text", text: "ls -la" }])
  })

  it("given a reasoning item seen encrypted only, when the readable one arrives, then summary and text are merged in front of the encrypted identity", () => {
    const encrypted = TraceConversation.normalize({ type: "reasoning", summary: [], encrypted_content: "E" }, "raw_payload:1")
    const readable = TraceConversation.normalize(
      { type: "reasoning", summary: [{ type: "summary_text", text: "s" }], content: [{ type: "text", text: "t" }], encrypted_content: "E" },
      "raw_payload:2"
    )
    expect(TraceConversation.matches(asItem(encrypted), readable)).toBe(true)
    expect(TraceConversation.mergeReasoning(encrypted.parts, readable.parts)).toEqual([
      { type: "text", text: "t" },
      { type: "summary", text: "s" },
      { type: "encoded", label: "encrypted_content", value: "E" }
    ])
  })
})
