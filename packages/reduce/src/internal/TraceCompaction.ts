/**
 * TraceCompaction: remote compaction in the trace reducer (rollout-trace spec §4.6): each
 * compact-endpoint attempt is a `CompactionRequest`; an installed checkpoint becomes a
 * `Compaction` whose input history reuses the live items, whose marker is a structural item, and
 * whose replacement history is always new items — the baseline the thread's next full request is
 * reconciled against. Compaction request/response bodies are never read.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import { normalizeAll } from "./TraceConversation.js"
import { fail } from "./TraceError.js"
import * as TraceIdentity from "./TraceIdentity.js"
import { endWindow, type Event, inKeyOrder, isRecord, jsonOrder, listItems, readPayload, startWindow, type State, thread } from "./TraceState.js"

type Payload<T extends TraceEvent.TraceEventPayload["type"]> = Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: T }> }

export const requestStarted = (s: State, e: Payload<"compaction_request_started">): void => {
  const p = e.payload
  const id = p.compaction_request_id
  if (s.graph.compaction_requests.has(id)) fail(`duplicate compaction request start for ${id}`)
  thread(s, p.thread_id)
  const turn = s.graph.codex_turns.get(p.codex_turn_id) ?? fail(`compaction request ${id} referenced unknown codex turn ${p.codex_turn_id}`)
  if (turn.thread_id !== p.thread_id)
    fail(`compaction request ${id} used thread ${p.thread_id}, but codex turn ${p.codex_turn_id} belongs to ${turn.thread_id}`)
  s.graph.compaction_requests.set(id, {
    compaction_request_id: id,
    compaction_id: p.compaction_id,
    thread_id: p.thread_id,
    codex_turn_id: p.codex_turn_id,
    execution: startWindow(e),
    model: p.model,
    provider_name: p.provider_name,
    raw_request_payload_id: p.request_payload.raw_payload_id,
    raw_response_payload_id: null
  })
}

export const requestEnded = (s: State, e: Payload<"compaction_request_completed" | "compaction_request_failed">): void => {
  const p = e.payload
  const id = p.compaction_request_id
  const request = s.graph.compaction_requests.get(id) ?? fail(`compaction request completion referenced unknown request ${id}`)
  if (request.compaction_id !== p.compaction_id)
    fail(`compaction request ${id} completion used compaction ${p.compaction_id}, but start used ${request.compaction_id}`)
  endWindow(request.execution, e, p.type === "compaction_request_completed" ? "completed" : "failed")
  request.raw_response_payload_id = p.type === "compaction_request_completed" ? p.response_payload.raw_payload_id : null
}

export const installed = (s: State, e: Payload<"compaction_installed">): void => {
  const p = e.payload
  const c = p.compaction_id
  const threadId = e.thread_id ?? fail(`compaction installed event ${c} did not include a thread id`)
  const turnId = e.codex_turn_id ?? fail(`compaction installed event ${c} did not include a codex turn id`)
  if (s.graph.compactions.has(c)) fail(`duplicate compaction install for ${c}`)
  thread(s, threadId)
  const turn = s.graph.codex_turns.get(turnId) ?? fail(`compaction install ${c} referenced unknown codex turn ${turnId}`)
  if (turn.thread_id !== threadId) fail(`compaction install ${c} used thread ${threadId}, but codex turn ${turnId} belongs to ${turn.thread_id}`)
  const P = p.checkpoint_payload.raw_payload_id
  const checkpoint = readPayload(s, p.checkpoint_payload)
  const history = (key: "input_history" | "replacement_history"): Array<unknown> => {
    const list = isRecord(checkpoint) ? checkpoint[key] : undefined
    return Array.isArray(list) ? list : fail(`compaction checkpoint payload ${P} did not contain array ${key}`)
  }
  const input = normalizeAll(history("input_history"), P, jsonOrder(s))
  const replacement = normalizeAll(history("replacement_history"), P, jsonOrder(s))
  const batch = { thread: threadId, turn: turnId, wall: e.wall_time_unix_ms, producers: [] }
  const inputIds = TraceIdentity.reconcile(s, batch, input, { _tag: "Detached", candidates: s.snapshots.get(threadId) ?? [] })
  const producers = [{ type: "compaction" as const, compaction_id: c }]
  const marker = TraceIdentity.create(
    s,
    { ...batch, producers },
    { role: "assistant", channel: null, kind: "compaction_marker", agent_message: null, parts: [], call_id: null, responses_item_id: null }
  )
  const replacementIds = TraceIdentity.reconcile(s, { ...batch, producers }, replacement, { _tag: "Detached", candidates: [] })
  listItems(s, threadId, [...inputIds, marker, ...replacementIds])
  s.pendingReplacement.set(threadId, replacementIds)
  s.graph.compactions.set(c, {
    compaction_id: c,
    thread_id: threadId,
    codex_turn_id: turnId,
    installed_at_unix_ms: e.wall_time_unix_ms,
    marker_item_id: marker,
    request_ids: inKeyOrder(s.graph.compaction_requests)
      .filter((r) => r.compaction_id === c)
      .map((r) => r.compaction_request_id),
    input_item_ids: inputIds,
    replacement_item_ids: replacementIds
  })
}
