/**
 * Turn and thread lifecycle events of the EventMsg family: turn start / end / abort (with their read
 * aliases `turn_started` / `turn_complete` as variants of their own), `token_count`, the
 * `item_started` / `item_completed` carriers of TurnItems, `error` / `stream_error`, and the
 * `thread_*` events. These are the events every history mode persists. Shapes only: deciding what a
 * turn's outcome is belongs to the reducers.
 */
import { Schema } from "effect"
import { ErrorEvent, ErrorEventFields, CodexErrorInfo } from "./CodexErrorInfo.js"
import { RateLimitSnapshot, TokenUsageInfo } from "./TokenUsage.js"
import { TurnItem } from "./TurnItem.js"
import * as Wire from "./Wire.js"

/**
 * `collaboration_mode_kind` as read: `default` / `plan`, plus read aliases Codex maps to
 * `default` (kept as written; see {@link modeKind}).
 */
export const CollaborationModeKind = Schema.Literals(["default", "plan", "code", "pair_programming", "execute", "custom"])
export type CollaborationModeKind = typeof CollaborationModeKind.Type

/** The canonical mode kind: every read alias means `default`; a missing value too. */
export const modeKind = (kind: CollaborationModeKind | undefined): "default" | "plan" => (kind === "plan" ? "plan" : "default")

const taskStartedFields = {
  turn_attribution: Schema.optionalKey(Wire.Json),
  turn_id: Schema.String,
  root_turn_id: Schema.optionalKey(Schema.String),
  trace_id: Schema.optionalKey(Schema.String),
  started_at: Schema.optionalKey(Wire.Int),
  model_context_window: Schema.NullOr(Wire.Int),
  // Always written by Codex; older files lack it (read default `default`, not applied here).
  collaboration_mode_kind: Schema.optionalKey(CollaborationModeKind)
}
export const TaskStarted = Wire.tagged("task_started", taskStartedFields)
/** Read alias of `task_started`; Codex always writes `task_started`. */
export const TurnStarted = Wire.tagged("turn_started", taskStartedFields)

const taskCompleteFields = {
  root_turn_id: Schema.optionalKey(Schema.String),
  turn_id: Schema.String,
  last_agent_message: Schema.NullOr(Schema.String),
  error: Schema.optionalKey(ErrorEvent),
  started_at: Schema.optionalKey(Wire.Int),
  completed_at: Schema.optionalKey(Wire.Int),
  duration_ms: Schema.optionalKey(Wire.Int),
  time_to_first_token_ms: Schema.optionalKey(Wire.Int)
}
export const TaskComplete = Wire.tagged("task_complete", taskCompleteFields)
/** Read alias of `task_complete`; Codex always writes `task_complete`. */
export const TurnComplete = Wire.tagged("turn_complete", taskCompleteFields)

/** `budget_limited` is the thread-goal budget, not the session budget (that is an error). */
export const TurnAbortReason = Schema.Literals(["interrupted", "replaced", "review_ended", "budget_limited"])

/** `turn_id` is always written (null-able) by Codex but missing from old files. */
export const TurnAborted = Wire.tagged("turn_aborted", {
  root_turn_id: Schema.optionalKey(Schema.String),
  turn_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  reason: TurnAbortReason,
  error: Schema.optionalKey(ErrorEvent),
  started_at: Schema.optionalKey(Wire.Int),
  completed_at: Schema.optionalKey(Wire.Int),
  duration_ms: Schema.optionalKey(Wire.Int)
})

/**
 * Both halves are always written (null when absent). The 2025 form carried the usage fields flat
 * in the event instead; those lines keep them as unknown fields and lack `info` / `rate_limits`.
 */
export const TokenCount = Wire.tagged("token_count", {
  info: Schema.optionalKey(Schema.NullOr(TokenUsageInfo)),
  rate_limits: Schema.optionalKey(Schema.NullOr(RateLimitSnapshot))
})

/** The `error` event: an ErrorEvent with its tag. Named `ErrorMsg` so it does not shadow `Error`. */
export const ErrorMsg = Wire.tagged("error", ErrorEventFields)

export const StreamError = Wire.tagged("stream_error", {
  message: Schema.String,
  codex_error_info: Schema.optionalKey(Schema.NullOr(CodexErrorInfo)),
  additional_details: Schema.optionalKey(Schema.NullOr(Schema.String))
})

export const ContextCompacted = Wire.tagged("context_compacted", {})

export const ThreadRolledBack = Wire.tagged("thread_rolled_back", { num_turns: Wire.Int })

/** Permission and collaboration settings are opaque objects here (TurnContext.ts owns them). */
export const ThreadSettings = Wire.struct({
  model: Schema.String,
  model_provider_id: Schema.String,
  service_tier: Schema.optionalKey(Schema.String),
  approval_policy: Wire.Json,
  approvals_reviewer: Wire.Json,
  /** Codex 0.169 (seen in real rollouts; absent from the spec). */
  requested_approvals_reviewer: Schema.optionalKey(Wire.Json),
  permission_profile: Wire.Json,
  active_permission_profile: Schema.optionalKey(Wire.Json),
  cwd: Schema.String,
  runtime_workspace_roots: Schema.optionalKey(Schema.Array(Schema.String)),
  reasoning_effort: Schema.optionalKey(Schema.String),
  reasoning_summary: Schema.optionalKey(Schema.String),
  personality: Schema.optionalKey(Schema.String),
  collaboration_mode: Wire.Json,
  // G3 writes it always; G2.9 has no such field.
  disabled_plugin_ids: Schema.optionalKey(Schema.Array(Schema.String))
})

export const ThreadSettingsApplied = Wire.tagged("thread_settings_applied", {
  thread_id: Schema.optionalKey(Schema.String),
  thread_settings: ThreadSettings
})

export const ThreadGoalStatus = Schema.Literals(["active", "paused", "blocked", "usageLimited", "budgetLimited", "complete"])

/** 🐪 A thread goal, camelCase throughout. */
export const ThreadGoal = Wire.struct({
  threadId: Schema.String,
  objective: Schema.String,
  status: ThreadGoalStatus,
  tokenBudget: Schema.optionalKey(Wire.Int),
  tokensUsed: Wire.Int,
  timeUsedSeconds: Wire.Int,
  createdAt: Wire.Int,
  updatedAt: Wire.Int
})

/** 🐪 camelCase island. */
export const ThreadGoalUpdated = Wire.tagged("thread_goal_updated", {
  threadId: Schema.String,
  turnId: Schema.optionalKey(Schema.String),
  goal: ThreadGoal
})

/** 🐪 camelCase island; transient. */
export const ThreadQueueChanged = Wire.tagged("thread_queue_changed", { threadId: Schema.String })

/** Legacy (G2 Limited mode persisted it); unknown to G2.9+ Codex. */
export const ThreadNameUpdated = Wire.tagged("thread_name_updated", {
  thread_id: Schema.String,
  thread_name: Schema.optionalKey(Schema.String)
})

/** Transient; `started_at_ms` is absent from G2 lines. */
export const ItemStarted = Wire.tagged("item_started", {
  thread_id: Schema.String,
  turn_id: Schema.String,
  item: TurnItem,
  started_at_ms: Schema.optionalKey(Wire.Int)
})

/** `completed_at_ms` reads as 0 in Codex when missing; kept absent here. */
export const ItemCompleted = Wire.tagged("item_completed", {
  thread_id: Schema.String,
  turn_id: Schema.String,
  item: TurnItem,
  started_at_ms: Schema.optionalKey(Wire.Int),
  completed_at_ms: Schema.optionalKey(Wire.Int)
})

export const members = [
  ErrorMsg,
  StreamError,
  TaskStarted,
  TurnStarted,
  TaskComplete,
  TurnComplete,
  TurnAborted,
  TokenCount,
  ContextCompacted,
  ThreadRolledBack,
  ThreadSettingsApplied,
  ThreadGoalUpdated,
  ThreadQueueChanged,
  ThreadNameUpdated,
  ItemStarted,
  ItemCompleted
] as const
