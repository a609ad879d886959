/**
 * TraceTerminals: terminal operations and sessions of the trace reducer (rollout-trace spec
 * §4.8): an operation is created from a `write_stdin` dispatch invocation or from an exec runtime
 * begin, ended from a runtime end or a dispatch result, and names the session (process) it ran in;
 * its model observation mirrors the owning tool call's call/output items. Schema 2 names an exec's
 * session after its operation and attaches a `write_stdin` to it on `stdin_target_resolved`. Not
 * the tool-call lifecycle itself (`TraceTools`).
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { fail } from "./TraceError.js"
import { canonicalJson, type Event, isRecord, type Mutable, pushUnique, readPayload, startWindow, type State } from "./TraceState.js"

type Operation = Mutable<TraceGraph.TerminalOperation>
type Tool = Mutable<TraceGraph.ToolCall>

const terminalId = (v: unknown): string | null | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isInteger(v) ? String(v) : v === undefined || v === null ? null : undefined

const optInt = (v: unknown): number | null | undefined => (v === undefined || v === null ? null : Number.isInteger(v) ? (v as number) : undefined)

const nextOperationId = (s: State): string => `terminal_operation:${s.nextOperation++}`

/** §4.8.4: the session exists, lives in `thread`, and lists `op`. */
export const ensureSession = (s: State, threadId: string, id: string, op: string, start: Mutable<TraceGraph.ExecutionWindow>): void => {
  let session = s.graph.terminal_sessions.get(id)
  if (session === undefined) {
    session = {
      terminal_id: id,
      thread_id: threadId,
      created_by_operation_id: op,
      operation_ids: [],
      execution: { started_at_unix_ms: start.started_at_unix_ms, started_seq: start.started_seq, ended_at_unix_ms: null, ended_seq: null, status: "running" }
    }
    s.graph.terminal_sessions.set(id, session)
  } else if (session.thread_id !== threadId) fail(`terminal session ${id} belongs to thread ${session.thread_id}, not ${threadId}`)
  pushUnique(session.operation_ids, op)
}

/** §4.8.1: a `write_stdin` dispatch invocation opens an operation at tool start. */
export const fromInvocation = (s: State, threadId: string, toolId: string, ref: TraceEvent.RawPayloadRef, e: Event): string => {
  const P = ref.raw_payload_id
  const bad = (inner: string): never => fail(`parse terminal invocation payload ${P} as dispatch payload: ${inner}`)
  const inv = readPayload(s, ref)
  if (!isRecord(inv) || typeof inv.tool_name !== "string" || !isRecord(inv.payload) || typeof inv.payload.type !== "string")
    return bad("not a dispatch payload")
  if (inv.tool_name !== "write_stdin") return bad(`dispatch terminal request is for ${inv.tool_name}, not write_stdin`)
  if (inv.payload.type !== "function") return bad(`write_stdin dispatch payload used unsupported ${inv.payload.type} payload`)
  if (typeof inv.payload.arguments !== "string") return bad("write_stdin dispatch payload omitted function arguments")
  let args: unknown
  try {
    args = JSON.parse(inv.payload.arguments)
  } catch {
    return bad("parse write_stdin dispatch function arguments")
  }
  if (!isRecord(args)) return bad("parse write_stdin dispatch function arguments")
  const id = terminalId(args.session_id)
  if (id === null || id === "") return bad("write_stdin dispatch payload omitted session_id")
  const chars = args.chars ?? ""
  const yieldMs = optInt(args.yield_time_ms)
  const max = optInt(args.max_output_tokens)
  if (id === undefined || typeof chars !== "string" || yieldMs === undefined || max === undefined) return bad("parse write_stdin dispatch function arguments")
  // Schema 2 names sessions by operation, not process: the target comes with `stdin_target_resolved`.
  const terminal = s.schemaVersion >= 2 ? null : id
  const op: Operation = {
    operation_id: nextOperationId(s),
    terminal_id: terminal,
    tool_call_id: toolId,
    kind: "write_stdin",
    execution: startWindow(e),
    request: { type: "write_stdin", stdin: chars, yield_time_ms: yieldMs, max_output_tokens: max },
    result: null,
    model_observations: [],
    raw_payload_ids: [P]
  }
  s.graph.terminal_operations.set(op.operation_id, op)
  if (terminal !== null) ensureSession(s, threadId, terminal, op.operation_id, op.execution)
  return op.operation_id
}

/**
 * Schema 2 `stdin_target_resolved`: the `write_stdin` tool call's operation runs in the session of
 * the `exec_command` tool call that started the process, and joins that session's operations.
 */
export const stdinTargetResolved = (
  s: State,
  e: Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: "stdin_target_resolved" }> }
): void => {
  const p = e.payload
  const tool = s.graph.tool_calls.get(p.tool_call_id) ?? fail(`stdin target resolution referenced unknown tool call ${p.tool_call_id}`)
  const exec = s.graph.tool_calls.get(p.exec_tool_call_id) ?? fail(`stdin target resolution referenced unknown exec tool call ${p.exec_tool_call_id}`)
  const opId = tool.terminal_operation_id ?? fail(`stdin target resolution for tool call ${p.tool_call_id} had no terminal operation`)
  const op = s.graph.terminal_operations.get(opId) ?? fail(`stdin target resolution referenced unknown operation ${opId}`)
  const target = exec.terminal_operation_id === null ? undefined : s.graph.terminal_operations.get(exec.terminal_operation_id)
  // The exec call has not begun its runtime yet: there is no session to join.
  if (target === undefined || target.terminal_id === null) return
  if (op.terminal_id !== null && op.terminal_id !== target.terminal_id) {
    fail(`terminal operation ${opId} changed process id from ${op.terminal_id} to ${target.terminal_id}`)
  }
  op.terminal_id = target.terminal_id
  ensureSession(s, tool.thread_id, target.terminal_id, op.operation_id, op.execution)
}

/** §4.8.2: an exec runtime begin opens an operation for an exec_command / write_stdin tool. */
export const fromRuntimeStart = (s: State, tool: Tool, kind: "exec_command" | "write_stdin", ref: TraceEvent.RawPayloadRef, e: Event): string => {
  const P = ref.raw_payload_id
  const p = readPayload(s, ref)
  const bad = (): never => fail(`parse terminal runtime start payload ${P}`)
  if (!isRecord(p) || !Array.isArray(p.command) || !p.command.every((c) => typeof c === "string") || typeof p.cwd !== "string") return bad()
  const id = terminalId(p.process_id)
  const input = p.interaction_input ?? null
  if (id === undefined || (input !== null && typeof input !== "string")) return bad()
  const command = p.command as Array<string>
  const operationId = nextOperationId(s)
  // Schema 2: an exec_command opens its own session named after the operation, whatever its process_id.
  const terminal = s.schemaVersion >= 2 && kind === "exec_command" ? `terminal_session:${operationId}` : id
  const op: Operation = {
    operation_id: operationId,
    terminal_id: terminal,
    tool_call_id: tool.tool_call_id,
    kind,
    execution: startWindow(e),
    request:
      kind === "exec_command"
        ? { type: "exec_command", command, display_command: command.join(" "), cwd: p.cwd, yield_time_ms: null, max_output_tokens: null }
        : { type: "write_stdin", stdin: input ?? "", yield_time_ms: null, max_output_tokens: null },
    result: null,
    model_observations: [],
    raw_payload_ids: [P]
  }
  s.graph.terminal_operations.set(op.operation_id, op)
  if (terminal !== null) ensureSession(s, tool.thread_id, terminal, op.operation_id, op.execution)
  return op.operation_id
}

type Parsed = { readonly result: Mutable<TraceGraph.TerminalResult>; readonly terminal: string | null }

const execEnd = (p: unknown): Parsed | undefined => {
  if (!isRecord(p)) return undefined
  const id = terminalId(p.process_id)
  if (
    id === undefined ||
    typeof p.stdout !== "string" ||
    typeof p.stderr !== "string" ||
    !Number.isInteger(p.exit_code) ||
    typeof p.formatted_output !== "string"
  ) {
    return undefined
  }
  return {
    result: {
      exit_code: p.exit_code as number,
      stdout: p.stdout,
      stderr: p.stderr,
      formatted_output: p.formatted_output,
      original_token_count: null,
      chunk_id: null
    },
    terminal: id
  }
}

/**
 * Schema 2's exec end: `aggregated_output` and `exit_code` only (no stdout / stderr / formatted
 * output); Codex reads the aggregate as stdout and names no process (the session is the operation's).
 */
const execEndV2 = (p: unknown): Parsed | undefined => {
  if (!isRecord(p) || typeof p.aggregated_output !== "string" || !Number.isInteger(p.exit_code)) return undefined
  return {
    result: { exit_code: p.exit_code as number, stdout: p.aggregated_output, stderr: "", formatted_output: null, original_token_count: null, chunk_id: null },
    terminal: null
  }
}

/** A tool output as text: a string, the `text` of its entries, else its compact JSON. */
const renderText = (output: unknown, whole: unknown): string => {
  if (typeof output === "string") return output
  if (Array.isArray(output)) {
    const texts = output.flatMap((e) => (isRecord(e) && typeof e.text === "string" ? [e.text] : []))
    if (texts.length > 0) return texts.join("\n")
  }
  if (output === undefined || output === null) return canonicalJson(whole)
  return canonicalJson(output)
}

const textResult = (text: string, extras: Partial<Mutable<TraceGraph.TerminalResult>> = {}): Parsed => ({
  result: { exit_code: null, stdout: text, stderr: "", formatted_output: text, original_token_count: null, chunk_id: null, ...extras },
  terminal: null
})

const dispatchResult = (p: unknown): Parsed | undefined => {
  if (!isRecord(p)) return undefined
  switch (p.type) {
    case "direct_response": {
      if (!isRecord(p.response_item)) return undefined
      return textResult(renderText(p.response_item.output, p.response_item))
    }
    case "code_mode_response": {
      const v = p.value
      if (isRecord(v) && typeof v.output === "string") {
        const exit = optInt(v.exit_code)
        const count = optInt(v.original_token_count)
        const chunk = v.chunk_id ?? null
        if (exit === undefined || count === undefined || (chunk !== null && typeof chunk !== "string")) return undefined
        return textResult(v.output, { exit_code: exit, original_token_count: count, chunk_id: chunk })
      }
      return textResult(renderText(v, v))
    }
    case "error":
      if (typeof p.error !== "string") return undefined
      return { result: { exit_code: null, stdout: "", stderr: p.error, formatted_output: p.error, original_token_count: null, chunk_id: null }, terminal: null }
    default:
      return undefined
  }
}

/** §4.8.3: ends an operation from a runtime end or dispatch result payload (or none). */
export const end = (s: State, opId: string, ref: TraceEvent.RawPayloadRef | null, status: TraceGraph.ExecutionWindow["status"], e: Event): void => {
  const op = s.graph.terminal_operations.get(opId) ?? fail(`terminal end referenced unknown operation ${opId}`)
  let parsed: Parsed | undefined
  if (ref !== null) {
    const P = ref.raw_payload_id
    const p = readPayload(s, ref)
    // Schema 2 exec ends carry the aggregated output instead of stdout / stderr / formatted_output.
    const exec = s.schemaVersion >= 2 ? execEndV2 : execEnd
    if (op.kind === "exec_command") parsed = exec(p) ?? fail(`parse exec terminal response ${P}`)
    else parsed = exec(p) ?? dispatchResult(p) ?? fail(`parse write_stdin terminal response ${P} as protocol payload (exec end) or dispatch payload`)
  }
  op.execution.ended_at_unix_ms = e.wall_time_unix_ms
  op.execution.ended_seq = e.seq
  op.execution.status = status
  if (parsed !== undefined && ref !== null) {
    pushUnique(op.raw_payload_ids, ref.raw_payload_id)
    if (op.terminal_id !== null && parsed.terminal !== null && op.terminal_id !== parsed.terminal) {
      fail(`terminal operation ${opId} changed process id from ${op.terminal_id} to ${parsed.terminal}`)
    }
    if (op.terminal_id === null && parsed.terminal !== null) op.terminal_id = parsed.terminal
    op.result = parsed.result
  }
  if (op.terminal_id !== null) {
    const tool = s.graph.tool_calls.get(op.tool_call_id)
    ensureSession(s, tool?.thread_id ?? "", op.terminal_id, op.operation_id, op.execution)
  }
}

/** §4.8.5: the operation's one direct observation mirrors the tool's call and output items. */
export const syncObservation = (s: State, tool: Tool): void => {
  if (tool.terminal_operation_id === null) return
  if (tool.model_visible_call_item_ids.length === 0 && tool.model_visible_output_item_ids.length === 0) return
  const op = s.graph.terminal_operations.get(tool.terminal_operation_id)
  if (op === undefined) return
  const observation = {
    call_item_ids: [...tool.model_visible_call_item_ids],
    output_item_ids: [...tool.model_visible_output_item_ids],
    source: "direct_tool_call" as const
  }
  const existing = op.model_observations.findIndex((o) => o.source === "direct_tool_call")
  if (existing === -1) op.model_observations.push(observation)
  else op.model_observations[existing] = observation
}
