/**
 * A schema-agreeing fast path for typing parsed rollout lines. A reader declares the few plain
 * shapes it sees on every turn as tables of field checks (built from the combinators here), and
 * `make` turns them into a `view`: for a parsed line whose envelope and payload have only declared
 * fields, each passing its check, and every required one, the parsed value already is what
 * `RolloutLine.decode` would give, so the view returns it typed and the Effect Schema decode (most
 * of the cost of reading a large rollout) is skipped. For anything else — another line type, an
 * unknown or nested field a table does not check, a value of a surprising type — it answers
 * `undefined` and the caller decodes with `RolloutLine.decode`. Lookups are own-key only (tables
 * have no prototype), so a field named `constructor` or `__proto__` falls back instead of crashing.
 *
 * It is not a validator and not a second schema: a table may cover a subset of what the schema
 * accepts (anything left out just takes the slow path), but never more — each user property-tests
 * its tables against `RolloutLine.decode`. `rollout validate` reports every field.
 */
import type * as RolloutLine from "./RolloutLine.js"
import * as TurnEvents from "./TurnEvents.js"

/** Whether a parsed JSON value is acceptable for one field. */
export type Check = (v: unknown) => boolean

/** Allowed fields with their checks and whether each is required (`true`). Any other field is not fast. */
export type Fields = Readonly<Record<string, readonly [Check, boolean]>>

/** A compiled `Fields` table. */
export interface Shape {
  /** Without a prototype: a field named `constructor` or `__proto__` finds no check. */
  readonly fields: Readonly<Record<string, { readonly check: Check; readonly required: boolean } | undefined>>
  readonly required: number
}

export const str: Check = (v) => typeof v === "string"
export const int: Check = (v) => Number.isSafeInteger(v)
export const nonNegativeInt: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0
export const num: Check = (v) => typeof v === "number"
export const bool: Check = (v) => typeof v === "boolean"
/** An opaque JSON field: whatever `JSON.parse` gave is valid. */
export const json: Check = () => true
export const nullOr = (c: Check): Check => (v) => v === null || c(v)
export const oneOf = (values: ReadonlyArray<string>): Check => (v) => typeof v === "string" && values.includes(v)
export const arrayOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c)
export const strings: Check = arrayOf(str)
/** Only the empty array: non-empty elements are left to the decoder. */
export const empty: Check = (v) => Array.isArray(v) && v.length === 0

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

export const shape = (fields: Fields): Shape => {
  const entries = Object.entries(fields)
  const table: Record<string, { readonly check: Check; readonly required: boolean }> = Object.create(null)
  for (const [name, [check, required]] of entries) table[name] = { check, required }
  return { fields: table, required: entries.filter(([, [, required]]) => required).length }
}

/** Whether `v` has only `s`'s fields (besides `skip`), each passing its check, and all its required ones. */
const fits = (s: Shape, v: Record<string, unknown>, skip?: string): boolean => {
  let required = 0
  for (const key in v) {
    if (key === skip) continue
    const field = s.fields[key]
    if (field === undefined || !field.check(v[key])) return false
    if (field.required) required++
  }
  return required === s.required
}

/** An object with exactly the declared fields. */
export const struct = (fields: Fields): Check => {
  const s = shape(fields)
  return (v) => isObj(v) && fits(s, v)
}

/** A member of a tagged family: the shape its `type` names, `type` itself being matched by the lookup. */
export const tagged = (members: Readonly<Record<string, Fields>>): Check => {
  // A Map, not an object: a tag named `constructor` finds nothing.
  const table = new Map(Object.entries(members).map(([tag, fields]) => [tag, shape(fields)]))
  return (v) => {
    if (!isObj(v)) return false
    const tag = v["type"]
    const s = typeof tag === "string" ? table.get(tag) : undefined
    return s !== undefined && fits(s, v, "type")
  }
}

/** The view: the line `value` is, typed, if every field of it was checked; else `undefined`. */
export type View = (value: Readonly<Record<string, unknown>>) => RolloutLine.RolloutLine | undefined

/**
 * A view over lines whose envelope `type` is a key of `payloads`, whose payload passes that key's
 * check, whose `timestamp` is a string, and whose other envelope fields are among `envelope`
 * (optional, each with its check: `ordinal`, `metadata`, as the caller's schema subset allows).
 */
export const make = (payloads: Readonly<Record<string, Check>>, envelope: Readonly<Record<string, Check>>): View => {
  const families = new Map(Object.entries(payloads))
  const extra: Record<string, Check | undefined> = Object.assign(Object.create(null), envelope)
  return (value) => {
    const payload = families.get(value["type"] as string)
    if (payload === undefined || typeof value["timestamp"] !== "string") return undefined
    for (const key in value) {
      if (key === "timestamp" || key === "type" || key === "payload") continue
      const check = extra[key]
      if (check === undefined || !check(value[key])) return undefined
    }
    return payload(value["payload"]) ? (value as unknown as RolloutLine.RolloutLine) : undefined
  }
}

/**
 * Tables of the plain `task_started` / `task_complete` payloads, kept here so that no schema
 * module imports this one (imports point from the fast path to the schemas). `error` (a nested
 * CodexErrorInfo) is left out on purpose: a failed turn goes through the schema decoder.
 */
export const turnEvents: { readonly taskStarted: Fields; readonly taskComplete: Fields } = {
  taskStarted: {
    turn_attribution: [json, false],
    turn_id: [str, true],
    root_turn_id: [str, false],
    trace_id: [str, false],
    started_at: [int, false],
    model_context_window: [nullOr(int), true],
    collaboration_mode_kind: [oneOf(TurnEvents.CollaborationModeKind.literals), false]
  },
  taskComplete: {
    root_turn_id: [str, false],
    turn_id: [str, true],
    last_agent_message: [nullOr(str), true],
    started_at: [int, false],
    completed_at: [int, false],
    duration_ms: [int, false],
    time_to_first_token_ms: [int, false]
  }
}
