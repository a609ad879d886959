/**
 * Checks derived from a schema's AST: `of(schema)` compiles, once, a closure answering whether a
 * parsed JSON value certainly decodes under the schema *to itself* (so a reader may use it as
 * parsed and skip the decoder). It reads the AST node by node — strings, numbers, literals,
 * arrays, open and closed structs, unions in their decoding order, and the checks it knows
 * (`isInt`, `isFinite`, `isMinLength`, `isGreaterThanOrEqualTo`) — and answers `false` for
 * anything it cannot read exactly: a transformation, a filter of unknown meaning, a declaration,
 * an undeclared field (a closed struct would drop it; own-key lookups, so one named `__proto__`
 * or `constructor` is undeclared too).
 * `false` only means "ask the decoder": the check never accepts a value the decoder rejects or
 * changes, and is not a validator (`rollout validate` reports every field).
 */
import type { Schema, SchemaAST } from "effect"
import * as Node from "./FastCheckNode.js"

const { admits, apart, declared, filter, flatten, isNull, isObject, leaf, literalFields, primitive, usable, withoutSubsumed } = Node

/** Whether a parsed JSON value decodes to itself. */
export type Check = Node.Check

/**
 * Annotations for a schema with a transformation that is the identity on some JSON values (such
 * as `Wire.Float` on numbers): `check` names those values, so the derivation can read the node.
 */
export const identityOn = Node.identityOn

/** Annotations for an optional field that is the identity on a value written and defaults an absent one. */
export const identityWhenPresent = Node.identityWhenPresent

/** Accepts anything: for a field whose value the caller has checked already. */
export const always: Check = Node.always
const never: Check = () => false

// One compiled check per node: shared subtrees (TokenUsage twice in a token count) compile once.
const compiled = new WeakMap<SchemaAST.AST, Check>()

/** The check of a schema; compiled on first use, then a closure per node with no AST walking. */
export const of = (schema: Schema.Top): Check => compile(schema.ast)

/**
 * The check of an object schema whose fields named in `replace` are checked by the given checks
 * instead (a line envelope whose payload is checked by a reader's own dispatch).
 */
export const objectWith = (schema: Schema.Top, replace: Readonly<Record<string, Check>>): Check =>
  schema.ast._tag === "Objects" && usable(schema.ast) ? withFilters(schema.ast, objects(schema.ast, replace)) : never

const compile = (ast: SchemaAST.AST): Check => {
  const known = compiled.get(ast)
  if (known !== undefined) return known
  const check = withFilters(ast, base(ast))
  compiled.set(ast, check)
  return check
}

const base = (ast: SchemaAST.AST): Check => {
  const identity = declared(ast)
  if (identity !== undefined) return identity
  if (!usable(ast)) return never
  switch (ast._tag) {
    case "Null":
    case "String":
    case "Number":
    case "Boolean":
    case "Literal":
      return leaf(ast)
    case "Enum": {
      const values = new Set<unknown>(ast.enums.map(([, value]) => value))
      return (v) => values.has(v)
    }
    case "Unknown":
    case "Any":
      return always
    case "Arrays":
      return arrays(ast)
    case "Objects":
      return objects(ast, {})
    case "Union":
      return union(ast)
    case "Suspend": {
      // Compiled on first use, so that a recursive schema does not recurse here.
      let inner: Check | undefined
      return (v) => (inner ??= compile(ast.thunk()))(v)
    }
    case "Declaration":
    case "Undefined":
    case "Void":
    case "Never":
    case "BigInt":
    case "Symbol":
    case "UniqueSymbol":
    case "ObjectKeyword":
    case "TemplateLiteral":
      return never
    default: {
      const unreachable: never = ast
      return unreachable
    }
  }
}

/** The node's own check, then each of its filters (which see a value of the node's type). */
const withFilters = (ast: SchemaAST.AST, check: Check): Check => {
  if (ast.checks === undefined) return check
  const filters = flatten(ast.checks).map(filter)
  if (filters.some((f) => f === undefined)) return never
  const all = filters as ReadonlyArray<Check>
  // The common integer: one call, not two (`isSafeInteger` is false for a non-number).
  if (ast._tag === "Number" && declared(ast) === undefined && all.every((f) => f === Number.isSafeInteger)) return Number.isSafeInteger
  if (all.length === 1) {
    const [only] = all as [Check]
    return (v) => check(v) && only(v)
  }
  return (v) => check(v) && all.every((f) => f(v))
}

const arrays = (ast: SchemaAST.Arrays): Check => {
  if (ast.elements.some((e) => e.context?.isOptional === true) || ast.rest.length > 1) return never
  const elements = ast.elements.map(compile)
  const [restAst] = ast.rest
  if (restAst === undefined) return (v) => Array.isArray(v) && v.length === elements.length && elements.every((c, i) => c(v[i]))
  const rest = compile(restAst)
  if (elements.length === 0) {
    return (v) => {
      if (!Array.isArray(v)) return false
      for (const x of v) if (!rest(x)) return false
      return true
    }
  }
  return (v) => {
    if (!Array.isArray(v) || v.length < elements.length || !elements.every((c, i) => c(v[i]))) return false
    for (let i = elements.length; i < v.length; i++) if (!rest(v[i])) return false
    return true
  }
}

interface Field {
  readonly check: Check
  readonly required: boolean
}

/**
 * Only declared fields are fast: a closed struct drops an unknown one, and an open struct's rest
 * is left to the decoder. A field with its own transformation (a default, a rename) may add or
 * change a key even when absent, so its struct is never fast, unless it declares the values it
 * keeps (`identityOn`; with `identityWhenPresent`, the key must be there). The table has no prototype: a field
 * named `constructor` or `__proto__` finds nothing.
 */
const objects = (ast: SchemaAST.Objects, replace: Readonly<Record<string, Check>>): Check => {
  const fields: Record<string, Field | undefined> = Object.create(null)
  let required = 0
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string" || (!usable(ps.type) && declared(ps.type) === undefined)) return never
    // A field that defaults an absent key is fast only when present.
    const isRequired = ps.type.context?.isOptional !== true || Node.presentOnly(ps.type)
    fields[ps.name] = { check: Object.hasOwn(replace, ps.name) ? replace[ps.name]! : compile(ps.type), required: isRequired }
    if (isRequired) required++
  }
  return straight(fields) ?? loop(fields, required)
}

/** The object check as a loop over the value's keys, each looked up in the table. */
const loop =
  (fields: Readonly<Record<string, Field | undefined>>, required: number): Check =>
  (v) => {
    if (!isObject(v)) return false
    let seen = 0
    for (const key in v) {
      const field = fields[key]
      if (field === undefined || (field.check !== always && !field.check(v[key]))) return false
      if (field.required) seen++
    }
    return seen === required
  }

// The common leaves as expressions, so that a field of one JSON type costs no call.
const inline = new Map<Check, (x: string) => string>([
  [Node.isString, (x) => `typeof ${x} === "string"`],
  [Node.isNumber, (x) => `typeof ${x} === "number"`],
  [Node.isBoolean, (x) => `typeof ${x} === "boolean"`],
  [isNull, (x) => `${x} === null`],
  [Number.isSafeInteger, (x) => `Number.isSafeInteger(${x})`]
])

/**
 * The same check as straight-line code made once per object schema: one property read per
 * declared field, then a count of the value's keys (any key beyond the declared ones makes the
 * counts differ). Each read then sees the few shapes of one schema's objects, where the loop's one
 * `v[key]` sees every shape of every schema and is several times slower on a large rollout. A JSON
 * value has no `undefined`, so a read that finds one means the key is absent. Not made when a name
 * could be found on `Object.prototype` instead (`constructor`), or where the platform forbids
 * making code (a page's content security policy): the loop serves then.
 */
const straight = (fields: Readonly<Record<string, Field | undefined>>): Check | undefined => {
  const names = Object.keys(fields)
  if (names.some((name) => name in Object.prototype)) return undefined
  const checks = names.map((name) => fields[name]!.check)
  const reads = names.map((name, i) => {
    const field = fields[name]!
    const test = field.check === always ? "" : `if (!(${inline.get(field.check)?.("x") ?? `c[${i}](x)`})) return false; `
    return `x = v[${JSON.stringify(name)}]; if (x !== undefined) { ${test}n++ }${field.required ? " else return false" : ""}`
  })
  const body = `return (v) => { if (!isObject(v)) return false; let n = 0; let x; ${reads.join("; ")}; for (const _ in v) n--; return n === 0 }`
  try {
    return new Function("c", "isObject", body)(checks, isObject) as Check
  } catch {
    return undefined
  }
}

/**
 * A union decodes with its first member that accepts the value. A member's `admits` is a cheap
 * over-approximation of what it accepts (JSON type, literal values, literal fields such as a `type`
 * tag), so the first admitting member is the one the decoder settles on, or an earlier one the
 * check cannot rule out: either way, that member's own check must pass. Order does not matter,
 * and the check needs no loop, where the members' JSON types are apart (`NullOr`, a string or an
 * object), where every member is a primitive (decoding a string or number changes nothing), or
 * where a literal field tells them apart (a tagged family).
 */
const union = (ast: SchemaAST.Union): Check => {
  if (ast.options?.mode === "oneOf") return never
  if (ast.types.every((t) => t._tag === "Literal" && t.checks === undefined && usable(t))) {
    const literals = new Set<unknown>(ast.types.map((t) => (t as SchemaAST.Literal).literal))
    return (v) => literals.has(v)
  }
  if (ast.types.every(primitive)) {
    const kept = withoutSubsumed(ast.types)
    return kept.length === 1 ? compile(kept[0]!) : someOf(kept.map(compile))
  }
  const checks = ast.types.map(compile)
  if (apart(ast.types)) return someOf(checks)
  const tagged = byTag(ast.types, checks)
  if (tagged !== undefined) return tagged
  const members = ast.types.map((t, i) => [admits(t), checks[i]!] as const)
  return (v) => {
    for (const [admit, check] of members) if (admit(v)) return check(v)
    return false
  }
}

/** Members any one of which accepting is enough (apart, or all primitive). */
const someOf = (checks: ReadonlyArray<Check>): Check => {
  if (checks.length === 2) {
    const [a, b] = checks as [Check, Check]
    // `NullOr(x)`, the most common union: no call for the null.
    if (b === isNull) return (v) => v === null || a(v)
    if (a === isNull) return (v) => v === null || b(v)
    return (v) => a(v) || b(v)
  }
  return (v) => checks.some((c) => c(v))
}

/** Objects told apart by one required literal field (`type`): the field picks the only candidate. */
const byTag = (types: ReadonlyArray<SchemaAST.AST>, checks: ReadonlyArray<Check>): Check | undefined => {
  const tagsOf = types.map((t) => (t._tag === "Objects" && usable(t) ? literalFields(t) : []))
  const first = tagsOf[0]
  for (const [name] of first ?? []) {
    const members = new Map<unknown, Check>()
    tagsOf.forEach((tags, i) => {
      const tag = tags.find(([n]) => n === name)
      if (tag !== undefined && !members.has(tag[1])) members.set(tag[1], checks[i]!)
    })
    if (members.size !== types.length) continue
    return (v) => {
      if (!isObject(v) || !Object.hasOwn(v, name)) return false
      const check = members.get(v[name])
      return check?.(v) === true
    }
  }
  return undefined
}
