import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItem from "@rollout/protocol/ResponseItem"

const Family = ResponseItem.ResponseItem

const decodeKnown = (json: unknown): ResponseItem.ResponseItem => {
  const decoded = Family.decode(json)
  if (decoded._tag !== "Known") throw new Error(`expected Known, got ${JSON.stringify(decoded)}`)
  return decoded.value
}
const write = (value: ResponseItem.ResponseItem): string => Json.stringify(Family.encode(value))
const roundTrip = (text: string): string => write(decodeKnown(JSON.parse(text)))

describe("ResponseItem spec examples", () => {
  it.each([
    String.raw`{"type":"message","role":"user","content":[{"type":"input_text","text":"fix the failing test"}]}`,
    String.raw`{"type":"reasoning","id":"rs_0198f2a5-0000-7000-8000-00000000aaaa","summary":[{"type":"summary_text","text":"**Inspecting tests**"}],"content":null,"encrypted_content":"gAAAAABo…"}`,
    String.raw`{"type":"function_call","id":"fc_0198f2a5-0000-7000-8000-00000000bbbb","name":"exec_command","arguments":"{\"cmd\":\"cargo test\",\"workdir\":\"/home/ana/proj\"}","call_id":"call_7Hq2"}`,
    String.raw`{"type":"function_call_output","id":"fco_0198f2a5-0000-7000-8000-00000000cccc","call_id":"call_7Hq2","output":"Process exited with code 0\nOutput:\nok"}`,
    String.raw`{"type":"custom_tool_call","id":"ctc_0198f2a5-0000-7000-8000-00000000dddd","status":"completed","call_id":"call_P4tc","name":"apply_patch","input":"*** Begin Patch\n*** End Patch\n"}`,
    String.raw`{"type":"custom_tool_call_output","call_id":"call_P4tc","output":"Success. Updated the following files:\nM src/lib.rs\n"}`,
    String.raw`{"type":"web_search_call","id":"ws_68a1","status":"completed","action":{"type":"search","query":"serde flatten"}}`,
    String.raw`{"type":"local_shell_call","call_id":"call_L1","status":"completed","action":{"type":"exec","command":["ls","-la"],"timeout_ms":null,"working_directory":null,"env":null,"user":null}}`,
    String.raw`{"type":"message","id":"msg_0198f2a5-0000-7000-8000-00000000eeee","role":"assistant","content":[{"type":"output_text","text":"All tests pass."}],"phase":"final_answer"}`,
    String.raw`{"type":"compaction","encrypted_content":"gAAAAABq…"}`,
    String.raw`{"type":"message","role":"user","content":[{"type":"input_text","text":"hello"}]}`,
    String.raw`{"type":"message","id":"msg_0198f2a6-1111-7222-8333-444455556666","role":"user","content":[{"type":"input_text","text":"<hook_prompt hook_run_id=\"stop:0:/home/ana/.codex/hooks.json\">Run the tests before finishing &amp; report results.</hook_prompt>"}]}`,
    String.raw`{"type":"message","role":"developer","content":[{"type":"input_text","text":"<rollout_budget>\nYou have 20 weighted tokens left in the shared session token budget.\n</rollout_budget>"}]}`
  ])("given the Codex-written payload %s, when decoded and re-encoded, then the bytes are identical", (text) => {
    expect(roundTrip(text)).toBe(text)
  })
})

describe("ResponseItem variants", () => {
  it.each([
    String.raw`{"type":"additional_tools","id":"at_1","role":"developer","tools":[{"type":"function","name":"x","parameters":{"b":1,"a":2}}]}`,
    String.raw`{"type":"message","encrypted_content":"enc","status":"completed","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"hi","annotations":[]}],"phase":"partial_answer","internal_chat_message_metadata_passthrough":{"turn_id":"t1","create_time":1784013600.0}}`,
    String.raw`{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}],"end_turn":true,"phase":"commentary"}`,
    String.raw`{"type":"agent_message","id":"amsg_1","author":"/root","recipient":"/root/reviewer","content":[{"type":"input_text","text":"look"},{"type":"encrypted_content","encrypted_content":"e"}]}`,
    String.raw`{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"a"},{"type":"text","text":"b"}],"encrypted_content":null}`,
    String.raw`{"type":"local_shell_call","encrypted_content":"e","id":"lsh_1","call_id":null,"status":"in_progress","action":{"type":"exec","command":["env"],"timeout_ms":5000,"working_directory":"/tmp","env":{"PATH":"/bin","HOME":"/root"},"user":"ana"}}`,
    String.raw`{"type":"function_call","encrypted_content":"e","status":"completed","id":"fc_1","name":"spawn","namespace":"agents","arguments":"{}","encrypted_function_args":[],"call_id":"c1"}`,
    String.raw`{"type":"tool_search_call","id":"tsc_1","call_id":null,"status":"completed","execution":"client","arguments":{"query":"x","limit":1}}`,
    String.raw`{"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"ok"}]}`,
    String.raw`{"type":"function_call_output","id":"fco_1","name":"spawn","namespace":"agents","output":"ok"}`,
    String.raw`{"type":"custom_tool_call_output","id":"ctco_1","call_id":"c2","name":"apply_patch","output":"done"}`,
    String.raw`{"type":"tool_search_output","call_id":"c3","status":"completed","execution":"client","tools":[]}`,
    String.raw`{"type":"web_search_call","status":"completed","action":{"type":"open_page","url":"https://example.com"}}`,
    String.raw`{"type":"web_search_call","action":{"type":"find_in_page","url":"https://example.com","pattern":"x"}}`,
    String.raw`{"type":"web_search_call","action":{"type":"search","queries":["a","b"]}}`,
    String.raw`{"type":"web_search_call","id":"ws_2","status":"completed","action":{"type":"other"}}`,
    String.raw`{"type":"image_generation_call","id":"ig_1","status":"completed","revised_prompt":"a cat","result":"iVBORw0KGgo="}`,
    String.raw`{"type":"compaction","id":"cmp_1","encrypted_content":"e","internal_chat_message_metadata_passthrough":{"turn_id":"t"}}`,
    String.raw`{"type":"configuration_update","reasoning":{"effort":"high"}}`,
    String.raw`{"type":"compaction_trigger"}`,
    String.raw`{"type":"context_compaction","id":"cmp_2"}`
  ])("given %s, when decoded and re-encoded, then the bytes are identical", (text) => {
    expect(roundTrip(text)).toBe(text)
  })

  it("given the legacy tag compaction_summary, when decoded, then it is its own variant and keeps its tag", () => {
    const text = '{"type":"compaction_summary","encrypted_content":"gAAA"}'
    expect(decodeKnown(JSON.parse(text)).type).toBe("compaction_summary")
    expect(roundTrip(text)).toBe(text)
  })

  it("given a legacy ghost_snapshot, when decoded, then it is its own variant and round-trips", () => {
    const text = String.raw`{"type":"ghost_snapshot","ghost_commit":{"id":"abc","parent":null,"preexisting_untracked_files":["a"],"preexisting_untracked_dirs":[]}}`
    expect(decodeKnown(JSON.parse(text)).type).toBe("ghost_snapshot")
    expect(roundTrip(text)).toBe(text)
  })

  it("given an unknown tag, when decoded, then the family reports it as unknown", () => {
    expect(Family.decode({ type: "other" })).toEqual({ _tag: "Unknown", tag: "other" })
    expect(Family.decode({ type: "future_item", x: 1 })).toEqual({ _tag: "Unknown", tag: "future_item" })
  })

  it("given unknown fields, when round-tripped, then they follow the declared fields", () => {
    expect(roundTrip('{"type":"compaction","future":[1],"encrypted_content":"e"}')).toBe('{"type":"compaction","encrypted_content":"e","future":[1]}')
  })

  it("given a message with an unknown content type, when decoded, then it is invalid as Codex rejects it", () => {
    expect(Family.decode({ type: "message", role: "user", content: [{ type: "input_file" }] })._tag).toBe("Invalid")
  })

  it("given a message with an unknown phase, when decoded, then it is invalid", () => {
    expect(Family.decode({ type: "message", role: "assistant", content: [], phase: "thinking" })._tag).toBe("Invalid")
  })

  it("given a known web search action tag with a bad payload, when decoded, then it is invalid, not other", () => {
    expect(Family.decode({ type: "web_search_call", action: { type: "search", query: 5 } })._tag).toBe("Invalid")
  })

  it("given an unknown web search action, when round-tripped, then its tag and fields are kept", () => {
    const text = '{"type":"web_search_call","action":{"type":"screenshot","page":2}}'
    expect(roundTrip(text)).toBe(text)
  })

  it("given an agent_message with an invalid agent path, when decoded, then it is invalid", () => {
    expect(Family.decode({ type: "agent_message", author: "/root/", recipient: "/root", content: [] })._tag).toBe("Invalid")
  })

  it("given a local shell status Codex does not know, when decoded, then it is invalid", () => {
    const action = { type: "exec", command: [], timeout_ms: null, working_directory: null, env: null, user: null }
    expect(Family.decode({ type: "local_shell_call", call_id: null, status: "queued", action })._tag).toBe("Invalid")
  })

  it("given function_call arguments, when decoded, then they stay the exact string written", () => {
    const item = decodeKnown({ type: "function_call", name: "f", arguments: '{"b": 1.0, "a":2}', call_id: "c" })
    expect(item).toMatchObject({ arguments: '{"b": 1.0, "a":2}' })
  })
})

describe("reasoning content quirk", () => {
  const base = '{"type":"reasoning","summary":[{"type":"summary_text","text":"s"}]'

  it("given content null on the wire, when decoded, then it stays null and is written as null", () => {
    const text = `${base},"content":null,"encrypted_content":"e"}`
    expect(decodeKnown(JSON.parse(text))).toMatchObject({ content: null })
    expect(roundTrip(text)).toBe(text)
  })

  it("given no content key on the wire, when decoded, then it reads as [] and re-encodes without the key", () => {
    const text = `${base},"encrypted_content":"e"}`
    expect(decodeKnown(JSON.parse(text))).toMatchObject({ content: [] })
    expect(roundTrip(text)).toBe(text)
  })

  it("given a reasoning item built in code without content, when encoded, then content is written as null", () => {
    const item: ResponseItem.Reasoning = { type: "reasoning", summary: [], encrypted_content: null }
    expect(write(item)).toBe('{"type":"reasoning","summary":[],"content":null,"encrypted_content":null}')
  })

  it("given content [], when encoded, then the key is omitted", () => {
    const item: ResponseItem.Reasoning = { type: "reasoning", summary: [], content: [], encrypted_content: "e" }
    expect(write(item)).toBe('{"type":"reasoning","summary":[],"encrypted_content":"e"}')
  })

  it("given content with only text parts, when encoded, then the key is omitted as Codex does", () => {
    const item: ResponseItem.Reasoning = {
      type: "reasoning",
      summary: [],
      content: [{ type: "text", text: "t" }],
      encrypted_content: null
    }
    expect(write(item)).toBe('{"type":"reasoning","summary":[],"encrypted_content":null}')
  })

  it("given content with a reasoning_text part, when encoded, then it is written as-is", () => {
    const item: ResponseItem.Reasoning = {
      type: "reasoning",
      id: "rs_1",
      summary: [],
      content: [{ type: "reasoning_text", text: "r" }],
      encrypted_content: null
    }
    expect(write(item)).toBe('{"type":"reasoning","id":"rs_1","summary":[],"content":[{"type":"reasoning_text","text":"r"}],"encrypted_content":null}')
  })

  it("given encrypted_content missing, when decoded, then it is invalid (Codex always writes it)", () => {
    expect(Family.decode({ type: "reasoning", summary: [] })._tag).toBe("Invalid")
  })

  it("given any reasoning content, when encoded then decoded then encoded, then the bytes are stable", () => {
    const part = fc.record({ type: fc.constantFrom("reasoning_text" as const, "text" as const), text: fc.string() })
    const content = fc.option(fc.option(fc.array(part), { nil: null }), { nil: undefined })
    fc.assert(
      fc.property(content, (c) => {
        const item: ResponseItem.Reasoning =
          c === undefined
            ? { type: "reasoning", summary: [], encrypted_content: null }
            : { type: "reasoning", summary: [], content: c, encrypted_content: null }
        const once = write(item)
        expect(roundTrip(once)).toBe(once)
      })
    )
  })
})

describe("message round trip property", () => {
  const contentItem = fc.oneof(
    fc.record({ type: fc.constant("input_text" as const), text: fc.string() }),
    fc.record({
      type: fc.constant("input_image" as const),
      image_url: fc.webUrl(),
      detail: fc.constantFrom("auto" as const, "low" as const, "high" as const, "original" as const)
    }),
    fc.record({ type: fc.constant("output_text" as const), text: fc.string() })
  )
  const message = fc.record(
    {
      type: fc.constant("message" as const),
      id: fc.string(),
      role: fc.constantFrom("user", "assistant", "developer", "system"),
      content: fc.array(contentItem),
      phase: fc.constantFrom("commentary" as const, "final_answer" as const, "partial_answer" as const)
    },
    { requiredKeys: ["type", "role", "content"] }
  )

  it("given any message written by us, when read back and rewritten, then the bytes are identical", () => {
    fc.assert(
      fc.property(message, (m) => {
        const text = write(m)
        expect(roundTrip(text)).toBe(text)
      })
    )
  })
})

describe("AnyResponseItem", () => {
  const decode = Schema.decodeUnknownSync(Schema.Array(ResponseItem.AnyResponseItem))
  const encode = Schema.encodeUnknownSync(Schema.Array(ResponseItem.AnyResponseItem))

  it("given known and unknown items in one array, when round-tripped, then every item is kept as written", () => {
    const text = String.raw`[{"type":"message","role":"user","content":[{"type":"input_text","text":"a"}]},{"type":"future","z":{"b":1}},{"type":"reasoning","summary":[],"encrypted_content":"e"}]`
    expect(Json.stringify(encode(decode(JSON.parse(text))))).toBe(text)
  })

  it("given a known tag with a bad payload, when decoded, then it does not pass as unknown", () => {
    expect(() => decode([{ type: "message", role: "user" }])).toThrow()
  })
})
