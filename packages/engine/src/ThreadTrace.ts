/**
 * ThreadTrace: the engine's rollout-trace recorder (rollout-trace spec §1.2, §2.6). A root thread
 * opens one bundle, `<root>/trace-<trace_id>-<root_thread_id>`, and each sub-agent it spawns
 * writes into the same bundle (one `TraceWriter`: one seq, one payload counter). The engine calls
 * the handles below at the points Codex core does: thread start/end, turn start/end, each model
 * request attempt (request, response or failure payloads), each tool dispatch, multi-agent v2
 * sub-agent activity (a `tool_call_runtime_ended` whose payload names the target thread), a
 * child's completion delivered to its parent (`agent_result_observed`) and compaction. A thread without a trace has `undefined` in place of a handle: every call is a no-op.
 *
 * Reproducibility: the bundle's clock is its own (the engine hands one out through `clockFor`, so
 * the rollout clocks are never read for it), and every id it invents (`trace_id`, inference call
 * ids) is a UUIDv4-shaped hash of the thread id and a per-thread counter, so a scripted run writes
 * the same bundle twice (into two trace roots: a bundle directory that exists already is never
 * reused, the next id is taken instead). Best effort, as in Codex: a write that fails is dropped and never fails
 * the turn. It is not the writer (`@rollout/log/TraceWriter`) nor the reducer.
 */
import * as Crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { TraceWriter } from "@rollout/log/TraceWriter"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"

type JsonObject = { readonly [key: string]: unknown }
type Ref = TraceEvent.RawPayloadRef

/** A UUIDv4-shaped id that is a pure function of `key`. */
export const uuidv4 = (key: string): string => {
  const b = Crypto.createHash("sha256").update(key).digest().subarray(0, 16)
  b[6] = 0x40 | ((b[6] as number) & 0x0f)
  b[8] = 0x80 | ((b[8] as number) & 0x3f)
  const hex = b.toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

interface Bundle {
  readonly writer: TraceWriter
  readonly rootThreadId: string
  compactions: number
}

export interface ThreadTrace {
  readonly threadId: string
  readonly bundle: Bundle
  readonly isRoot: boolean
  /** Counter behind this thread's invented ids. */
  invented: number
  ended: boolean
}

/** The thread start metadata (§2.5.1). */
export interface Metadata {
  readonly threadId: string
  readonly agentPath: string
  readonly agentRole: string | null
  readonly nickname: string | null
  readonly sessionSource: unknown
  readonly cwd: string
  readonly rolloutPath: string | null
  readonly model: string
  readonly providerName: string
}

/** Runs a trace write; a failure is dropped (tracing never fails the session). */
const quietly = <A>(write: () => A): A | undefined => {
  try {
    return write()
  } catch {
    return undefined
  }
}

const threadStarted = (trace: ThreadTrace, m: Metadata): void => {
  const w = trace.bundle.writer
  const payload = quietly(() =>
    w.writeJsonPayload("session_metadata", {
      thread_id: m.threadId,
      agent_path: m.agentPath,
      task_name: m.agentPath === "/root" ? null : m.agentPath.slice(m.agentPath.lastIndexOf("/") + 1),
      nickname: m.nickname,
      agent_role: m.agentRole,
      session_source: m.sessionSource,
      cwd: m.cwd,
      rollout_path: m.rolloutPath,
      model: m.model,
      provider_name: m.providerName,
      approval_policy: "never",
      sandbox_policy: "DangerFullAccess"
    })
  )
  quietly(() => w.append({ type: "thread_started", thread_id: m.threadId, agent_path: m.agentPath, metadata_payload: payload ?? null }))
}

/** Creates the root bundle and records `rollout_started` and the root's `thread_started`; undefined when it cannot be created. */
export const startRoot = (root: string, clock: () => number, metadata: Metadata): ThreadTrace | undefined => {
  // A thread traced again (resumed) gets the next free id: a bundle is never appended to.
  let traceId = uuidv4(`${metadata.threadId}:trace`)
  const dir = () => nodePath.join(root, `trace-${traceId}-${metadata.threadId}`)
  for (let n = 1; fs.existsSync(dir()); n++) traceId = uuidv4(`${metadata.threadId}:trace:${n}`)
  const writer = quietly(() => TraceWriter.create(dir(), { trace_id: traceId, rollout_id: metadata.threadId, root_thread_id: metadata.threadId }, { clock }))
  if (writer === undefined) return undefined
  const trace: ThreadTrace = { threadId: metadata.threadId, bundle: { writer, rootThreadId: metadata.threadId, compactions: 0 }, isRoot: true, invented: 0, ended: false }
  quietly(() => writer.append({ type: "rollout_started", trace_id: traceId, root_thread_id: metadata.threadId }))
  threadStarted(trace, metadata)
  return trace
}

/** A spawned child records its `thread_started` into its parent's bundle. */
export const startChild = (parent: ThreadTrace, metadata: Metadata): ThreadTrace => {
  const trace: ThreadTrace = { threadId: metadata.threadId, bundle: parent.bundle, isRoot: false, invented: 0, ended: false }
  threadStarted(trace, metadata)
  return trace
}

const inTurn = (trace: ThreadTrace, turnId: string, payload: TraceEvent.TraceEventPayload): void =>
  void quietly(() => trace.bundle.writer.appendWithContext({ thread_id: trace.threadId, codex_turn_id: turnId }, payload))

const writePayload = (trace: ThreadTrace, kind: TraceEvent.RawPayloadKind["type"], value: unknown): Ref | undefined =>
  quietly(() => trace.bundle.writer.writeJsonPayload(kind, value))

export const turnStarted = (trace: ThreadTrace | undefined, turnId: string): void => {
  if (trace !== undefined) inTurn(trace, turnId, { type: "codex_turn_started", codex_turn_id: turnId, thread_id: trace.threadId })
}

export const turnEnded = (trace: ThreadTrace | undefined, turnId: string, status: "completed" | "cancelled"): void => {
  if (trace !== undefined) inTurn(trace, turnId, { type: "codex_turn_ended", codex_turn_id: turnId, status })
}

/** Records `thread_ended` (and `rollout_ended` for the root, which also closes the bundle). */
export const ended = (trace: ThreadTrace | undefined): void => {
  if (trace === undefined || trace.ended) return
  trace.ended = true
  const w = trace.bundle.writer
  quietly(() => w.append({ type: "thread_ended", thread_id: trace.threadId, status: "completed" }))
  if (trace.isRoot) {
    quietly(() => w.append({ type: "rollout_ended", status: "completed" }))
    quietly(() => w.close())
  }
}

export interface Inference {
  readonly id: string
  readonly completed: (responseId: string, usage: JsonObject, items: ReadonlyArray<JsonObject>) => void
  readonly failed: (error: string, items: ReadonlyArray<JsonObject>) => void
  readonly cancelled: (reason: string, items: ReadonlyArray<JsonObject>) => void
}

/** One model request attempt: `inference_started` now, exactly one terminal event later (the first wins). */
export const inference = (trace: ThreadTrace | undefined, turnId: string, model: string, provider: string, request: JsonObject): Inference | undefined => {
  if (trace === undefined) return undefined
  const id = uuidv4(`${trace.threadId}:inference:${++trace.invented}`)
  const ref = writePayload(trace, "inference_request", request)
  if (ref !== undefined) {
    inTurn(trace, turnId, { type: "inference_started", inference_call_id: id, thread_id: trace.threadId, codex_turn_id: turnId, model, provider_name: provider, request_payload: ref })
  }
  let done = false
  const once = (write: () => void) => {
    if (done) return
    done = true
    write()
  }
  // Partial payloads exist only when some output item was observed (§2.5.2).
  const partial = (items: ReadonlyArray<JsonObject>) =>
    items.length === 0 ? null : (writePayload(trace, "inference_response", { response_id: null, upstream_request_id: null, token_usage: null, output_items: items }) ?? null)
  return {
    id,
    completed: (responseId, usage, items) =>
      once(() => {
        const response = writePayload(trace, "inference_response", { response_id: responseId, upstream_request_id: null, token_usage: usage, output_items: items })
        if (response !== undefined) inTurn(trace, turnId, { type: "inference_completed", inference_call_id: id, response_id: responseId, upstream_request_id: null, response_payload: response })
      }),
    failed: (error, items) =>
      once(() => inTurn(trace, turnId, { type: "inference_failed", inference_call_id: id, upstream_request_id: null, error, partial_response_payload: partial(items) })),
    cancelled: (reason, items) =>
      once(() => inTurn(trace, turnId, { type: "inference_cancelled", inference_call_id: id, upstream_request_id: null, reason, partial_response_payload: partial(items) }))
  }
}

/** Tool kind by tool name (§2.6.2). */
export const toolKind = (name: string): TraceEvent.ToolCallKind => {
  switch (name) {
    case "exec_command":
    case "local_shell":
    case "shell":
    case "shell_command":
      return { type: "exec_command" }
    case "write_stdin":
      return { type: "write_stdin" }
    case "apply_patch":
      return { type: "apply_patch" }
    case "web_search":
    case "web_search_preview":
      return { type: "web" }
    case "image_generation":
    case "image_query":
    case "imagegen":
      return { type: "image_generation" }
    case "spawn_agent":
      return { type: "spawn_agent" }
    case "send_message":
      return { type: "send_message" }
    case "followup_task":
    case "assign_task":
      return { type: "assign_agent_task" }
    case "wait_agent":
      return { type: "wait_agent" }
    case "close_agent":
    case "interrupt_agent":
      return { type: "close_agent" }
    default:
      return { type: "other", name }
  }
}

/** The first 160 Unicode scalar values, `...` appended when longer. */
export const preview = (text: string): string => {
  const chars = [...text]
  return chars.length > 160 ? `${chars.slice(0, 160).join("")}...` : text
}

export interface Dispatch {
  readonly completed: (status: "completed" | "failed", output: JsonObject) => void
  readonly failed: (error: string) => void
}

/** A model-requested function tool call: `tool_call_started` now, `tool_call_ended` through the handle. */
export const dispatch = (trace: ThreadTrace | undefined, turnId: string, callId: string, name: string, args: string): Dispatch | undefined => {
  if (trace === undefined) return undefined
  const invocation = writePayload(trace, "tool_invocation", { tool_name: name, tool_namespace: null, payload: { type: "function", arguments: args } })
  inTurn(trace, turnId, {
    type: "tool_call_started",
    tool_call_id: callId,
    model_visible_call_id: callId,
    code_mode_runtime_tool_id: null,
    requester: { type: "model" },
    kind: toolKind(name),
    summary: { type: "generic", label: name, input_preview: preview(args), output_preview: null },
    invocation_payload: invocation ?? null
  })
  const end = (status: "completed" | "failed", result: unknown) => {
    const ref = writePayload(trace, "tool_result", result)
    inTurn(trace, turnId, { type: "tool_call_ended", tool_call_id: callId, status, result_payload: ref ?? null })
  }
  return {
    completed: (status, output) => end(status, { type: "direct_response", response_item: output }),
    failed: (error) => end("failed", { type: "error", error })
  }
}

/** A multi-agent v2 `sub_agent_activity` (§2.6.4 rule 5): one `tool_call_runtime_ended` for its tool call. */
export const subAgentActivity = (trace: ThreadTrace | undefined, turnId: string, activity: JsonObject & { readonly event_id: string }): void => {
  if (trace === undefined) return
  const ref = writePayload(trace, "tool_runtime_event", activity)
  if (ref !== undefined) inTurn(trace, turnId, { type: "tool_call_runtime_ended", tool_call_id: activity.event_id, status: "completed", runtime_payload: ref })
}

/**
 * A child's completion notification delivered to its parent's mailbox (§2.6.1
 * `record_agent_result_interaction`): an `agent_result` payload and `agent_result_observed` in the
 * child's turn, after its `codex_turn_ended` (§2.6.4 rule 6).
 */
export const agentResult = (
  trace: ThreadTrace | undefined,
  childTurnId: string,
  parentThreadId: string,
  result: { readonly child_agent_path: string; readonly message: string; readonly status: unknown }
): void => {
  if (trace === undefined) return
  const ref = writePayload(trace, "agent_result", result)
  inTurn(trace, childTurnId, {
    type: "agent_result_observed",
    edge_id: `edge:agent_result:${trace.threadId}:${childTurnId}:${parentThreadId}`,
    child_thread_id: trace.threadId,
    child_codex_turn_id: childTurnId,
    parent_thread_id: parentThreadId,
    message: result.message,
    carried_payload: ref ?? null
  })
}

export interface CompactionTrace {
  readonly completed: (items: ReadonlyArray<JsonObject>) => void
  readonly failed: (error: string) => void
  readonly installed: (input: ReadonlyArray<JsonObject>, replacement: ReadonlyArray<JsonObject>) => void
}

/** One compaction (one attempt): request started now, then completed or failed, then installed. */
export const compaction = (trace: ThreadTrace | undefined, turnId: string, compactionId: string, model: string, provider: string, request: JsonObject): CompactionTrace | undefined => {
  if (trace === undefined) return undefined
  const requestId = `compaction_request:${++trace.bundle.compactions}`
  const ref = writePayload(trace, "compaction_request", request)
  if (ref !== undefined) {
    inTurn(trace, turnId, { type: "compaction_request_started", compaction_id: compactionId, compaction_request_id: requestId, thread_id: trace.threadId, codex_turn_id: turnId, model, provider_name: provider, request_payload: ref })
  }
  return {
    completed: (items) => {
      const response = writePayload(trace, "compaction_response", { output_items: items })
      if (response !== undefined) inTurn(trace, turnId, { type: "compaction_request_completed", compaction_id: compactionId, compaction_request_id: requestId, response_payload: response })
    },
    failed: (error) => inTurn(trace, turnId, { type: "compaction_request_failed", compaction_id: compactionId, compaction_request_id: requestId, error }),
    installed: (input, replacement) => {
      const checkpoint = writePayload(trace, "compaction_checkpoint", { input_history: input, replacement_history: replacement })
      if (checkpoint !== undefined) inTurn(trace, turnId, { type: "compaction_installed", compaction_id: compactionId, checkpoint_payload: checkpoint })
    }
  }
}
