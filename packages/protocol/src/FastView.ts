/**
 * A schema-agreeing fast path for typing parsed rollout lines. A reader names the payload schemas
 * it sees on every turn (`TurnEvents.TaskStarted`, `TurnContext.TurnContextItem`, ...) and `make`
 * derives from them, and from the envelope of `RolloutLine`, a `view`: for a parsed line that
 * certainly decodes to itself (see `FastCheck`), the view returns it typed, and the Effect Schema
 * decode (most of the cost of reading a large rollout) is skipped. For anything else — another
 * line type or payload, an unknown field, a nested shape the derivation cannot read exactly, a
 * value of a surprising type — it answers `undefined` and the caller decodes with
 * `RolloutLine.decode`.
 *
 * It is not a validator and not a second schema: no field is restated here or by its readers, so a
 * field added to a schema is on the fast path at once. Each reader still property-tests its view
 * against `RolloutLine.decode`; `rollout validate` reports every field.
 */
import type { Schema, SchemaAST } from "effect"
import * as FastCheck from "./internal/FastCheck.js"
import * as RolloutLine from "./RolloutLine.js"
import * as Wire from "./Wire.js"

/** The view: the line `value` is, typed, if it certainly decodes to itself; else `undefined`. */
export type View = (value: Readonly<Record<string, unknown>>) => RolloutLine.RolloutLine | undefined

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const payloadOf = (line: SchemaAST.AST): SchemaAST.AST | undefined =>
  line._tag === "Objects" ? line.propertySignatures.find((ps) => ps.name === "payload")?.type : undefined

/** Where a named payload schema sits: a line type's whole payload, or a member of its tagged family. */
type Place = { readonly line: Schema.Top; readonly tag: string | undefined }

const place = (payload: Schema.Top): Place => {
  for (const line of RolloutLine.RolloutLine.members) {
    const ast = payloadOf(line.ast)
    if (ast === payload.ast) return { line, tag: undefined }
    if (ast?._tag === "Union" && ast.types.includes(payload.ast)) return { line, tag: Wire.tagOf(payload) }
  }
  throw new Error("FastView.make: a schema that is no rollout line's payload nor a member of one")
}

/** The payload check of a family line: its own `type` picks the member (as the family decoder does). */
const dispatch =
  (members: ReadonlyMap<string, FastCheck.Check>): FastCheck.Check =>
  (v) => {
    if (!isObject(v)) return false
    const check = members.get(v["type"] as string)
    return check?.(v) === true
  }

/**
 * Sets `key` to a check made on its first call, which then takes its place: a view names every
 * payload it may meet, a rollout meets a few of them, and compiling the checks (their
 * straight-line code too) was most of what `make` cost at start-up.
 */
const lazily = <K>(checks: Map<K, FastCheck.Check>, key: K, make: () => FastCheck.Check): void => {
  checks.set(key, (v) => {
    const check = make()
    checks.set(key, check)
    return check(v)
  })
}

/**
 * A view over lines whose payload is one of `payloads`: each a rollout line's whole payload
 * (`TurnContextItem`) or a member of its tagged family (an `EventMsg` or `ResponseItem` variant).
 * The envelope's fields are checked as `RolloutLine` declares them. Each check is compiled on its
 * first use (`lazily`), once.
 */
export const make = (payloads: ReadonlyArray<Schema.Top>): View => {
  const byLine = new Map<Schema.Top, { whole: boolean; members: Map<string, FastCheck.Check> }>()
  for (const payload of payloads) {
    const { line, tag } = place(payload)
    const entry = byLine.get(line) ?? { whole: false, members: new Map() }
    if (tag === undefined) entry.whole = true
    // The dispatch matched `type` already.
    else lazily(entry.members, tag, () => FastCheck.objectWith(payload, { type: FastCheck.always }))
    byLine.set(line, entry)
  }
  // A Map, not an object: a line type named `constructor` finds nothing.
  const lines = new Map<unknown, FastCheck.Check>()
  for (const [line, { whole, members }] of byLine) {
    // The lookup below matched `type` already.
    lazily(lines, Wire.tagOf(line), () =>
      FastCheck.objectWith(line, whole ? { type: FastCheck.always } : { type: FastCheck.always, payload: dispatch(members) })
    )
  }
  return (value) => {
    const check = lines.get(value["type"])
    return check?.(value) ? (value as unknown as RolloutLine.RolloutLine) : undefined
  }
}
