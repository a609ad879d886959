import { describe, expect, it } from "vitest"
import * as Recording from "@rollout/engine/Recording"

describe("Recording.failureTurn", () => {
  it("maps each codex_error_info the engine writes to a scripted answer that reproduces it", () => {
    expect(Recording.failureTurn({ message: "m", codex_error_info: "server_overloaded" })).toEqual({
      type: "failed",
      code: "server_is_overloaded",
      message: "m"
    })
    expect(Recording.failureTurn({ message: "too long", codex_error_info: "context_window_exceeded" })).toEqual({
      type: "failed",
      code: "context_length_exceeded",
      message: "too long"
    })
    expect(Recording.failureTurn({ message: "500 boom", codex_error_info: { response_too_many_failed_attempts: { http_status_code: 500 } } })).toEqual({
      type: "http_error",
      status: 500,
      body: { error: { message: "boom", type: "scripted_error", code: null, param: null } }
    })
    expect(Recording.failureTurn({ message: "x", codex_error_info: "session_budget_exceeded" })).toBeUndefined()
  })
})

describe("Recording.fromLines", () => {
  it("recovers stamps, ids, turns, steered input and model calls from the lines", () => {
    const t = (s: number) => `2026-11-21T09:00:0${s}.000Z`
    const usage = { input_tokens: 3, cached_input_tokens: 0, output_tokens: 2, reasoning_output_tokens: 0, total_tokens: 5 }
    const lines = [
      { timestamp: t(0), type: "session_meta", payload: { id: "thread-1", cwd: "/w", base_instructions: { text: "be brief" } } },
      { timestamp: t(1), type: "event_msg", payload: { type: "task_started", turn_id: "turn-1", model_context_window: 1000 } },
      { timestamp: t(2), type: "event_msg", payload: { type: "user_message", message: "hi" } },
      { timestamp: t(3), type: "response_item", payload: { type: "function_call", name: "sleep", arguments: "{}", call_id: "c1" } },
      { timestamp: t(4), type: "event_msg", payload: { type: "token_count", info: { last_token_usage: usage } } },
      { timestamp: t(5), type: "response_item", payload: { type: "function_call_output", call_id: "c1", output: "ok" } },
      { timestamp: t(6), type: "event_msg", payload: { type: "user_message", message: "also this" } },
      { timestamp: t(7), type: "event_msg", payload: { type: "task_complete", turn_id: "turn-1" } }
    ]
    const r = Recording.fromLines(lines, true)
    expect(r.threadId).toBe("thread-1")
    expect(r.stamps).toEqual(lines.map((l) => Date.parse(l.timestamp)))
    expect(r.ids).toEqual(["turn-1"])
    expect(r.config).toMatchObject({ cwd: "/w", instructions: "be brief", modelContextWindow: 1000 })
    const turn = r.turns[0]!
    expect(turn.input).toBe("hi")
    expect([...turn.steers]).toEqual([[1, ["also this"]]])
    expect(turn.modelCalls).toEqual([
      {
        type: "response",
        items: [{ type: "raw", item: lines[3]!.payload }],
        usage: { inputTokens: 3, cachedInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 }
      }
    ])
  })
})
