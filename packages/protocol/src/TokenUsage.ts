/**
 * Token accounting shapes: TokenUsage (one response or a running total), TokenUsageInfo and
 * RateLimitSnapshot (the two halves of a `token_count` event), and TokenUsageRecord (the payload of
 * a G3 `token_usage_record` line). These are wire shapes only: summing usage without double
 * counting is a reducer's job, not this module's.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/**
 * Token counts, all integers. `cache_write_input_tokens` is newer: Codex always writes it (0 by
 * default) but older lines lack it, and it is kept absent rather than defaulted on read.
 */
export const TokenUsage = Wire.struct({
  input_tokens: Wire.Int,
  cached_input_tokens: Wire.Int,
  cache_write_input_tokens: Schema.optionalKey(Wire.Int),
  output_tokens: Wire.Int,
  reasoning_output_tokens: Wire.Int,
  total_tokens: Wire.Int
})
export type TokenUsage = typeof TokenUsage.Type

/** `token_count.info`: running total, last response, and the context window (null-able, always written). */
export const TokenUsageInfo = Wire.struct({
  total_token_usage: TokenUsage,
  last_token_usage: TokenUsage,
  /** Codex 0.169 (seen in real rollouts; absent from the spec). */
  last_usage_includes_reasoning: Schema.optionalKey(Schema.Boolean),
  model_context_window: Schema.NullOr(Wire.Int)
})
export type TokenUsageInfo = typeof TokenUsageInfo.Type

/**
 * One rate-limit window. `used_percent` is an f64 (written `19.0`). The other two are always
 * written by current Codex, but 2025 files carried `resets_in_seconds` instead of `resets_at`,
 * so both are optional here and the old field is kept as an unknown one.
 */
export const RateLimitWindow = Wire.struct({
  used_percent: Wire.Float,
  window_minutes: Schema.optionalKey(Schema.NullOr(Wire.Int)),
  resets_at: Schema.optionalKey(Schema.NullOr(Wire.Int))
})
export type RateLimitWindow = typeof RateLimitWindow.Type

export const CreditsSnapshot = Wire.struct({
  has_credits: Schema.Boolean,
  unlimited: Schema.Boolean,
  balance: Schema.NullOr(Schema.String)
})
export type CreditsSnapshot = typeof CreditsSnapshot.Type

export const IndividualLimit = Wire.struct({
  limit: Schema.String,
  used: Schema.String,
  remaining_percent: Wire.Int,
  resets_at: Wire.Int
})
export type IndividualLimit = typeof IndividualLimit.Type

/** Codex maps any plan it does not know to `unknown`, so reading stays open. */
export const PlanType = Wire.openLiterals([
  "free",
  "go",
  "plus",
  "pro",
  "prolite",
  "team",
  "self_serve_business_prolite",
  "self_serve_business_usage_based",
  "business",
  "ent26",
  "enterprise_cbp_automation",
  "enterprise_cbp_usage_based",
  "enterprise",
  "edu",
  "unknown"
])

export const RateLimitReachedType = Schema.Literals([
  "rate_limit_reached",
  "workspace_owner_credits_depleted",
  "workspace_member_credits_depleted",
  "workspace_owner_usage_limit_reached",
  "workspace_member_usage_limit_reached"
])

const nullable = <S extends Schema.Top>(s: S) => Schema.optionalKey(Schema.NullOr(s))

/**
 * `token_count.rate_limits`. Current Codex writes every field (null when absent; G3 adds the
 * omitted-when-absent `normal_model_slug`), but G2 snapshots were sparse, so every field is
 * optional here: a missing field stays missing and a written `null` stays `null`.
 */
export const RateLimitSnapshot = Wire.struct({
  limit_id: nullable(Schema.String),
  limit_name: nullable(Schema.String),
  normal_model_slug: Schema.optionalKey(Schema.String),
  primary: nullable(RateLimitWindow),
  secondary: nullable(RateLimitWindow),
  credits: nullable(CreditsSnapshot),
  individual_limit: nullable(IndividualLimit),
  spend_control_reached: nullable(Schema.Boolean),
  plan_type: nullable(PlanType),
  rate_limit_reached_type: nullable(RateLimitReachedType)
})
export type RateLimitSnapshot = typeof RateLimitSnapshot.Type

/** The payload of a G3 `token_usage_record` line: every field required, in this order. */
export const TokenUsageRecord = Wire.struct({
  thread_id: Schema.String,
  turn_id: Schema.String,
  session_id: Schema.String,
  root_turn_id: Schema.String,
  response_id: Schema.String,
  usage: TokenUsage,
  turn_token_usage: TokenUsage,
  thread_token_usage: TokenUsage
})
export type TokenUsageRecord = typeof TokenUsageRecord.Type

/** The cache-write count, with Codex's read default (0) applied for consumers. */
export const cacheWriteInputTokens = (usage: TokenUsage): number => usage.cache_write_input_tokens ?? 0
