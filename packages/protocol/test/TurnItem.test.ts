import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as TurnItem from "@rollout/protocol/TurnItem"

const decode = Schema.decodeUnknownSync(TurnItem.TurnItem)
const decodeResult = Schema.decodeUnknownResult(TurnItem.TurnItem)
const encode = Schema.encodeSync(TurnItem.TurnItem)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

describe("TurnItem round trips", () => {
  it.each([
    ["Plan", '{"type":"Plan","id":"plan-1","text":"1. Reproduce\\n2. Fix"}'],
    [
      "UserMessage",
      '{"type":"UserMessage","id":"u1","content":[{"type":"text","text":"look","text_elements":[{"byte_range":{"start":0,"end":4},"placeholder":null}]},{"type":"image","image_url":"data:image/png;base64,AA==","detail":"auto"},{"type":"local_image","path":"/tmp/a.png"},{"type":"skill","name":"pdf","path":"/s/SKILL.md"},{"type":"mention","name":"gh","path":"app://github"}]}'
    ],
    ["HookPrompt", '{"type":"HookPrompt","id":"h1","fragments":[{"text":"run the tests","hookRunId":"stop:0:/home/ana/.codex/hooks.json"}]}'],
    ["AgentMessage", '{"type":"AgentMessage","id":"m1","content":[{"type":"Text","text":"Done."}],"phase":"final_answer"}'],
    ["Reasoning without raw_content", '{"type":"Reasoning","id":"r1","summary_text":["**Plan**"]}'],
    [
      "McpToolCall",
      '{"type":"McpToolCall","id":"call_M1","server":"github","tool":"search_issues","arguments":{"q":"rollout"},"appName":"GitHub","status":"inProgress"}'
    ],
    [
      "SubAgentActivity (G2.9)",
      '{"type":"SubAgentActivity","id":"call_spawn_9f2","kind":"started","agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/reviewer"}'
    ],
    [
      "SubAgentActivity (G3)",
      '{"type":"SubAgentActivity","model":"gpt-5.2-codex","reasoning_effort":null,"id":"call_spawn_9f2","kind":"completed","agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/reviewer"}'
    ],
    ["Sleep (old shape)", '{"type":"Sleep","id":"call_sl1","duration_ms":30000}'],
    ["Extension clock.sleep", '{"type":"Extension","kind":"clock.sleep","id":"call_sl1","durationMs":30000}'],
    [
      "Extension clock.sleep with outcome",
      '{"type":"Extension","kind":"clock.sleep","id":"call_sl1","durationMs":30000,"outcome":"interrupted","elapsedMs":1200}'
    ],
    [
      "Extension image_gen.generation",
      '{"type":"Extension","kind":"image_gen.generation","id":"ig_1","status":"completed","revisedPrompt":"a cat","result":"iVBOR","transparentBackground":null}'
    ],
    [
      "Extension web.search",
      '{"type":"Extension","kind":"web.search","id":"ws_1","query":"serde flatten","action":{"type":"search","query":"serde flatten"},"results":null}'
    ],
    ["Extension of an unknown kind", '{"type":"Extension","kind":"calendar.event","id":"x1","whenMs":5,"title":"standup"}'],
    ["ImageView", '{"type":"ImageView","id":"iv1","path":"file:///tmp/a.png"}'],
    ["WebSearch", '{"type":"WebSearch","id":"ws1","query":"q","action":{"type":"other"}}'],
    // Written by Codex 0.171 (fixtures/matrix/0.171.0/exec-every-item).
    [
      "CommandExecution",
      String.raw`{"type":"CommandExecution","id":"call_exec_quote","process_id":"15876","command":["/bin/bash","-lc","printf 'one\\ntwo\\n'"],"cwd":"file:///tmp/w","parsed_cmd":[{"type":"unknown","cmd":"printf 'one\\ntwo\\n'"}],"source":"unified_exec_startup","status":"completed","aggregated_output":"one\ntwo\n","exit_code":0,"duration":{"secs":0,"nanos":9829}}`
    ],
    [
      "FileChange",
      String.raw`{"type":"FileChange","id":"call_exec_patch","changes":{"/tmp/w/notes.md":{"type":"add","content":"# Notes\n"}},"status":"completed","stdout":"Success. Updated the following files:\nA notes.md\n","stderr":""}`
    ],
    ["EnteredReviewMode", '{"type":"EnteredReviewMode","id":"e1","target":{"type":"uncommittedChanges"},"user_facing_hint":"current changes"}'],
    ["ExitedReviewMode without output", '{"type":"ExitedReviewMode","id":"x1","review_output":null}'],
    ["ImageGeneration", '{"type":"ImageGeneration","id":"ig_1","status":"completed","revised_prompt":"a cat","result":"Zm9v"}'],
    [
      "DynamicToolCall",
      '{"type":"DynamicToolCall","id":"d1","namespace":"kb","tool":"lookup","arguments":{"k":1},"status":"completed","content_items":[{"type":"inputText","text":"ok"}],"success":true,"duration":{"secs":0,"nanos":5}}'
    ],
    [
      "CollabAgentToolCall",
      '{"type":"CollabAgentToolCall","id":"c1","tool":"spawn_agent","status":"completed","sender_thread_id":"a","receiver_thread_ids":["b"],"prompt":"go","model":"m","reasoning_effort":"medium","agents_states":{}}'
    ],
    [
      "AgentMessage moderated (0.170 block)",
      '{"type":"AgentMessage","id":"m1","content":[],"moderation":{"moderated":true,"display":{"mode":"block","version":1,"reason":{"kind":"cyber","trustedAccess":null}}}}'
    ],
    [
      "AgentMessage moderated (0.170 show, trustedContacts before annotation)",
      '{"type":"AgentMessage","id":"m2","content":[],"moderation":{"moderated":true,"display":{"mode":"show","version":1,"trustedContacts":"skip","annotation":{"kind":"wellbeingHelpline","subject":"prompt"}}}}'
    ],
    ["ContextCompaction", '{"type":"ContextCompaction","id":"cc1"}']
  ])("%s", (_, text) => {
    expect(roundTrip(text)).toBe(text)
  })
})

describe("TurnItem validation", () => {
  it("reports a CommandExecution whose command is not an argument list", () => {
    expect(
      Result.isFailure(decodeResult({ type: "CommandExecution", id: "c1", command: "ls", cwd: "/", parsed_cmd: [], source: "agent", status: "completed" }))
    ).toBe(true)
  })

  it("reports a malformed known extension instead of keeping it as an unknown kind", () => {
    const result = decodeResult({ type: "Extension", kind: "clock.sleep", id: "call_sl1", durationMs: "30s" })
    expect(Result.isFailure(result)).toBe(true)
  })

  it("rejects a SubAgentActivity with an invalid agent path", () => {
    const result = decodeResult({ type: "SubAgentActivity", id: "c", kind: "started", agent_thread_id: "t", agent_path: "/root/Bad/" })
    expect(Result.isFailure(result)).toBe(true)
  })

  it("rejects a SubAgentActivity carrying both spellings of the same field", () => {
    const result = decodeResult({
      type: "SubAgentActivity",
      id: "c",
      kind: "started",
      agent_thread_id: "t",
      agentThreadId: "t",
      agent_path: "/root/a"
    })
    expect(Result.isFailure(result)).toBe(true)
  })

  it("rejects an unknown item type (Codex has no catch-all TurnItem)", () => {
    expect(Result.isFailure(decodeResult({ type: "Telepathy", id: "x" }))).toBe(true)
  })
})

describe("TurnItem.sleep", () => {
  it("gives both sleep shapes the same view", () => {
    // given the pre-2026-07-14 item and its successor
    const old = decode({ type: "Sleep", id: "call_sl1", duration_ms: 30000 })
    const current = decode({ type: "Extension", kind: "clock.sleep", id: "call_sl1", durationMs: 30000 })
    // when viewed, then they are the same sleep
    expect(TurnItem.sleep(old)).toEqual({ id: "call_sl1", durationMs: 30000 })
    expect(TurnItem.sleep(current)).toEqual(TurnItem.sleep(old))
    // and decoding did not rewrite the old shape
    expect(old.type).toBe("Sleep")
  })

  it("carries the optional outcome and elapsed time, and ignores other items", () => {
    const item = decode({ type: "Extension", kind: "clock.sleep", id: "s", durationMs: 5, outcome: "interrupted", elapsedMs: 2 })
    expect(TurnItem.sleep(item)).toEqual({ id: "s", durationMs: 5, outcome: "interrupted", elapsedMs: 2 })
    expect(TurnItem.sleep(decode({ type: "Plan", id: "p", text: "t" }))).toBeUndefined()
    expect(TurnItem.sleep(decode({ type: "Extension", kind: "web.search", id: "w", query: "q", action: null, results: null }))).toBeUndefined()
  })
})

describe("TurnItem.subAgentActivity", () => {
  it("gives the snake_case and camelCase spellings the same view, kept as written", () => {
    const snake = decode({ type: "SubAgentActivity", id: "c", kind: "interacted", agent_thread_id: "t1", agent_path: "/root/w" })
    const camelText = '{"type":"SubAgentActivity","id":"c","kind":"interacted","agentThreadId":"t1","agentPath":"/root/w"}'
    const camel = decode(JSON.parse(camelText))
    expect(TurnItem.subAgentActivity(camel)).toEqual(TurnItem.subAgentActivity(snake))
    expect(TurnItem.subAgentActivity(snake)).toEqual({
      id: "c",
      kind: "interacted",
      agentThreadId: "t1",
      agentPath: "/root/w",
      model: null,
      reasoningEffort: null
    })
    expect(roundTrip(camelText)).toBe(camelText)
  })
})
