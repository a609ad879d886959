import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { T0, TraceScript, user } from "./support/TraceScript.js"

// Code-mode `exec` cells. Schema 2 (Codex 0.169) adds the first response's status and payload,
// the end's payload, and the `exec` tool call's `started_code_cell_id`. Real bundles:
// test/oracle/TraceCodex.test.ts (exec-code-cell).

const json = (script: TraceScript) => {
  const result = RolloutTrace.reduce(script.input())
  if (Result.isFailure(result)) throw new Error(`reduction failed: ${result.failure.message}`)
  return JSON.parse(TraceGraph.toJson(result.success))
}

const source = "text('hi')\n"

/** The model runs one cell that completes at once, as Codex 0.169 orders the events. */
const cell = (version: number, initialResponse: boolean) => {
  const s = new TraceScript(version).root().turn(T0, "u1")
  s.infer(T0, "u1", "inf-1", { input: [user("run code")] })
  s.complete(T0, "u1", "inf-1", "resp_1", [{ type: "custom_tool_call", name: "exec", input: source, call_id: "cell1" }])
  const inv = s.payload("tool_invocation", { tool_name: "exec", tool_namespace: null, payload: { type: "custom", input: source } })
  s.ev(
    {
      type: "tool_call_started",
      tool_call_id: "cell1",
      model_visible_call_id: "cell1",
      code_mode_runtime_tool_id: null,
      requester: { type: "model" },
      kind: { type: "other", name: "exec" },
      summary: { type: "generic", label: "exec", input_preview: source, output_preview: null },
      invocation_payload: inv
    },
    T0,
    "u1"
  )
  s.ev({ type: "code_cell_started", runtime_cell_id: "1", model_visible_call_id: "cell1", source_js: source }, T0, "u1")
  const result = { response: { Result: { cell_id: "1", content_items: [{ type: "input_text", text: "hi" }], error_text: null } } }
  if (initialResponse)
    s.ev({ type: "code_cell_initial_response", runtime_cell_id: "1", status: "completed", response_payload: s.payload("tool_result", result) }, T0, "u1")
  s.ev({ type: "code_cell_ended", runtime_cell_id: "1", status: "completed", response_payload: s.payload("tool_result", result) }, T0, "u1")
  const out = s.payload("tool_result", { type: "direct_response", response_item: { type: "custom_tool_call_output", call_id: "cell1", output: "hi" } })
  s.ev({ type: "tool_call_ended", tool_call_id: "cell1", status: "completed", result_payload: out }, T0, "u1")
  return s
}

const payloadOf = (s: TraceScript, type: string) =>
  s.lines.flatMap((l) => (l._tag === "Event" && l.event.payload.type === type ? [(l.event.payload as any).response_payload.raw_payload_id] : []))[0]

describe("TraceCodeCells", () => {
  it("given a schema 2 cell with an initial response and an end, when reduced, then the cell keeps both payloads and the first status, in Codex's key order", () => {
    const s = cell(2, true)
    const graph = json(s)
    const c = graph.code_cells["code_cell:cell1"]
    expect(c.initial_response_status).toBe("completed")
    expect(c.raw_initial_response_payload_id).toBe(payloadOf(s, "code_cell_initial_response"))
    expect(c.raw_result_payload_id).toBe(payloadOf(s, "code_cell_ended"))
    const keys = Object.keys(c)
    expect(keys.slice(keys.indexOf("initial_response_seq"), keys.indexOf("yielded_at_unix_ms") + 1)).toEqual([
      "initial_response_seq",
      "initial_response_status",
      "raw_initial_response_payload_id",
      "raw_result_payload_id",
      "yielded_at_unix_ms"
    ])
  })

  it("given a schema 2 cell, when reduced, then the model's exec call names the cell it started right after code_mode_runtime_tool_id", () => {
    const tool = json(cell(2, true)).tool_calls.cell1
    expect(tool.started_code_cell_id).toBe("code_cell:cell1")
    const keys = Object.keys(tool)
    expect(keys[keys.indexOf("code_mode_runtime_tool_id") + 1]).toBe("started_code_cell_id")
  })

  it("given a schema 2 cell that ends without an initial response, when reduced, then no initial-response status or payload is written", () => {
    const c = json(cell(2, false)).code_cells["code_cell:cell1"]
    expect(c.initial_response_seq).toBe(c.execution.ended_seq)
    expect("initial_response_status" in c).toBe(false)
    expect("raw_initial_response_payload_id" in c).toBe(false)
    expect(typeof c.raw_result_payload_id).toBe("string")
  })

  it("given the same cell as a schema 1 bundle, when reduced, then nothing of schema 2 appears", () => {
    const graph = json(cell(1, true))
    const c = graph.code_cells["code_cell:cell1"]
    expect(Object.keys(c).filter((k) => k.startsWith("raw_") || k === "initial_response_status")).toEqual([])
    expect("started_code_cell_id" in graph.tool_calls.cell1).toBe(false)
  })
})
