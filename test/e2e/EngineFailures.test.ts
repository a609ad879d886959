// Model failures end to end: HTTP errors, overload, broken and stalled streams are retried the way
// Codex does (request_max_retries = 4 for HTTP errors, stream_max_retries = 5 for streams) and otherwise end the turn with the matching
// codex_error_info; nothing already written is lost or rewritten, and the rollout still replays.
import { describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import { expectSound, payloads, perTest, shapes } from "./EngineHarness.js"

const start = perTest()
const times = (n: number, turn: ModelScript.Turn) => Array.from({ length: n }, () => turn)
const plain = ["session_meta", "event_msg/task_started", "turn_context", "response_item/message", "event_msg/user_message"]

describe("model failures", () => {
  it.each([
    ["an HTTP 500", ModelScript.httpError(500)],
    ["an overloaded model", ModelScript.fail("the model is overloaded", "server_is_overloaded")],
    ["a stream cut before response.completed", { type: "disconnect" } as ModelScript.Turn]
  ])("retries %s, and the rollout shows only the answer", async (_name, failure) => {
    const { engine, home, server } = await start([failure, failure, ModelScript.reply("Recovered.")])
    const thread = engine.startThread()
    const transient: Array<string> = []
    thread.subscribe((e) => {
      if (!e.persisted && e.line.type === "event_msg") transient.push(e.line.payload.type)
    })
    await thread.run("Go")
    expect(server.modelRequests.length).toBe(3)
    expect(transient).toEqual(["stream_error", "stream_error"])
    expect(shapes(thread.path()!)).toEqual([...plain, "event_msg/agent_message", "response_item/message", "event_msg/token_count", "event_msg/task_complete"])
    await expectSound(home, thread.path()!)
  })

  it("retries a stalled stream after the idle timeout", async () => {
    const { engine, home, server } = await start([ModelScript.stall(), ModelScript.reply("Recovered.")], { idleTimeoutMs: 200 })
    const thread = engine.startThread()
    await thread.run("Go")
    expect(server.modelRequests.length).toBe(2)
    expect(payloads(thread.path()!).at(-1).payload.last_agent_message).toBe("Recovered.")
    await expectSound(home, thread.path()!)
  })

  it.each([
    ["HTTP 500 five times", times(5, ModelScript.httpError(500)), 5, "500 scripted HTTP 500", { response_too_many_failed_attempts: { http_status_code: 500 } }],
    [
      "an overload that does not clear",
      times(6, ModelScript.fail("the model is overloaded", "server_is_overloaded")),
      6,
      "the model is overloaded",
      "server_overloaded"
    ],
    ["HTTP 400", [ModelScript.httpError(400, "bad input")], 1, "400 bad input", "bad_request"],
    ["HTTP 401", [ModelScript.httpError(401, "no key")], 1, "401 no key", "unauthorized"],
    ["a context window overflow", [ModelScript.fail("too long", "context_length_exceeded")], 1, "too long", "context_window_exceeded"],
    [
      "broken streams that do not heal",
      times(6, { type: "disconnect" }),
      6,
      "stream disconnected before completion: stream closed before response.completed",
      { response_stream_disconnected: { http_status_code: null } }
    ]
  ] as const)("ends the turn on %s with the matching codex_error_info", async (_name, turns, requests, message, info) => {
    const { engine, home, server } = await start([...turns, ModelScript.reply("Next turn works.")])
    const thread = engine.startThread()
    await thread.run("Go")
    expect(server.modelRequests.length).toBe(requests)
    const last = payloads(thread.path()!).at(-1).payload
    expect(last).toMatchObject({ type: "task_complete", last_agent_message: null, error: { message, codex_error_info: info } })
    expect(shapes(thread.path()!)).toEqual([...plain, "event_msg/task_complete"])
    expect(thread.turns()[0]!.status).toBe("failed")
    await thread.run("Again")
    expect(thread.turns().map((t) => t.status)).toEqual(["failed", "completed"])
    await expectSound(home, thread.path()!)
  })
  it("keeps the items a failed stream delivered before it broke, and still replays", async () => {
    const partial: ModelScript.Turn = { type: "failed", code: "server_error", message: "stream broke", items: [{ type: "message", text: "Half an answer" }] }
    const { engine, home, server } = await start([partial, ...times(5, ModelScript.fail("stream broke", "server_error"))])
    const thread = engine.startThread()
    await thread.run("Go")
    expect(server.modelRequests.length).toBe(6)
    expect(shapes(thread.path()!)).toEqual([...plain, "event_msg/agent_message", "response_item/message", "event_msg/task_complete"])
    expect(payloads(thread.path()!).at(-1).payload.error).toEqual({
      message: "stream broke",
      codex_error_info: { response_stream_disconnected: { http_status_code: null } }
    })
    await expectSound(home, thread.path()!)
  })
})
