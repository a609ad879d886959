/**
 * Message content: the `ContentItem` family (`input_text`, `input_image`, `input_audio`,
 * `output_text`) that fills a `message` response item, the `ImageDetail` enum, and the
 * `FunctionCallOutputPayload` written as the `output` of tool-call outputs (a string, or an array
 * of output content items). Values are kept exactly as written: legacy image details `auto`/`low`
 * stay as they are. It is not the Responses API request model and does not interpret wrappers such
 * as `<environment_context>` inside text (see `HookPrompt` for `<hook_prompt>`).
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/**
 * How an image is sized for the model. All four values round-trip verbatim (`auto` and `low` are
 * legacy but first-class again since 2026-05-26). Closed: Codex rejects any other string.
 */
export const ImageDetail = Schema.Literals(["auto", "low", "high", "original"])
export type ImageDetail = typeof ImageDetail.Type

/** User or developer text. */
export const InputText = Wire.tagged("input_text", { text: Schema.String })
export type InputText = typeof InputText.Type

/**
 * An image given by `image_url` (data: or http URL) or, since G3, by `file_id`. Codex flattens an
 * untagged image reference, so exactly one of the two keys is normally present; both are declared
 * (in that order) and at least one is required.
 */
export const InputImage = Wire.tagged("input_image", {
  image_url: Schema.optionalKey(Schema.String),
  file_id: Schema.optionalKey(Schema.String),
  detail: Schema.optionalKey(ImageDetail)
}).check(
  Schema.makeFilter((item) => item.image_url !== undefined || item.file_id !== undefined, {
    expected: "an input_image with image_url or file_id"
  })
)
export type InputImage = typeof InputImage.Type

/** Audio input (G2.9+). */
export const InputAudio = Wire.tagged("input_audio", { audio_url: Schema.String })
export type InputAudio = typeof InputAudio.Type

/**
 * Assistant text. G3 keeps `annotations` and `logprobs` when present, empty arrays included;
 * their elements are opaque.
 */
export const OutputText = Wire.tagged("output_text", {
  text: Schema.String,
  annotations: Schema.optionalKey(Schema.Array(Wire.Json)),
  logprobs: Schema.optionalKey(Schema.Array(Wire.Json))
})
export type OutputText = typeof OutputText.Type

/** Encrypted content, found in `agent_message` content and tool outputs (not in `message`). */
export const EncryptedContent = Wire.tagged("encrypted_content", { encrypted_content: Schema.String })
export type EncryptedContent = typeof EncryptedContent.Type

/** The content of a `message` response item. Closed: Codex rejects an unknown content type. */
export const ContentItem = Wire.family([InputText, InputImage, InputAudio, OutputText])
export type ContentItem = typeof ContentItem.schema.Type

/** One element of the array form of a tool output. Closed, like {@link ContentItem}. */
export const FunctionCallOutputContentItem = Wire.family([InputText, InputImage, InputAudio, EncryptedContent])
export type FunctionCallOutputContentItem = typeof FunctionCallOutputContentItem.schema.Type

/**
 * The 2025 object form `{"content": "...", "success": true}`. Current Codex no longer reads it;
 * we accept it leniently so such lines stay typed, and write it back as it was.
 */
export const LegacyFunctionCallOutput = Wire.struct({
  content: Schema.String,
  success: Schema.optionalKey(Schema.NullOr(Schema.Boolean))
})
export type LegacyFunctionCallOutput = typeof LegacyFunctionCallOutput.Type

/**
 * The `output` of `function_call_output` and `custom_tool_call_output`: untagged, a plain string
 * or an array of output content items (Codex tries them in that order). The in-memory `success`
 * flag of Codex is never written, so it does not appear here.
 */
export const FunctionCallOutputPayload = Schema.Union([Schema.String, Schema.Array(FunctionCallOutputContentItem.schema), LegacyFunctionCallOutput])
export type FunctionCallOutputPayload = typeof FunctionCallOutputPayload.Type
