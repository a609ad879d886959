import { describe, expect, it } from "vitest"
import * as StatsTools from "../src/internal/StatsTools.js"

describe("StatsTools", () => {
  it("reads failure and wall time from a unified exec output header, not from the command's own output", () => {
    expect(StatsTools.fromOutputText("Chunk ID: a\nWall time: 2.5000 seconds\nProcess exited with code 3\nOutput:\n")).toEqual({
      failed: true,
      durationMs: 2500
    })
    expect(StatsTools.fromOutputText("Wall time: 0.0100 seconds\nProcess exited with code 0\n")).toEqual({ failed: false, durationMs: 10 })
    expect(StatsTools.fromOutputText(`${"x".repeat(600)}Process exited with code 1`)).toEqual({ failed: false, durationMs: null })
  })

  it("reads the text of each output payload shape", () => {
    expect(StatsTools.outputText("plain")).toEqual({ text: "plain", success: null })
    expect(
      StatsTools.outputText([
        { type: "input_text", text: "a" },
        { type: "input_image", image_url: "x" }
      ])
    ).toEqual({ text: "a\n", success: null })
    expect(StatsTools.outputText({ content: "legacy", success: false })).toEqual({ text: "legacy", success: false })
  })

  it("counts a call once by id; the model's own name wins over an event's default", () => {
    const t = new StatsTools.Tracker()
    t.settle("c1", "exec_command", "b", false, 120)
    t.touch("c1", "shell", "b", true)
    t.settle("c1", "exec_command", "b", true, 999)
    const out: Array<StatsTools.Call> = []
    t.drain((c) => out.push(c))
    expect(out).toEqual([{ tool: "shell", named: true, bucket: "b", failed: true, durationMs: 120 }])
    expect(t.size).toBe(0)
  })

  it("reads paginated tool items", () => {
    expect(StatsTools.itemTool({ type: "McpToolCall", server: "docs", tool: "search" })).toBe("docs.search")
    expect(StatsTools.itemTool({ type: "AgentMessage" })).toBeUndefined()
    expect(StatsTools.itemFailed({ type: "CommandExecution", status: "completed", exit_code: 2 })).toBe(true)
    expect(StatsTools.itemFailed({ type: "FileChange", status: "declined" })).toBe(true)
    expect(StatsTools.itemMillis({ duration: { secs: 1, nanos: 5_000_000 } }, undefined, undefined)).toBe(1005)
    expect(StatsTools.itemMillis({}, 1000, 1600)).toBe(600)
    expect(StatsTools.itemMillis({}, 0, 0)).toBeNull()
  })
})
