/**
 * The legacy persistence policy the app-server applies before replaying a rollout into thread
 * history: which typed lines count at all. Only kept lines reach the history reducer and only they
 * consume a rollout index (`rollout-N` turn ids). Codex applies the same lists when it writes a
 * legacy rollout, so the engine's writer uses them too (`isPersistedRaw`).
 */
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "./EventRoles.js"
import * as ItemRoles from "./ItemRoles.js"

const keptResponseItems = ItemRoles.where("persisted")

// Read aliases (`turn_started`) decode as their own variants; Codex parses them as the canonical event.
const keptEvents = EventRoles.where("persisted", true)

/**
 * Whether legacy history mode keeps an `item_completed` event carrying this item (the `byItem` rows
 * of `EventRoles`): plans, sleeps and, as Codex 0.171's legacy replay shows, a sub-agent's
 * `SubAgentActivity` completion. The one rule for the reader and the engine's writer.
 */
export const keepsCompletedItem = (item: unknown): boolean => {
  if (typeof item !== "object" || item === null) return false
  const { type, kind } = item as { readonly type?: unknown; readonly kind?: unknown }
  return type === "Plan" || type === "SubAgentActivity" || (type === "Extension" && kind === "clock.sleep")
}

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
      return ItemRoles.table[line.payload.type].persisted
    case "event_msg": {
      const event = line.payload
      const kept = EventRoles.table[event.type].persisted
      if (kept !== "byItem") return kept
      return keepsCompletedItem((event as EventMsg.Of<"item_completed">).item)
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
      return EventRoles.has(keptResponseItems, payloadType)
    case "event_msg":
      return EventRoles.has(keptEvents, payloadType)
    default:
      return false
  }
}
