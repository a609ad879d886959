/**
 * ResponseItemMetadata: the harness-owned `metadata` object a G3 `response_item` line carries after
 * its `payload`, and each entry of `compacted.replacement_history_metadata` (one per replacement
 * history item). It records where an item sits in the model's history (`history_sequence`,
 * `sampled_through_sequence`), where it came from (`retained_source`, `client_authored`,
 * `user_input_order`, `mcp_attribution`) and, from 0.171, `model_search_state`. Fields are in the
 * order Codex writes them; every field is optional on read. It is not the payload's
 * `internal_chat_message_metadata_passthrough`, and this module does not interpret the values.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/** The retained message an item was rebuilt from. */
export const RetainedSource = Wire.struct({
  id: Wire.struct({ message_id: Schema.String, turn_id: Schema.String, role: Schema.String }),
  revision: Schema.String,
  complete: Schema.Boolean
})
export type RetainedSource = typeof RetainedSource.Type

/** One MCP tool whose output an item carries. */
export const McpAttributionSource = Wire.struct({
  server_name: Schema.String,
  tool_name: Schema.String,
  first_turn_id: Schema.optionalKey(Schema.NullOr(Schema.String))
})

/**
 * Which MCP tools an item is attributed to: `{"status":"none"}`, or `complete` with its `sources`
 * (seen with Codex 0.171 after an MCP call). Codex reads a malformed value as an attribution error
 * instead of rejecting the line, so any other JSON is kept.
 */
export const McpAttribution = Schema.Union([
  Wire.struct({ status: Wire.openLiterals(["none", "complete"]), sources: Schema.optionalKey(Schema.Array(McpAttributionSource)) }),
  Wire.Json
])

/** A Rust `Option`: omitted when none, and `null` reads as none too. Booleans omitted when false are not. */
const opt = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

export const ResponseItemMetadata = Wire.struct({
  history_sequence: opt(Wire.Int),
  sampled_through_sequence: opt(Wire.Int),
  guardian_sources: Schema.optionalKey(Schema.Array(Wire.Json)),
  guardian_review_ids: Schema.optionalKey(Schema.Array(Schema.String)),
  guardian_source_order_guidance: Schema.optionalKey(Schema.Boolean),
  guardian_retained_omissions: opt(Wire.Json),
  retained_source: opt(RetainedSource),
  /** Always written by Codex (default false); optional here so older entries still read. */
  client_authored: Schema.optionalKey(Schema.Boolean),
  fallback_token_limit_override: opt(Wire.Int),
  /** `codex:code-mode-delivery:v1:complete`, or `...:incomplete:` and the original text. */
  delivered_assistant_message: opt(Schema.String),
  harness_authored_configuration: Schema.optionalKey(Schema.Boolean),
  compaction_model_hash: opt(Schema.String),
  user_input_order: opt(Wire.Int),
  compaction_output: Schema.optionalKey(Schema.Boolean),
  inherited_user_message: Schema.optionalKey(Schema.Boolean),
  mcp_attribution: opt(McpAttribution),
  sender_user_messages: opt(Wire.Json),
  /** 0.171; only `unused` seen so far, other values kept. */
  model_search_state: opt(Wire.openLiterals(["unused"]))
})
export type ResponseItemMetadata = typeof ResponseItemMetadata.Type
