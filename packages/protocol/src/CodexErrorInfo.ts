/**
 * CodexErrorInfo: the machine-readable error class carried by `error` and `stream_error` events and
 * by the `error` (an {@link ErrorEvent}) of `task_complete` / `turn_aborted`. On the wire it is a
 * snake_case, externally tagged enum: unit variants are plain strings, data variants single-key
 * objects. This is the rollout spelling only; the app-server v2 API uses camelCase for the same
 * enum and is not modelled here.
 *
 * Reading is open, like G3 Codex (which maps anything unknown to `other`): unknown strings and
 * unknown objects are kept verbatim, and so is the legacy `rollout_budget_exceeded`, which no
 * Codex reads any more. Consumers call {@link normalize} instead of the decoder rewriting values.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/** Unit variants of the newest generation (G3), in Codex's declaration order. */
export const UnitVariants = [
  "context_window_exceeded",
  "session_budget_exceeded",
  "usage_limit_exceeded",
  "rate_limit_exceeded",
  "flex_unavailable",
  "bio_policy",
  "misalignment_policy_violation",
  "too_many_denials",
  "invalid_prompt",
  "server_overloaded",
  "cyber_policy",
  "internal_server_error",
  "unauthorized",
  "bad_request",
  "sandbox_error",
  "thread_rollback_failed",
  "other"
] as const

/** The budget variant's first name (PR #29715), renamed within two hours; kept as written. */
export const LegacySessionBudgetExceeded = "rollout_budget_exceeded"

/** A known unit variant (or the legacy budget name). */
export const Unit = Schema.Literals([...UnitVariants, LegacySessionBudgetExceeded])
export type Unit = typeof Unit.Type

/** `{"http_status_code": 502}`; Codex always writes the code (null when unknown), older readers tolerate it missing. */
export const HttpStatus = Wire.struct({ http_status_code: Schema.optionalKey(Schema.NullOr(Wire.Int)) })
export type HttpStatus = typeof HttpStatus.Type

export const HttpConnectionFailed = Wire.struct({ http_connection_failed: HttpStatus })
export const ResponseStreamConnectionFailed = Wire.struct({ response_stream_connection_failed: HttpStatus })
export const ResponseStreamDisconnected = Wire.struct({ response_stream_disconnected: HttpStatus })
export const ResponseTooManyFailedAttempts = Wire.struct({ response_too_many_failed_attempts: HttpStatus })
export const ActiveTurnNotSteerable = Wire.struct({
  active_turn_not_steerable: Wire.struct({ turn_kind: Wire.openLiterals(["review", "compact"]) })
})

/** Every value as read: known units, known data variants, then any other string or object. */
export const CodexErrorInfo = Schema.Union([
  Unit,
  HttpConnectionFailed,
  ResponseStreamConnectionFailed,
  ResponseStreamDisconnected,
  ResponseTooManyFailedAttempts,
  ActiveTurnNotSteerable,
  Schema.String,
  Wire.Rest
])
export type CodexErrorInfo = typeof CodexErrorInfo.Type

/**
 * The fields of an ErrorEvent, in order. `codex_error_info` is always written by Codex (null when
 * absent) but error events from before the enum existed have no such key, so it is optional here.
 */
export const ErrorEventFields = {
  message: Schema.String,
  codex_error_info: Schema.optionalKey(Schema.NullOr(CodexErrorInfo))
}

/** `{"message","codex_error_info"}`: the `error` of `task_complete` and `turn_aborted`. */
export const ErrorEvent = Wire.struct(ErrorEventFields)
export type ErrorEvent = typeof ErrorEvent.Type

/**
 * The variant name: the string itself for unit variants, the single key for data variants, and
 * `other` for an object that is not single-keyed (which no Codex version writes).
 */
export const variant = (info: CodexErrorInfo): string => {
  if (typeof info === "string") return info
  const keys = Object.keys(info)
  return keys.length === 1 && keys[0] !== undefined ? keys[0] : "other"
}

/** The canonical spelling: the legacy `rollout_budget_exceeded` becomes `session_budget_exceeded`. */
export const normalize = (info: CodexErrorInfo): CodexErrorInfo => (info === LegacySessionBudgetExceeded ? "session_budget_exceeded" : info)

/**
 * Whether an error with this info marks a replayed turn as failed. Only `thread_rollback_failed`
 * and `active_turn_not_steerable` do not; an error without any info (null or missing) does.
 */
export const isTurnFailure = (info: CodexErrorInfo | null | undefined): boolean => {
  if (info === null || info === undefined) return true
  const name = variant(info)
  return name !== "thread_rollback_failed" && name !== "active_turn_not_steerable"
}
