/**
 * TraceInference: inference calls in the trace reducer (rollout-trace spec §4.3, §4.5.2, §4.5.3):
 * a start reduces the request payload into the model-visible input (a full snapshot, or an
 * incremental request rebuilt from the previous response's prefix), a terminal event reduces the
 * response (or partial response) into new output items and token usage, and a turn end closes the
 * calls it left running.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { normalizeAll } from "./TraceConversation.js"
import { fail } from "./TraceError.js"
import * as TraceIdentity from "./TraceIdentity.js"
import { type Event, indexAdd, inKeyOrder, isRecord, jsonOrder, listItems, type Mutable, readPayload, startWindow, type State, thread } from "./TraceState.js"

type Payload<T extends TraceEvent.TraceEventPayload["type"]> = Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: T }> }
type Call = Mutable<TraceGraph.InferenceCall>

/** §4.5.2 */
const reduceRequest = (s: State, e: Payload<"inference_started">): Array<string> => {
  const p = e.payload
  const ref = p.request_payload
  const P = ref.raw_payload_id
  const body = readPayload(s, ref)
  if (!isRecord(body) || !("input" in body)) return fail(`inference request payload ${P} did not contain input`)
  if (!Array.isArray(body.input)) return fail(`inference request payload ${P} had non-array input`)
  const items = normalizeAll(body.input, P, jsonOrder(s))
  thread(s, p.thread_id)
  const batch = { thread: p.thread_id, turn: p.codex_turn_id, wall: e.wall_time_unix_ms, producers: [] }
  const snapshot = s.snapshots.get(p.thread_id) ?? []
  let ids: Array<string>
  if (typeof body.previous_response_id === "string") {
    const previous = body.previous_response_id
    const base = inKeyOrder(s.graph.inference_calls).find((c) => c.thread_id === p.thread_id && c.response_id === previous)
    if (base === undefined) return fail(`incremental inference request ${p.inference_call_id} referenced unknown previous_response_id ${previous}`)
    const prefix = [...base.request_item_ids, ...base.response_item_ids]
    const delta = TraceIdentity.reconcile(s, batch, items, { _tag: "AppendOnly", baseline: snapshot, start: prefix.length })
    ids = [...prefix, ...delta]
  } else {
    const replacement = s.pendingReplacement.get(p.thread_id)
    ids = TraceIdentity.reconcile(s, batch, items, { _tag: "FullSnapshot", baseline: replacement ?? snapshot })
    if (replacement !== undefined) s.pendingReplacement.delete(p.thread_id)
  }
  listItems(s, p.thread_id, ids)
  s.snapshots.set(p.thread_id, [...ids])
  return ids
}

/** §4.3.1 */
export const started = (s: State, e: Payload<"inference_started">): void => {
  const p = e.payload
  const id = p.inference_call_id
  if (s.graph.inference_calls.has(id)) fail(`duplicate inference start for ${id}`)
  const turn = s.graph.codex_turns.get(p.codex_turn_id) ?? fail(`inference start ${id} referenced unknown codex turn ${p.codex_turn_id}`)
  if (turn.thread_id !== p.thread_id) fail(`inference start ${id} used thread ${p.thread_id}, but codex turn ${p.codex_turn_id} belongs to ${turn.thread_id}`)
  const request = reduceRequest(s, e)
  s.graph.inference_calls.set(id, {
    inference_call_id: id,
    thread_id: p.thread_id,
    codex_turn_id: p.codex_turn_id,
    execution: startWindow(e),
    model: p.model,
    provider_name: p.provider_name,
    response_id: null,
    upstream_request_id: null,
    request_item_ids: request,
    response_item_ids: [],
    tool_call_ids_started_by_response: [],
    usage: null,
    raw_request_payload_id: p.request_payload.raw_payload_id,
    raw_response_payload_id: null
  })
}

const nonNegative = (v: unknown): number | undefined => (Number.isInteger(v) ? Math.max(0, v as number) : undefined)

/** `token_usage` of a response payload; anything malformed leaves usage as it was (§4.4). */
const usage = (u: unknown): Mutable<TraceGraph.TokenUsage> | undefined => {
  if (!isRecord(u)) return undefined
  const input = nonNegative(u.input_tokens)
  const cached = nonNegative(u.cached_input_tokens)
  const output = nonNegative(u.output_tokens)
  const reasoning = nonNegative(u.reasoning_output_tokens)
  const write = u.cache_write_input_tokens === undefined || u.cache_write_input_tokens === null ? 0 : nonNegative(u.cache_write_input_tokens)
  if (input === undefined || cached === undefined || output === undefined || reasoning === undefined || write === undefined) return undefined
  return { input_tokens: input, cached_input_tokens: cached, cache_write_input_tokens: write, output_tokens: output, reasoning_output_tokens: reasoning }
}

/** §4.5.3 */
const reduceResponse = (s: State, call: Call, ref: TraceEvent.RawPayloadRef, e: Event): Array<string> => {
  const P = ref.raw_payload_id
  const body = readPayload(s, ref)
  if (!isRecord(body) || !Array.isArray(body.output_items)) return fail(`inference response payload ${P} did not contain output_items`)
  const items = normalizeAll(body.output_items, P, jsonOrder(s))
  const snapshot = s.snapshots.get(call.thread_id) ?? []
  const batch = {
    thread: call.thread_id,
    turn: call.codex_turn_id,
    wall: e.wall_time_unix_ms,
    producers: [{ type: "inference" as const, inference_call_id: call.inference_call_id }]
  }
  const ids = TraceIdentity.reconcile(s, batch, items, { _tag: "AppendOnly", baseline: snapshot, start: snapshot.length })
  listItems(s, call.thread_id, ids)
  s.snapshots.set(call.thread_id, [...snapshot, ...ids])
  const u = usage(body.token_usage)
  if (u !== undefined) call.usage = u
  return ids
}

/** §4.3.2: `inference_completed`, `inference_failed`, `inference_cancelled`. */
export const terminal = (s: State, e: Payload<"inference_completed" | "inference_failed" | "inference_cancelled">): void => {
  const p = e.payload
  const call = s.graph.inference_calls.get(p.inference_call_id) ?? fail(`inference completion referenced unknown call ${p.inference_call_id}`)
  const evidence = p.type === "inference_completed" ? p.response_payload : (p.partial_response_payload ?? null)
  const ids = evidence === null ? undefined : reduceResponse(s, call, evidence, e)
  call.response_id = p.type === "inference_completed" ? (p.response_id ?? null) : null
  if (call.execution.status === "running") {
    call.execution.ended_at_unix_ms = e.wall_time_unix_ms
    call.execution.ended_seq = e.seq
    call.execution.status = p.type === "inference_completed" ? "completed" : p.type === "inference_failed" ? "failed" : "cancelled"
  }
  const upstream = p.upstream_request_id ?? null
  if (upstream !== null) call.upstream_request_id = upstream
  if (evidence !== null && ids !== undefined) {
    call.raw_response_payload_id = evidence.raw_payload_id
    for (const old of call.response_item_ids) {
      const owners = s.index.responseOwners.get(old)
      const at = owners?.indexOf(call.inference_call_id) ?? -1
      if (at !== -1) owners?.splice(at, 1)
    }
    call.response_item_ids = ids
    for (const id of ids) indexAdd(s.index.responseOwners, id, call.inference_call_id)
  }
}

/** §4.3.3: a turn end closes the turn's calls still running. */
export const endTurn = (s: State, turnId: string, status: TraceGraph.ExecutionWindow["status"], e: Event): void => {
  if (status === "running") return
  const closed = status === "completed" || status === "cancelled" ? "cancelled" : status
  for (const call of inKeyOrder(s.graph.inference_calls)) {
    if (call.codex_turn_id !== turnId || call.execution.status !== "running") continue
    call.execution.ended_at_unix_ms = e.wall_time_unix_ms
    call.execution.ended_seq = e.seq
    call.execution.status = closed
  }
}
