/**
 * Compacted: the payload of a `compacted` line, a compaction checkpoint. With
 * `replacement_history` it replaces the model-visible history up to that point; without it (G1)
 * the `message` summary is injected as an assistant message. Fields are in G3 order; the history
 * entries are response items, unknown tags kept as written. Legacy values are not normalised (a
 * numeric `window_id` stays a number). This module does not replay the checkpoint.
 */
import { Schema } from "effect"
import { AnyResponseItem } from "./ResponseItem.js"
import { ResponseItemMetadata } from "./ResponseItemMetadata.js"
import { TokenUsageRecord } from "./TokenUsage.js"
import * as Wire from "./Wire.js"

/**
 * The payload of a `compacted` line.
 *
 * G3 always writes `compaction_response_id` and `latest_token_usage_record` (`null` when absent),
 * but G1, G2 and G2.9 lines lack them, so both are optional keys here: a value built for writing
 * must set them (to `null` if unknown). `replacement_history_metadata`, when present, has one
 * entry per `replacement_history` entry (Codex rejects the line otherwise).
 */
export const CompactedItem = Wire.struct({
  /** Summary text; may be empty for remote compaction. */
  message: Schema.String,
  replacement_history: Schema.optionalKey(Schema.Array(AnyResponseItem)),
  /** Per-entry response item metadata; entries without metadata are `{"client_authored":false}`. */
  replacement_history_metadata: Schema.optionalKey(Schema.Array(ResponseItemMetadata)),
  guardian_history: Schema.optionalKey(Wire.Json),
  retained_context: Schema.optionalKey(Wire.Json),
  mcp_resource_origins: Schema.optionalKey(Wire.Json),
  window_number: Schema.optionalKey(Wire.Int),
  first_window_id: Schema.optionalKey(Schema.String),
  previous_window_id: Schema.optionalKey(Schema.String),
  /** A string; older rollouts stored the window number here (Codex reads it as `window_number`). */
  window_id: Schema.optionalKey(Schema.Union([Schema.String, Wire.Int])),
  compaction_response_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  latest_token_usage_record: Schema.optionalKey(Schema.NullOr(TokenUsageRecord)),
  resume_metadata: Schema.optionalKey(Wire.Json)
}).check(
  Schema.makeFilter(
    (item) => item.replacement_history_metadata === undefined || item.replacement_history_metadata.length === (item.replacement_history?.length ?? 0),
    { expected: "replacement_history_metadata with one entry per replacement_history entry" }
  )
)
export type CompactedItem = typeof CompactedItem.Type
