/**
 * TraceEvent: the raw side of a Codex rollout-trace bundle (rollout-trace spec §1.6, §2): the
 * manifest, the payload references, and the envelope + tagged payload of every `trace.jsonl` line,
 * as Rust's serde reads them — missing optional keys read as null, unknown keys are ignored, an
 * unknown payload `type` or a missing required field fails the line. It also names what a reader
 * hands the reducer for one line (`TraceLine`). It is not the reduced graph (`TraceGraph`) and
 * does no I/O.
 */
import { Result, Schema } from "effect"

/** u64 on the Rust side: a non-negative integer. */
const U64 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
/** An `Option<T>`: the key may be absent or null; both read as null. */
const opt = <S extends Schema.Top>(s: S) => Schema.optionalKey(Schema.NullOr(s))

export const RawPayloadKinds = [
  "inference_request",
  "inference_response",
  "compaction_request",
  "compaction_response",
  "compaction_checkpoint",
  "tool_invocation",
  "tool_result",
  "tool_runtime_event",
  "terminal_runtime_event",
  "protocol_event",
  "session_metadata",
  "agent_result"
] as const
export const RawPayloadKind = Schema.Struct({ type: Schema.Literals(RawPayloadKinds) })
export type RawPayloadKind = typeof RawPayloadKind.Type

export const RawPayloadRef = Schema.Struct({ raw_payload_id: Schema.String, kind: RawPayloadKind, path: Schema.String })
export type RawPayloadRef = typeof RawPayloadRef.Type

export const RolloutStatus = Schema.Literals(["running", "completed", "failed", "aborted"])
export type RolloutStatus = typeof RolloutStatus.Type
export const ExecutionStatus = Schema.Literals(["running", "completed", "failed", "cancelled", "aborted"])
export type ExecutionStatus = typeof ExecutionStatus.Type
export const CodeCellRuntimeStatus = Schema.Literals(["starting", "running", "yielded", "completed", "failed", "terminated"])
export type CodeCellRuntimeStatus = typeof CodeCellRuntimeStatus.Type

export const RawToolCallRequester = Schema.Union([
  Schema.Struct({ type: Schema.Literal("model") }),
  Schema.Struct({ type: Schema.Literal("code_cell"), runtime_cell_id: Schema.String })
])
export type RawToolCallRequester = typeof RawToolCallRequester.Type

const unit = <const T extends string>(type: T) => Schema.Struct({ type: Schema.Literal(type) })
export const ToolCallKind = Schema.Union([
  unit("exec_command"),
  unit("write_stdin"),
  unit("apply_patch"),
  Schema.Struct({ type: Schema.Literal("mcp"), server: Schema.String, tool: Schema.String }),
  unit("web"),
  unit("image_generation"),
  unit("spawn_agent"),
  unit("assign_agent_task"),
  unit("send_message"),
  unit("wait_agent"),
  unit("close_agent"),
  Schema.Struct({ type: Schema.Literal("other"), name: Schema.String })
])
export type ToolCallKind = typeof ToolCallKind.Type

export const ToolCallSummary = Schema.Union([
  Schema.Struct({ type: Schema.Literal("terminal"), operation_id: Schema.String }),
  Schema.Struct({ type: Schema.Literal("agent"), target_agent_path: opt(Schema.String), task_name: opt(Schema.String), message_preview: opt(Schema.String) }),
  Schema.Struct({ type: Schema.Literal("wait_agent"), target_agent_path: opt(Schema.String), timeout_ms: opt(U64) }),
  Schema.Struct({ type: Schema.Literal("generic"), label: Schema.String, input_preview: opt(Schema.String), output_preview: opt(Schema.String) })
])
export type ToolCallSummary = typeof ToolCallSummary.Type

const ev = <const T extends string, const F extends Schema.Struct.Fields>(type: T, fields: F) => Schema.Struct({ type: Schema.Literal(type), ...fields })
const ref = RawPayloadRef
const S = Schema.String

export const RolloutStarted = ev("rollout_started", { trace_id: S, root_thread_id: S })
export const RolloutEnded = ev("rollout_ended", { status: RolloutStatus })
export const ThreadStarted = ev("thread_started", { thread_id: S, agent_path: S, metadata_payload: opt(ref) })
export const ThreadEnded = ev("thread_ended", { thread_id: S, status: RolloutStatus })
export const CodexTurnStarted = ev("codex_turn_started", { codex_turn_id: S, thread_id: S })
export const CodexTurnEnded = ev("codex_turn_ended", { codex_turn_id: S, status: ExecutionStatus })
export const InferenceStarted = ev("inference_started", {
  inference_call_id: S,
  thread_id: S,
  codex_turn_id: S,
  model: S,
  provider_name: S,
  request_payload: ref
})
export const InferenceCompleted = ev("inference_completed", { inference_call_id: S, response_id: opt(S), upstream_request_id: opt(S), response_payload: ref })
export const InferenceFailed = ev("inference_failed", { inference_call_id: S, upstream_request_id: opt(S), error: S, partial_response_payload: opt(ref) })
export const InferenceCancelled = ev("inference_cancelled", {
  inference_call_id: S,
  upstream_request_id: opt(S),
  reason: S,
  partial_response_payload: opt(ref)
})
export const ToolCallStarted = ev("tool_call_started", {
  tool_call_id: S,
  model_visible_call_id: opt(S),
  code_mode_runtime_tool_id: opt(S),
  requester: RawToolCallRequester,
  kind: ToolCallKind,
  summary: ToolCallSummary,
  invocation_payload: opt(ref)
})
export const McpToolCallCorrelationAssigned = ev("mcp_tool_call_correlation_assigned", { tool_call_id: S, mcp_call_id: S })
export const ToolCallRuntimeStarted = ev("tool_call_runtime_started", { tool_call_id: S, runtime_payload: ref })
export const ToolCallRuntimeEnded = ev("tool_call_runtime_ended", { tool_call_id: S, status: ExecutionStatus, runtime_payload: ref })
export const ToolCallEnded = ev("tool_call_ended", { tool_call_id: S, status: ExecutionStatus, result_payload: opt(ref) })
export const CodeCellStarted = ev("code_cell_started", { runtime_cell_id: S, model_visible_call_id: S, source_js: S })
export const CodeCellInitialResponse = ev("code_cell_initial_response", { runtime_cell_id: S, status: CodeCellRuntimeStatus, response_payload: opt(ref) })
export const CodeCellEnded = ev("code_cell_ended", { runtime_cell_id: S, status: CodeCellRuntimeStatus, response_payload: opt(ref) })
export const CompactionRequestStarted = ev("compaction_request_started", {
  compaction_id: S,
  compaction_request_id: S,
  thread_id: S,
  codex_turn_id: S,
  model: S,
  provider_name: S,
  request_payload: ref
})
export const CompactionRequestCompleted = ev("compaction_request_completed", { compaction_id: S, compaction_request_id: S, response_payload: ref })
export const CompactionRequestFailed = ev("compaction_request_failed", { compaction_id: S, compaction_request_id: S, error: S })
export const CompactionInstalled = ev("compaction_installed", { compaction_id: S, checkpoint_payload: ref })
export const AgentResultObserved = ev("agent_result_observed", {
  edge_id: S,
  child_thread_id: S,
  child_codex_turn_id: S,
  parent_thread_id: S,
  message: S,
  carried_payload: opt(ref)
})
export const ProtocolEventObserved = ev("protocol_event_observed", { event_type: S, event_payload: ref })
/** Schema 2: the thread's history accepted a Responses item (`fc_1_0`, `msg_…`) as model-visible. */
export const HistoryItemAccepted = ev("history_item_accepted", { item_id: S, agent_message_payload: opt(ref) })
/** Schema 2: a `write_stdin` tool call was resolved to the `exec_command` tool call whose process it writes to. */
export const StdinTargetResolved = ev("stdin_target_resolved", { tool_call_id: S, exec_tool_call_id: S })
/** Schema 2: the recorder finished cleanly (the last line, after `rollout_ended`). */
export const RecordingCompleted = ev("recording_completed", {})
export const Other = ev("other", { kind: S, summary: S, payloads: Schema.Array(ref), metadata: Schema.Unknown })

export const TraceEventPayload = Schema.Union([
  RolloutStarted,
  RolloutEnded,
  ThreadStarted,
  ThreadEnded,
  CodexTurnStarted,
  CodexTurnEnded,
  InferenceStarted,
  InferenceCompleted,
  InferenceFailed,
  InferenceCancelled,
  ToolCallStarted,
  McpToolCallCorrelationAssigned,
  ToolCallRuntimeStarted,
  ToolCallRuntimeEnded,
  ToolCallEnded,
  CodeCellStarted,
  CodeCellInitialResponse,
  CodeCellEnded,
  CompactionRequestStarted,
  CompactionRequestCompleted,
  CompactionRequestFailed,
  CompactionInstalled,
  AgentResultObserved,
  ProtocolEventObserved,
  HistoryItemAccepted,
  StdinTargetResolved,
  RecordingCompleted,
  Other
])
export type TraceEventPayload = typeof TraceEventPayload.Type

/** One line of `trace.jsonl` (§2.1). `schema_version` and `rollout_id` are not checked by Codex. */
export const TraceEvent = Schema.Struct({
  schema_version: Schema.optionalKey(Schema.Unknown),
  seq: U64,
  wall_time_unix_ms: U64,
  rollout_id: Schema.optionalKey(Schema.Unknown),
  thread_id: opt(S),
  codex_turn_id: opt(S),
  payload: TraceEventPayload
})
export type TraceEvent = typeof TraceEvent.Type

/** `manifest.json` (§1.6). */
export const TraceManifest = Schema.Struct({
  schema_version: U64,
  trace_id: S,
  rollout_id: S,
  root_thread_id: S,
  started_at_unix_ms: U64,
  raw_event_log: S,
  payloads_dir: S
})
export type TraceManifest = typeof TraceManifest.Type

const decodeEvent = Schema.decodeUnknownResult(TraceEvent)
const decodeManifest = Schema.decodeUnknownResult(TraceManifest)

/** Decodes a parsed `trace.jsonl` line; the failure is the schema's message. */
export const decode = (json: unknown): Result.Result<TraceEvent, string> => Result.mapError(decodeEvent(json), (e) => e.message)

export const decodeManifestJson = (json: unknown): Result.Result<TraceManifest, string> => Result.mapError(decodeManifest(json), (e) => e.message)

/** Every payload reference an event carries (§2.3, "Payload refs registered"), in field order. */
export const payloadRefs = (payload: TraceEventPayload): ReadonlyArray<RawPayloadRef> => {
  const refs = (...rs: ReadonlyArray<RawPayloadRef | null | undefined>) => rs.filter((r): r is RawPayloadRef => r !== null && r !== undefined)
  switch (payload.type) {
    case "thread_started":
      return refs(payload.metadata_payload)
    case "inference_started":
    case "compaction_request_started":
      return refs(payload.request_payload)
    case "inference_completed":
    case "compaction_request_completed":
      return refs(payload.response_payload)
    case "inference_failed":
    case "inference_cancelled":
      return refs(payload.partial_response_payload)
    case "tool_call_started":
      return refs(payload.invocation_payload)
    case "tool_call_runtime_started":
    case "tool_call_runtime_ended":
      return refs(payload.runtime_payload)
    case "tool_call_ended":
      return refs(payload.result_payload)
    case "code_cell_initial_response":
    case "code_cell_ended":
      return refs(payload.response_payload)
    case "compaction_installed":
      return refs(payload.checkpoint_payload)
    case "agent_result_observed":
      return refs(payload.carried_payload)
    case "protocol_event_observed":
      return refs(payload.event_payload)
    case "history_item_accepted":
      return refs(payload.agent_message_payload)
    case "other":
      return payload.payloads
    case "rollout_started":
    case "rollout_ended":
    case "thread_ended":
    case "codex_turn_started":
    case "codex_turn_ended":
    case "mcp_tool_call_correlation_assigned":
    case "code_cell_started":
    case "compaction_request_failed":
    case "stdin_target_resolved":
    case "recording_completed":
      return []
    default: {
      const never: never = payload
      return never
    }
  }
}

/**
 * One line of `trace.jsonl` as a reader hands it to the reducer, in file order: a decoded event,
 * or the reason the line could not be read (`read`: bytes that are not text) or parsed (`parse`:
 * not JSON, not an object, or not an event). The reducer fails on the first bad line it reaches,
 * as Codex does, so a bad line after a reduction error is never reported.
 */
export type TraceLine =
  | { readonly _tag: "Event"; readonly line: number; readonly event: TraceEvent }
  | { readonly _tag: "Unreadable"; readonly line: number; readonly reason: string }
  | { readonly _tag: "Unparsable"; readonly line: number; readonly reason: string }
