import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as Json from "@rollout/protocol/Json"
import * as TurnItem from "@rollout/protocol/TurnItem"

const decodeKnown = (json: unknown): EventMsg.EventMsg => {
  const decoded = EventMsg.EventMsg.decode(json)
  if (decoded._tag !== "Known") throw new Error(`expected a known event, got ${JSON.stringify(decoded)}`)
  return decoded.value
}

/** decode → encode → canonical JSON of one `event_msg` payload. */
const roundTrip = (payload: string): string => Json.stringify(EventMsg.EventMsg.encode(decodeKnown(JSON.parse(payload))))

/** The payload text of a full rollout line, as written (the envelope is `…,"payload":<payload>}`). */
const payloadOf = (line: string): string => {
  const marker = '"type":"event_msg","payload":'
  const at = line.indexOf(marker)
  if (at < 0 || !line.endsWith("}")) throw new Error("not an event_msg line")
  return line.slice(at + marker.length, -1)
}

describe("spec example lines round-trip byte for byte", () => {
  // Full rollout lines from spec §4.4, §6.3, §7.1 and §7.2.
  it.each([
    [
      "item_completed with a Plan (§4.4)",
      String.raw`{"timestamp":"2026-07-14T07:06:10.000Z","type":"event_msg","payload":{"type":"item_completed","thread_id":"0198f2a4-5b6c-7d8e-9f00-112233445566","turn_id":"0198f2a5-0001-7000-8000-000000000001","item":{"type":"Plan","id":"plan-1","text":"1. Reproduce\n2. Fix"},"started_at_ms":1784012361000,"completed_at_ms":1784012370000}}`
    ],
    [
      "task_complete failed by the session budget (§6.3)",
      String.raw`{"timestamp":"2026-07-14T09:00:00.000Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"0198f2b0-0003-7000-8000-000000000003","last_agent_message":null,"error":{"message":"shared rollout token budget exhausted","codex_error_info":"session_budget_exceeded"},"started_at":1784019590,"completed_at":1784019600,"duration_ms":10012}}`
    ],
    [
      "sub_agent_activity, G2.9 (§7.1)",
      String.raw`{"timestamp":"2026-07-14T07:20:00.000Z","type":"event_msg","payload":{"type":"sub_agent_activity","event_id":"call_spawn_9f2","occurred_at_ms":1784013600000,"agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/reviewer","kind":"started"}}`
    ],
    [
      "item_completed with a clock.sleep Extension (§7.2)",
      String.raw`{"timestamp":"2026-07-14T07:30:30.000Z","type":"event_msg","payload":{"type":"item_completed","thread_id":"0198f2a4-5b6c-7d8e-9f00-112233445566","turn_id":"0198f2a5-0001-7000-8000-000000000004","item":{"type":"Extension","kind":"clock.sleep","id":"call_sl1","durationMs":30000},"started_at_ms":1784014200000,"completed_at_ms":1784014230000}}`
    ]
  ])("%s", (_, line) => {
    const payload = payloadOf(line)
    expect(roundTrip(payload)).toBe(payload)
  })

  // Payload examples from spec §4 and §7.
  it.each([
    ["context_compacted", String.raw`{"type":"context_compacted"}`],
    ["minimal user_message", String.raw`{"type":"user_message","message":"hi","local_images":[],"local_audio":[],"text_elements":[]}`],
    ["agent_message", String.raw`{"type":"agent_message","message":"Done.","phase":"final_answer","memory_citation":null}`],
    [
      "token_count with 19.0 floats",
      String.raw`{"type":"token_count","info":{"total_token_usage":{"input_tokens":12000,"cached_input_tokens":8000,"cache_write_input_tokens":0,"output_tokens":900,"reasoning_output_tokens":400,"total_tokens":12900},"last_token_usage":{"input_tokens":3000,"cached_input_tokens":2500,"cache_write_input_tokens":0,"output_tokens":200,"reasoning_output_tokens":64,"total_tokens":3200},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":19.0,"window_minutes":300,"resets_at":1784012345},"secondary":{"used_percent":3.0,"window_minutes":10080,"resets_at":1784500000},"credits":null,"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}`
    ],
    ["token_count with nulls", String.raw`{"type":"token_count","info":null,"rate_limits":null}`],
    [
      "task_started",
      String.raw`{"type":"task_started","turn_id":"0198f2a5-0001-7000-8000-000000000001","started_at":1784012340,"model_context_window":258400,"collaboration_mode_kind":"default"}`
    ],
    [
      "task_complete",
      String.raw`{"type":"task_complete","turn_id":"0198f2a5-0001-7000-8000-000000000001","last_agent_message":"All tests pass.","started_at":1784012340,"completed_at":1784012398,"duration_ms":58123,"time_to_first_token_ms":1450}`
    ],
    [
      "turn_aborted",
      String.raw`{"type":"turn_aborted","turn_id":"0198f2a5-0001-7000-8000-000000000002","reason":"interrupted","started_at":1784012400,"completed_at":1784012410,"duration_ms":9876}`
    ],
    [
      "thread_goal_updated",
      String.raw`{"type":"thread_goal_updated","threadId":"…","turnId":"…","goal":{"threadId":"…","objective":"Ship v2","status":"active","tokenBudget":200000,"tokensUsed":1234,"timeUsedSeconds":60,"createdAt":1784012000,"updatedAt":1784012060}}`
    ],
    [
      "mcp_tool_call_end",
      String.raw`{"type":"mcp_tool_call_end","call_id":"call_M1","invocation":{"server":"github","tool":"search_issues","arguments":{"q":"rollout"}},"app_name":"GitHub","action_name":"search_issues","plugin_id":"github@openai-curated","duration":{"secs":1,"nanos":250000000},"result":{"Ok":{"content":[{"type":"text","text":"3 issues"}],"isError":false}}}`
    ],
    ["web_search_end", String.raw`{"type":"web_search_end","call_id":"ws_68a1","query":"serde flatten","action":{"type":"search","query":"serde flatten"}}`],
    [
      "sub_agent_activity, G3",
      String.raw`{"type":"sub_agent_activity","model":"gpt-5.2-codex","reasoning_effort":"medium","event_id":"call_spawn_9f2","occurred_at_ms":1784013600000,"agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/reviewer","kind":"started"}`
    ],
    [
      "item_completed with a SubAgentActivity",
      String.raw`{"type":"item_completed","thread_id":"0198f2a4-5b6c-7d8e-9f00-112233445566","turn_id":"0198f2a5-0001-7000-8000-000000000001","item":{"type":"SubAgentActivity","id":"call_spawn_9f2","kind":"started","agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/reviewer"},"started_at_ms":1784013600000,"completed_at_ms":1784013600000}`
    ]
  ])("%s", (_, payload) => {
    expect(roundTrip(payload)).toBe(payload)
  })
})

describe("shapes built from the spec tables round-trip", () => {
  it.each([
    [
      "entered_review_mode, uncommitted changes",
      String.raw`{"type":"entered_review_mode","target":{"type":"uncommittedChanges"},"user_facing_hint":"current changes"}`
    ],
    [
      "entered_review_mode, base branch",
      String.raw`{"type":"entered_review_mode","target":{"type":"baseBranch","branch":"main"},"turn_id":"t1","item_id":"i1"}`
    ],
    ["entered_review_mode, commit", String.raw`{"type":"entered_review_mode","target":{"type":"commit","sha":"3f2a9c1","title":null}}`],
    [
      "exited_review_mode with float scores",
      String.raw`{"type":"exited_review_mode","review_output":{"findings":[{"title":"Off by one","body":"…","confidence_score":1.0,"priority":1,"code_location":{"absolute_file_path":"/p/src/lib.rs","line_range":{"start":3,"end":4}}}],"overall_correctness":"patch is incorrect","overall_explanation":"…","overall_confidence_score":0.8}}`
    ],
    ["exited_review_mode without output", String.raw`{"type":"exited_review_mode","review_output":null}`],
    ["thread_rolled_back", String.raw`{"type":"thread_rolled_back","num_turns":2}`],
    [
      "thread_settings_applied",
      String.raw`{"type":"thread_settings_applied","thread_id":"t1","thread_settings":{"model":"gpt-5.2-codex","model_provider_id":"openai","approval_policy":"on-request","approvals_reviewer":"user","permission_profile":{"type":"workspace"},"cwd":"/home/ana/proj","reasoning_effort":"medium","collaboration_mode":{"mode":"default"},"disabled_plugin_ids":[]}}`
    ],
    [
      "user_message, G3 with details",
      String.raw`{"type":"user_message","client_id":"c1","message":"see","images":["data:image/png;base64,AA=="],"image_details":["low"],"local_images":[],"local_audio":[],"text_elements":[{"byte_range":{"start":0,"end":3},"placeholder":null}]}`
    ],
    ["user_message, G2 with null images", String.raw`{"type":"user_message","message":"hello","images":null,"local_images":[],"text_elements":[]}`],
    ["user_message, G1 with kind", String.raw`{"type":"user_message","message":"hello","kind":"plain","images":null}`],
    ["agent_message, G2 without memory_citation", String.raw`{"type":"agent_message","message":"Done."}`],
    [
      "exec_command_end, G2.9",
      String.raw`{"type":"exec_command_end","call_id":"call_1","turn_id":"t1","completed_at_ms":1784012345000,"command":["bash","-lc","ls"],"cwd":"file:///home/ana/proj","parsed_cmd":[{"type":"list_files","cmd":"ls","path":null}],"source":"agent","stdout":"a\n","stderr":"","aggregated_output":"a\n","exit_code":0,"duration":{"secs":0,"nanos":5000000},"formatted_output":"a\n","status":"completed"}`
    ],
    [
      "exec_command_begin",
      String.raw`{"type":"exec_command_begin","call_id":"call_1","process_id":"42","turn_id":"t1","started_at_ms":1784012345000,"command":["cat","x"],"cwd":"/home/ana/proj","parsed_cmd":[{"type":"read","cmd":"cat x","name":"x","path":"x"}],"source":"unified_exec_startup"}`
    ],
    [
      "patch_apply_end",
      String.raw`{"type":"patch_apply_end","call_id":"call_P","turn_id":"t1","stdout":"Success.","stderr":"","success":true,"changes":{"src/b.rs":{"type":"update","unified_diff":"@@","move_path":null},"src/a.rs":{"type":"add","content":"fn a() {}\n"}},"status":"completed"}`
    ],
    [
      "mcp_tool_call_end with Err",
      String.raw`{"type":"mcp_tool_call_end","call_id":"c","turn_id":"t","invocation":{"server":"s","tool":"t","arguments":null},"duration":{"secs":0,"nanos":1},"result":{"Err":"timed out"}}`
    ],
    [
      "image_generation_end",
      String.raw`{"type":"image_generation_end","call_id":"ig_1","status":"completed","revised_prompt":"a cat","result":"iVBOR","saved_path":"/tmp/ig_1.png"}`
    ],
    [
      "dynamic_tool_call_request",
      String.raw`{"type":"dynamic_tool_call_request","callId":"c1","turnId":"t1","startedAtMs":5,"namespace":null,"tool":"lookup","arguments":{"b":1,"a":[2]}}`
    ],
    [
      "dynamic_tool_call_response",
      String.raw`{"type":"dynamic_tool_call_response","call_id":"c1","turn_id":"t1","completed_at_ms":9,"namespace":"crm","tool":"lookup","arguments":{},"content_items":[{"type":"inputText","text":"ok"},{"type":"inputImage","imageUrl":"data:,"}],"success":true,"error":null,"duration":{"secs":0,"nanos":4}}`
    ],
    [
      "collab_agent_spawn_end",
      String.raw`{"type":"collab_agent_spawn_end","call_id":"c1","completed_at_ms":7,"sender_thread_id":"t0","new_thread_id":"t1","new_agent_nickname":"Ada","prompt":"review","model":"gpt-5.2","reasoning_effort":"high","status":{"completed":null}}`
    ],
    [
      "collab_waiting_end",
      String.raw`{"type":"collab_waiting_end","sender_thread_id":"t0","call_id":"c2","completed_at_ms":8,"agent_statuses":[{"thread_id":"t1","agent_type":"explorer","status":"running"}],"statuses":{"t2":{"errored":"boom"},"t1":"running"}}`
    ],
    ["collab_waiting_begin", String.raw`{"type":"collab_waiting_begin","started_at_ms":1,"sender_thread_id":"t0","receiver_thread_ids":["t1"],"call_id":"c3"}`],
    ["error", String.raw`{"type":"error","message":"stream closed","codex_error_info":{"response_stream_disconnected":{"http_status_code":null}}}`],
    ["stream_error", String.raw`{"type":"stream_error","message":"Reconnecting... 1/5","codex_error_info":null,"additional_details":"websocket closed: 1006"}`],
    [
      "plan_update",
      String.raw`{"type":"plan_update","explanation":null,"plan":[{"step":"Reproduce","status":"completed"},{"step":"Fix","status":"in_progress"}]}`
    ],
    ["undo_completed (legacy)", String.raw`{"type":"undo_completed","success":true,"message":null}`],
    ["thread_name_updated (legacy)", String.raw`{"type":"thread_name_updated","thread_id":"t1","thread_name":"Fix tests"}`],
    ["injected_message (legacy, fields unknown)", String.raw`{"type":"injected_message","text":"x","role":"user"}`],
    [
      "guardian_assessment keeps unknown middle fields in place",
      String.raw`{"type":"guardian_assessment","id":"g1","target_item_id":"i1","risk":"low","status":"approved","action":{"kind":"exec"}}`
    ]
  ])("%s", (_, payload) => {
    expect(roundTrip(payload)).toBe(payload)
  })
})

describe("the catalog", () => {
  // Every tag of spec §4.2 (catalog and legacy table), read aliases included.
  const specTags =
    String.raw`add_credits_nudge_email_response agent_message agent_message_content_delta agent_message_delta agent_reasoning agent_reasoning_delta agent_reasoning_raw_content agent_reasoning_raw_content_delta agent_reasoning_section_break apply_patch_approval_request auth_recovery_completed auth_recovery_started background_event collab_agent_interaction_begin collab_agent_interaction_end collab_agent_spawn_begin collab_agent_spawn_end collab_close_begin collab_close_end collab_resume_begin collab_resume_end collab_waiting_begin collab_waiting_end context_compacted deprecation_notice dynamic_tool_call_request dynamic_tool_call_response elicitation_abandoned elicitation_request entered_review_mode environment_connected environment_disconnected error exec_approval_request exec_command_begin exec_command_end exec_command_output_delta exited_review_mode get_history_entry_response guardian_assessment guardian_warning hook_completed hook_started image_generation_begin image_generation_end injected_message item_completed item_started list_custom_prompts_response list_remote_skills_response list_skills_response mcp_list_tools_response mcp_startup_complete mcp_startup_update mcp_tool_call_begin mcp_tool_call_end model_reroute model_verification patch_apply_begin patch_apply_end patch_apply_updated plan_delta plan_update raw_response_completed raw_response_item realtime_conversation_closed realtime_conversation_list_voices_response realtime_conversation_realtime realtime_conversation_sdp realtime_conversation_started reasoning_content_delta reasoning_raw_content_delta remote_skill_downloaded request_permissions request_user_input safety_buffering session_configured shutdown_complete skills_update_available stream_error sub_agent_activity task_complete task_started terminal_interaction thread_goal_updated thread_name_updated thread_queue_changed thread_rolled_back thread_settings_applied token_count turn_aborted turn_complete turn_diff turn_moderation_metadata turn_started undo_completed undo_started user_message view_image_tool_call warning web_search_begin web_search_end`.split(
      " "
    )

  it("has exactly one variant per spec tag", () => {
    expect([...EventMsg.EventMsg.tags].sort()).toEqual([...specTags].sort())
  })

  it("decodes every field-less event", () => {
    for (const tag of ["context_compacted", "shutdown_complete", "skills_update_available", "auth_recovery_started"]) {
      expect(EventMsg.EventMsg.decode({ type: tag })._tag, tag).toBe("Known")
    }
  })

  it("keeps an unknown tag as unknown (the reader keeps its raw line)", () => {
    expect(EventMsg.EventMsg.decode({ type: "telepathy_started", x: 1 })).toEqual({ _tag: "Unknown", tag: "telepathy_started" })
  })

  it("names the legacy tags", () => {
    expect(EventMsg.LegacyTags.has("undo_completed")).toBe(true)
    expect(EventMsg.LegacyTags.has("agent_message_delta")).toBe(true)
    expect(EventMsg.LegacyTags.has("task_complete")).toBe(false)
  })
})

describe("read aliases", () => {
  it("keeps turn_started and turn_complete as written and maps them on request", () => {
    // given alias-tagged events
    const started = String.raw`{"type":"turn_started","turn_id":"t1","model_context_window":null,"collaboration_mode_kind":"plan"}`
    const complete = String.raw`{"type":"turn_complete","turn_id":"t1","last_agent_message":null}`
    // when round-tripped, then the alias tag is kept
    expect(roundTrip(started)).toBe(started)
    expect(roundTrip(complete)).toBe(complete)
    expect(decodeKnown(JSON.parse(started)).type).toBe("turn_started")
    // and the canonical tag is what Codex would write
    expect(EventMsg.canonicalTag("turn_started")).toBe("task_started")
    expect(EventMsg.canonicalTag("turn_complete")).toBe("task_complete")
    expect(EventMsg.canonicalTag("token_count")).toBe("token_count")
  })

  it("keeps collaboration-mode read aliases as written", () => {
    const payload = String.raw`{"type":"task_started","turn_id":"t1","model_context_window":null,"collaboration_mode_kind":"pair_programming"}`
    expect(roundTrip(payload)).toBe(payload)
  })
})

describe("defaults are not applied on decode", () => {
  it.each([
    [
      "item_completed without completed_at_ms",
      String.raw`{"type":"item_completed","thread_id":"th","turn_id":"t","item":{"type":"Plan","id":"p","text":"x"}}`,
      "completed_at_ms"
    ],
    ["task_started without collaboration_mode_kind", String.raw`{"type":"task_started","turn_id":"t","model_context_window":1}`, "collaboration_mode_kind"],
    [
      "patch_apply_end without turn_id",
      String.raw`{"type":"patch_apply_end","call_id":"c","stdout":"","stderr":"","success":false,"status":"failed"}`,
      "turn_id"
    ],
    [
      "patch_apply_end without changes",
      String.raw`{"type":"patch_apply_end","call_id":"c","stdout":"","stderr":"","success":false,"status":"failed"}`,
      "changes"
    ],
    [
      "sub_agent_activity without occurred_at_ms",
      String.raw`{"type":"sub_agent_activity","event_id":"c","agent_thread_id":"t","agent_path":"/root/a","kind":"interrupted"}`,
      "occurred_at_ms"
    ],
    [
      "exec_command_end without source",
      String.raw`{"type":"exec_command_end","call_id":"c","turn_id":"t","command":[],"cwd":"/p","parsed_cmd":[],"stdout":"","stderr":"","exit_code":1,"duration":{"secs":0,"nanos":0},"formatted_output":"","status":"failed"}`,
      "source"
    ],
    ["agent_reasoning_section_break without fields", String.raw`{"type":"agent_reasoning_section_break"}`, "summary_index"],
    ["turn_aborted without turn_id (old files)", String.raw`{"type":"turn_aborted","reason":"interrupted"}`, "turn_id"],
    ["user_message without local_images (G1)", String.raw`{"type":"user_message","message":"hi"}`, "local_images"]
  ])("%s", (_, payload, field) => {
    // when decoded, then the field stays absent and nothing is added on the way out
    expect(field in decodeKnown(JSON.parse(payload))).toBe(false)
    expect(roundTrip(payload)).toBe(payload)
  })

  it("keeps a written null distinct from a missing key", () => {
    const payload = String.raw`{"type":"turn_aborted","turn_id":null,"reason":"replaced"}`
    expect(roundTrip(payload)).toBe(payload)
  })
})

describe("item_completed with sleep items", () => {
  it("decodes both sleep shapes and views them alike", () => {
    // given the old and the current sleep item
    const old = decodeKnown({ type: "item_completed", thread_id: "th", turn_id: "t", item: { type: "Sleep", id: "call_sl1", duration_ms: 30000 } })
    const current = decodeKnown(
      JSON.parse(
        payloadOf(
          String.raw`{"timestamp":"2026-07-14T07:30:30.000Z","type":"event_msg","payload":{"type":"item_completed","thread_id":"0198f2a4-5b6c-7d8e-9f00-112233445566","turn_id":"0198f2a5-0001-7000-8000-000000000004","item":{"type":"Extension","kind":"clock.sleep","id":"call_sl1","durationMs":30000},"started_at_ms":1784014200000,"completed_at_ms":1784014230000}}`
        )
      )
    )
    if (old.type !== "item_completed" || current.type !== "item_completed") throw new Error("expected item_completed")
    // then both normalise to the same view and the old one is kept as written
    expect(TurnItem.sleep(old.item)).toEqual({ id: "call_sl1", durationMs: 30000 })
    expect(TurnItem.sleep(current.item)).toEqual(TurnItem.sleep(old.item))
    expect(Json.stringify(EventMsg.EventMsg.encode(old))).toContain('"item":{"type":"Sleep","id":"call_sl1","duration_ms":30000}')
  })
})

describe("invalid payloads are reported, not dropped", () => {
  it("rejects a sub_agent_activity with an invalid agent path", () => {
    const decoded = EventMsg.EventMsg.decode({
      type: "sub_agent_activity",
      event_id: "c",
      agent_thread_id: "t",
      agent_path: "/root/reviewer/",
      kind: "started"
    })
    expect(decoded._tag).toBe("Invalid")
  })

  it("rejects an unknown turn_aborted reason and an unknown sub-agent kind", () => {
    expect(EventMsg.EventMsg.decode({ type: "turn_aborted", turn_id: "t", reason: "bored" })._tag).toBe("Invalid")
    expect(EventMsg.EventMsg.decode({ type: "sub_agent_activity", event_id: "c", agent_thread_id: "t", agent_path: "/root", kind: "napping" })._tag).toBe(
      "Invalid"
    )
  })

  it("rejects a token_count whose used_percent is not a number", () => {
    expect(EventMsg.EventMsg.decode({ type: "token_count", info: null, rate_limits: { primary: { used_percent: "19" } } })._tag).toBe("Invalid")
  })
})

describe("error values are kept as written", () => {
  it("keeps an unknown codex_error_info in an error event", () => {
    const payload = String.raw`{"type":"error","message":"?","codex_error_info":"quota_melted"}`
    expect(roundTrip(payload)).toBe(payload)
  })

  it("keeps the legacy rollout_budget_exceeded inside task_complete.error", () => {
    const payload = String.raw`{"type":"task_complete","turn_id":"t","last_agent_message":null,"error":{"message":"budget","codex_error_info":"rollout_budget_exceeded"}}`
    const event = decodeKnown(JSON.parse(payload))
    if (event.type !== "task_complete") throw new Error("expected task_complete")
    expect(event.error?.codex_error_info).toBe("rollout_budget_exceeded")
    expect(roundTrip(payload)).toBe(payload)
  })
})

describe("unknown fields", () => {
  it("are kept after the declared fields", () => {
    const decoded = decodeKnown({ future: { a: 1 }, type: "thread_rolled_back", num_turns: 1 })
    expect(Json.stringify(EventMsg.EventMsg.encode(decoded))).toBe('{"type":"thread_rolled_back","num_turns":1,"future":{"a":1}}')
  })
})

describe("round-trip properties", () => {
  const id = fc.stringMatching(/^[a-z0-9_-]{1,16}$/)
  const name = fc.stringMatching(/^[a-z0-9_]{1,8}$/).filter((n) => n !== "root")
  const agentPath = fc.array(name, { maxLength: 3 }).map((names) => ["/root", ...names].join("/"))
  const nullableText = fc.option(fc.string(), { nil: null })

  it("sub_agent_activity in either generation", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        nullableText,
        nullableText,
        id,
        fc.nat(),
        id,
        agentPath,
        fc.constantFrom("started", "interacted", "interrupted", "completed"),
        (g3, model, effort, eventId, at, thread, path, kind) => {
          const head = g3 ? `"model":${JSON.stringify(model)},"reasoning_effort":${JSON.stringify(effort)},` : ""
          const payload = `{"type":"sub_agent_activity",${head}"event_id":"${eventId}","occurred_at_ms":${at},"agent_thread_id":"${thread}","agent_path":"${path}","kind":"${kind}"}`
          expect(roundTrip(payload)).toBe(payload)
        }
      )
    )
  })

  it("task_complete with optional fields present or absent", () => {
    const optInt = fc.option(fc.nat(), { nil: undefined })
    fc.assert(
      fc.property(id, nullableText, optInt, optInt, optInt, fc.option(fc.string(), { nil: undefined }), (turn, last, started, completed, duration, message) => {
        const value = {
          type: "task_complete",
          turn_id: turn,
          last_agent_message: last,
          error: message === undefined ? undefined : { message, codex_error_info: "session_budget_exceeded" },
          started_at: started,
          completed_at: completed,
          duration_ms: duration
        }
        const payload = Json.stringify(value)
        expect(roundTrip(payload)).toBe(payload)
      })
    )
  })
})
