/**
 * UserInput: what a user submitted in one turn, as stored in the `UserMessage` turn item
 * (`text`, `image`, `local_image`, `audio`, `local_audio`, `skill`, `mention`, tag `type`), plus the
 * TextElement spans shared with the `user_message` event. It is not the model-facing ContentItem
 * of a `response_item` message, which has its own tags (`input_text`, `input_image`, ...).
 */
import { Schema } from "effect"
import * as ContentItem from "../ContentItem.js"
import * as Wire from "../Wire.js"

/** Byte offsets into the UTF-8 bytes of the message text: `start` inclusive, `end` exclusive. */
export const ByteRange = Wire.struct({ start: Wire.Int, end: Wire.Int })
export type ByteRange = typeof ByteRange.Type

/** A UI span inside the text; `placeholder` is always written (null when absent). */
export const TextElement = Wire.struct({ byte_range: ByteRange, placeholder: Schema.NullOr(Schema.String) })
export type TextElement = typeof TextElement.Type

/** One ImageDetail for the whole protocol (closed: Codex rejects other values, so the validator reports them). */
export const ImageDetail = ContentItem.ImageDetail

export const Text = Wire.tagged("text", {
  text: Schema.String,
  text_elements: Schema.optionalKey(Schema.Array(TextElement))
})
export const Image = Wire.tagged("image", { image_url: Schema.String, detail: Schema.optionalKey(ImageDetail) })
export const LocalImage = Wire.tagged("local_image", { path: Schema.String, detail: Schema.optionalKey(ImageDetail) })
export const Audio = Wire.tagged("audio", { audio_url: Schema.String })
export const LocalAudio = Wire.tagged("local_audio", { path: Schema.String })
export const Skill = Wire.tagged("skill", { name: Schema.String, path: Schema.String })
export const Mention = Wire.tagged("mention", { name: Schema.String, path: Schema.String })

export const UserInput = Schema.Union([Text, Image, LocalImage, Audio, LocalAudio, Skill, Mention])
export type UserInput = typeof UserInput.Type
