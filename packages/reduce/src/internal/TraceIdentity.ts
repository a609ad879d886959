/**
 * TraceIdentity: conversation identity in the trace reducer (rollout-trace spec §4.5): deciding,
 * for each normalized item of a batch (a request, a response, a compaction history), whether it
 * is an item already seen or a new `conversation_item:<n>`, in one of three modes — full snapshot,
 * append-only, detached — and running the per-item links every sighting triggers (tool calls,
 * code-cell outputs, pending agent deliveries). Normalization is `TraceConversation`.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as TraceAcceptance from "./TraceAcceptance.js"
import * as TraceCodeCells from "./TraceCodeCells.js"
import { matches, mergeReasoning, type Normalized, normalizeAll } from "./TraceConversation.js"
import * as TraceEdges from "./TraceEdges.js"
import { fail } from "./TraceError.js"
import { addProducer, type Event, indexAdd, isRecord, itemsWithCall, jsonOrder, listItems, type Mutable, readPayload, type State } from "./TraceState.js"
import * as TraceTools from "./TraceTools.js"

type Item = Mutable<TraceGraph.ConversationItem>

/** Where a batch was sighted: its thread, turn, time and the producers every item gets. */
export interface Batch {
  readonly thread: string
  readonly turn: string | null
  readonly wall: number
  readonly producers: ReadonlyArray<Mutable<TraceGraph.ProducerRef>>
}

export type Mode =
  | { readonly _tag: "FullSnapshot"; readonly baseline: ReadonlyArray<string> }
  | { readonly _tag: "AppendOnly"; readonly baseline: ReadonlyArray<string>; readonly start: number }
  | { readonly _tag: "Detached"; readonly candidates: ReadonlyArray<string> }

const item = (s: State, id: string): Item => s.graph.conversation_items.get(id) as Item

/** A call id names one call and one output per thread: a different item under it is an error. */
const checkCallId = (s: State, thread: string, n: Normalized): void => {
  if (n.call_id === null) return
  for (const existing of itemsWithCall(s, n.call_id, thread, false)) {
    if (existing.kind === n.kind && !matches(existing, n)) {
      fail(`model-visible call id ${n.call_id} was reused with different content`)
    }
  }
}

export const create = (s: State, batch: Batch, n: Normalized): string => {
  const id = `conversation_item:${s.nextItem++}`
  const created: Item = {
    item_id: id,
    // Schema 2: the Responses id and acceptance slots (nothing for schema 1).
    ...TraceAcceptance.fields(s, n),
    thread_id: batch.thread,
    codex_turn_id: batch.turn,
    first_seen_at_unix_ms: batch.wall,
    role: n.role,
    channel: n.channel,
    kind: n.kind,
    ...(n.agent_message === null ? {} : { agent_message: { ...n.agent_message } }),
    body: { parts: n.parts.map((p) => ({ ...p })) },
    call_id: n.call_id,
    produced_by: batch.producers.map((p) => ({ ...p }))
  }
  s.graph.conversation_items.set(id, created)
  if (n.call_id !== null) indexAdd(s.index.itemsByCall, n.call_id, id)
  TraceAcceptance.created(s, created)
  return id
}

/** The per-item steps of §4.5.1, once an id is chosen. */
const sighted = (s: State, batch: Batch, id: string, n: Normalized): void => {
  const it = item(s, id)
  if (it.kind === "reasoning") {
    const merged = mergeReasoning(it.body.parts, n.parts)
    if (merged !== undefined) it.body.parts = merged.map((p) => ({ ...p }))
  }
  for (const p of batch.producers) addProducer(it, { ...p })
  TraceTools.linkItem(s, it)
  TraceCodeCells.linkOutput(s, it)
  TraceEdges.resolveItem(s, it)
}

/**
 * Schema 2 `history_item_accepted` carrying an agent message (a `protocol_event` payload holding
 * the Responses `agent_message` item): the message becomes a conversation item of the accepting
 * thread and turn at acceptance time, before any request shows it. Stamping is `TraceAcceptance`.
 */
export const acceptAgentMessage = (
  s: State,
  e: Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: "history_item_accepted" }> }
): void => {
  const ref = e.payload.agent_message_payload
  if (ref === null || ref === undefined) return
  const threadId = e.thread_id ?? fail(`history item acceptance ${e.payload.item_id} had no thread`)
  const message = readPayload(s, ref)
  if (!isRecord(message)) fail(`agent message payload ${ref.raw_payload_id} was not an object`)
  const items = normalizeAll([message], ref.raw_payload_id, jsonOrder(s))
  const batch = { thread: threadId, turn: e.codex_turn_id ?? null, wall: e.wall_time_unix_ms, producers: [] }
  const candidates = items.flatMap((n) => TraceAcceptance.withResponsesId(s, threadId, n))
  listItems(s, threadId, reconcile(s, batch, items, { _tag: "Detached", candidates }))
}

/** Reconciles a batch; returns the chosen ids in order, then materializes waiting code cells. */
export const reconcile = (s: State, batch: Batch, items: ReadonlyArray<Normalized>, mode: Mode): Array<string> => {
  const chosen: Array<string> = []
  const chosenSet = new Set<string>()
  items.forEach((n, offset) => {
    checkCallId(s, batch.thread, n)
    // Schema 2: a candidate must also carry the item's Responses id (when both have one).
    const fits = (c: string): boolean => matches(item(s, c), n) && TraceAcceptance.sameResponsesId(s, item(s, c), n)
    let id: string | undefined
    switch (mode._tag) {
      case "FullSnapshot": {
        const at = mode.baseline[offset]
        if (at !== undefined && fits(at)) id = at
        else id = mode.baseline.find((c) => !chosenSet.has(c) && fits(c))
        break
      }
      case "AppendOnly": {
        const index = mode.start + offset
        const at = mode.baseline[index]
        if (at !== undefined) {
          if (!matches(item(s, at), n)) {
            fail(
              `model conversation mismatch while reducing turn ${batch.turn ?? ""} for thread ${batch.thread} at item index ${index}: existing item ${at} does not match the current model payload item`
            )
          }
          id = at
        }
        break
      }
      case "Detached":
        id = mode.candidates.find((c) => !chosenSet.has(c) && fits(c))
        break
      default: {
        const never: never = mode
        return never
      }
    }
    // Schema 2: an item history accepted before any request showed it (an agent message) is
    // found again by its Responses id; compaction's detached batches keep their own candidates.
    if (id === undefined && mode._tag !== "Detached") {
      id = TraceAcceptance.withResponsesId(s, batch.thread, n).find((c) => !chosenSet.has(c) && fits(c))
    }
    const final = id ?? create(s, batch, n)
    chosen.push(final)
    chosenSet.add(final)
    sighted(s, batch, final, n)
  })
  TraceCodeCells.flush(s)
  return chosen
}
