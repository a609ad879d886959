import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TraceGraph from "@rollout/protocol/TraceGraph"

const empty = (): TraceGraph.RolloutTrace => ({
  schema_version: 1,
  trace_id: "t",
  rollout_id: "r",
  started_at_unix_ms: 1,
  ended_at_unix_ms: null,
  status: "running",
  root_thread_id: "T",
  threads: new Map(),
  codex_turns: new Map(),
  conversation_items: new Map(),
  inference_calls: new Map(),
  code_cells: new Map(),
  tool_calls: new Map(),
  terminal_sessions: new Map(),
  terminal_operations: new Map(),
  compactions: new Map(),
  compaction_requests: new Map(),
  interaction_edges: new Map(),
  raw_payloads: new Map()
})

describe("TraceGraph", () => {
  it("given any two strings, when compared, then the order is their UTF-8 byte order", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(Math.sign(TraceGraph.compareKeys(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))))
      })
    )
  })

  it("given map keys that look like integers, when written, then they keep byte order (a plain object would not)", () => {
    const turn = (id: string): TraceGraph.CodexTurn => ({
      codex_turn_id: id,
      thread_id: "T",
      execution: { started_at_unix_ms: 1, started_seq: 1, ended_at_unix_ms: null, ended_seq: null, status: "running" },
      input_item_ids: []
    })
    const trace = {
      ...empty(),
      codex_turns: new Map([
        ["7", turn("7")],
        ["10", turn("10")],
        ["conversation_item:2", turn("x")]
      ])
    }
    const text = TraceGraph.toJson(trace, 0)
    expect(text.indexOf('"10":')).toBeLessThan(text.indexOf('"7":'))
    expect(text.indexOf('"7":')).toBeLessThan(text.indexOf('"conversation_item:2":'))
  })

  it("given an empty graph, when written pretty, then it is serde_json's pretty form with the fields in Codex's order", () => {
    expect(TraceGraph.toJson(empty())).toBe(
      [
        "{",
        '  "schema_version": 1,',
        '  "trace_id": "t",',
        '  "rollout_id": "r",',
        '  "started_at_unix_ms": 1,',
        '  "ended_at_unix_ms": null,',
        '  "status": "running",',
        '  "root_thread_id": "T",',
        ...[
          "threads",
          "codex_turns",
          "conversation_items",
          "inference_calls",
          "code_cells",
          "tool_calls",
          "terminal_sessions",
          "terminal_operations",
          "compactions",
          "compaction_requests",
          "interaction_edges"
        ].map((k) => `  "${k}": {},`),
        '  "raw_payloads": {}',
        "}"
      ].join("\n")
    )
  })
})
