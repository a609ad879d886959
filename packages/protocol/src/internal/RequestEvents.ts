/**
 * Prompt and approval events of the EventMsg family: a turn asking the user (or the guardian) to
 * approve a command, a patch or extra permissions, to answer questions, or to complete an MCP
 * elicitation. Only `guardian_assessment` was ever persisted (G2 Extended mode); the rest are live
 * UI traffic a reader merely tolerates. The spec names only some fields of these events: the named
 * ones are typed, the others round-trip as unknown fields after them.
 */
import { Schema } from "effect"
import { FileChanges, ParsedCommand } from "../ToolEvents.js"
import * as Wire from "../Wire.js"

/** Never persisted, so reading is lenient: an optional field may be omitted or written as null. */
const lenient = <S extends Schema.Top>(s: S) => Schema.optionalKey(Schema.NullOr(s))

export const ExecApprovalRequest = Wire.tagged("exec_approval_request", {
  call_id: Schema.String,
  turn_id: lenient(Schema.String),
  command: Schema.Array(Schema.String),
  cwd: Schema.String,
  reason: lenient(Schema.String),
  parsed_cmd: Schema.Array(ParsedCommand)
})

export const RequestPermissions = Wire.tagged("request_permissions", {
  call_id: Schema.String,
  turn_id: lenient(Schema.String),
  permissions: Wire.Json
})

export const RequestUserInput = Wire.tagged("request_user_input", {
  call_id: Schema.String,
  turn_id: lenient(Schema.String),
  questions: Wire.Json,
  is_blocking: Schema.optionalKey(Schema.Boolean),
  auto_resolution_ms: lenient(Wire.Int)
})

/** `id` is an MCP request id (string or integer); `request` an opaque elicitation request. */
export const ElicitationRequest = Wire.tagged("elicitation_request", {
  turn_id: lenient(Schema.String),
  server_name: Schema.String,
  id: Wire.Json,
  request: Wire.Json
})

/** G3 only; shape not captured. */
export const ElicitationAbandoned = Wire.tagged("elicitation_abandoned", {})

export const ApplyPatchApprovalRequest = Wire.tagged("apply_patch_approval_request", {
  call_id: Schema.String,
  turn_id: lenient(Schema.String),
  started_at_ms: Schema.optionalKey(Wire.Int),
  changes: FileChanges,
  reason: lenient(Schema.String),
  grant_root: lenient(Schema.String)
})

/**
 * The guardian's verdict on an action. Only the leading `id` and `target_item_id` have a known
 * position; `status`, `action` and the fields between them stay unknown fields so that their
 * order round-trips.
 */
export const GuardianAssessment = Wire.tagged("guardian_assessment", {
  id: Schema.String,
  target_item_id: lenient(Schema.String)
})

export const members = [
  ExecApprovalRequest,
  RequestPermissions,
  RequestUserInput,
  ElicitationRequest,
  ElicitationAbandoned,
  ApplyPatchApprovalRequest,
  GuardianAssessment
] as const
