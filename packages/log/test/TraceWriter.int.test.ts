import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Result } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"
import { TraceWriter } from "@rollout/log/TraceWriter"

const dirs: Array<string> = []
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-writer-"))
  dirs.push(dir)
  return path.join(dir, "trace-t-T0")
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe("TraceWriter", () => {
  it("given a new bundle, when payloads and events are written, then the files have Codex's layout, order and spelling", () => {
    let now = 1000
    const dir = tmp()
    const w = TraceWriter.create(dir, { trace_id: "t", rollout_id: "T0", root_thread_id: "T0" }, { clock: () => now++ })
    w.append({ type: "rollout_started", trace_id: "t", root_thread_id: "T0" })
    const meta = w.writeJsonPayload("session_metadata", { thread_id: "T0", agent_path: "/root" })
    w.append({ type: "thread_started", thread_id: "T0", agent_path: "/root", metadata_payload: meta })
    w.appendWithContext(
      { thread_id: "T0", codex_turn_id: "u1" },
      {
        type: "tool_call_started",
        tool_call_id: "c",
        requester: { type: "model" },
        kind: { type: "exec_command" },
        summary: { type: "generic", label: "exec_command" }
      }
    )
    w.close()
    expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"))).toEqual({
      schema_version: 2,
      trace_id: "t",
      rollout_id: "T0",
      root_thread_id: "T0",
      started_at_unix_ms: 1000,
      raw_event_log: "trace.jsonl",
      payloads_dir: "payloads"
    })
    expect(fs.readFileSync(path.join(dir, "payloads", "1.json"), "utf8")).toBe('{\n  "thread_id": "T0",\n  "agent_path": "/root"\n}')
    const lines = fs.readFileSync(path.join(dir, "trace.jsonl"), "utf8").split("\n")
    expect(lines[0]).toBe(
      '{"schema_version":2,"seq":1,"wall_time_unix_ms":1001,"rollout_id":"T0","thread_id":null,"codex_turn_id":null,"payload":{"type":"rollout_started","trace_id":"t","root_thread_id":"T0"}}'
    )
    expect(lines[2]).toBe(
      '{"schema_version":2,"seq":3,"wall_time_unix_ms":1003,"rollout_id":"T0","thread_id":"T0","codex_turn_id":"u1","payload":{"type":"tool_call_started","tool_call_id":"c","model_visible_call_id":null,"code_mode_runtime_tool_id":null,"requester":{"type":"model"},"kind":{"type":"exec_command"},"summary":{"type":"generic","label":"exec_command","input_preview":null,"output_preview":null},"invocation_payload":null}}'
    )
    expect(lines[3]).toBe("")
  })

  it("given schema 2 events, when appended, then they are spelled as Codex 0.169 writes them", () => {
    const dir = tmp()
    const w = TraceWriter.create(dir, { trace_id: "t", rollout_id: "T0", root_thread_id: "T0" }, { clock: () => 7 })
    w.appendWithContext({ thread_id: "T0", codex_turn_id: "u1" }, { type: "history_item_accepted", item_id: "msg_1" })
    const message = w.writeJsonPayload("protocol_event", { type: "agent_message", id: "amsg_1" })
    w.appendWithContext({ thread_id: "T0", codex_turn_id: "u1" }, { type: "history_item_accepted", item_id: "amsg_1", agent_message_payload: message })
    w.appendWithContext({ thread_id: "T0", codex_turn_id: "u1" }, { type: "stdin_target_resolved", tool_call_id: "c2", exec_tool_call_id: "c1" })
    w.append({ type: "recording_completed" })
    w.close()
    const payloads = fs
      .readFileSync(path.join(dir, "trace.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(payloads.map((e) => e.schema_version)).toEqual([2, 2, 2, 2])
    expect(payloads.map((e) => e.payload)).toEqual([
      { type: "history_item_accepted", item_id: "msg_1" },
      {
        type: "history_item_accepted",
        item_id: "amsg_1",
        agent_message_payload: { raw_payload_id: "raw_payload:1", kind: { type: "protocol_event" }, path: "payloads/1.json" }
      },
      { type: "stdin_target_resolved", tool_call_id: "c2", exec_tool_call_id: "c1" },
      { type: "recording_completed" }
    ])
  })

  it("given schema 1 asked for, when written, then the manifest and envelopes say 1", () => {
    const dir = tmp()
    const w = TraceWriter.create(dir, { trace_id: "t", rollout_id: "T0", root_thread_id: "T0" }, { clock: () => 7, schemaVersion: 1 })
    w.append({ type: "rollout_started", trace_id: "t", root_thread_id: "T0" })
    w.close()
    expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).schema_version).toBe(1)
    expect(JSON.parse(fs.readFileSync(path.join(dir, "trace.jsonl"), "utf8")).schema_version).toBe(1)
  })

  it("given a written bundle, when read back, then every event and payload is there", async () => {
    const dir = tmp()
    const w = TraceWriter.create(dir, { trace_id: "t", rollout_id: "T0", root_thread_id: "T0" }, { clock: () => 5 })
    const events = [
      w.append({ type: "rollout_started", trace_id: "t", root_thread_id: "T0" }),
      w.append({ type: "thread_started", thread_id: "T0", agent_path: "/root", metadata_payload: w.writeJsonPayload("session_metadata", { model: "m" }) }),
      w.append({ type: "rollout_ended", status: "completed" })
    ]
    w.close()
    const read = await TraceBundle.read(Files.node, dir)
    if (Result.isFailure(read)) throw read.failure
    expect(read.success.lines.map((l) => (l._tag === "Event" ? l.event.seq : l._tag))).toEqual(events.map((e) => e.seq))
    expect(read.success.payloads.get("payloads/1.json")).toBe('{\n  "model": "m"\n}')
  })
})
