// Built-in behaviour end to end (real openai client, local scripted server): the sleep tool, stop
// hooks, the session budget, compaction, interrupts and multi-agent v2 tools. Every rollout written
// must validate and replay identically.
import { describe, expect, it } from "vitest"
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as fs from "node:fs"
import * as Replay from "@rollout/engine/Replay"
import * as Files from "@rollout/log/Files"
import { expectSound, lines, manualSleepClock, payloads, perTest, shapes } from "./EngineHarness.js"

const start = perTest()
const usage = (total: number): ModelScript.Usage => ({ inputTokens: total - 10, outputTokens: 10 })

describe("sleep tool", () => {
  it("ends early when new user input arrives, and records the interrupted Sleep item", async () => {
    const { engine, home } = await start([ModelScript.call("sleep", { duration_ms: 60_000 }, "call_nap"), ModelScript.reply("Awake.")], {
      clockFor: () => manualSleepClock()
    })
    const thread = engine.startThread()
    thread.subscribe((event) => {
      if (event.line.type === "event_msg" && event.line.payload.type === "item_started") thread.submit("Wake up!")
    })
    await thread.run("Sleep a minute")
    const file = thread.path()!
    expect(shapes(file).slice(5)).toEqual([
      "response_item/function_call",
      "event_msg/token_count",
      "event_msg/item_completed",
      "response_item/function_call_output",
      "response_item/message",
      "event_msg/user_message",
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    const all = payloads(file)
    expect(all[7].payload.item).toEqual({ type: "Extension", kind: "clock.sleep", id: "call_nap", durationMs: 60000, outcome: "interrupted", elapsedMs: 7 })
    expect(all[8].payload.output).toBe("Sleep interrupted by new user input after 7 ms.")
    expect(all[10].payload.message).toBe("Wake up!")
    await expectSound(home, file)
  })
})

describe("stop hooks", () => {
  it("continue the turn with hook_prompt fragments until a hook sees it already continued", async () => {
    const active: Array<boolean> = []
    const { engine, home } = await start([ModelScript.reply("Done."), ModelScript.reply("Tests pass.")], {
      stopHooks: [
        {
          kind: "function",
          name: "tests",
          run: (input) => {
            active.push(input.stopHookActive)
            return input.stopHookActive ? { decision: "continue" } : { decision: "block", reason: "Run the tests first." }
          }
        },
        {
          kind: "command",
          source: "/home/ana/.codex/hooks.json",
          command: `read input; case "$input" in *'"stop_hook_active":true'*) echo '{}';; *) echo '{"decision":"block","reason":"Check <the> build & lint."}';; esac`
        }
      ]
    })
    const thread = engine.startThread()
    await thread.run("Fix the bug")
    const file = thread.path()!
    expect(active).toEqual([false, true])
    expect(shapes(file).slice(5)).toEqual([
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "response_item/message",
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    const prompt = payloads(file)[8].payload
    expect(prompt).toEqual({
      type: "message",
      id: expect.stringMatching(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      role: "user",
      content: [
        { type: "input_text", text: '<hook_prompt hook_run_id="stop:0:tests">Run the tests first.</hook_prompt>' },
        { type: "input_text", text: '<hook_prompt hook_run_id="stop:1:/home/ana/.codex/hooks.json">Check &lt;the&gt; build &amp; lint.</hook_prompt>' }
      ]
    })
    expect(HookPrompt.parse(prompt.content)).toEqual([
      { text: "Run the tests first.", hookRunId: "stop:0:tests" },
      { text: "Check <the> build & lint.", hookRunId: "stop:1:/home/ana/.codex/hooks.json" }
    ])
    expect(thread.turns()[0]!.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage", "hookPrompt", "agentMessage"])
    await expectSound(home, file)
  })
})

describe("session budget", () => {
  it("fails the turn with session_budget_exceeded once the shared budget is spent", async () => {
    const { engine, home, server } = await start(
      [{ type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 }, callId: "call_a" }], usage: usage(120) }],
      { sessionBudget: 100 }
    )
    const thread = engine.startThread()
    await thread.run("Work hard")
    const all = payloads(thread.path()!)
    expect(all[3].payload.content[0].text).toBe("<rollout_budget>\nYou have 100 weighted tokens left in the shared session token budget.\n</rollout_budget>")
    expect(all.at(-1).payload).toMatchObject({
      type: "task_complete",
      last_agent_message: null,
      error: { message: "shared rollout token budget exhausted", codex_error_info: "session_budget_exceeded" }
    })
    expect(server.modelRequests.length).toBe(1)
    expect(thread.turns()[0]!.status).toBe("failed")
    await expectSound(home, thread.path()!)
  })

  it("does not retry a compaction once the budget is spent", async () => {
    const { engine, home, server } = await start(
      [{ type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 }, callId: "call_a" }], usage: usage(120) }],
      { sessionBudget: 100, config: { autoCompactTokenLimit: 50 } }
    )
    const thread = engine.startThread()
    await thread.run("Work hard")
    const all = payloads(thread.path()!)
    expect(all.some((l) => l.type === "compacted")).toBe(false)
    expect(all.at(-1).payload.error.codex_error_info).toBe("session_budget_exceeded")
    expect(server.modelRequests.length).toBe(1)
    await expectSound(home, thread.path()!)
  })
})

describe("compaction", () => {
  it("writes a compacted item with replacement_history when the context limit is reached", async () => {
    const { engine, home } = await start(
      [
        { type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 }, callId: "call_a" }], usage: usage(150) },
        { type: "response", items: [{ type: "message", text: "The user asked for a nap; it was taken." }], usage: usage(40) },
        { type: "response", items: [{ type: "message", text: "Done." }], usage: usage(60) }
      ],
      { config: { autoCompactTokenLimit: 100 } }
    )
    const thread = engine.startThread()
    await thread.run("Nap, then report")
    const file = thread.path()!
    expect(shapes(file).slice(5)).toEqual([
      "response_item/function_call",
      "event_msg/token_count",
      "event_msg/item_completed",
      "response_item/function_call_output",
      "compacted",
      "event_msg/context_compacted",
      "event_msg/token_count",
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    const compacted = payloads(file)[9].payload
    expect(compacted.message).toBe("The user asked for a nap; it was taken.")
    expect(compacted.replacement_history.map((i: any) => i.content[0].text.slice(0, 16))).toEqual(["Nap, then report", "Another language"])
    await expectSound(home, file)
  })
})

describe("interrupts", () => {
  it("abort the running turn with turn_aborted, keeping what was written", async () => {
    const { engine, home } = await start([ModelScript.stall([{ type: "message", text: "Working on it" }]), ModelScript.reply("Resumed.")])
    const thread = engine.startThread()
    thread.subscribe((event) => {
      if (event.line.type === "response_item" && event.line.payload.type === "message" && (event.line.payload as any).role === "assistant")
        void thread.interrupt()
    })
    await thread.run("Start something long")
    await thread.run("Continue")
    const file = thread.path()!
    expect(shapes(file).slice(5, 8)).toEqual(["event_msg/agent_message", "response_item/message", "event_msg/turn_aborted"])
    expect(payloads(file)[7].payload).toMatchObject({ type: "turn_aborted", reason: "interrupted" })
    expect(thread.turns().map((t) => t.status)).toEqual(["interrupted", "completed"])
    await expectSound(home, file)
    // A recording altered so the interrupt point is never reached still gets an answer, in time.
    const altered = lines(file).filter((_, i) => i !== 5)
    fs.writeFileSync(file, `${altered.join("\n")}\n`)
    const started = Date.now()
    const verdict = await Replay.verify(Files.node, [file], { codexHome: home, deadlineMs: 3_000 })
    expect(verdict.identical).toBe(false)
    expect(verdict.firstDifference?.line).toBe(6)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
  it("abort a sleeping tool call: the turn ends with turn_aborted, and the next request answers the call as aborted", async () => {
    const { engine, home, server } = await start([ModelScript.call("sleep", { duration_ms: 60_000 }, "call_nap"), ModelScript.reply("Okay.")], {
      clockFor: () => manualSleepClock()
    })
    const thread = engine.startThread()
    thread.subscribe((event) => {
      if (event.line.type === "event_msg" && event.line.payload.type === "item_started") void thread.interrupt()
    })
    await thread.run("Sleep")
    await thread.run("Skip the nap")
    const file = thread.path()!
    expect(shapes(file).slice(5, 8)).toEqual(["response_item/function_call", "event_msg/token_count", "event_msg/turn_aborted"])
    const input = (server.modelRequests.at(-1)!.body as { input: Array<Record<string, unknown>> }).input
    expect(input.find((i) => i["type"] === "function_call_output")).toEqual({ type: "function_call_output", call_id: "call_nap", output: "aborted" })
    await expectSound(home, file)
  })
})
