/**
 * Test support: builds rollout-trace bundles in memory the way Codex's recorder emits them
 * (envelopes with contiguous seq, payloads written before the events that reference them), so
 * reducer tests read as given (events) / when (reduce) / then (graph), and property tests can
 * generate valid sessions instead of random lists of unrelated events.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as RolloutTrace from "@rollout/reduce/RolloutTrace"

export const T0 = "019d0000-0000-7000-8000-0000000000aa"
export const T1 = "019d0000-0000-7000-8000-0000000000bb"
export const BASE = 1767225600000

type Payload = TraceEvent.TraceEventPayload
type Ref = TraceEvent.RawPayloadRef
type Kind = Ref["kind"]["type"]

export class TraceScript {
  readonly lines: Array<TraceEvent.TraceLine> = []
  readonly payloads = new Map<string, string>()
  private nextPayload = 1
  private seq = 1

  /** The manifest's `schema_version`: 1 (the spec's) unless a test builds a Codex 0.169 (2) bundle. */
  constructor(readonly schemaVersion = 1) {}

  payload(kind: Kind, value: unknown): Ref {
    const n = this.nextPayload++
    const path = `payloads/${n}.json`
    this.payloads.set(path, JSON.stringify(value, null, 2))
    return { raw_payload_id: `raw_payload:${n}`, kind: { type: kind }, path }
  }

  ev(payload: Payload, thread: string | null = null, turn: string | null = null): this {
    const seq = this.seq++
    this.lines.push({ _tag: "Event", line: seq, event: { seq, wall_time_unix_ms: BASE + seq * 10, thread_id: thread, codex_turn_id: turn, payload } })
    return this
  }

  root(thread = T0): this {
    this.ev({ type: "rollout_started", trace_id: "trace-1", root_thread_id: thread })
    const meta = this.payload("session_metadata", { thread_id: thread, agent_path: "/root", session_source: "exec", model: "gpt-x" })
    return this.ev({ type: "thread_started", thread_id: thread, agent_path: "/root", metadata_payload: meta })
  }

  child(thread: string, parent: string, path: string): this {
    const meta = this.payload("session_metadata", {
      thread_id: thread,
      agent_path: path,
      session_source: { subagent: { thread_spawn: { parent_thread_id: parent, depth: 1, agent_path: path, agent_nickname: null, agent_role: "worker" } } },
      model: "gpt-x"
    })
    return this.ev({ type: "thread_started", thread_id: thread, agent_path: path, metadata_payload: meta })
  }

  turn(thread: string, turn: string): this {
    return this.ev({ type: "codex_turn_started", codex_turn_id: turn, thread_id: thread }, thread, turn)
  }

  endTurn(thread: string, turn: string, status: TraceEvent.ExecutionStatus = "completed"): this {
    return this.ev({ type: "codex_turn_ended", codex_turn_id: turn, status }, thread, turn)
  }

  infer(thread: string, turn: string, id: string, request: unknown): this {
    const ref = this.payload("inference_request", request)
    return this.ev(
      {
        type: "inference_started",
        inference_call_id: id,
        thread_id: thread,
        codex_turn_id: turn,
        model: "gpt-x",
        provider_name: "openai",
        request_payload: ref
      },
      thread,
      turn
    )
  }

  complete(thread: string, turn: string, id: string, responseId: string, output: ReadonlyArray<unknown>): this {
    const ref = this.payload("inference_response", { response_id: responseId, upstream_request_id: null, token_usage: null, output_items: output })
    return this.ev(
      { type: "inference_completed", inference_call_id: id, response_id: responseId, upstream_request_id: null, response_payload: ref },
      thread,
      turn
    )
  }

  tool(thread: string, turn: string, id: string, name: string, args: unknown, kind: TraceEvent.ToolCallKind): this {
    const text = JSON.stringify(args)
    const inv = this.payload("tool_invocation", { tool_name: name, tool_namespace: null, payload: { type: "function", arguments: text } })
    return this.ev(
      {
        type: "tool_call_started",
        tool_call_id: id,
        model_visible_call_id: id,
        code_mode_runtime_tool_id: null,
        requester: { type: "model" },
        kind,
        summary: { type: "generic", label: name, input_preview: text, output_preview: null },
        invocation_payload: inv
      },
      thread,
      turn
    )
  }

  runtime(thread: string, turn: string, id: string, phase: "started" | "ended", value: unknown): this {
    const ref = this.payload("tool_runtime_event", value)
    return phase === "started"
      ? this.ev({ type: "tool_call_runtime_started", tool_call_id: id, runtime_payload: ref }, thread, turn)
      : this.ev({ type: "tool_call_runtime_ended", tool_call_id: id, status: "completed", runtime_payload: ref }, thread, turn)
  }

  toolEnd(thread: string, turn: string, id: string, output: string): this {
    const ref = this.payload("tool_result", { type: "direct_response", response_item: { type: "function_call_output", call_id: id, output } })
    return this.ev({ type: "tool_call_ended", tool_call_id: id, status: "completed", result_payload: ref }, thread, turn)
  }

  /** Schema 2: history accepted the Responses item `itemId`, optionally an agent message it carries. */
  accept(thread: string, turn: string, itemId: string, agentMessage?: unknown): this {
    const ref = agentMessage === undefined ? null : this.payload("protocol_event", agentMessage)
    return this.ev({ type: "history_item_accepted", item_id: itemId, agent_message_payload: ref }, thread, turn)
  }

  /** Schema 2: the recorder's last line. */
  recordingCompleted(): this {
    return this.ev({ type: "recording_completed" })
  }

  /** The bundle as reducer input; `order` permutes the payload map's insertion order. */
  input(order: (paths: Array<string>) => Array<string> = (p) => p): RolloutTrace.Input {
    const payloads = new Map(order([...this.payloads.keys()]).map((p) => [p, this.payloads.get(p) as string]))
    return {
      manifest: {
        schema_version: this.schemaVersion,
        trace_id: "manifest-trace",
        rollout_id: T0,
        root_thread_id: T0,
        started_at_unix_ms: BASE,
        raw_event_log: "trace.jsonl",
        payloads_dir: "payloads"
      },
      lines: this.lines,
      payload: (path) => payloads.get(path)
    }
  }
}

export const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] })
export const assistant = (text: string) => ({ type: "message", role: "assistant", content: [{ type: "output_text", text }], phase: "final_answer" })
export const call = (id: string, args: unknown) => ({ type: "function_call", name: "exec_command", arguments: JSON.stringify(args), call_id: id })
export const output = (id: string, text: string) => ({ type: "function_call_output", call_id: id, output: text })
