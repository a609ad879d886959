/**
 * TraceTools: tool calls in the trace reducer (rollout-trace spec §4.7, §4.10): dispatch start and
 * end, runtime begin/end observations, MCP correlation, and the links between a tool call and
 * the model-visible call/output items and inference calls that name it — made whichever of the
 * two is observed second. Terminal operations, code cells and agent edges it touches live in
 * their own modules.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { compareKeys } from "@rollout/protocol/TraceGraph"
import * as TraceAgentActivity from "./TraceAgentActivity.js"
import * as TraceCodeCells from "./TraceCodeCells.js"
import * as TraceEdges from "./TraceEdges.js"
import { fail } from "./TraceError.js"
import { addProducer, endWindow, type Event, indexAdd, itemsWithCall, type Mutable, pushUnique, startWindow, type State } from "./TraceState.js"
import * as TraceTerminals from "./TraceTerminals.js"

type Tool = Mutable<TraceGraph.ToolCall>
type Item = Mutable<TraceGraph.ConversationItem>
type Payload<T extends TraceEvent.TraceEventPayload["type"]> = Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: T }> }

const isCall = (kind: TraceGraph.ItemKind) => kind === "function_call" || kind === "custom_tool_call"
const isOutput = (kind: TraceGraph.ItemKind) => kind === "function_call_output" || kind === "custom_tool_call_output"

/** The one tool (any thread) whose model-visible call id is `callId`. */
const byCallId = (s: State, callId: string): Tool | undefined => {
  const found = s.index.toolsByCall.get(callId) ?? []
  if (found.length > 1) fail(`multiple tool calls matched model-visible call id ${callId}`)
  return found[0] === undefined ? undefined : s.graph.tool_calls.get(found[0])
}

const addOutput = (tool: Tool, item: Item): void => {
  pushUnique(tool.model_visible_output_item_ids, item.item_id)
  addProducer(item, { type: "tool", tool_call_id: tool.tool_call_id })
}

/** §4.7.4: inference calls whose response carried the tool's call item started it. */
const linkInference = (s: State, tool: Tool): void => {
  const owners = new Set(tool.model_visible_call_item_ids.flatMap((id) => s.index.responseOwners.get(id) ?? []))
  for (const id of [...owners].sort(compareKeys)) {
    const call = s.graph.inference_calls.get(id)
    if (call !== undefined) pushUnique(call.tool_call_ids_started_by_response, tool.tool_call_id)
  }
}

/** §4.7.4: a reconciled call or output item links to the tool with its call id. */
export const linkItem = (s: State, item: Item): void => {
  if (item.call_id === null || (!isCall(item.kind) && !isOutput(item.kind))) return
  const tool = byCallId(s, item.call_id)
  if (tool === undefined) return
  if (isCall(item.kind)) {
    pushUnique(tool.model_visible_call_item_ids, item.item_id)
    linkInference(s, tool)
  } else addOutput(tool, item)
  TraceTerminals.syncObservation(s, tool)
}

/** §4.7.1 */
export const started = (s: State, e: Payload<"tool_call_started">): void => {
  const p = e.payload
  if (s.graph.tool_calls.has(p.tool_call_id)) fail(`duplicate tool call start for ${p.tool_call_id}`)
  const visible = p.model_visible_call_id ?? null
  if (visible !== null) {
    const others = s.index.toolsByCall.get(visible) ?? []
    if (others.length > 1) fail(`multiple tool calls matched model-visible call id ${visible}`)
    if (others.length === 1) fail(`duplicate tool call for model-visible call id ${visible}`)
  }
  const turnId = e.codex_turn_id ?? null
  let threadId = e.thread_id ?? null
  if (threadId === null) {
    if (turnId === null) return fail("tool call start did not include thread or Codex turn context")
    threadId = (s.graph.codex_turns.get(turnId) ?? fail(`tool call start referenced unknown Codex turn ${turnId}`)).thread_id
  }
  if (!s.graph.threads.has(threadId)) fail(`tool call start referenced unknown thread ${threadId}`)
  if (turnId !== null) {
    const turn = s.graph.codex_turns.get(turnId) ?? fail(`tool call start referenced unknown Codex turn ${turnId}`)
    if (turn.thread_id !== threadId) fail(`tool call start used thread ${threadId}, but Codex turn ${turnId} belongs to ${turn.thread_id}`)
  }
  const thread = threadId
  const requester: Mutable<TraceGraph.ToolCallRequester> =
    p.requester.type === "model" ? { type: "model" } : { type: "code_cell", code_cell_id: TraceCodeCells.requesterCell(s, thread, p.requester.runtime_cell_id) }
  const items = visible === null ? [] : itemsWithCall(s, visible, thread)
  const invocation = p.invocation_payload ?? null
  const operation = p.kind.type === "write_stdin" && invocation !== null ? TraceTerminals.fromInvocation(s, thread, p.tool_call_id, invocation, e) : null
  if (invocation !== null) TraceCodeCells.linkWait(s, thread, p.tool_call_id, invocation)
  const tool: Tool = {
    tool_call_id: p.tool_call_id,
    mcp_call_id: null,
    model_visible_call_id: visible,
    code_mode_runtime_tool_id: p.code_mode_runtime_tool_id ?? null,
    // Schema 2: the code cell this `exec` call starts goes here (key order), once it exists.
    ...(s.schemaVersion >= 2 ? { started_code_cell_id: undefined } : {}),
    thread_id: thread,
    started_by_codex_turn_id: turnId,
    execution: startWindow(e),
    requester,
    kind: p.kind as Mutable<TraceGraph.ToolCall["kind"]>,
    model_visible_call_item_ids: items.filter((i) => isCall(i.kind)).map((i) => i.item_id),
    model_visible_output_item_ids: [],
    terminal_operation_id: operation,
    summary: operation === null ? (p.summary as Mutable<TraceGraph.ToolCall["summary"]>) : { type: "terminal", operation_id: operation },
    raw_invocation_payload_id: invocation?.raw_payload_id ?? null,
    raw_result_payload_id: null,
    raw_runtime_payload_ids: []
  }
  s.graph.tool_calls.set(tool.tool_call_id, tool)
  if (visible !== null) indexAdd(s.index.toolsByCall, visible, tool.tool_call_id)
  if (requester.type === "code_cell") {
    const cell = s.graph.code_cells.get(requester.code_cell_id)
    if (cell !== undefined) pushUnique(cell.nested_tool_call_ids, tool.tool_call_id)
  }
  linkInference(s, tool)
  for (const item of items) if (isOutput(item.kind)) addOutput(tool, item)
  TraceTerminals.syncObservation(s, tool)
}

const terminalKind = (tool: Tool): "exec_command" | "write_stdin" | undefined =>
  tool.kind.type === "exec_command" || tool.kind.type === "write_stdin" ? tool.kind.type : undefined

/** §4.7.3 begin */
export const runtimeStarted = (s: State, e: Payload<"tool_call_runtime_started">): void => {
  const p = e.payload
  const tool = s.graph.tool_calls.get(p.tool_call_id) ?? fail(`tool runtime start referenced unknown call ${p.tool_call_id}`)
  pushUnique(tool.raw_runtime_payload_ids, p.runtime_payload.raw_payload_id)
  const kind = terminalKind(tool)
  if (kind !== undefined) {
    if (tool.terminal_operation_id !== null) fail(`tool runtime start would create a second terminal operation for ${tool.tool_call_id}`)
    const op = TraceTerminals.fromRuntimeStart(s, tool, kind, p.runtime_payload, e)
    tool.terminal_operation_id = op
    tool.summary = { type: "terminal", operation_id: op }
    TraceTerminals.syncObservation(s, tool)
  }
  TraceAgentActivity.runtimeStarted(s, tool, p.runtime_payload)
}

/** §4.7.3 end */
export const runtimeEnded = (s: State, e: Payload<"tool_call_runtime_ended">): void => {
  const p = e.payload
  const tool = s.graph.tool_calls.get(p.tool_call_id) ?? fail(`tool runtime end referenced unknown call ${p.tool_call_id}`)
  pushUnique(tool.raw_runtime_payload_ids, p.runtime_payload.raw_payload_id)
  if (tool.terminal_operation_id !== null) TraceTerminals.end(s, tool.terminal_operation_id, p.runtime_payload, p.status, e)
  TraceAgentActivity.runtimeEnded(s, tool, p.runtime_payload, e)
}

/** §4.7.2 */
export const ended = (s: State, e: Payload<"tool_call_ended">): void => {
  const p = e.payload
  const tool = s.graph.tool_calls.get(p.tool_call_id) ?? fail(`tool call end referenced unknown call ${p.tool_call_id}`)
  endWindow(tool.execution, e, p.status)
  const result = p.result_payload ?? null
  tool.raw_result_payload_id = result?.raw_payload_id ?? null
  if (tool.terminal_operation_id !== null && tool.raw_runtime_payload_ids.length === 0) TraceTerminals.end(s, tool.terminal_operation_id, result, p.status, e)
  TraceEdges.toolEnded(s, tool, result)
}

/** §4.10 */
export const mcpCorrelation = (s: State, e: Payload<"mcp_tool_call_correlation_assigned">): void => {
  const p = e.payload
  const tool = s.graph.tool_calls.get(p.tool_call_id) ?? fail(`MCP correlation referenced unknown tool call ${p.tool_call_id}`)
  if (tool.mcp_call_id !== null) fail(`duplicate MCP correlation for tool call ${p.tool_call_id}`)
  tool.mcp_call_id = p.mcp_call_id
}
