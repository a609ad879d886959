/**
 * TraceState: the working state of the rollout-trace reducer (rollout-trace spec §4.0): the graph
 * being built (mutable, maps keyed by id) and the reducer-private bookkeeping (counters, thread
 * snapshots, queued code cells, pending agent edges), plus the small lookups every part of the
 * reducer shares. State is plain data owned by one replay; nothing here does I/O — payloads come
 * from the injected `PayloadSource`.
 */
import type { Types } from "effect"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { compareKeys } from "@rollout/protocol/TraceGraph"
import { fail } from "./TraceError.js"

export type Mutable<T> = Types.DeepMutable<T>
export type Graph = Mutable<TraceGraph.RolloutTrace>
export type Event = TraceEvent.TraceEvent
export type Window = Mutable<TraceGraph.ExecutionWindow>

/**
 * A payload file as the bundle holds it, by its path relative to the bundle: its text, or
 * `undefined` when the file cannot be opened. The reducer parses it when (and only if) a rule
 * reads it, as Codex does, so an unread broken payload is not an error.
 */
export type PayloadSource = (path: string) => string | undefined

/** A delivery waiting for (or resolved to) its recipient-side conversation item (§4.11.5). */
export interface Proposal {
  readonly edge_id: string
  readonly kind: TraceGraph.EdgeKind
  readonly source: TraceGraph.TraceAnchor
  readonly target_thread: string
  readonly author: string
  readonly content: string
  readonly spawn_fallback: string | null
  started: number
  ended: number | null
  carried_payload_ids: Array<string>
}

/** A code-cell start or lifecycle event held until the cell's source item exists (§4.9). */
export interface QueuedCellEvent {
  readonly event: Event
  /** The thread the event resolved to. */
  readonly thread: string
}

export interface State {
  readonly graph: Graph
  /** The bundle's `schema_version` (manifest): 2 adds Responses ids, acceptance and the v2 exec end. */
  readonly schemaVersion: number
  /** Schema 2: `${thread}\u0000${responses_item_id}` → the acceptance seen before any item had that id. */
  readonly pendingAcceptance: Map<string, { readonly at: number; readonly seq: number }>
  readonly payloadSource: PayloadSource
  readonly parsed: Map<string, unknown>
  nextItem: number
  nextOperation: number
  /** thread → the last model-visible snapshot (request ids, extended by response ids). */
  readonly snapshots: Map<string, Array<string>>
  /** thread → the replacement history of the last installed compaction, not yet requested. */
  readonly pendingReplacement: Map<string, Array<string>>
  /** `${thread}\u0000${runtime_cell_id}` → code_cell_id. */
  readonly runtimeCells: Map<string, string>
  readonly queuedCells: Map<string, QueuedCellEvent>
  readonly queuedCellEvents: Map<string, Array<QueuedCellEvent>>
  readonly pendingEdges: Array<Proposal>
  /** Indexes over the graph, so that lookups by call id stay cheap on long traces. */
  readonly index: {
    /** call_id → conversation items carrying it (any thread, any kind). */
    readonly itemsByCall: Map<string, Array<string>>
    /** model_visible_call_id → tool calls. */
    readonly toolsByCall: Map<string, Array<string>>
    /** item id → inference calls whose response_item_ids hold it. */
    readonly responseOwners: Map<string, Array<string>>
    /** items that are already the target of an interaction edge. */
    readonly targetedItems: Set<string>
    /** Schema 2: `${thread}\u0000${responses_item_id}` → conversation items carrying that Responses id. */
    readonly itemsByResponsesId: Map<string, Array<string>>
    /** thread → the ids its `conversation_item_ids` lists (membership without a scan). */
    readonly threadItems: Map<string, Set<string>>
  }
}

export const make = (manifest: TraceEvent.TraceManifest, payloadSource: PayloadSource): State => ({
  graph: {
    // Schema 2 bundles reduce to a schema 2 graph, which also says whether the recording completed.
    schema_version: manifest.schema_version >= 2 ? 2 : 1,
    trace_id: manifest.trace_id,
    rollout_id: manifest.rollout_id,
    started_at_unix_ms: manifest.started_at_unix_ms,
    ended_at_unix_ms: null,
    status: "running",
    ...(manifest.schema_version >= 2 ? { recording_complete: false } : {}),
    root_thread_id: manifest.root_thread_id,
    threads: new Map(),
    codex_turns: new Map(),
    conversation_items: new Map(),
    inference_calls: new Map(),
    code_cells: new Map(),
    tool_calls: new Map(),
    terminal_sessions: new Map(),
    terminal_operations: new Map(),
    compactions: new Map(),
    compaction_requests: new Map(),
    interaction_edges: new Map(),
    raw_payloads: new Map()
  },
  schemaVersion: manifest.schema_version,
  pendingAcceptance: new Map(),
  payloadSource,
  parsed: new Map(),
  nextItem: 1,
  nextOperation: 1,
  snapshots: new Map(),
  pendingReplacement: new Map(),
  runtimeCells: new Map(),
  queuedCells: new Map(),
  queuedCellEvents: new Map(),
  pendingEdges: [],
  index: {
    itemsByCall: new Map(),
    toolsByCall: new Map(),
    responseOwners: new Map(),
    targetedItems: new Set(),
    itemsByResponsesId: new Map(),
    threadItems: new Map()
  }
})

/** Adds `value` to the list under `key`. */
export const indexAdd = (m: Map<string, Array<string>>, key: string, value: string): void => {
  const list = m.get(key)
  if (list === undefined) m.set(key, [value])
  else pushUnique(list, value)
}

/** Conversation items with `callId`, in map (key) order, optionally of one thread. */
export const itemsWithCall = (s: State, callId: string, thread?: string, ordered = true): Array<Mutable<TraceGraph.ConversationItem>> => {
  const ids = s.index.itemsByCall.get(callId)
  if (ids === undefined) return []
  const out: Array<Mutable<TraceGraph.ConversationItem>> = []
  for (const id of ordered && ids.length > 1 ? [...ids].sort(compareKeys) : ids) {
    const item = s.graph.conversation_items.get(id) as Mutable<TraceGraph.ConversationItem>
    if (thread === undefined || item.thread_id === thread) out.push(item)
  }
  return out
}

/** Reads and parses a referenced payload (§4.0.2); parsed values are never mutated. */
export const readPayload = (s: State, ref: TraceEvent.RawPayloadRef): unknown => {
  if (s.parsed.has(ref.path)) return s.parsed.get(ref.path)
  const text = s.payloadSource(ref.path)
  if (text === undefined) return fail(`open payload ${ref.raw_payload_id}`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return fail(`parse payload ${ref.raw_payload_id}: ${error instanceof Error ? error.message : String(error)}`)
  }
  // Only a tool invocation is read twice (tool start, then sub-agent activity); keeping other
  // parsed payloads would hold the whole bundle's JSON in memory.
  if (ref.kind.type === "tool_invocation") s.parsed.set(ref.path, value)
  return value
}

export const startWindow = (e: Event): Window => ({
  started_at_unix_ms: e.wall_time_unix_ms,
  started_seq: e.seq,
  ended_at_unix_ms: null,
  ended_seq: null,
  status: "running"
})

export const endWindow = (w: Window, e: Event, status: TraceGraph.ExecutionWindow["status"]): void => {
  w.ended_at_unix_ms = e.wall_time_unix_ms
  w.ended_seq = e.seq
  w.status = status
}

export const pushUnique = <A>(list: Array<A>, value: A): void => {
  if (!list.includes(value)) list.push(value)
}

/** The values of a map in Codex's key order (every "first match" scan uses it, §4.12). */
export const inKeyOrder = <V>(m: ReadonlyMap<string, V>): Array<V> => [...m.keys()].sort(compareKeys).map((k) => m.get(k) as V)

export const thread = (s: State, id: string): Mutable<TraceGraph.AgentThread> => s.graph.threads.get(id) ?? fail(`trace event referenced unknown thread ${id}`)

/** Appends ids to a thread's item list, skipping those already listed (first-sighting union). */
export const listItems = (s: State, threadId: string, ids: ReadonlyArray<string>): void => {
  const t = thread(s, threadId)
  let listed = s.index.threadItems.get(threadId)
  if (listed === undefined) s.index.threadItems.set(threadId, (listed = new Set(t.conversation_item_ids)))
  for (const id of ids) {
    if (listed.has(id)) continue
    listed.add(id)
    t.conversation_item_ids.push(id)
  }
}

const producerKey = (p: TraceGraph.ProducerRef): string => {
  switch (p.type) {
    case "inference":
      return `i:${p.inference_call_id}`
    case "tool":
      return `t:${p.tool_call_id}`
    case "code_cell":
      return `c:${p.code_cell_id}`
    case "interaction_edge":
      return `e:${p.edge_id}`
    case "compaction":
      return `k:${p.compaction_id}`
    case "user_input":
    case "harness":
      return p.type
    default: {
      const never: never = p
      return never
    }
  }
}

/** Adds a producer to an item unless it is already listed. */
export const addProducer = (item: Mutable<TraceGraph.ConversationItem>, producer: Mutable<TraceGraph.ProducerRef>): void => {
  const key = producerKey(producer)
  if (!item.produced_by.some((p) => producerKey(p) === key)) item.produced_by.push(producer)
}

/** Schema 2 (Codex 0.169) keeps JSON keys in source order in summaries; schema 1 sorts them (§4.4). */
export const jsonOrder = (s: State): "sorted" | "source" => (s.schemaVersion >= 2 ? "source" : "sorted")

export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Compact JSON with object keys sorted at every level (the canonical form the spec picks, §4.4). */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (isRecord(value)) {
    const keys = Object.keys(value).sort(compareKeys)
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

/** The last non-empty `/`-separated segment of an agent path, or the path itself. */
export const lastSegment = (path: string): string => {
  const segs = path.split("/").filter((x) => x.length > 0)
  return segs[segs.length - 1] ?? path
}
