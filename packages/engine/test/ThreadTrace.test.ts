import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as ThreadTrace from "../src/internal/ThreadTrace.js"
import * as TraceCompaction from "../src/internal/TraceCompaction.js"
import * as TraceNames from "../src/internal/TraceNames.js"

const dirs: Array<string> = []
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

const metadata = (threadId: string): ThreadTrace.Metadata => ({
  threadId,
  agentPath: "/root",
  agentRole: null,
  nickname: null,
  sessionSource: "exec",
  cwd: "/w",
  rolloutPath: null,
  model: "gpt-5.5",
  providerName: "openai"
})

describe("ThreadTrace", () => {
  it("invents UUIDv4-shaped ids that depend only on the key", () => {
    expect(TraceNames.uuidv4("a")).toBe(TraceNames.uuidv4("a"))
    expect(TraceNames.uuidv4("a")).not.toBe(TraceNames.uuidv4("b"))
    expect(TraceNames.uuidv4("a")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it("classifies tools by name and previews their input (§2.6.2)", () => {
    expect(TraceNames.toolKind("interrupt_agent")).toEqual({ type: "close_agent" })
    expect(TraceNames.toolKind("followup_task")).toEqual({ type: "assign_agent_task" })
    expect(TraceNames.toolKind("send_message")).toEqual({ type: "send_message" })
    expect(TraceNames.toolKind("sleep")).toEqual({ type: "other", name: "sleep" })
    expect(TraceNames.preview("é".repeat(160))).toBe("é".repeat(160))
    expect(TraceNames.preview("é".repeat(161))).toBe(`${"é".repeat(160)}...`)
  })

  it("never appends to an existing bundle: a thread traced twice gets a second one", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "thread-trace-"))
    dirs.push(root)
    const first = ThreadTrace.startRoot(root, () => 1, metadata("t1"))!
    ThreadTrace.ended(first)
    const second = ThreadTrace.startRoot(root, () => 2, metadata("t1"))!
    ThreadTrace.ended(second)
    expect(first.bundle.writer.dir).not.toBe(second.bundle.writer.dir)
    expect(fs.readdirSync(root)).toHaveLength(2)
    const events = fs
      .readFileSync(path.join(second.bundle.writer.dir, "trace.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).payload.type)
    expect(events).toEqual(["rollout_started", "thread_started", "thread_ended", "rollout_ended", "recording_completed"])
  })

  const open = (threadId: string) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "thread-trace-"))
    dirs.push(root)
    const trace = ThreadTrace.startRoot(root, () => 1, metadata(threadId))!
    const events = () =>
      fs
        .readFileSync(path.join(trace.bundle.writer.dir, "trace.jsonl"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l))
        .filter((e) => e.thread_id !== null)
        .map((e) => (e.payload.type === "history_item_accepted" ? `accepted ${e.payload.item_id}` : e.payload.type))
    const payload = (n: number) => JSON.parse(fs.readFileSync(path.join(trace.bundle.writer.dir, "payloads", `${n}.json`), "utf8"))
    return { trace, events, payload }
  }

  it("names each accepted item once: the model's id, else Codex's prefix and a hash; requests show the names", () => {
    const { trace, events } = open("t3")
    const user = { type: "message", role: "user", content: [] }
    const call = { type: "function_call", id: "fc_1", call_id: "c1", name: "sleep", arguments: "{}" }
    const output = { type: "function_call_output", call_id: "c1", output: "ok" }
    for (const item of [user, call, output, user]) ThreadTrace.accepted(trace, "u1", item)
    const userId = ThreadTrace.itemIdOf(trace, user)!
    expect(userId).toMatch(/^msg_[0-9a-f-]{36}$/)
    expect(ThreadTrace.itemIdOf(trace, output)).toMatch(/^fco_[0-9a-f-]{36}$/)
    expect(events()).toEqual([`accepted ${userId}`, "accepted fc_1", `accepted ${ThreadTrace.itemIdOf(trace, output)}`])
    // The id goes right after `type` (Codex's key order); an item with its own id is shown as it is.
    expect(Object.keys(ThreadTrace.withId(trace, user))).toEqual(["type", "id", "role", "content"])
    expect(ThreadTrace.withId(trace, call)).toBe(call)
    expect(ThreadTrace.withId(trace, { type: "message" })).toEqual({ type: "message" })
  })

  it("writes a streaming attempt's acceptances after inference_completed, but before a cancellation or failure", () => {
    const { trace, events } = open("t4")
    const a = { type: "message", id: "msg_a", role: "assistant", content: [] }
    const first = ThreadTrace.inference(trace, "u1", "m", "p", { input: [] })!
    ThreadTrace.accepted(trace, "u1", a)
    first.completed("resp_1", {}, [a])
    const b = { type: "message", id: "msg_b", role: "assistant", content: [] }
    const second = ThreadTrace.inference(trace, "u1", "m", "p", { input: [] })!
    ThreadTrace.accepted(trace, "u1", b)
    second.cancelled("turn interrupted", [b])
    const c = { type: "message", role: "user", content: [] }
    ThreadTrace.accepted(trace, "u1", c)
    const cId = ThreadTrace.itemIdOf(trace, c)!
    const third = ThreadTrace.inference(trace, "u1", "m", "p", { input: [] })!
    third.failed("boom", [])
    expect(events()).toEqual([
      "inference_started",
      "inference_completed",
      "accepted msg_a",
      "inference_started",
      "accepted msg_b",
      "inference_cancelled",
      `accepted ${cId}`,
      "inference_started",
      "inference_failed"
    ])
  })

  it("gives a compaction's replacement history fresh ids, accepted after compaction_installed", () => {
    const { trace, events, payload } = open("t5")
    const user = { type: "message", role: "user", content: [] }
    ThreadTrace.accepted(trace, "u1", user)
    const before = ThreadTrace.itemIdOf(trace, user)!
    const summary = { type: "message", role: "user", content: [{ type: "input_text", text: "summary" }] }
    const compaction = TraceCompaction.start(trace, "u1", "cmp", "m", "p", { input: [] })!
    compaction.completed([])
    compaction.installed([user], [user, summary])
    const after = [ThreadTrace.itemIdOf(trace, user)!, ThreadTrace.itemIdOf(trace, summary)!]
    expect(after[0]).not.toBe(before)
    expect(events()).toEqual([
      `accepted ${before}`,
      "compaction_request_started",
      "compaction_request_completed",
      "compaction_installed",
      ...after.map((id) => `accepted ${id}`)
    ])
    const checkpoint = payload(4)
    expect(checkpoint.input_history.map((i: { id: string }) => i.id)).toEqual([before])
    expect(checkpoint.replacement_history.map((i: { id: string }) => i.id)).toEqual(after)
  })

  it("is disabled (no handle) when the bundle cannot be created", () => {
    const file = path.join(os.tmpdir(), `thread-trace-file-${process.pid}`)
    fs.writeFileSync(file, "")
    try {
      expect(ThreadTrace.startRoot(file, () => 1, metadata("t2"))).toBeUndefined()
      expect(ThreadTrace.inference(undefined, "turn", "m", "p", {})).toBeUndefined()
    } finally {
      fs.rmSync(file)
    }
  })
})
