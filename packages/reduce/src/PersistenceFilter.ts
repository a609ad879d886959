/**
 * The legacy persistence policy the app-server applies before replaying a rollout into thread
 * history: which typed lines count at all. Only kept lines reach the history reducer and only they
 * consume a rollout index (`rollout-N` turn ids). Codex applies the same lists when it writes a
 * legacy rollout, so the engine's writer uses them too (`isPersistedRaw`).
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"

const keptResponseItems: ReadonlySet<string> = new Set([
  "message",
  "agent_message",
  "reasoning",
  "local_shell_call",
  "function_call",
  "tool_search_call",
  "function_call_output",
  "tool_search_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "web_search_call",
  "image_generation_call",
  "compaction",
  "context_compaction"
])

const keptEvents: ReadonlySet<string> = new Set([
  "token_count",
  "thread_goal_updated",
  "thread_rolled_back",
  "turn_aborted",
  "task_started",
  // Read aliases decode as their own variants; Codex parses them as the canonical event.
  "turn_started",
  "task_complete",
  "turn_complete",
  "thread_settings_applied",
  "user_message",
  "agent_message",
  "agent_reasoning",
  "agent_reasoning_raw_content",
  "entered_review_mode",
  "exited_review_mode",
  "patch_apply_end",
  "context_compacted",
  "mcp_tool_call_end",
  "web_search_end",
  "image_generation_end",
  "sub_agent_activity"
])

/** Whether the legacy replay keeps this line. */
export const isPersisted = (line: RolloutLine.RolloutLine): boolean => {
  switch (line.type) {
    case "session_meta":
    case "compacted":
    case "turn_context":
    case "world_state":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
      return true
    case "response_item":
      return keptResponseItems.has(line.payload.type)
    case "event_msg": {
      const event = line.payload
      if (event.type === "item_completed") {
        const item = event.item as { readonly type?: unknown; readonly kind?: unknown }
        return item.type === "Plan" || (item.type === "Extension" && item.kind === "clock.sleep")
      }
      return keptEvents.has(event.type)
    }
    // Codex 0.169 writes these itself, so its policy persists them (not observable in the
    // recordings: they only shift `rollout-N` ids of implicit turns).
    case "token_usage_record":
      return true
    // Opaque to Codex: no evidence it keeps them for replay.
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return false
    default: {
      const unreachable: never = line
      return unreachable
    }
  }
}

/**
 * `isPersisted` on a line's raw JSON, for lines a reader does not decode (it only needs to know
 * whether they take a rollout index). `item_completed` is left to the typed check: callers decode it.
 */
export const isPersistedRaw = (type: unknown, payloadType: unknown): boolean => {
  switch (type) {
    case "session_meta":
    case "compacted":
    case "turn_context":
    case "world_state":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
    case "token_usage_record":
      return true
    case "response_item":
      return typeof payloadType === "string" && keptResponseItems.has(payloadType)
    case "event_msg":
      return typeof payloadType === "string" && keptEvents.has(payloadType)
    default:
      return false
  }
}
