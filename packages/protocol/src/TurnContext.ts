/**
 * TurnContext: the payload of a `turn_context` line (the durable per-turn settings baseline), with
 * AskForApproval, SandboxPolicy, ReasoningEffort and ReasoningSummary. Fields are in G3 order with
 * the fields G2 wrote (and G3 dropped) declared where G2 put them, so lines of either generation
 * re-encode byte for byte. Legacy values (`on-failure`) are kept as written, not mapped. Permission
 * sub-objects that change often are opaque. This module does not diff contexts between turns.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/** Fine-grained approval switches. `skill_approval` and `request_permissions` default to false. */
export const GranularApprovalConfig = Wire.struct({
  sandbox_approval: Schema.Boolean,
  rules: Schema.Boolean,
  skill_approval: Schema.optionalKey(Schema.Boolean),
  request_permissions: Schema.optionalKey(Schema.Boolean),
  mcp_elicitations: Schema.Boolean
})
export type GranularApprovalConfig = typeof GranularApprovalConfig.Type

/**
 * When the user is asked to approve a command. `on-failure` is legacy (Codex reads it as
 * `on-request` and never writes it); it is kept as written. Closed otherwise.
 */
export const AskForApproval = Schema.Union([
  Schema.Literals(["untrusted", "on-failure", "on-request", "never"]),
  Schema.Struct({ granular: GranularApprovalConfig })
])
export type AskForApproval = typeof AskForApproval.Type

export const DangerFullAccess = Wire.tagged("danger-full-access", {})

export const ReadOnly = Wire.tagged("read-only", {
  /** G2 only (a ReadOnlyAccess object). */
  access: Schema.optionalKey(Wire.Json),
  /** G3 writes it only when true. */
  network_access: Schema.optionalKey(Schema.Boolean)
})

export const ExternalSandbox = Wire.tagged("external-sandbox", {
  /** Defaults to `restricted` on read. */
  network_access: Schema.optionalKey(Schema.Literals(["restricted", "enabled"]))
})

/** The three booleans are always written and default to false when missing on read. */
export const WorkspaceWrite = Wire.tagged("workspace-write", {
  /** Omitted when empty. */
  writable_roots: Schema.optionalKey(Schema.Array(Schema.String)),
  /** G2 only (a ReadOnlyAccess object). */
  read_only_access: Schema.optionalKey(Wire.Json),
  network_access: Schema.optionalKey(Schema.Boolean),
  exclude_tmpdir_env_var: Schema.optionalKey(Schema.Boolean),
  exclude_slash_tmp: Schema.optionalKey(Schema.Boolean)
})

/** Execution restrictions for model shell commands (tag `type`, kebab-case). Closed. */
export const SandboxPolicy = Wire.family([DangerFullAccess, ReadOnly, ExternalSandbox, WorkspaceWrite])
export type SandboxPolicy = typeof SandboxPolicy.schema.Type

/**
 * Reasoning effort. Since G2.9 any non-empty string is a model-defined effort written back
 * verbatim, so this is an open string; only the empty string is rejected.
 */
export const ReasoningEffort = Schema.Union([Schema.Literals(["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"]), Schema.NonEmptyString])
export type ReasoningEffort = typeof ReasoningEffort.Type

/** Reasoning summary mode. G3 still writes the placeholder `none` for older readers. */
export const ReasoningSummary = Schema.Literals(["auto", "concise", "detailed", "none"])
export type ReasoningSummary = typeof ReasoningSummary.Type

export const CollaborationModeSettings = Wire.struct({
  model: Schema.String,
  reasoning_effort: Schema.optionalKey(Schema.NullOr(ReasoningEffort)),
  developer_instructions: Schema.optionalKey(Schema.NullOr(Schema.String))
})

export const CollaborationMode = Wire.struct({
  mode: Schema.String,
  settings: CollaborationModeSettings
})
export type CollaborationMode = typeof CollaborationMode.Type

export const ActivePermissionProfile = Wire.struct({
  id: Schema.String,
  extends: Schema.optionalKey(Wire.Json)
})

/** G2 `network`: domain allow and deny lists. */
export const TurnContextNetwork = Wire.struct({
  allowed_domains: Schema.Array(Schema.String),
  denied_domains: Schema.Array(Schema.String)
})

/** G2 `truncation_policy`. */
export const TruncationPolicy = Wire.struct({
  mode: Schema.Literals(["bytes", "tokens"]),
  limit: Wire.Int
})

/** The payload of a `turn_context` line. G2-only fields are marked; all are optional. */
export const TurnContextItem = Wire.struct({
  turn_id: Schema.optionalKey(Schema.String),
  root_turn_id: Schema.optionalKey(Schema.String),
  /** G2. */
  trace_id: Schema.optionalKey(Schema.String),
  disabled_plugin_ids: Schema.optionalKey(Schema.Array(Schema.String)),
  cwd: Schema.String,
  /** G2. */
  current_date: Schema.optionalKey(Schema.String),
  /** G2. */
  timezone: Schema.optionalKey(Schema.String),
  approval_policy: AskForApproval,
  approvals_reviewer: Schema.optionalKey(Schema.String),
  permission_profile: Schema.optionalKey(Wire.Json),
  active_permission_profile: Schema.optionalKey(ActivePermissionProfile),
  /** G2. */
  network: Schema.optionalKey(TurnContextNetwork),
  file_system_sandbox_policy: Schema.optionalKey(Wire.Json),
  model: Schema.String,
  comp_hash: Schema.optionalKey(Schema.String),
  /** G2. */
  personality: Schema.optionalKey(Schema.String),
  collaboration_mode: Schema.optionalKey(CollaborationMode),
  multi_agent_version: Schema.optionalKey(Schema.String),
  realtime_active: Schema.optionalKey(Schema.Boolean),
  cyber_access_program: Schema.optionalKey(Wire.Json),
  effort: Schema.optionalKey(ReasoningEffort),
  /** Required in G1/G2; optional in G3, which still writes `none`. */
  summary: Schema.optionalKey(ReasoningSummary),
  // Codex 0.169 writes sandbox_policy last (real rollouts), not after approval_policy as G1/G2 did:
  // older lines keep their raw bytes; lines we write follow the current order.
  sandbox_policy: SandboxPolicy.schema,
  /** G2. */
  user_instructions: Schema.optionalKey(Schema.String),
  /** G2. */
  developer_instructions: Schema.optionalKey(Schema.String),
  /** G2; opaque JSON Schema. */
  final_output_json_schema: Schema.optionalKey(Wire.Json),
  /** G2. */
  truncation_policy: Schema.optionalKey(TruncationPolicy)
})
export type TurnContextItem = typeof TurnContextItem.Type
