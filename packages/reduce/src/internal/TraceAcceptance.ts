/**
 * TraceAcceptance: the schema 2 history-acceptance rules of the trace reducer (Codex 0.169's
 * rollout-trace schema_version 2, not in the schema 1 spec): conversation items carry the
 * Responses item id they were sent under (`responses_item_id`), a `history_item_accepted` event
 * stamps the item of its thread with that id as accepted (`accepted_at_unix_ms`, `accepted_seq`) —
 * or, when no such item exists yet (a tool output is accepted before the next request shows it),
 * holds the acceptance until one is created — and `recording_completed` marks the graph complete.
 * Schema 1 bundles never reach these rules. Choosing item identity is `TraceIdentity`.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import type { Normalized } from "./TraceConversation.js"
import { fail } from "./TraceError.js"
import { type Event, indexAdd, type Mutable, type State } from "./TraceState.js"

type Item = Mutable<TraceGraph.ConversationItem>
type Payload<T extends TraceEvent.TraceEventPayload["type"]> = Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: T }> }

const key = (thread: string, responsesId: string): string => `${thread}\u0000${responsesId}`

/** Whether the bundle's items carry Responses ids and acceptance (schema 2 and later). */
export const enabled = (s: State): boolean => s.schemaVersion >= 2

/**
 * The schema 2 fields of a new item, in Codex's key order right after `item_id`: the Responses
 * id when the item has one, and the acceptance slots (written only once filled).
 */
export const fields = (s: State, n: Normalized): Pick<Item, "responses_item_id" | "accepted_at_unix_ms" | "accepted_seq"> =>
  !enabled(s)
    ? {}
    : { ...(n.responses_item_id === null ? {} : { responses_item_id: n.responses_item_id }), accepted_at_unix_ms: undefined, accepted_seq: undefined }

const stamp = (item: Item, at: number, seq: number): void => {
  // The first acceptance wins: a later one of the same id is the same history entry re-sent.
  if (item.accepted_seq !== undefined) return
  item.accepted_at_unix_ms = at
  item.accepted_seq = seq
}

/**
 * Schema 2: an item sent under one Responses id is not the same history entry as an item sent
 * under another, however alike (a compacted thread re-sends its context under fresh ids); an item
 * without an id still matches by content alone.
 */
export const sameResponsesId = (s: State, existing: TraceGraph.ConversationItem, n: Normalized): boolean =>
  !enabled(s) || existing.responses_item_id === undefined || n.responses_item_id === null || existing.responses_item_id === n.responses_item_id

/** Schema 2: the items of a thread sent under the normalized item's Responses id (none for schema 1). */
export const withResponsesId = (s: State, thread: string, n: Normalized): ReadonlyArray<string> =>
  !enabled(s) || n.responses_item_id === null ? [] : (s.index.itemsByResponsesId.get(key(thread, n.responses_item_id)) ?? [])

/** A new item: indexed by its Responses id, and stamped if its acceptance came first. */
export const created = (s: State, item: Item): void => {
  if (!enabled(s) || item.responses_item_id === undefined) return
  const k = key(item.thread_id, item.responses_item_id)
  indexAdd(s.index.itemsByResponsesId, k, item.item_id)
  const pending = s.pendingAcceptance.get(k)
  if (pending === undefined) return
  s.pendingAcceptance.delete(k)
  stamp(item, pending.at, pending.seq)
}

/** `history_item_accepted`: stamps the thread's items with that Responses id, or holds the acceptance. */
export const accepted = (s: State, e: Payload<"history_item_accepted">): void => {
  const thread = e.thread_id ?? fail(`history item acceptance ${e.payload.item_id} had no thread`)
  const k = key(thread, e.payload.item_id)
  const ids = s.index.itemsByResponsesId.get(k) ?? []
  if (ids.length === 0) {
    if (!s.pendingAcceptance.has(k)) s.pendingAcceptance.set(k, { at: e.wall_time_unix_ms, seq: e.seq })
    return
  }
  for (const id of ids) stamp(s.graph.conversation_items.get(id) as Item, e.wall_time_unix_ms, e.seq)
}

/** `recording_completed`: the recorder finished; the graph says so. */
export const recordingCompleted = (s: State): void => {
  s.graph.recording_complete = true
}
