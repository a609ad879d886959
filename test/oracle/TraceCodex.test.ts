// `rollout trace` against bundles the real Codex 0.169 wrote (fixtures/trace-codex/, recorded by
// RecordTraces.ts). Two independent oracles per bundle: Codex's own reduction of it
// (`codex debug trace-reduce`, stored as codex-state.json) and the facts of the recording
// (recording.json: what the scripted model server was asked and answered, the rollout files).
// No Codex process runs here.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { inProcess, root } from "../e2e/Bin.js"
import type * as RecordTraces from "./RecordTraces.js"

const fixtures = path.join(root, "fixtures/trace-codex")
const cases = fs
  .readdirSync(fixtures, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()

/**
 * Codex 0.169 writes schema_version 2 bundles (`history_item_accepted`, `recording_completed`
 * events; `recording_complete`, `responses_item_id`, `accepted_*` in the reduced graph). The
 * reducer knows schema 2 (packages/reduce/src/TraceAcceptance.ts and the schema 2 branches it
 * names), so our output is compared as a plain test; set this to false only to mark a regression
 * in a newer Codex's schema as expected (`it.fails`) while the reducer catches up.
 */
const reducerKnowsSchema2 = true
const ours = reducerKnowsSchema2 ? it : it.fails

type Json = any

interface Fixture {
  readonly bundle: string
  readonly manifest: Json
  readonly codex: Json
  readonly recording: RecordTraces.Recording
}

const load = (name: string): Fixture => {
  const dir = path.join(fixtures, name)
  const bundleName = fs.readdirSync(dir).find((f) => f.startsWith("trace-"))
  if (bundleName === undefined) throw new Error(`${dir}: no trace-* bundle`)
  const bundle = path.join(dir, bundleName)
  const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"))
  return {
    bundle,
    manifest: read(path.join(bundle, "manifest.json")),
    codex: read(path.join(dir, "codex-state.json")),
    recording: read(path.join(dir, "recording.json"))
  }
}

const values = (map: Json): Array<Json> => Object.values(map ?? {})
const sorted = (xs: Iterable<string>) => [...xs].sort()
const text = (item: Json): string =>
  item.body.parts
    .filter((p: Json) => p.type === "text")
    .map((p: Json) => p.text)
    .join("")

/** Checks a reduced graph (Codex's or ours) against facts taken from the recording alone. */
const agreesWithRecording = (state: Json, { manifest, recording }: Fixture) => {
  const all = recording.requests
  // A local compaction's summary request is not traced as an inference call (Codex 0.169).
  const requests = all.filter((r) => r.request_kind !== "compaction")
  // Thread ids are the session ids of the rollout files Codex wrote; the root is the root rollout.
  expect(state.trace_id).toBe(manifest.trace_id)
  expect(state.root_thread_id).toBe(recording.root_session_id)
  expect(manifest.root_thread_id).toBe(recording.root_session_id)
  expect(sorted(Object.keys(state.threads))).toEqual(recording.rollout_session_ids)
  for (const thread of values(state.threads)) {
    const asked = requests.filter((r) => r.thread_id === thread.thread_id)
    for (const r of asked) expect(thread.agent_path).toBe(r.agent_name)
  }

  // One inference call per model request, per thread in request order, in the turn that asked.
  expect(values(state.inference_calls)).toHaveLength(requests.length)
  for (const threadId of Object.keys(state.threads)) {
    const calls = values(state.inference_calls)
      .filter((c) => c.thread_id === threadId)
      .sort((a, b) => a.execution.started_seq - b.execution.started_seq)
    const asked = requests.filter((r) => r.thread_id === threadId)
    // A stalled stream is one the client interrupted: the call was cancelled.
    const status = (r: RecordTraces.RequestFact) => (r.answer === "failed" ? "failed" : r.answer === "stall" ? "cancelled" : "completed")
    expect(calls.map((c) => [c.codex_turn_id, c.execution.status])).toEqual(asked.map((r) => [r.turn_id, status(r)]))
  }
  // Every request's turn is a Codex turn, compaction turns included.
  expect(sorted(Object.keys(state.codex_turns))).toEqual(sorted(new Set(all.map((r) => r.turn_id))))
  for (const r of all) expect(state.codex_turns[r.turn_id].thread_id).toBe(r.thread_id)
  for (const r of all.filter((r) => r.answer === "stall")) expect(state.codex_turns[r.turn_id].execution.status).toBe("cancelled")

  // One tool call per scripted function call: same call id, name, thread and turn; its output item
  // is what Codex sent back to the model; it ran between the inference that asked for it and the
  // inference that carried its output.
  const scripted = requests.flatMap((r) => r.function_calls.map((call) => ({ call, request: r })))
  const modelTools = Object.keys(state.tool_calls).filter((id) => state.tool_calls[id].requester.type === "model")
  expect(sorted(modelTools)).toEqual(sorted(scripted.map((s) => s.call.call_id)))
  const inferenceOf = (request: RecordTraces.RequestFact, index: number) =>
    values(state.inference_calls)
      .filter((c) => c.thread_id === request.thread_id)
      .sort((a, b) => a.execution.started_seq - b.execution.started_seq)[index]
  for (const { call, request } of scripted) {
    const tool = state.tool_calls[call.call_id]
    expect(tool.model_visible_call_id).toBe(call.call_id)
    expect(tool.kind.type === "other" ? tool.kind.name : tool.kind.type).toBe(call.name)
    expect(tool.thread_id).toBe(request.thread_id)
    expect(tool.started_by_codex_turn_id).toBe(request.turn_id)
    expect(tool.execution.status).toBe("completed")
    const sameThread = requests.filter((r) => r.thread_id === request.thread_id)
    const askedAt = sameThread.indexOf(request)
    const answeredAt = sameThread.findIndex((r) => r.call_outputs.some((o) => o.call_id === call.call_id))
    expect(answeredAt).toBeGreaterThan(askedAt)
    const output = sameThread[answeredAt]!.call_outputs.find((o) => o.call_id === call.call_id)!.output
    const kind = call.custom === true ? "custom_tool_call" : "function_call"
    const outputItems = tool.model_visible_output_item_ids.map((id: string) => state.conversation_items[id])
    expect(outputItems.map((i: Json) => [i.kind, i.call_id])).toEqual([[`${kind}_output`, call.call_id]])
    if (typeof output === "string") expect(text(outputItems[0])).toBe(output)
    const callItems = tool.model_visible_call_item_ids.map((id: string) => state.conversation_items[id])
    expect(callItems.map((i: Json) => [i.kind, i.call_id])).toEqual([[kind, call.call_id]])
    const asking = inferenceOf(request, askedAt)
    expect(asking.response_item_ids).toContain(tool.model_visible_call_item_ids[0])
    expect(asking.execution.ended_seq).toBeLessThan(tool.execution.started_seq)
    expect(tool.execution.ended_seq).toBeLessThan(inferenceOf(request, answeredAt).execution.started_seq)
  }

  // A spawned agent: the child's thread came from the spawn call, under the task name scripted.
  for (const { call, request } of scripted.filter((s) => s.call.name === "spawn_agent")) {
    const args = JSON.parse(call.arguments)
    const child = values(state.threads).find((t) => t.origin.type === "spawned" && t.origin.task_name === args.task_name)
    expect(child?.origin.parent_thread_id).toBe(request.thread_id)
    expect(child?.agent_path).toBe(`${request.agent_name}/${args.task_name}`)
    const edge = state.interaction_edges[`edge:spawn:${request.thread_id}:${child.thread_id}`]
    expect(edge.kind).toBe("spawn_agent")
    expect(edge.source).toEqual({ type: "tool_call", tool_call_id: call.call_id })
    expect(child.origin.spawn_edge_id).toBe(edge.edge_id)
  }

  // A code-mode `exec` call ran its source as one cell; every tool the cell called names it as requester.
  for (const { call } of scripted.filter((s) => s.call.custom === true && s.call.name === "exec")) {
    const cell = state.code_cells[`code_cell:${call.call_id}`]
    expect(cell.source_js).toBe(call.arguments)
    expect(cell.execution.status).toBe("completed")
    expect(cell.nested_tool_call_ids.length).toBeGreaterThan(0)
    for (const id of cell.nested_tool_call_ids) expect(state.tool_calls[id].requester).toEqual({ type: "code_cell", code_cell_id: cell.code_cell_id })
  }
  const nested = values(state.tool_calls).filter((t) => t.requester.type === "code_cell")
  for (const t of nested) expect(state.code_cells[t.requester.code_cell_id].nested_tool_call_ids).toContain(t.tool_call_id)

  // write_stdin: its operation runs in the session of the exec_command whose output named that session id.
  for (const { call } of scripted.filter((s) => s.call.name === "write_stdin")) {
    const session = JSON.parse(call.arguments).session_id
    const exec = scripted.find(
      (s) =>
        s.call.name === "exec_command" &&
        requests.some((r) => r.call_outputs.some((o) => o.call_id === s.call.call_id && String(o.output).includes(`session ID ${session}\n`)))
    )
    expect(exec).toBeDefined()
    const terminalOf = (callId: string) => state.terminal_operations[state.tool_calls[callId].terminal_operation_id].terminal_id
    expect(terminalOf(call.call_id)).toBe(terminalOf(exec!.call.call_id))
    expect(state.terminal_sessions[terminalOf(call.call_id)].operation_ids).toHaveLength(2)
  }

  // Sequence numbers: every execution window is ordered and inside its thread's.
  for (const map of [state.codex_turns, state.inference_calls, state.tool_calls]) {
    for (const x of values(map)) {
      const thread = state.threads[x.thread_id].execution
      expect(x.execution.started_seq).toBeLessThanOrEqual(x.execution.ended_seq)
      expect(x.execution.started_seq).toBeGreaterThan(thread.started_seq)
      expect(x.execution.ended_seq).toBeLessThan(thread.ended_seq)
    }
  }
}

describe.each(cases)("trace-codex/%s", (name) => {
  const fixture = load(name)

  it("Codex's own reduction agrees with the recording (the fixture is a sound oracle)", () => {
    expect(fixture.codex.status).toBe("completed")
    agreesWithRecording(fixture.codex, fixture)
  })

  const reduce = async () => {
    const result = await inProcess("trace", fixture.bundle, "--json")
    expect(result.stderr).toBe("")
    expect(result.status).toBe(0)
    return JSON.parse(result.stdout)
  }

  ours("rollout trace --json reduces the bundle to what codex debug trace-reduce wrote", async () => {
    const state = await reduce()
    expect(state).toEqual(fixture.codex)
    // Same key order too: the CLI promises Codex's order.
    expect(JSON.stringify(state)).toBe(JSON.stringify(fixture.codex))
  })

  ours("rollout trace --json agrees with the recording", async () => {
    agreesWithRecording(await reduce(), fixture)
  })
})
