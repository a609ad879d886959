/**
 * Conversation-text events of the EventMsg family: the UI copies of user and assistant messages
 * (`user_message`, `agent_message`), reasoning text, plan updates, the streaming deltas (current and
 * legacy), and the raw API items. Legacy-mode rollouts persist the message and reasoning events;
 * deltas and raw items are transient. The model-facing copies are `response_item` lines, not these.
 */
import { Schema } from "effect"
import { TokenUsage } from "./TokenUsage.js"
import { MemoryCitation, MessagePhase } from "./TurnItem.js"
import { ImageDetail, TextElement } from "./internal/UserInput.js"
import * as Wire from "./Wire.js"

/**
 * The user's input as typed. `local_images`, `local_audio` and `text_elements` are always written
 * by current Codex but absent from older files (kept absent). `images` was null-able in some G2
 * builds; `kind` is a 2025 (G1) field. The parallel detail arrays hold `ImageDetail | null`.
 */
export const UserMessage = Wire.tagged("user_message", {
  client_id: Schema.optionalKey(Schema.String),
  message: Schema.String,
  kind: Schema.optionalKey(Schema.String),
  images: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String))),
  image_details: Schema.optionalKey(Schema.Array(Schema.NullOr(ImageDetail))),
  file_ids: Schema.optionalKey(Schema.Array(Wire.Json)),
  file_id_details: Schema.optionalKey(Schema.Array(Wire.Json)),
  image_order: Schema.optionalKey(Schema.Array(Wire.openLiterals(["inline", "file"]))),
  local_images: Schema.optionalKey(Schema.Array(Schema.String)),
  local_image_details: Schema.optionalKey(Schema.Array(Schema.NullOr(ImageDetail))),
  audio: Schema.optionalKey(Schema.Array(Schema.String)),
  local_audio: Schema.optionalKey(Schema.Array(Schema.String)),
  text_elements: Schema.optionalKey(Schema.Array(TextElement))
})

/**
 * `phase` and `memory_citation` are always written (null when absent) since G2.9; G2 lines lack
 * `memory_citation` and may lack `phase`, so both are optional here.
 */
export const AgentMessage = Wire.tagged("agent_message", {
  message: Schema.String,
  phase: Schema.optionalKey(Schema.NullOr(MessagePhase)),
  memory_citation: Schema.optionalKey(Schema.NullOr(MemoryCitation)),
  delivery: Schema.optionalKey(Schema.String),
  questions: Schema.optionalKey(Wire.Json)
})

export const AgentReasoning = Wire.tagged("agent_reasoning", { text: Schema.String })
export const AgentReasoningRawContent = Wire.tagged("agent_reasoning_raw_content", { text: Schema.String })

/** Codex defaults `item_id` to `""` and `summary_index` to 0 when missing; not applied here. */
export const AgentReasoningSectionBreak = Wire.tagged("agent_reasoning_section_break", {
  item_id: Schema.optionalKey(Schema.String),
  summary_index: Schema.optionalKey(Wire.Int)
})

const deltaFields = {
  thread_id: Schema.String,
  turn_id: Schema.String,
  item_id: Schema.String,
  delta: Schema.String
}
export const AgentMessageContentDelta = Wire.tagged("agent_message_content_delta", deltaFields)
export const PlanDelta = Wire.tagged("plan_delta", deltaFields)
export const ReasoningContentDelta = Wire.tagged("reasoning_content_delta", {
  ...deltaFields,
  summary_index: Schema.optionalKey(Wire.Int)
})
export const ReasoningRawContentDelta = Wire.tagged("reasoning_raw_content_delta", {
  ...deltaFields,
  content_index: Schema.optionalKey(Wire.Int)
})

// Legacy deltas (G2 and older), never persisted.
export const AgentMessageDelta = Wire.tagged("agent_message_delta", { delta: Schema.String })
export const AgentReasoningDelta = Wire.tagged("agent_reasoning_delta", { delta: Schema.String })
export const AgentReasoningRawContentDelta = Wire.tagged("agent_reasoning_raw_content_delta", { delta: Schema.String })

export const StepStatus = Schema.Literals(["pending", "in_progress", "completed"])

/** The `update_plan` checklist tool (not plan mode). `explanation` is null-able. */
export const PlanUpdate = Wire.tagged("plan_update", {
  explanation: Schema.optionalKey(Schema.NullOr(Schema.String)),
  plan: Schema.Array(Wire.struct({ step: Schema.String, status: StepStatus }))
})

/** `item` is a ResponseItem (ResponseItem.ts), kept opaque here. */
export const RawResponseItem = Wire.tagged("raw_response_item", { item: Wire.Json })

export const RawResponseCompleted = Wire.tagged("raw_response_completed", {
  response_id: Schema.String,
  token_usage: Schema.optionalKey(Schema.NullOr(TokenUsage))
})

export const members = [
  UserMessage,
  AgentMessage,
  AgentReasoning,
  AgentReasoningRawContent,
  AgentReasoningSectionBreak,
  AgentMessageContentDelta,
  PlanDelta,
  ReasoningContentDelta,
  ReasoningRawContentDelta,
  AgentMessageDelta,
  AgentReasoningDelta,
  AgentReasoningRawContentDelta,
  PlanUpdate,
  RawResponseItem,
  RawResponseCompleted
] as const
