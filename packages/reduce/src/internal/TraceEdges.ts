/**
 * TraceEdges: how information flows between agent threads in the trace reducer (rollout-trace
 * spec §4.11): spawn, task, message and result deliveries become `InteractionEdge`s from a tool
 * call (or a child's last message) to the recipient-side conversation item that carried them —
 * held as pending proposals until that item is reduced, with a spawn falling back to the child
 * thread at the end — and close/interrupt calls become edges to the target thread. Reading the
 * runtime payloads that propose them is `TraceAgentActivity`; the tool-call lifecycle is `TraceTools`.
 */
import { Result, Schema } from "effect"
import { InterAgentCommunication } from "@rollout/protocol/InterAgentCommunication"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { compareKeys } from "@rollout/protocol/TraceGraph"
import { fail } from "./TraceError.js"
import { type Event, inKeyOrder, isRecord, type Mutable, type Proposal, pushUnique, type State } from "./TraceState.js"

type Tool = Mutable<TraceGraph.ToolCall>
type Item = Mutable<TraceGraph.ConversationItem>

const decodeCommunication = Schema.decodeUnknownResult(InterAgentCommunication)

/** §4.11.1: the (author, content) an item delivers to its thread's agent, if it is an inter-agent message. */
const delivery = (s: State, item: TraceGraph.ConversationItem): { author: string; content: string } | undefined => {
  if (item.role !== "assistant" || item.kind !== "message") return undefined
  const recipientPath = s.graph.threads.get(item.thread_id)?.agent_path
  const parts = item.body.parts
  const meta = item.agent_message
  if (meta !== undefined) {
    const [a, b] = parts
    let content: string | undefined
    if (parts.length === 1 && a?.type === "text") content = a.text
    else if (parts.length === 1 && a?.type === "encoded" && a.label === "encrypted_content") content = a.value
    else if (parts.length === 2 && a?.type === "text" && b?.type === "encoded" && b.label === "encrypted_content") content = b.value
    if (content === undefined || meta.recipient !== recipientPath) return undefined
    return { author: meta.author, content }
  }
  const [only] = parts
  if (parts.length !== 1 || only?.type !== "text") return undefined
  let json: unknown
  try {
    json = JSON.parse(only.text)
  } catch {
    return undefined
  }
  if (!isRecord(json)) return undefined
  const decoded = decodeCommunication(json)
  if (Result.isFailure(decoded)) return undefined
  const c = decoded.success
  if (c.recipient !== recipientPath) return undefined
  return { author: c.author, content: c.encrypted_content ?? c.content }
}

const isTargeted = (s: State, itemId: string): boolean => s.index.targetedItems.has(itemId)

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** §4.11.8 */
const upsert = (s: State, edge: Mutable<TraceGraph.InteractionEdge>): void => {
  const existing = s.graph.interaction_edges.get(edge.edge_id)
  if (existing === undefined) {
    s.graph.interaction_edges.set(edge.edge_id, edge)
    if (edge.target.type === "conversation_item") s.index.targetedItems.add(edge.target.item_id)
    return
  }
  if (existing.kind !== edge.kind || !sameJson(existing.source, edge.source) || !sameJson(existing.target, edge.target)) {
    fail(`interaction edge ${edge.edge_id} was observed with conflicting endpoints`)
  }
  existing.started_at_unix_ms = Math.min(existing.started_at_unix_ms, edge.started_at_unix_ms)
  existing.ended_at_unix_ms = maxEnded(existing.ended_at_unix_ms, edge.ended_at_unix_ms)
  for (const id of edge.carried_item_ids) pushUnique(existing.carried_item_ids, id)
  for (const id of edge.carried_raw_payload_ids) pushUnique(existing.carried_raw_payload_ids, id)
}

const maxEnded = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))

const resolveTo = (s: State, p: Proposal, target: Mutable<TraceGraph.TraceAnchor>, items: Array<string>): void =>
  upsert(s, {
    edge_id: p.edge_id,
    kind: p.kind,
    source: p.source,
    target,
    started_at_unix_ms: p.started,
    ended_at_unix_ms: p.ended,
    carried_item_ids: items,
    carried_raw_payload_ids: [...p.carried_payload_ids]
  })

/** §4.11.5 */
export const queueOrResolve = (s: State, p: Proposal): void => {
  const target = s.graph.threads.get(p.target_thread)
  if (target !== undefined) {
    for (const id of target.conversation_item_ids) {
      const item = s.graph.conversation_items.get(id)
      if (item === undefined || isTargeted(s, id)) continue
      const d = delivery(s, item)
      if (d !== undefined && d.author === p.author && d.content === p.content) {
        return resolveTo(s, p, { type: "conversation_item", item_id: id }, [id])
      }
    }
  }
  const pending = s.pendingEdges.find((q) => q.edge_id === p.edge_id)
  if (pending === undefined) {
    s.pendingEdges.push(p)
    return
  }
  const same =
    pending.kind === p.kind &&
    sameJson(pending.source, p.source) &&
    pending.target_thread === p.target_thread &&
    pending.author === p.author &&
    pending.content === p.content &&
    pending.spawn_fallback === p.spawn_fallback
  if (!same) fail(`pending interaction edge ${p.edge_id} was observed with conflicting delivery data`)
  pending.started = Math.min(pending.started, p.started)
  pending.ended = maxEnded(pending.ended, p.ended)
  for (const id of p.carried_payload_ids) pushUnique(pending.carried_payload_ids, id)
}

/** Per reconciled item (§4.5.1 step 4): the first pending delivery it carries resolves to it. */
export const resolveItem = (s: State, item: Item): void => {
  if (s.pendingEdges.length === 0 || isTargeted(s, item.item_id)) return
  const d = delivery(s, item)
  if (d === undefined) return
  const at = s.pendingEdges.findIndex((p) => p.target_thread === item.thread_id && p.author === d.author && p.content === d.content)
  if (at === -1) return
  const [p] = s.pendingEdges.splice(at, 1)
  if (p !== undefined) resolveTo(s, p, { type: "conversation_item", item_id: item.item_id }, [item.item_id])
}

const toolPayloadIds = (tool: Tool): Array<string> => {
  const ids: Array<string> = []
  for (const id of [tool.raw_invocation_payload_id, ...tool.raw_runtime_payload_ids, tool.raw_result_payload_id]) if (id !== null) pushUnique(ids, id)
  return ids
}

const authorOf = (s: State, thread: string): string => (s.graph.threads.get(thread) ?? fail(`agent edge referenced unknown thread ${thread}`)).agent_path

export const toolProposal = (
  s: State,
  tool: Tool,
  id: string,
  kind: TraceGraph.EdgeKind,
  target: string,
  content: string,
  ended: number | null,
  fallback: string | null
): Proposal => ({
  edge_id: id,
  kind,
  source: { type: "tool_call", tool_call_id: tool.tool_call_id },
  target_thread: target,
  author: authorOf(s, tool.thread_id),
  content,
  spawn_fallback: fallback,
  started: tool.execution.started_at_unix_ms,
  ended,
  carried_payload_ids: toolPayloadIds(tool)
})

/** §4.11.7: a close edge, only once the target thread is known. */
export const closeEdge = (s: State, tool: Tool, target: string, ended: number | null): void => {
  if (!s.graph.threads.has(target)) return
  upsert(s, {
    edge_id: `edge:tool:${tool.tool_call_id}`,
    kind: "close_agent",
    source: { type: "tool_call", tool_call_id: tool.tool_call_id },
    target: { type: "thread", thread_id: target },
    started_at_unix_ms: tool.execution.started_at_unix_ms,
    ended_at_unix_ms: ended,
    carried_item_ids: [],
    carried_raw_payload_ids: toolPayloadIds(tool)
  })
}

/** §4.11.6: a tool's result payload is evidence for the edge it sourced. */
export const toolEnded = (s: State, tool: Tool, ref: TraceEvent.RawPayloadRef | null | undefined): void => {
  if (ref === null || ref === undefined) return
  const isSource = (a: TraceGraph.TraceAnchor) => a.type === "tool_call" && a.tool_call_id === tool.tool_call_id
  const edge = inKeyOrder(s.graph.interaction_edges).find((e) => isSource(e.source))
  if (edge !== undefined) return pushUnique(edge.carried_raw_payload_ids, ref.raw_payload_id)
  const pending = s.pendingEdges.find((p) => isSource(p.source))
  if (pending !== undefined) pushUnique(pending.carried_payload_ids, ref.raw_payload_id)
}

/** §4.11.9: a child's completion notification delivered to its parent. */
export const agentResult = (s: State, e: Event & { readonly payload: typeof TraceEvent.AgentResultObserved.Type }): void => {
  const p = e.payload
  const author = authorOf(s, p.child_thread_id)
  let source: Item | undefined
  for (const item of s.graph.conversation_items.values()) {
    if (item.thread_id !== p.child_thread_id || item.codex_turn_id !== p.child_codex_turn_id) continue
    if (item.role !== "assistant" || item.kind !== "message" || item.agent_message !== undefined) continue
    const later =
      source === undefined ||
      item.first_seen_at_unix_ms > source.first_seen_at_unix_ms ||
      (item.first_seen_at_unix_ms === source.first_seen_at_unix_ms && compareKeys(item.item_id, source.item_id) > 0)
    if (later) source = item
  }
  queueOrResolve(s, {
    edge_id: p.edge_id,
    kind: "agent_result",
    source: source === undefined ? { type: "thread", thread_id: p.child_thread_id } : { type: "conversation_item", item_id: source.item_id },
    target_thread: p.parent_thread_id,
    author,
    content: p.message,
    spawn_fallback: null,
    started: e.wall_time_unix_ms,
    ended: e.wall_time_unix_ms,
    carried_payload_ids: p.carried_payload === null || p.carried_payload === undefined ? [] : [p.carried_payload.raw_payload_id]
  })
}

/** §4.11.10: unresolved spawns fall back to the child thread; other pending deliveries are dropped. */
export const finish = (s: State): void => {
  for (const p of s.pendingEdges) {
    if (p.spawn_fallback === null) continue
    if (p.kind !== "spawn_agent") fail(`non-spawn interaction edge ${p.edge_id} carried a spawn fallback target`)
    if (!s.graph.threads.has(p.spawn_fallback)) continue
    resolveTo(s, p, { type: "thread", thread_id: p.spawn_fallback }, [])
  }
  s.pendingEdges.length = 0
}
