/**
 * Multi-agent events of the EventMsg family: the v1 `collab_*` begin/end pairs (spawn, interaction,
 * waiting, close, resume; only G2 Extended mode persisted the `_end` events) and the v2
 * `sub_agent_activity` lifecycle marker (persisted in legacy mode). Sub-agent threads themselves
 * are separate rollouts; this module only describes the parent's record of acting on them.
 */
import { Schema } from "effect"
import { AgentPath } from "./AgentPath.js"
import { SubAgentActivityKind } from "./TurnItem.js"
import * as Wire from "./Wire.js"

/**
 * A sub-agent's lifecycle status: snake_case, externally tagged (`"running"`,
 * `{"completed":"text"|null}`, `{"errored":"message"}`, ...). Codex rejects other values.
 */
export const AgentStatus = Schema.Union([
  Schema.Literals(["pending_init", "running", "interrupted", "shutdown", "not_found"]),
  Wire.struct({ completed: Schema.NullOr(Schema.String) }),
  Wire.struct({ errored: Schema.String })
])
export type AgentStatus = typeof AgentStatus.Type

/** `agent_type` is a read alias of `agent_role`, declared in the same position so either round-trips. */
const agentIdentity = {
  agent_nickname: Schema.optionalKey(Schema.String),
  agent_role: Schema.optionalKey(Schema.String),
  agent_type: Schema.optionalKey(Schema.String)
}

export const CollabAgentRef = Wire.struct({ thread_id: Schema.String, ...agentIdentity })
export const CollabAgentStatusEntry = Wire.struct({ thread_id: Schema.String, ...agentIdentity, status: AgentStatus })

// `started_at_ms` / `completed_at_ms` are absent from G2 lines (read default 0, not applied).
const startedAt = { started_at_ms: Schema.optionalKey(Wire.Int) }
const completedAt = { completed_at_ms: Schema.optionalKey(Wire.Int) }
const receiverIdentity = {
  receiver_agent_nickname: Schema.optionalKey(Schema.String),
  receiver_agent_role: Schema.optionalKey(Schema.String)
}

export const CollabAgentSpawnBegin = Wire.tagged("collab_agent_spawn_begin", {
  call_id: Schema.String,
  ...startedAt,
  sender_thread_id: Schema.String,
  prompt: Schema.String,
  model: Schema.String,
  reasoning_effort: Schema.String
})

export const CollabAgentSpawnEnd = Wire.tagged("collab_agent_spawn_end", {
  call_id: Schema.String,
  ...completedAt,
  sender_thread_id: Schema.String,
  new_thread_id: Schema.NullOr(Schema.String),
  new_agent_nickname: Schema.optionalKey(Schema.String),
  new_agent_role: Schema.optionalKey(Schema.String),
  prompt: Schema.String,
  model: Schema.String,
  reasoning_effort: Schema.String,
  status: AgentStatus
})

export const CollabAgentInteractionBegin = Wire.tagged("collab_agent_interaction_begin", {
  call_id: Schema.String,
  ...startedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String,
  prompt: Schema.String
})

export const CollabAgentInteractionEnd = Wire.tagged("collab_agent_interaction_end", {
  call_id: Schema.String,
  ...completedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String,
  ...receiverIdentity,
  prompt: Schema.String,
  status: AgentStatus
})

/** `receiver_agents` is omitted when empty. */
export const CollabWaitingBegin = Wire.tagged("collab_waiting_begin", {
  ...startedAt,
  sender_thread_id: Schema.String,
  receiver_thread_ids: Schema.Array(Schema.String),
  receiver_agents: Schema.optionalKey(Schema.Array(CollabAgentRef)),
  call_id: Schema.String
})

/** `agent_statuses` is omitted when empty; `statuses` is a hash map (order read is kept). */
export const CollabWaitingEnd = Wire.tagged("collab_waiting_end", {
  sender_thread_id: Schema.String,
  call_id: Schema.String,
  ...completedAt,
  agent_statuses: Schema.optionalKey(Schema.Array(CollabAgentStatusEntry)),
  statuses: Schema.Record(Schema.String, AgentStatus)
})

export const CollabCloseBegin = Wire.tagged("collab_close_begin", {
  call_id: Schema.String,
  ...startedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String
})

export const CollabCloseEnd = Wire.tagged("collab_close_end", {
  call_id: Schema.String,
  ...completedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String,
  ...receiverIdentity,
  status: AgentStatus
})

export const CollabResumeBegin = Wire.tagged("collab_resume_begin", {
  call_id: Schema.String,
  ...startedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String,
  ...receiverIdentity
})

export const CollabResumeEnd = Wire.tagged("collab_resume_end", {
  call_id: Schema.String,
  ...completedAt,
  sender_thread_id: Schema.String,
  receiver_thread_id: Schema.String,
  ...receiverIdentity,
  status: AgentStatus
})

/**
 * A multi-agent v2 tool acted on a sub-agent; `event_id` is the tool call id. G3 prepends `model`
 * and `reasoning_effort` (always written, null-able) and adds kind `completed`; G2.9 lines have
 * neither field, so both are optional here. `occurred_at_ms` reads as 0 in Codex when missing.
 * An invalid `agent_path` makes Codex drop the line; here the line is reported invalid.
 */
export const SubAgentActivity = Wire.tagged("sub_agent_activity", {
  model: Schema.optionalKey(Schema.NullOr(Schema.String)),
  reasoning_effort: Schema.optionalKey(Schema.NullOr(Schema.String)),
  event_id: Schema.String,
  occurred_at_ms: Schema.optionalKey(Wire.Int),
  agent_thread_id: Schema.String,
  agent_path: AgentPath,
  kind: SubAgentActivityKind
})

export const members = [
  CollabAgentSpawnBegin,
  CollabAgentSpawnEnd,
  CollabAgentInteractionBegin,
  CollabAgentInteractionEnd,
  CollabWaitingBegin,
  CollabWaitingEnd,
  CollabCloseBegin,
  CollabCloseEnd,
  CollabResumeBegin,
  CollabResumeEnd,
  SubAgentActivity
] as const
