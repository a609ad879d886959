/**
 * Typing lines for statistics, fast. The hot lines of a rollout (turn context, token counts, turn
 * start and end, tool calls and outputs) are checked here on exactly the fields statistics read,
 * and then used as the typed `RolloutLine` they are; a full Effect Schema decode of each would cost
 * several times the JSON parse. Any line that fails these checks, and every other kind, goes
 * through the full `RolloutLine.decode`, so a malformed line is still reported as invalid.
 * This is not a validator: `rollout validate` checks every field.
 */
import * as RolloutLine from "@rollout/protocol/RolloutLine"

type Obj = Record<string, unknown>

const isObj = (u: unknown): u is Obj => typeof u === "object" && u !== null && !Array.isArray(u)
const isInt = (u: unknown): boolean => Number.isSafeInteger(u)
const optInt = (u: unknown): boolean => u === undefined || Number.isSafeInteger(u)
const optStr = (u: unknown): boolean => u === undefined || typeof u === "string"

const usage = (u: unknown): boolean =>
  isObj(u) &&
  isInt(u["input_tokens"]) &&
  isInt(u["cached_input_tokens"]) &&
  optInt(u["cache_write_input_tokens"]) &&
  isInt(u["output_tokens"]) &&
  isInt(u["reasoning_output_tokens"]) &&
  isInt(u["total_tokens"])

/** `{"message", "codex_error_info"?}` with a string or single-key-object info (or null). */
const errorEvent = (u: unknown): boolean =>
  u === undefined ||
  (isObj(u) &&
    typeof u["message"] === "string" &&
    (u["codex_error_info"] === undefined || u["codex_error_info"] === null || typeof u["codex_error_info"] === "string" || isObj(u["codex_error_info"])))

const outputPayload = (u: unknown): boolean => typeof u === "string" || Array.isArray(u) || (isObj(u) && typeof u["content"] === "string")

const eventOk = (p: Obj): boolean => {
  switch (p["type"]) {
    case "token_count": {
      const info = p["info"]
      return info === undefined || info === null || (isObj(info) && usage(info["total_token_usage"]) && usage(info["last_token_usage"]))
    }
    case "task_started":
    case "turn_started":
      return typeof p["turn_id"] === "string"
    case "task_complete":
    case "turn_complete":
      return (
        typeof p["turn_id"] === "string" &&
        errorEvent(p["error"]) &&
        optInt(p["duration_ms"]) &&
        optInt(p["started_at"]) &&
        optInt(p["completed_at"])
      )
    default:
      return false
  }
}

const itemOk = (p: Obj): boolean => {
  switch (p["type"]) {
    case "function_call":
      return typeof p["name"] === "string" && typeof p["call_id"] === "string" && optStr(p["namespace"])
    case "custom_tool_call":
      return typeof p["name"] === "string" && typeof p["call_id"] === "string"
    case "function_call_output":
      return optStr(p["call_id"]) && optStr(p["name"]) && outputPayload(p["output"])
    case "custom_tool_call_output":
      return typeof p["call_id"] === "string" && optStr(p["name"]) && outputPayload(p["output"])
    default:
      return false
  }
}

/** The line, typed: by the quick checks for hot lines, else by the full schema decode. */
export const decode = (value: Obj): RolloutLine.Decoded => {
  const p = value["payload"]
  if (typeof value["timestamp"] === "string" && isObj(p)) {
    const ok =
      value["type"] === "turn_context"
        ? typeof p["model"] === "string"
        : value["type"] === "event_msg"
          ? eventOk(p)
          : value["type"] === "response_item"
            ? itemOk(p)
            : false
    if (ok) return { _tag: "Known", line: value as unknown as RolloutLine.RolloutLine }
  }
  return RolloutLine.decode(value)
}
