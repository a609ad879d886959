// The engine's turn loop end to end: the real openai client against the local scripted Responses
// server, asserting the exact rollout lines written, that they validate, and that they replay.
import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Replay from "@rollout/engine/Replay"
import * as Files from "@rollout/log/Files"
import { expectSound, lines, payloads, perTest, shapes } from "./EngineHarness.js"

const start = perTest()

describe("engine turn loop", () => {
  it("writes a plain turn exactly, and replays it identically", async () => {
    const { engine, server, home } = await start([ModelScript.reply("Hello!", { reasoning: "Greeting.", usage: { inputTokens: 10, outputTokens: 5 } })])
    const thread = engine.startThread()
    await thread.run("Hi")
    expect(server.problems).toEqual([])
    const id = thread.id
    const turn = payloads(thread.path()!)[1].payload.turn_id
    const usage = '{"input_tokens":10,"cached_input_tokens":0,"cache_write_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":0,"total_tokens":15}'
    expect(lines(thread.path()!)).toEqual([
      `{"timestamp":"2026-11-21T09:00:00.000Z","type":"session_meta","payload":{"session_id":"${id}","id":"${id}","timestamp":"2026-11-21T09:00:00.000Z","cwd":"/work/demo","originator":"rollout","cli_version":"0.171.0","source":"exec","model_provider":"openai","base_instructions":{"text":"You are a coding agent running in the rollout engine."},"history_mode":"legacy","multi_agent_version":"v2"}}`,
      `{"timestamp":"2026-11-21T09:00:00.007Z","type":"event_msg","payload":{"type":"task_started","turn_id":"${turn}","started_at":1795251600,"model_context_window":258400,"collaboration_mode_kind":"default"}}`,
      `{"timestamp":"2026-11-21T09:00:00.014Z","type":"turn_context","payload":{"turn_id":"${turn}","cwd":"/work/demo","approval_policy":"never","model":"gpt-5.5","multi_agent_version":"v2","summary":"none","sandbox_policy":{"type":"danger-full-access"}}}`,
      `{"timestamp":"2026-11-21T09:00:00.021Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}`,
      `{"timestamp":"2026-11-21T09:00:00.028Z","type":"event_msg","payload":{"type":"user_message","message":"Hi","images":[],"local_images":[],"audio":[],"local_audio":[],"text_elements":[]}}`,
      `{"timestamp":"2026-11-21T09:00:00.035Z","type":"event_msg","payload":{"type":"agent_reasoning","text":"Greeting."}}`,
      `{"timestamp":"2026-11-21T09:00:00.042Z","type":"response_item","payload":{"type":"reasoning","id":"rs_1_0","summary":[{"type":"summary_text","text":"Greeting."}],"content":null,"encrypted_content":null}}`,
      `{"timestamp":"2026-11-21T09:00:00.049Z","type":"event_msg","payload":{"type":"agent_message","message":"Hello!","phase":null,"memory_citation":null}}`,
      `{"timestamp":"2026-11-21T09:00:00.056Z","type":"response_item","payload":{"type":"message","status":"completed","id":"msg_1_1","role":"assistant","content":[{"type":"output_text","text":"Hello!","annotations":[]}]}}`,
      `{"timestamp":"2026-11-21T09:00:00.063Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage},"last_token_usage":${usage},"model_context_window":258400},"rate_limits":null}}`,
      `{"timestamp":"2026-11-21T09:00:00.070Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"${turn}","last_agent_message":"Hello!","started_at":1795251600,"completed_at":1795251600,"duration_ms":63,"time_to_first_token_ms":28}}`
    ])
    await expectSound(home, thread.path()!)
  })

  it("publishes each line only after it is written, and keeps the live thread view current", async () => {
    const { engine } = await start([ModelScript.reply("One."), ModelScript.reply("Two.")])
    const thread = engine.startThread()
    const seen: Array<boolean> = []
    thread.subscribe((event) => {
      if (!event.persisted) return
      seen.push(fs.readFileSync(thread.path()!, "utf8").includes(event.text))
    })
    await thread.run("first")
    await thread.run("second")
    expect(seen.length).toBe(lines(thread.path()!).length)
    expect(seen.every(Boolean)).toBe(true)
    const turns = thread.turns()
    expect(turns.map((t) => t.status)).toEqual(["completed", "completed"])
    expect(turns.map((t) => t.items.map((i) => i.type))).toEqual([
      ["userMessage", "agentMessage"],
      ["userMessage", "agentMessage"]
    ])
  })

  it("loops model call → tool call → model call until the model ends the turn", async () => {
    const { engine, home } = await start([
      ModelScript.call("sleep", { duration_ms: 250 }, "call_sleep"),
      ModelScript.call("no_such_tool", {}, "call_unknown"),
      ModelScript.reply("Rested.")
    ])
    const thread = engine.startThread()
    await thread.run("Take a short nap")
    const file = thread.path()!
    expect(shapes(file).slice(5)).toEqual([
      "response_item/function_call",
      "event_msg/token_count",
      "event_msg/item_completed",
      "response_item/function_call_output",
      "response_item/function_call",
      "event_msg/token_count",
      "response_item/function_call_output",
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    const all = payloads(file)
    const sleep = all[7].payload
    expect(sleep.item).toEqual({ type: "Extension", kind: "clock.sleep", id: "call_sleep", durationMs: 250, outcome: "completed", elapsedMs: 257 })
    expect(sleep.completed_at_ms - sleep.started_at_ms).toBe(257)
    expect(all[8].payload).toEqual({ type: "function_call_output", call_id: "call_sleep", output: "Slept for 257 ms." })
    expect(all[11].payload.output).toBe("unsupported call: no_such_tool")
    await expectSound(home, file)
  })

  it("reports the first difference when a recorded line is altered", async () => {
    const { engine, home } = await start([ModelScript.reply("Hello!")])
    const thread = engine.startThread()
    await thread.run("Hi")
    const file = thread.path()!
    const original = lines(file)
    const altered = [...original]
    // The agent_message event (line 6) is derived from the model's message, which replay serves.
    altered[5] = altered[5]!.replace("Hello!", "Hullo!")
    fs.writeFileSync(file, `${altered.join("\n")}\n`)
    const verdict = await Replay.verify(Files.node, [file], { codexHome: home })
    expect(verdict).toEqual({ identical: false, firstDifference: { line: 6, expected: altered[5], actual: original[5] } })
    fs.writeFileSync(file, `${original.slice(0, -1).join("\n")}\n`)
    const truncated = await Replay.verify(Files.node, [file], { codexHome: home })
    // The recording has no stamp left for the last line: the re-run writes it, the recording does not.
    expect(truncated.identical).toBe(false)
    expect(truncated.firstDifference?.line).toBe(original.length)
    expect(truncated.firstDifference?.expected).toBeNull()
    expect(JSON.parse(truncated.firstDifference?.actual ?? "{}").payload.type).toBe("task_complete")
  })
})
