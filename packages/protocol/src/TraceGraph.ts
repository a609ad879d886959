/**
 * TraceGraph: the reduced rollout trace (`state.json`, Codex's `RolloutTrace`, rollout-trace spec
 * §3) — threads, turns, conversation items, inference calls, code cells, tool calls, terminals,
 * compactions and interaction edges, each a map keyed by id — and its JSON writer. Maps are
 * `ReadonlyMap`s because Codex writes them in byte order of their keys, which a plain object
 * cannot hold (integer-like keys such as turn id `"2"` would move first). It does not reduce.
 */
import { Schema } from "effect"
import { CodeCellRuntimeStatus, ExecutionStatus, RawPayloadRef, RolloutStatus, ToolCallKind, ToolCallSummary } from "./TraceEvent.js"

const S = Schema.String
const N = Schema.Int
const Ids = Schema.Array(S)

export const ExecutionWindow = Schema.Struct({
  started_at_unix_ms: N,
  started_seq: N,
  ended_at_unix_ms: Schema.NullOr(N),
  ended_seq: Schema.NullOr(N),
  status: ExecutionStatus
})
export type ExecutionWindow = typeof ExecutionWindow.Type

export const AgentOrigin = Schema.Union([
  Schema.Struct({ type: Schema.Literal("root") }),
  Schema.Struct({ type: Schema.Literal("spawned"), parent_thread_id: S, spawn_edge_id: S, task_name: S, agent_role: S })
])
export type AgentOrigin = typeof AgentOrigin.Type

export const AgentThread = Schema.Struct({
  thread_id: S,
  agent_path: S,
  nickname: Schema.NullOr(S),
  origin: AgentOrigin,
  execution: ExecutionWindow,
  default_model: Schema.NullOr(S),
  conversation_item_ids: Ids
})
export type AgentThread = typeof AgentThread.Type

export const CodexTurn = Schema.Struct({ codex_turn_id: S, thread_id: S, execution: ExecutionWindow, input_item_ids: Ids })
export type CodexTurn = typeof CodexTurn.Type

export const ConversationPart = Schema.Union([
  Schema.Struct({ type: Schema.Literal("text"), text: S }),
  Schema.Struct({ type: Schema.Literal("summary"), text: S }),
  Schema.Struct({ type: Schema.Literal("encoded"), label: S, value: S }),
  Schema.Struct({ type: Schema.Literal("json"), summary: S, raw_payload_id: S }),
  Schema.Struct({ type: Schema.Literal("code"), language: S, source: S }),
  Schema.Struct({ type: Schema.Literal("payload_ref"), label: S, raw_payload_id: S })
])
export type ConversationPart = typeof ConversationPart.Type

export const ProducerRef = Schema.Union([
  Schema.Struct({ type: Schema.Literal("user_input") }),
  Schema.Struct({ type: Schema.Literal("inference"), inference_call_id: S }),
  Schema.Struct({ type: Schema.Literal("tool"), tool_call_id: S }),
  Schema.Struct({ type: Schema.Literal("code_cell"), code_cell_id: S }),
  Schema.Struct({ type: Schema.Literal("interaction_edge"), edge_id: S }),
  Schema.Struct({ type: Schema.Literal("compaction"), compaction_id: S }),
  Schema.Struct({ type: Schema.Literal("harness") })
])
export type ProducerRef = typeof ProducerRef.Type

export const Role = Schema.Literals(["system", "developer", "user", "assistant", "tool"])
export type Role = typeof Role.Type
export const Channel = Schema.Literals(["analysis", "commentary", "final", "summary"])
export type Channel = typeof Channel.Type
export const ItemKind = Schema.Literals([
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "compaction_marker"
])
export type ItemKind = typeof ItemKind.Type
export const AgentMessageMeta = Schema.Struct({ author: S, recipient: S })
export type AgentMessageMeta = typeof AgentMessageMeta.Type

export const ConversationItem = Schema.Struct({
  item_id: S,
  /** Schema 2 only, omitted when unknown: the Responses item id (`fc_1_0`, `msg_…`) the item was sent under. */
  responses_item_id: Schema.optional(S),
  /** Schema 2 only, omitted until a `history_item_accepted` names the item: when history accepted it. */
  accepted_at_unix_ms: Schema.optional(N),
  accepted_seq: Schema.optional(N),
  thread_id: S,
  codex_turn_id: Schema.NullOr(S),
  first_seen_at_unix_ms: N,
  role: Role,
  channel: Schema.NullOr(Channel),
  kind: ItemKind,
  /** Omitted when null (the one such field). */
  agent_message: Schema.optionalKey(AgentMessageMeta),
  body: Schema.Struct({ parts: Schema.Array(ConversationPart) }),
  call_id: Schema.NullOr(S),
  produced_by: Schema.Array(ProducerRef)
})
export type ConversationItem = typeof ConversationItem.Type

export const TokenUsage = Schema.Struct({
  input_tokens: N,
  cached_input_tokens: N,
  cache_write_input_tokens: N,
  output_tokens: N,
  reasoning_output_tokens: N
})
export type TokenUsage = typeof TokenUsage.Type

export const InferenceCall = Schema.Struct({
  inference_call_id: S,
  thread_id: S,
  codex_turn_id: S,
  execution: ExecutionWindow,
  model: S,
  provider_name: S,
  response_id: Schema.NullOr(S),
  upstream_request_id: Schema.NullOr(S),
  request_item_ids: Ids,
  response_item_ids: Ids,
  tool_call_ids_started_by_response: Ids,
  usage: Schema.NullOr(TokenUsage),
  raw_request_payload_id: S,
  raw_response_payload_id: Schema.NullOr(S)
})
export type InferenceCall = typeof InferenceCall.Type

export const CodeCell = Schema.Struct({
  code_cell_id: S,
  model_visible_call_id: S,
  thread_id: S,
  codex_turn_id: S,
  source_item_id: S,
  output_item_ids: Ids,
  runtime_cell_id: Schema.NullOr(S),
  execution: ExecutionWindow,
  runtime_status: CodeCellRuntimeStatus,
  initial_response_at_unix_ms: Schema.NullOr(N),
  initial_response_seq: Schema.NullOr(N),
  /** Schema 2 only, omitted until the cell's first response: its status and payload. */
  initial_response_status: Schema.optional(CodeCellRuntimeStatus),
  raw_initial_response_payload_id: Schema.optional(S),
  /** Schema 2 only, omitted until the cell ends with a payload: the end's payload. */
  raw_result_payload_id: Schema.optional(S),
  yielded_at_unix_ms: Schema.NullOr(N),
  yielded_seq: Schema.NullOr(N),
  source_js: S,
  nested_tool_call_ids: Ids,
  wait_tool_call_ids: Ids
})
export type CodeCell = typeof CodeCell.Type

export const ToolCallRequester = Schema.Union([
  Schema.Struct({ type: Schema.Literal("model") }),
  Schema.Struct({ type: Schema.Literal("code_cell"), code_cell_id: S })
])
export type ToolCallRequester = typeof ToolCallRequester.Type

export const ToolCall = Schema.Struct({
  tool_call_id: S,
  mcp_call_id: Schema.NullOr(S),
  model_visible_call_id: Schema.NullOr(S),
  code_mode_runtime_tool_id: Schema.NullOr(S),
  /** Schema 2 only, omitted unless this model-visible `exec` call started a code cell. */
  started_code_cell_id: Schema.optional(S),
  thread_id: S,
  started_by_codex_turn_id: Schema.NullOr(S),
  execution: ExecutionWindow,
  requester: ToolCallRequester,
  kind: ToolCallKind,
  model_visible_call_item_ids: Ids,
  model_visible_output_item_ids: Ids,
  terminal_operation_id: Schema.NullOr(S),
  summary: ToolCallSummary,
  raw_invocation_payload_id: Schema.NullOr(S),
  raw_result_payload_id: Schema.NullOr(S),
  raw_runtime_payload_ids: Ids
})
export type ToolCall = typeof ToolCall.Type

export const TerminalSession = Schema.Struct({ terminal_id: S, thread_id: S, created_by_operation_id: S, operation_ids: Ids, execution: ExecutionWindow })
export type TerminalSession = typeof TerminalSession.Type

export const TerminalRequest = Schema.Union([
  Schema.Struct({
    type: Schema.Literal("exec_command"),
    command: Ids,
    display_command: S,
    cwd: S,
    yield_time_ms: Schema.NullOr(N),
    max_output_tokens: Schema.NullOr(N)
  }),
  Schema.Struct({ type: Schema.Literal("write_stdin"), stdin: S, yield_time_ms: Schema.NullOr(N), max_output_tokens: Schema.NullOr(N) })
])
export type TerminalRequest = typeof TerminalRequest.Type

export const TerminalResult = Schema.Struct({
  exit_code: Schema.NullOr(N),
  stdout: S,
  stderr: S,
  /** Null for a schema 2 exec end, which carries only the aggregated output. */
  formatted_output: Schema.NullOr(S),
  original_token_count: Schema.NullOr(N),
  chunk_id: Schema.NullOr(S)
})
export type TerminalResult = typeof TerminalResult.Type

export const TerminalModelObservation = Schema.Struct({
  call_item_ids: Ids,
  output_item_ids: Ids,
  source: Schema.Literals(["direct_tool_call", "code_cell_output"])
})
export type TerminalModelObservation = typeof TerminalModelObservation.Type

export const TerminalOperation = Schema.Struct({
  operation_id: S,
  terminal_id: Schema.NullOr(S),
  tool_call_id: S,
  kind: Schema.Literals(["exec_command", "write_stdin"]),
  execution: ExecutionWindow,
  request: TerminalRequest,
  result: Schema.NullOr(TerminalResult),
  model_observations: Schema.Array(TerminalModelObservation),
  raw_payload_ids: Ids
})
export type TerminalOperation = typeof TerminalOperation.Type

export const Compaction = Schema.Struct({
  compaction_id: S,
  thread_id: S,
  codex_turn_id: S,
  installed_at_unix_ms: N,
  marker_item_id: S,
  request_ids: Ids,
  input_item_ids: Ids,
  replacement_item_ids: Ids
})
export type Compaction = typeof Compaction.Type

export const CompactionRequest = Schema.Struct({
  compaction_request_id: S,
  compaction_id: S,
  thread_id: S,
  codex_turn_id: S,
  execution: ExecutionWindow,
  model: S,
  provider_name: S,
  raw_request_payload_id: S,
  raw_response_payload_id: Schema.NullOr(S)
})
export type CompactionRequest = typeof CompactionRequest.Type

export const TraceAnchor = Schema.Union([
  Schema.Struct({ type: Schema.Literal("conversation_item"), item_id: S }),
  Schema.Struct({ type: Schema.Literal("tool_call"), tool_call_id: S }),
  Schema.Struct({ type: Schema.Literal("thread"), thread_id: S })
])
export type TraceAnchor = typeof TraceAnchor.Type

export const EdgeKind = Schema.Literals(["spawn_agent", "assign_agent_task", "send_message", "agent_result", "close_agent"])
export type EdgeKind = typeof EdgeKind.Type

export const InteractionEdge = Schema.Struct({
  edge_id: S,
  kind: EdgeKind,
  source: TraceAnchor,
  target: TraceAnchor,
  started_at_unix_ms: N,
  ended_at_unix_ms: Schema.NullOr(N),
  carried_item_ids: Ids,
  carried_raw_payload_ids: Ids
})
export type InteractionEdge = typeof InteractionEdge.Type

const map = <V extends Schema.Top>(v: V) => Schema.ReadonlyMap(S, v)

/** The whole reduced graph, fields in Codex's order (§3.1). */
export const RolloutTrace = Schema.Struct({
  schema_version: N,
  trace_id: S,
  rollout_id: S,
  started_at_unix_ms: N,
  ended_at_unix_ms: Schema.NullOr(N),
  status: RolloutStatus,
  /** Schema 2 only: whether the recorder wrote `recording_completed`. */
  recording_complete: Schema.optionalKey(Schema.Boolean),
  root_thread_id: S,
  threads: map(AgentThread),
  codex_turns: map(CodexTurn),
  conversation_items: map(ConversationItem),
  inference_calls: map(InferenceCall),
  code_cells: map(CodeCell),
  tool_calls: map(ToolCall),
  terminal_sessions: map(TerminalSession),
  terminal_operations: map(TerminalOperation),
  compactions: map(Compaction),
  compaction_requests: map(CompactionRequest),
  interaction_edges: map(InteractionEdge),
  raw_payloads: map(RawPayloadRef)
})
export type RolloutTrace = typeof RolloutTrace.Type

/** Orders strings by their UTF-8 bytes (= code points), as Rust's `BTreeMap<String, _>` does. */
export const compareKeys = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0
    const y = b.codePointAt(i) ?? 0
    if (x !== y) return x < y ? -1 : 1
    if (x > 0xffff) i++
  }
  return a.length - b.length
}

/** Map keys in Codex's order. */
export const sortedKeys = (m: ReadonlyMap<string, unknown>): Array<string> => [...m.keys()].sort(compareKeys)

/**
 * The graph as JSON: objects keep their field order, maps are written in byte order of their
 * keys, `undefined` fields are omitted. `indent` 2 gives serde_json's pretty form (Codex's
 * `state.json`); 0 gives compact JSON.
 */
export const toJson = (trace: RolloutTrace, indent = 2): string => {
  const pad = (depth: number) => (indent > 0 ? `\n${" ".repeat(indent * depth)}` : "")
  const sep = indent > 0 ? ": " : ":"
  const write = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null"
    const entries: Array<[string, unknown]> =
      v instanceof Map ? sortedKeys(v).map((k) => [k, v.get(k)]) : Array.isArray(v) ? [] : Object.entries(v).filter(([, x]) => x !== undefined)
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]"
      return `[${v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(",")}${pad(depth)}]`
    }
    if (entries.length === 0) return "{}"
    return `{${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}${sep}${write(x, depth + 1)}`).join(",")}${pad(depth)}}`
  }
  return write(trace, 0)
}
