import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import type * as Clock from "@rollout/engine/Clock"
import * as Recorder from "../src/internal/Recorder.js"

const event = (payload: Record<string, unknown>): Recorder.Body => ({ type: "event_msg", payload })

describe("Recorder", () => {
  it("persists what Codex's legacy history mode persists, and nothing else", () => {
    expect(Recorder.isPersisted(event({ type: "task_started" }))).toBe(true)
    expect(Recorder.isPersisted(event({ type: "sub_agent_activity" }))).toBe(true)
    expect(Recorder.isPersisted(event({ type: "error" }))).toBe(false)
    expect(Recorder.isPersisted(event({ type: "stream_error" }))).toBe(false)
    expect(Recorder.isPersisted(event({ type: "item_started", item: { type: "Extension", kind: "clock.sleep" } }))).toBe(false)
    expect(Recorder.isPersisted(event({ type: "item_completed", item: { type: "Extension", kind: "clock.sleep" } }))).toBe(true)
    expect(Recorder.isPersisted(event({ type: "item_completed", item: { type: "AgentMessage" } }))).toBe(false)
    // A spawned agent's completion: Codex 0.171 writes it to a legacy rollout and replays it.
    expect(Recorder.isPersisted(event({ type: "item_completed", item: { type: "SubAgentActivity", id: "a" } }))).toBe(true)
    expect(Recorder.isPersisted({ type: "compacted", payload: {} })).toBe(true)
  })

  it("in paginated mode writes every item_completed, only publishes the legacy message events, and numbers the lines", async () => {
    expect(Recorder.isPersisted(event({ type: "item_completed", item: { type: "AgentMessage" } }), "paginated")).toBe(true)
    expect(Recorder.isPersisted(event({ type: "agent_message" }), "paginated")).toBe(false)
    expect(Recorder.isPersisted(event({ type: "user_message" }), "paginated")).toBe(false)
    expect(Recorder.isPersisted(event({ type: "agent_message" }))).toBe(true)
    expect(Recorder.isPersisted(event({ type: "token_count" }), "paginated")).toBe(true)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-recorder-"))
    try {
      const clock: Clock.Clock = { now: () => 1_800_000_000_000, sleep: () => Promise.resolve() }
      const file = path.join(dir, "r.jsonl")
      const recorder = await Recorder.open(file, "t", clock, { durability: "none", historyMode: "paginated", nextOrdinal: 7 })
      await recorder.record(event({ type: "task_started", turn_id: "u", started_at: 1, model_context_window: 1, collaboration_mode_kind: "default" }))
      await recorder.record(event({ type: "agent_message", message: "Only published", phase: null, memory_citation: null }))
      await recorder.record(event({ type: "task_complete", turn_id: "u", last_agent_message: "Hi", started_at: 1, completed_at: 1, duration_ms: 0 }))
      await recorder.close()
      const lines = fs
        .readFileSync(file, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l))
      expect(lines.map((l) => [l.ordinal, l.payload.type])).toEqual([
        [7, "task_started"],
        [8, "task_complete"]
      ])
      expect(Object.keys(lines[0])).toEqual(["timestamp", "ordinal", "type", "payload"])
      // The live view still saw the message.
      expect(JSON.stringify(recorder.history())).toContain("Only published")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reads the clock once per written line, never for a transient event, and publishes after the append", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-recorder-"))
    try {
      let reads = 0
      const clock: Clock.Clock = { now: () => 1_800_000_000_000 + reads++ * 1000, sleep: () => Promise.resolve() }
      const file = path.join(dir, "r.jsonl")
      const recorder = await Recorder.open(file, "t", clock, { durability: "none" })
      const seen: Array<[boolean, boolean]> = []
      recorder.subscribe((e) => seen.push([e.persisted, fs.readFileSync(file, "utf8").includes(e.text)]))
      await recorder.record(event({ type: "token_count", info: null, rate_limits: null }))
      const stamp = await recorder.record(event({ type: "error", message: "boom", codex_error_info: "other" }))
      await recorder.record((at) => event({ type: "agent_message", message: `at ${at}`, phase: null, memory_citation: null }))
      await recorder.close()
      expect(reads).toBe(2)
      expect(stamp).toBe(1_800_000_000_000)
      expect(seen).toEqual([
        [true, true],
        [false, false],
        [true, true]
      ])
      expect(fs.readFileSync(file, "utf8").trimEnd().split("\n")).toEqual([
        '{"timestamp":"2027-01-15T08:00:00.000Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":null}}',
        '{"timestamp":"2027-01-15T08:00:01.000Z","type":"event_msg","payload":{"type":"agent_message","message":"at 1800000001000","phase":null,"memory_citation":null}}'
      ])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
