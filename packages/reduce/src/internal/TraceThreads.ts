/**
 * TraceThreads: the rollout, its agent threads and their Codex turns in the trace reducer
 * (rollout-trace spec §4.2): ids and times from the lifecycle events, a thread's path, nickname,
 * model and spawn origin from its session metadata payload. A turn end also closes what the turn
 * left running (inference calls, code cells), through their own modules.
 */
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as TraceCodeCells from "./TraceCodeCells.js"
import { fail } from "./TraceError.js"
import * as TraceInference from "./TraceInference.js"
import { endWindow, type Event, isRecord, lastSegment, type Mutable, readPayload, startWindow, type State, thread } from "./TraceState.js"

type Payload<T extends TraceEvent.TraceEventPayload["type"]> = Event & { readonly payload: Extract<TraceEvent.TraceEventPayload, { type: T }> }

interface Metadata {
  readonly agent_path?: string | undefined
  readonly task_name?: string | undefined
  readonly nickname?: string | undefined
  readonly agent_role?: string | undefined
  readonly model?: string | undefined
  readonly session_source?: unknown
}

const metadata = (s: State, ref: TraceEvent.RawPayloadRef): Metadata => {
  const m = readPayload(s, ref)
  const bad = (): never => fail(`parse thread metadata ${ref.raw_payload_id}`)
  if (!isRecord(m)) return bad()
  const str = (k: string): string | undefined => {
    const v = m[k]
    if (v === undefined || v === null) return undefined
    return typeof v === "string" ? v : bad()
  }
  return {
    agent_path: str("agent_path"),
    task_name: str("task_name"),
    nickname: str("nickname"),
    agent_role: str("agent_role"),
    model: str("model"),
    session_source: m.session_source
  }
}

const optString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)

export const threadStarted = (s: State, e: Payload<"thread_started">): void => {
  const p = e.payload
  if (s.graph.threads.has(p.thread_id)) fail(`duplicate thread start for ${p.thread_id}`)
  const meta: Metadata = p.metadata_payload === null || p.metadata_payload === undefined ? {} : metadata(s, p.metadata_payload)
  const source = meta.session_source
  const subagent = isRecord(source) ? source.subagent : undefined
  const spawnInfo = isRecord(subagent) ? subagent.thread_spawn : undefined
  let origin: Mutable<TraceGraph.AgentOrigin> = { type: "root" }
  let agentPath = meta.agent_path ?? p.agent_path
  if (isRecord(spawnInfo) && typeof spawnInfo.parent_thread_id === "string") {
    const spawnPath = optString(spawnInfo.agent_path) ?? meta.agent_path
    if (spawnPath !== undefined) agentPath = spawnPath
    const task = optString(spawnInfo.task_name) ?? meta.task_name ?? (spawnPath === undefined ? undefined : lastSegment(spawnPath))
    const role = optString(spawnInfo.agent_role) ?? meta.agent_role
    origin = {
      type: "spawned",
      parent_thread_id: spawnInfo.parent_thread_id,
      spawn_edge_id: `edge:spawn:${spawnInfo.parent_thread_id}:${p.thread_id}`,
      task_name: task ?? lastSegment(agentPath),
      agent_role: role ?? ""
    }
  }
  s.graph.threads.set(p.thread_id, {
    thread_id: p.thread_id,
    agent_path: agentPath,
    nickname: meta.nickname ?? null,
    origin,
    execution: startWindow(e),
    default_model: meta.model ?? null,
    conversation_item_ids: []
  })
}

export const threadEnded = (s: State, e: Payload<"thread_ended">): void => {
  endWindow(thread(s, e.payload.thread_id).execution, e, e.payload.status)
}

export const turnStarted = (s: State, e: Payload<"codex_turn_started">): void => {
  const p = e.payload
  if (s.graph.codex_turns.has(p.codex_turn_id)) fail(`duplicate codex turn start for ${p.codex_turn_id}`)
  thread(s, p.thread_id)
  s.graph.codex_turns.set(p.codex_turn_id, { codex_turn_id: p.codex_turn_id, thread_id: p.thread_id, execution: startWindow(e), input_item_ids: [] })
}

export const turnEnded = (s: State, e: Payload<"codex_turn_ended">): void => {
  const p = e.payload
  const turn = s.graph.codex_turns.get(p.codex_turn_id)
  const envelopeThread = e.thread_id ?? null
  if (turn !== undefined && envelopeThread !== null && turn.thread_id !== envelopeThread) {
    fail(`codex turn end for ${p.codex_turn_id} used thread ${envelopeThread}, but the turn belongs to ${turn.thread_id}`)
  }
  if (turn === undefined) return fail(`codex turn end referenced unknown turn ${p.codex_turn_id}`)
  endWindow(turn.execution, e, p.status)
  TraceCodeCells.endTurn(s, p.codex_turn_id, p.status, e)
  TraceInference.endTurn(s, p.codex_turn_id, p.status, e)
}

export const rolloutStarted = (s: State, e: Payload<"rollout_started">): void => {
  s.graph.trace_id = e.payload.trace_id
  s.graph.root_thread_id = e.payload.root_thread_id
}

export const rolloutEnded = (s: State, e: Payload<"rollout_ended">): void => {
  s.graph.status = e.payload.status
  s.graph.ended_at_unix_ms = e.wall_time_unix_ms
}
