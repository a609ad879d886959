// Multi-agent v2 end to end: spawn_agent, interrupt_agent, send_message and followup_task; each
// child is its own rollout (session source subagent.thread_spawn, canonical agent path), each
// successful call records one sub_agent_activity in the parent, and an interrupted agent is not
// final. Parent and child rollouts validate and replay identically.
import { describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import { expectSound, payloads, perTest, shapes } from "./EngineHarness.js"

const start = perTest()

describe("multi-agent v2 tools", () => {
  it("spawn, interrupt, message and follow up a sub-agent", async () => {
    const root: Array<ModelScript.Turn> = [
      ModelScript.call("spawn_agent", { task_name: "worker", message: "Count to three", agent_type: "explorer" }, "call_spawn"),
      ModelScript.call("interrupt_agent", { target: "worker" }, "call_stop"),
      ModelScript.call("send_message", { target: "/root/worker", message: "Count to five instead" }, "call_send"),
      ModelScript.call("followup_task", { target: "worker", message: "Then count to seven" }, "call_follow"),
      ModelScript.reply("The worker has its tasks.")
    ]
    const child: Array<ModelScript.Turn> = [ModelScript.stall(), ModelScript.reply("1 2 3 4 5"), ModelScript.reply("1 2 3 4 5 6 7")]
    let rootId = ""
    // Each request is answered by the script of the thread that sent it (the `session_id` header).
    const { engine, home } = await start([], {}, (request) => (request.headers["session_id"] === rootId ? root.shift() : child.shift()))
    const thread = engine.startThread()
    rootId = thread.id
    await thread.run("Delegate counting")
    await engine.close()

    const parent = payloads(thread.path()!)
    const activity = parent.filter((l) => l.payload.type === "sub_agent_activity").map((l) => l.payload)
    const childThread = [...engine.threads.values()].find((t) => t.id !== thread.id)!
    expect(activity.map((a) => [a.event_id, a.kind, a.agent_path, a.agent_thread_id])).toEqual([
      ["call_spawn", "started", "/root/worker", childThread.id],
      ["call_stop", "interrupted", "/root/worker", childThread.id],
      ["call_send", "interacted", "/root/worker", childThread.id],
      ["call_follow", "interacted", "/root/worker", childThread.id]
    ])
    const childFile = childThread.recorder!.path
    const meta = payloads(childFile)[0].payload
    expect(meta.source).toEqual({
      subagent: { thread_spawn: { parent_thread_id: thread.id, depth: 1, agent_path: "/root/worker", agent_nickname: null, agent_role: "explorer" } }
    })
    expect(meta).toMatchObject({ parent_thread_id: thread.id, thread_source: "subagent", agent_path: "/root/worker", agent_role: "explorer" })
    const childShapes = shapes(childFile).filter((s) => s.includes("task_") || s.includes("turn_aborted") || s.includes("user_message"))
    expect(childShapes.slice(0, 3)).toEqual(["event_msg/task_started", "event_msg/user_message", "event_msg/turn_aborted"])
    expect(childShapes.filter((s) => s === "event_msg/task_complete").length).toBe(2)
    await expectSound(home, thread.path()!)
    await expectSound(home, childFile)
  })
})
