/**
 * Test support: small damage to a parsed JSON value (a field given a wrong type, deleted, or
 * added), for property tests of fast paths that must agree with the decoder on near misses.
 */
import * as fc from "fast-check"

type Obj = Record<string, unknown>

export type Mutation =
  | { readonly kind: "retype"; readonly at: number; readonly to: unknown }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "add"; readonly at: number; readonly key: string; readonly to: unknown }

const wrong = fc.constantFrom<unknown>("x", "", 1, -1, 1.5, 0, 2 ** 53, null, true, [], ["x"], {}, { a: 1 }, { type: "x" })
const keys = fc.constantFrom("constructor", "__proto__", "toString", "x_extra", "type", "id", "error", "info", "payload")

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("retype" as const), at: fc.nat(), to: wrong }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: keys, to: wrong })
)

/** Every (object, key) slot of a parsed value, nested ones too. */
const slots = (value: unknown, out: Array<readonly [Obj, string]> = []): Array<readonly [Obj, string]> => {
  if (Array.isArray(value)) for (const v of value) slots(v, out)
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Obj, k])
      slots(v, out)
    }
  }
  return out
}

/** The value with the mutations applied, as the text a file would hold parses back. */
export const apply = (value: unknown, mutations: ReadonlyArray<Mutation>): unknown => {
  const copy = structuredClone(value)
  for (const m of mutations) {
    const all = slots(copy)
    if (all.length === 0) break
    const [obj, key] = all[m.at % all.length]!
    switch (m.kind) {
      case "retype":
        obj[key] = structuredClone(m.to)
        break
      case "delete":
        delete obj[key]
        break
      case "add":
        // Defined, not assigned: `__proto__` becomes an own key, as JSON.parse makes it.
        Object.defineProperty(obj, m.key, { value: structuredClone(m.to), enumerable: true, writable: true, configurable: true })
        break
      default: {
        const unreachable: never = m
        return unreachable
      }
    }
  }
  return JSON.parse(JSON.stringify(copy)) as unknown
}
