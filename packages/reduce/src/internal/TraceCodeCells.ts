/**
 * TraceCodeCells: code-mode `exec` cells in the trace reducer (rollout-trace spec §4.9). A cell
 * start names the model-visible `exec` call; the cell materializes once that custom tool call
 * item has been reduced (until then the start and its lifecycle events are queued), and links the
 * call's outputs, the nested tools it requested and the `wait` calls that targeted it. Schema 2
 * also keeps the first response's status and payload, the end's payload, and names the cell on
 * the `exec` tool call that started it (`started_code_cell_id`).
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { compareKeys } from "@rollout/protocol/TraceGraph"
import { fail } from "./TraceError.js"
import { addProducer, type Event, inKeyOrder, isRecord, itemsWithCall, type Mutable, pushUnique, readPayload, startWindow, type State } from "./TraceState.js"

type Cell = Mutable<TraceGraph.CodeCell>
type Which = "code cell start" | "code cell initial response" | "code cell end"

const runtimeKey = (thread: string, runtime: string) => `${thread}\u0000${runtime}`

/** The thread a code-cell event belongs to: its envelope thread, else its envelope turn's thread. */
const resolveThread = (s: State, e: Event, which: Which, runtime: string): string => {
  if (e.thread_id !== null && e.thread_id !== undefined) return e.thread_id
  const turn = e.codex_turn_id
  if (turn === null || turn === undefined) return fail(`${which} ${runtime} did not include a thread id`)
  const t = s.graph.codex_turns.get(turn) ?? fail(`${which} ${runtime} referenced unknown Codex turn ${turn}`)
  return t.thread_id
}

const itemsOfKind = (s: State, thread: string, call: string, kind: TraceGraph.ItemKind) => itemsWithCall(s, call, thread).filter((i) => i.kind === kind)

/** §4.9.1 */
export const started = (s: State, e: Event & { readonly payload: typeof TraceEvent.CodeCellStarted.Type }): void => {
  const p = e.payload
  const thread = resolveThread(s, e, "code cell start", p.runtime_cell_id)
  const id = `code_cell:${p.model_visible_call_id}`
  const key = runtimeKey(thread, p.runtime_cell_id)
  const mapped = s.runtimeCells.get(key)
  if (mapped !== undefined && mapped !== id) fail(`runtime code cell ${p.runtime_cell_id} in thread ${thread} mapped to both ${mapped} and ${id}`)
  s.runtimeCells.set(key, id)
  if (itemsOfKind(s, thread, p.model_visible_call_id, "custom_tool_call").length > 0) materialize(s, e, thread)
  else {
    if (s.graph.code_cells.has(id) || s.queuedCells.has(id)) fail(`duplicate code cell start for ${id}`)
    s.queuedCells.set(id, { event: e, thread })
  }
}

/** §4.9.3 */
const materialize = (s: State, e: Event, thread: string): void => {
  if (e.payload.type !== "code_cell_started") return
  const p = e.payload
  const id = `code_cell:${p.model_visible_call_id}`
  if (s.graph.code_cells.has(id)) fail(`duplicate code cell start for ${id}`)
  const turnId = e.codex_turn_id
  if (turnId === null || turnId === undefined) return fail(`code cell start ${id} did not include a Codex turn id`)
  if (!s.graph.threads.has(thread)) fail(`code cell start referenced unknown thread ${thread}`)
  const turn = s.graph.codex_turns.get(turnId) ?? fail(`code cell start referenced unknown Codex turn ${turnId}`)
  if (turn.thread_id !== thread) fail(`code cell start used thread ${thread}, but Codex turn ${turnId} belongs to ${turn.thread_id}`)
  const source = itemsOfKind(s, thread, p.model_visible_call_id, "custom_tool_call")[0]
  if (source === undefined) return
  const outputs = itemsOfKind(s, thread, p.model_visible_call_id, "custom_tool_call_output")
  const cell: Cell = {
    code_cell_id: id,
    model_visible_call_id: p.model_visible_call_id,
    thread_id: thread,
    codex_turn_id: turnId,
    source_item_id: source.item_id,
    output_item_ids: outputs.map((i) => i.item_id),
    runtime_cell_id: p.runtime_cell_id,
    execution: startWindow(e),
    runtime_status: "starting",
    initial_response_at_unix_ms: null,
    initial_response_seq: null,
    // Schema 2: the first response's status and payload and the end's payload (key order; omitted until known).
    ...(s.schemaVersion >= 2 ? { initial_response_status: undefined, raw_initial_response_payload_id: undefined, raw_result_payload_id: undefined } : {}),
    yielded_at_unix_ms: null,
    yielded_seq: null,
    source_js: p.source_js,
    nested_tool_call_ids: inKeyOrder(s.graph.tool_calls)
      .filter((t) => t.requester.type === "code_cell" && t.requester.code_cell_id === id)
      .map((t) => t.tool_call_id),
    wait_tool_call_ids: []
  }
  s.graph.code_cells.set(id, cell)
  // Schema 2: the model-visible `exec` call names the cell it started.
  if (s.schemaVersion >= 2) {
    for (const toolId of s.index.toolsByCall.get(p.model_visible_call_id) ?? []) {
      const tool = s.graph.tool_calls.get(toolId)
      if (tool !== undefined && tool.thread_id === thread) tool.started_code_cell_id = id
    }
  }
  for (const item of outputs) addProducer(item, { type: "code_cell", code_cell_id: id })
  const queued = s.queuedCellEvents.get(id) ?? []
  s.queuedCellEvents.delete(id)
  for (const q of [...queued].sort((a, b) => a.event.seq - b.event.seq)) applyLifecycle(s, q.event, cell)
}

/** §4.9.2: after each reconciliation batch, materialize the queued starts whose source now exists. */
export const flush = (s: State): void => {
  for (const id of [...s.queuedCells.keys()].sort(compareKeys)) {
    const q = s.queuedCells.get(id)
    if (q === undefined || q.event.payload.type !== "code_cell_started") continue
    if (itemsOfKind(s, q.thread, q.event.payload.model_visible_call_id, "custom_tool_call").length === 0) continue
    s.queuedCells.delete(id)
    materialize(s, q.event, q.thread)
  }
}

const applyLifecycle = (s: State, e: Event, cell: Cell): void => {
  const p = e.payload
  const v2 = s.schemaVersion >= 2
  if (p.type === "code_cell_initial_response") {
    cell.runtime_cell_id = p.runtime_cell_id
    if (cell.initial_response_at_unix_ms === null) {
      cell.initial_response_at_unix_ms = e.wall_time_unix_ms
      cell.initial_response_seq = e.seq
      // Schema 2 keeps the first response's status and payload.
      if (v2) cell.initial_response_status = p.status
      if (v2 && p.response_payload !== null && p.response_payload !== undefined) cell.raw_initial_response_payload_id = p.response_payload.raw_payload_id
    }
    if (p.status === "yielded") {
      cell.yielded_at_unix_ms = e.wall_time_unix_ms
      cell.yielded_seq = e.seq
    }
    cell.runtime_status = p.status
  } else if (p.type === "code_cell_ended") {
    if (cell.initial_response_at_unix_ms === null) {
      cell.initial_response_at_unix_ms = e.wall_time_unix_ms
      cell.initial_response_seq = e.seq
    }
    cell.execution.ended_at_unix_ms = e.wall_time_unix_ms
    cell.execution.ended_seq = e.seq
    cell.execution.status = executionStatus(p.status)
    cell.runtime_status = p.status
    // Schema 2 keeps the end's payload.
    if (v2 && p.response_payload !== null && p.response_payload !== undefined) cell.raw_result_payload_id = p.response_payload.raw_payload_id
  }
}

const executionStatus = (status: TraceGraph.CodeCell["runtime_status"]): TraceGraph.ExecutionWindow["status"] => {
  switch (status) {
    case "starting":
    case "running":
    case "yielded":
      return "running"
    case "completed":
      return "completed"
    case "failed":
      return "failed"
    case "terminated":
      return "cancelled"
    default: {
      const never: never = status
      return never
    }
  }
}

/** §4.9.4: `code_cell_initial_response` and `code_cell_ended`. */
export const lifecycle = (s: State, e: Event & { readonly payload: { readonly runtime_cell_id: string } }): void => {
  const which: Which = e.payload.type === "code_cell_ended" ? "code cell end" : "code cell initial response"
  const runtime = e.payload.runtime_cell_id
  const thread = resolveThread(s, e, which, runtime)
  const id = s.runtimeCells.get(runtimeKey(thread, runtime)) ?? fail(`${which} referenced unknown runtime cell ${runtime} in thread ${thread}`)
  const cell = s.graph.code_cells.get(id)
  if (cell !== undefined) return applyLifecycle(s, e, cell)
  if (!s.queuedCells.has(id)) return fail(`${which} referenced unknown cell ${id}`)
  const queue = s.queuedCellEvents.get(id) ?? []
  queue.push({ event: e, thread })
  s.queuedCellEvents.set(id, queue)
}

/** The code_cell_id a nested tool's runtime cell maps to in `thread`. */
export const requesterCell = (s: State, thread: string, runtime: string): string =>
  s.runtimeCells.get(runtimeKey(thread, runtime)) ?? fail(`code-mode nested tool referenced unknown runtime cell ${runtime} in thread ${thread}`)

/** §4.9.6: a model-visible `wait` call is linked to the cell it waits on. */
export const linkWait = (s: State, thread: string, toolId: string, ref: TraceEvent.RawPayloadRef): void => {
  const inv = readPayload(s, ref)
  if (!isRecord(inv) || inv.tool_name !== "wait") return
  const P = ref.raw_payload_id
  const args = isRecord(inv.payload) ? inv.payload.arguments : undefined
  if (typeof args !== "string") return fail(`wait tool request payload ${P} did not contain function arguments`)
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    return fail(`wait tool request payload ${P} had invalid JSON arguments`)
  }
  if (!isRecord(parsed) || typeof parsed.cell_id !== "string") return fail(`wait tool request payload ${P} did not contain cell_id`)
  const id = s.runtimeCells.get(runtimeKey(thread, parsed.cell_id))
  const cell = id === undefined ? undefined : s.graph.code_cells.get(id)
  if (cell !== undefined) pushUnique(cell.wait_tool_call_ids, toolId)
}

/** §4.9.5: a reconciled `custom_tool_call_output` belongs to its materialized cell (any thread). */
export const linkOutput = (s: State, item: Mutable<TraceGraph.ConversationItem>): void => {
  if (item.kind !== "custom_tool_call_output" || item.call_id === null) return
  const cell = s.graph.code_cells.get(`code_cell:${item.call_id}`)
  if (cell === undefined) return
  pushUnique(cell.output_item_ids, item.item_id)
  addProducer(item, { type: "code_cell", code_cell_id: cell.code_cell_id })
}

/** §4.9.7: a failed or interrupted turn ends the cells it left running. */
export const endTurn = (s: State, turnId: string, status: TraceGraph.ExecutionWindow["status"], e: Event): void => {
  if (status !== "failed" && status !== "cancelled" && status !== "aborted") return
  for (const cell of inKeyOrder(s.graph.code_cells)) {
    if (cell.codex_turn_id !== turnId || cell.execution.status !== "running") continue
    cell.execution.ended_at_unix_ms = e.wall_time_unix_ms
    cell.execution.ended_seq = e.seq
    cell.execution.status = status === "failed" ? "failed" : "cancelled"
    cell.runtime_status = status === "failed" ? "failed" : "terminated"
  }
}
