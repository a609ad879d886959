/**
 * What a streaming reader must do with a line of a thread's history, judged from its raw JSON
 * before any schema decoding (decoding is most of the cost of reading a large rollout): `decode`
 * it and step the fold, only `count` it (a kept line no reducer reads: it takes a rollout index),
 * or `skip` it. Lines any history reducer reads are always decoded. A counted line is not
 * schema-checked: one that is JSON but breaks its schema (Codex drops it) would shift the
 * `rollout-N` ids of later implicit turns; `rollout validate` reports such lines.
 *
 * The stateless part of `ThreadRead.triage`, kept free of schemas so that a reader thread can load
 * it at once: `prefilter` is what that thread asks.
 */
import * as EventRoles from "./EventRoles.js"
import * as PersistenceFilter from "./PersistenceFilter.js"

export type Triage = "decode" | "count" | "skip"

/** The events thread history's replay reads: decoded, never only counted. */
const readEvents = EventRoles.where("history", "replay")

/** A user message whose every part could be a `<hook_prompt>` fragment (the builder decides). */
const mayBeHookPrompt = (payload: Record<string, unknown>): boolean => {
  if (payload["role"] !== "user" || !Array.isArray(payload["content"])) return false
  return (payload["content"] as ReadonlyArray<{ type?: unknown; text?: unknown }>).every(
    (c) => c !== null && typeof c === "object" && c.type === "input_text" && typeof c.text === "string" && c.text.trimStart().startsWith("<hook_prompt")
  )
}

export interface ContextFields {
  readonly model?: unknown
  readonly effort?: unknown
}

const payloadOf = (value: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined => {
  const p = value["payload"]
  return typeof p === "object" && p !== null ? (p as Record<string, unknown>) : undefined
}

/**
 * Whether a replay must decode the line; a turn context only when `contextChanges` says its
 * model or effort differ from the thread's so far (the one stateful question).
 */
export const decodes = (value: Readonly<Record<string, unknown>>, contextChanges: (payload: ContextFields) => boolean): boolean => {
  const payload = payloadOf(value)
  switch (value["type"]) {
    case "session_meta":
    case "compacted":
      return true
    case "turn_context":
      return contextChanges(payload ?? {})
    case "event_msg": {
      return EventRoles.has(readEvents, payload?.["type"])
    }
    case "response_item":
      return payload !== undefined && payload["type"] === "message" && mayBeHookPrompt(payload)
    default:
      return false
  }
}

/** A line the replay does not decode: counted when Codex's persistence policy keeps it, else skipped. */
export const kept = (value: Readonly<Record<string, unknown>>): Triage =>
  PersistenceFilter.isPersistedRaw(value["type"], payloadOf(value)?.["type"]) ? "count" : "skip"

/**
 * The triage of every replay state (no live builder, no fork cut), where it does not depend on
 * the state; `decode` (leave it to the fold) where it does: a turn context.
 */
export const prefilter = (value: Readonly<Record<string, unknown>>): Triage => (decodes(value, () => true) ? "decode" : kept(value))
