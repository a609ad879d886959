/**
 * Transient session-level events of the EventMsg family: warnings, realtime (voice) conversation
 * traffic, model reroutes and safety signals, `session_configured`, remote environments, MCP server
 * start-up, hooks, deprecation notices and shutdown. No Codex version persists them, so a reader
 * only has to tolerate them: fields the spec names are typed, the rest round-trip as unknown
 * fields, and optional fields accept both omission and `null`.
 */
import { Schema } from "effect"
import * as Wire from "../Wire.js"

const lenient = <S extends Schema.Top>(s: S) => Schema.optionalKey(Schema.NullOr(s))

export const Warning = Wire.tagged("warning", { message: Schema.String })
export const GuardianWarning = Wire.tagged("guardian_warning", { message: Schema.String })
export const AuthRecoveryStarted = Wire.tagged("auth_recovery_started", {})
export const AuthRecoveryCompleted = Wire.tagged("auth_recovery_completed", {})

/** G2 wrote `session_id` instead of `realtime_session_id` (kept as an unknown field). */
export const RealtimeConversationStarted = Wire.tagged("realtime_conversation_started", {
  realtime_session_id: lenient(Schema.String),
  version: Schema.optionalKey(Wire.openLiterals(["v1", "v2", "v3"]))
})
export const RealtimeConversationRealtime = Wire.tagged("realtime_conversation_realtime", { payload: Wire.Json })
export const RealtimeConversationClosed = Wire.tagged("realtime_conversation_closed", { reason: lenient(Schema.String) })
export const RealtimeConversationSdp = Wire.tagged("realtime_conversation_sdp", { sdp: Schema.String })
export const RealtimeConversationListVoicesResponse = Wire.tagged("realtime_conversation_list_voices_response", {
  voices: Wire.Json
})

export const ModelReroute = Wire.tagged("model_reroute", {
  from_model: Schema.String,
  to_model: Schema.String,
  reason: Schema.String
})
export const ModelVerification = Wire.tagged("model_verification", { verifications: Wire.Json })
export const TurnModerationMetadata = Wire.tagged("turn_moderation_metadata", { metadata: Wire.Json })
export const SafetyBuffering = Wire.tagged("safety_buffering", {
  model: Schema.String,
  use_cases: Wire.Json,
  reasons: Wire.Json,
  show_buffering_ui: Schema.Boolean,
  faster_model: lenient(Schema.String)
})

/**
 * Session start info. Fields are the G2.9 ones, with G2's `sandbox_policy`, `history_log_id` and
 * `history_entry_count` declared where G2 put them (inferred from the Rust source order), and
 * G2.9-only fields optional so that both generations decode and round-trip.
 */
export const SessionConfigured = Wire.tagged("session_configured", {
  session_id: Schema.String,
  thread_id: Schema.optionalKey(Schema.String),
  forked_from_id: lenient(Schema.String),
  parent_thread_id: lenient(Schema.String),
  thread_source: lenient(Schema.String),
  thread_name: lenient(Schema.String),
  model: Schema.String,
  model_provider_id: Schema.String,
  service_tier: lenient(Schema.String),
  approval_policy: Wire.Json,
  approvals_reviewer: Schema.optionalKey(Wire.Json),
  sandbox_policy: Schema.optionalKey(Wire.Json),
  permission_profile: Schema.optionalKey(Wire.Json),
  active_permission_profile: Schema.optionalKey(Wire.Json),
  cwd: Schema.String,
  reasoning_effort: lenient(Schema.String),
  history_log_id: Schema.optionalKey(Wire.Int),
  history_entry_count: Schema.optionalKey(Wire.Int),
  initial_messages: lenient(Schema.Array(Wire.Json)),
  network_proxy: lenient(Wire.Json),
  rollout_path: lenient(Schema.String)
})

export const EnvironmentConnected = Wire.tagged("environment_connected", { environment_id: Schema.String })
export const EnvironmentDisconnected = Wire.tagged("environment_disconnected", { environment_id: Schema.String })

/** `status` is `{"state":"starting"|"ready"|"cancelled"}` or `{"state":"failed","error"}`. */
export const McpStartupUpdate = Wire.tagged("mcp_startup_update", { server: Schema.String, status: Wire.Json })
export const McpStartupComplete = Wire.tagged("mcp_startup_complete", {
  ready: Schema.Array(Schema.String),
  failed: Schema.Array(Wire.Json),
  cancelled: Schema.Array(Schema.String)
})

export const DeprecationNotice = Wire.tagged("deprecation_notice", {
  summary: Schema.String,
  details: lenient(Schema.String)
})
export const ShutdownComplete = Wire.tagged("shutdown_complete", {})

/** `run` is a HookRunSummary, kept opaque. */
const hookFields = { turn_id: lenient(Schema.String), run: Wire.Json }
export const HookStarted = Wire.tagged("hook_started", hookFields)
export const HookCompleted = Wire.tagged("hook_completed", hookFields)

export const members = [
  Warning,
  GuardianWarning,
  AuthRecoveryStarted,
  AuthRecoveryCompleted,
  RealtimeConversationStarted,
  RealtimeConversationRealtime,
  RealtimeConversationClosed,
  RealtimeConversationSdp,
  RealtimeConversationListVoicesResponse,
  ModelReroute,
  ModelVerification,
  TurnModerationMetadata,
  SafetyBuffering,
  SessionConfigured,
  EnvironmentConnected,
  EnvironmentDisconnected,
  McpStartupUpdate,
  McpStartupComplete,
  DeprecationNotice,
  ShutdownComplete,
  HookStarted,
  HookCompleted
] as const
