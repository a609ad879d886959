/**
 * A fast typed view of the few line shapes thread history reads on every turn (`task_started`,
 * `task_complete`, `user_message`, `agent_message` in their plain forms): when a parsed line has
 * only fields of the protocol schema, each of the schema's JSON type, the parsed value already is
 * what `RolloutLine.decode` would give, so it is used as is and the schema decoder (most of the
 * cost of reading a large rollout) is not run. Anything else — another type, an unknown or
 * nested field, a value of a surprising type — gives `undefined`, and the caller decodes fully.
 * It never accepts a line the schema rejects (a property test checks it against the decoder).
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"

type Check = (v: unknown) => boolean

const str: Check = (v) => typeof v === "string"
const int: Check = (v) => typeof v === "number" && Number.isSafeInteger(v)
const nullOr = (c: Check): Check => (v) => v === null || c(v)
const strings: Check = (v) => Array.isArray(v) && v.every(str)
const empty: Check = (v) => Array.isArray(v) && v.length === 0
const oneOf = (values: ReadonlyArray<string>): Check => (v) => typeof v === "string" && values.includes(v)
const details = (v: unknown) => Array.isArray(v) && v.every(nullOr(oneOf(["auto", "low", "high", "original"])))

/** Allowed payload fields and their checks, per event type; `true` marks required fields. */
const shapes: Readonly<Record<string, Readonly<Record<string, readonly [Check, boolean]>>>> = {
  task_started: {
    // Codex 0.169 writes it on every turn; any JSON value, kept as parsed.
    turn_attribution: [(v) => v === null || typeof v === "object", false],
    turn_id: [str, true],
    root_turn_id: [str, false],
    trace_id: [str, false],
    started_at: [int, false],
    model_context_window: [nullOr(int), true],
    collaboration_mode_kind: [oneOf(["default", "plan", "code", "pair_programming", "execute", "custom"]), false]
  },
  task_complete: {
    root_turn_id: [str, false],
    turn_id: [str, true],
    last_agent_message: [nullOr(str), true],
    started_at: [int, false],
    completed_at: [int, false],
    duration_ms: [int, false],
    time_to_first_token_ms: [int, false]
  },
  user_message: {
    client_id: [str, false],
    message: [str, true],
    kind: [str, false],
    images: [nullOr(strings), false],
    image_details: [details, false],
    local_images: [strings, false],
    local_image_details: [details, false],
    audio: [strings, false],
    local_audio: [strings, false],
    // Non-empty text elements are nested objects: left to the decoder.
    text_elements: [empty, false]
  },
  agent_message: {
    message: [str, true],
    phase: [nullOr(oneOf(["commentary", "final_answer", "partial_answer"])), false],
    // A citation is a nested object: only its absence is fast.
    memory_citation: [(v) => v === null, false],
    delivery: [str, false]
  }
}

const envelope = new Set(["timestamp", "type", "payload", "ordinal"])

/** The typed line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view = (value: Readonly<Record<string, unknown>>): RolloutLine.RolloutLine | undefined => {
  if (value["type"] !== "event_msg" || typeof value["timestamp"] !== "string") return undefined
  const ordinal = value["ordinal"]
  if (ordinal !== undefined && !(int(ordinal) && (ordinal as number) >= 0)) return undefined
  for (const key in value) if (!envelope.has(key)) return undefined
  const payload = value["payload"]
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined
  const p = payload as Record<string, unknown>
  // Own keys only: a field named `constructor` or `__proto__` must not find Object.prototype's.
  const shape = typeof p["type"] === "string" && Object.hasOwn(shapes, p["type"]) ? shapes[p["type"]] : undefined
  if (shape === undefined) return undefined
  for (const key in p) {
    if (key === "type") continue
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined
    if (field === undefined || !field[0](p[key])) return undefined
  }
  for (const key in shape) if ((shape[key] as readonly [Check, boolean])[1] && !Object.hasOwn(p, key)) return undefined
  return value as unknown as RolloutLine.RolloutLine
}
