/**
 * ThreadTrace: the engine's rollout-trace recorder, writing schema 2 bundles as Codex 0.169 does
 * (rollout-trace spec §1.2, §2.6, plus schema 2's history acceptance). A root thread opens one
 * bundle, `<root>/trace-<trace_id>-<root_thread_id>`, and each sub-agent it spawns writes into the
 * same bundle (one `TraceWriter`: one seq, one payload counter). The engine calls the handles below
 * at the points Codex core does: thread start/end, turn start/end, each model request attempt
 * (request, response or failure payloads), each item entering a thread's history
 * (`history_item_accepted`), each tool dispatch, multi-agent v2 sub-agent activity (a
 * `tool_call_runtime_ended` whose payload names the target thread), a child's completion delivered
 * to its parent (`agent_result_observed`) and compaction; the root's end writes `rollout_ended`
 * then `recording_completed`. A thread without a trace has `undefined` in place of a handle: every
 * call is a no-op.
 *
 * Item identity (schema 2): Codex gives every history item a Responses id (`msg_…`, `fco_…`, or the
 * model's own) and sends it with each request; the reducer matches conversation items by it. The
 * engine's history and requests carry no ids of their own (its rollout lines are Codex's older
 * shape), so the trace names each item when it is accepted — the model's `id` when it has one,
 * otherwise an id Codex's prefix and a hash — and the traced request and checkpoint payloads show
 * the items under those names. Output items streamed during an attempt are accepted after its
 * `inference_completed` (before a failure or cancellation), the order Codex writes.
 *
 * Reproducibility: the bundle's clock is its own (the engine hands one out through `clockFor`, so
 * the rollout clocks are never read for it), and every id it invents (`trace_id`, inference call
 * ids, item ids) is a UUIDv4-shaped hash of the thread id and a per-thread counter, so a scripted
 * run writes the same bundle twice (into two trace roots: a bundle directory that exists already is never
 * reused, the next id is taken instead). Best effort, as in Codex: a write that fails is dropped and never fails
 * the turn. It is not the writer (`@rollout/log/TraceWriter`) nor the reducer.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { TraceWriter } from "@rollout/log/TraceWriter"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import * as TraceNames from "./TraceNames.js"

type JsonObject = { readonly [key: string]: unknown }
type Ref = TraceEvent.RawPayloadRef

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
  /** The Responses id each history item was accepted under. */
  readonly itemIds: WeakMap<object, string>
  /** Counter behind invented item ids. */
  items: number
  /** Acceptances waiting for the streaming inference attempt's terminal event (undefined: none streams). */
  held: Array<{ readonly turnId: string; readonly itemId: string }> | undefined
}

const handle = (threadId: string, bundle: Bundle, isRoot: boolean): ThreadTrace => ({
  threadId,
  bundle,
  isRoot,
  invented: 0,
  ended: false,
  itemIds: new WeakMap(),
  items: 0,
  held: undefined
})

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
  let traceId = TraceNames.uuidv4(`${metadata.threadId}:trace`)
  const dir = () => nodePath.join(root, `trace-${traceId}-${metadata.threadId}`)
  for (let n = 1; fs.existsSync(dir()); n++) traceId = TraceNames.uuidv4(`${metadata.threadId}:trace:${n}`)
  const writer = quietly(() => TraceWriter.create(dir(), { trace_id: traceId, rollout_id: metadata.threadId, root_thread_id: metadata.threadId }, { clock }))
  if (writer === undefined) return undefined
  const trace = handle(metadata.threadId, { writer, rootThreadId: metadata.threadId, compactions: 0 }, true)
  quietly(() => writer.append({ type: "rollout_started", trace_id: traceId, root_thread_id: metadata.threadId }))
  threadStarted(trace, metadata)
  return trace
}

/** A spawned child records its `thread_started` into its parent's bundle. */
export const startChild = (parent: ThreadTrace, metadata: Metadata): ThreadTrace => {
  const trace = handle(metadata.threadId, parent.bundle, false)
  threadStarted(trace, metadata)
  return trace
}

export const inTurn = (trace: ThreadTrace, turnId: string, payload: TraceEvent.TraceEventPayload): void =>
  void quietly(() => trace.bundle.writer.appendWithContext({ thread_id: trace.threadId, codex_turn_id: turnId }, payload))

export const writePayload = (trace: ThreadTrace, kind: TraceEvent.RawPayloadKind["type"], value: unknown): Ref | undefined =>
  quietly(() => trace.bundle.writer.writeJsonPayload(kind, value))

export const turnStarted = (trace: ThreadTrace | undefined, turnId: string): void => {
  if (trace !== undefined) inTurn(trace, turnId, { type: "codex_turn_started", codex_turn_id: turnId, thread_id: trace.threadId })
}

/** A turn's end: `completed`, `failed` (it ended with an error, as Codex 0.169 writes) or `cancelled` (aborted). */
export const turnEnded = (trace: ThreadTrace | undefined, turnId: string, status: "completed" | "failed" | "cancelled"): void => {
  if (trace !== undefined) inTurn(trace, turnId, { type: "codex_turn_ended", codex_turn_id: turnId, status })
}

/** Records `thread_ended` (and for the root `rollout_ended`, `recording_completed`, then closes the bundle). */
export const ended = (trace: ThreadTrace | undefined): void => {
  if (trace === undefined || trace.ended) return
  trace.ended = true
  const w = trace.bundle.writer
  quietly(() => w.append({ type: "thread_ended", thread_id: trace.threadId, status: "completed" }))
  if (trace.isRoot) {
    quietly(() => w.append({ type: "rollout_ended", status: "completed" }))
    // Schema 2: the recorder finished; the last line of the bundle.
    quietly(() => w.append({ type: "recording_completed" }))
    quietly(() => w.close())
  }
}

/** The Responses id the item was accepted under, if it was. */
export const itemIdOf = (trace: ThreadTrace | undefined, item: JsonObject): string | undefined => trace?.itemIds.get(item)

/** The item as the trace shows it: with its accepted id (after `type` when the item had none of its own). */
export const withId = (trace: ThreadTrace | undefined, item: JsonObject): JsonObject => {
  const id = itemIdOf(trace, item)
  if (id === undefined || item["id"] === id) return item
  const { type, id: _own, ...rest } = item
  return { type, id, ...rest }
}

/** Names an item: its own id when the model gave it one (unless `fresh`), else Codex's prefix and a hash. */
export const name = (trace: ThreadTrace, item: JsonObject, fresh = false): string => {
  const own = item["id"]
  const itemId =
    !fresh && typeof own === "string" && own !== "" ? own : `${TraceNames.itemPrefix(item)}_${TraceNames.uuidv4(`${trace.threadId}:item:${++trace.items}`)}`
  trace.itemIds.set(item, itemId)
  return itemId
}

export const writeAccepted = (trace: ThreadTrace, turnId: string, itemId: string): void =>
  inTurn(trace, turnId, { type: "history_item_accepted", item_id: itemId })

/**
 * An item entered the thread's history (schema 2 `history_item_accepted`): named once (an item
 * accepted again is the same history entry), and written now or, while an inference attempt
 * streams, after its terminal event.
 */
export const accepted = (trace: ThreadTrace | undefined, turnId: string, item: JsonObject): void => {
  if (trace === undefined || trace.itemIds.has(item)) return
  const itemId = name(trace, item)
  if (trace.held !== undefined) trace.held.push({ turnId, itemId })
  else writeAccepted(trace, turnId, itemId)
}

const flushHeld = (trace: ThreadTrace): void => {
  const held = trace.held ?? []
  trace.held = undefined
  for (const h of held) writeAccepted(trace, h.turnId, h.itemId)
}

export interface Inference {
  readonly id: string
  readonly completed: (responseId: string, usage: JsonObject, items: ReadonlyArray<JsonObject>) => void
  readonly failed: (error: string, items: ReadonlyArray<JsonObject>) => void
  readonly cancelled: (reason: string, items: ReadonlyArray<JsonObject>) => void
}

/**
 * One model request attempt: `inference_started` now, exactly one terminal event later (the first
 * wins). Items accepted meanwhile are held: written after `inference_completed`, or before
 * `inference_failed` / `inference_cancelled`.
 */
export const inference = (trace: ThreadTrace | undefined, turnId: string, model: string, provider: string, request: JsonObject): Inference | undefined => {
  if (trace === undefined) return undefined
  const id = TraceNames.uuidv4(`${trace.threadId}:inference:${++trace.invented}`)
  const ref = writePayload(trace, "inference_request", request)
  if (ref !== undefined) {
    inTurn(trace, turnId, {
      type: "inference_started",
      inference_call_id: id,
      thread_id: trace.threadId,
      codex_turn_id: turnId,
      model,
      provider_name: provider,
      request_payload: ref
    })
  }
  trace.held = []
  let done = false
  const once = (write: () => void) => {
    if (done) return
    done = true
    write()
  }
  // Partial payloads exist only when some output item was observed (§2.5.2).
  const partial = (items: ReadonlyArray<JsonObject>) =>
    items.length === 0
      ? null
      : (writePayload(trace, "inference_response", {
          response_id: null,
          upstream_request_id: null,
          token_usage: null,
          output_items: items.map((i) => withId(trace, i))
        }) ?? null)
  return {
    id,
    completed: (responseId, usage, items) =>
      once(() => {
        const response = writePayload(trace, "inference_response", {
          response_id: responseId,
          upstream_request_id: null,
          token_usage: usage,
          output_items: items.map((i) => withId(trace, i))
        })
        if (response !== undefined)
          inTurn(trace, turnId, {
            type: "inference_completed",
            inference_call_id: id,
            response_id: responseId,
            upstream_request_id: null,
            response_payload: response
          })
        flushHeld(trace)
      }),
    failed: (error, items) =>
      once(() => {
        flushHeld(trace)
        inTurn(trace, turnId, { type: "inference_failed", inference_call_id: id, upstream_request_id: null, error, partial_response_payload: partial(items) })
      }),
    cancelled: (reason, items) =>
      once(() => {
        flushHeld(trace)
        inTurn(trace, turnId, {
          type: "inference_cancelled",
          inference_call_id: id,
          upstream_request_id: null,
          reason,
          partial_response_payload: partial(items)
        })
      })
  }
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
    kind: TraceNames.toolKind(name),
    summary: { type: "generic", label: name, input_preview: TraceNames.preview(args), output_preview: null },
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
