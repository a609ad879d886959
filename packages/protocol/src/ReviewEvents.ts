/**
 * The `/review` events of the EventMsg family: `entered_review_mode` with its 🐪 ReviewTarget and
 * `exited_review_mode` with the structured ReviewOutput (whose scores are f64, written `0.8` or
 * `1.0`). Legacy-mode rollouts persist both. This is not the review sub-agent's own thread, which is
 * an ordinary rollout.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/** 🐪 tags: `uncommittedChanges`, `baseBranch`, `commit`, `custom`. */
export const ReviewTarget = Schema.Union([
  Wire.tagged("uncommittedChanges", {}),
  Wire.tagged("baseBranch", { branch: Schema.String }),
  Wire.tagged("commit", { sha: Schema.String, title: Schema.optionalKey(Schema.NullOr(Schema.String)) }),
  Wire.tagged("custom", { instructions: Schema.String })
])
export type ReviewTarget = typeof ReviewTarget.Type

export const ReviewFinding = Wire.struct({
  title: Schema.String,
  body: Schema.String,
  confidence_score: Wire.Float,
  priority: Wire.Int,
  code_location: Wire.struct({
    absolute_file_path: Schema.String,
    line_range: Wire.struct({ start: Wire.Int, end: Wire.Int })
  })
})
export type ReviewFinding = typeof ReviewFinding.Type

export const ReviewOutput = Wire.struct({
  findings: Schema.Array(ReviewFinding),
  overall_correctness: Schema.String,
  overall_explanation: Schema.String,
  overall_confidence_score: Wire.Float
})
export type ReviewOutput = typeof ReviewOutput.Type

export const EnteredReviewMode = Wire.tagged("entered_review_mode", {
  target: ReviewTarget,
  user_facing_hint: Schema.optionalKey(Schema.String),
  turn_id: Schema.optionalKey(Schema.String),
  item_id: Schema.optionalKey(Schema.String)
})

/** `review_output` is always written (null when the review produced none). */
export const ExitedReviewMode = Wire.tagged("exited_review_mode", {
  turn_id: Schema.optionalKey(Schema.String),
  item_id: Schema.optionalKey(Schema.String),
  review_output: Schema.NullOr(ReviewOutput)
})

export const members = [EnteredReviewMode, ExitedReviewMode] as const
