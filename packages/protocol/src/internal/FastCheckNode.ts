/**
 * What `FastCheck` reads off one schema AST node, without compiling it: whether the node has a
 * transformation (or declares itself an identity on some values), what its filters mean when
 * Effect names them, and which JSON values it may decode at all (for ordering union members).
 * Everything here errs the safe way: an unknown filter has no meaning, and "may decode" answers
 * yes where in doubt.
 */
import type { Schema, SchemaAST } from "effect"

/** Whether a parsed JSON value decodes to itself. */
export type Check = (v: unknown) => boolean

const annotationKey = "fastCheck"
const presentKey = "fastCheckPresent"

/**
 * Annotations for a schema with a transformation that is the identity on some JSON values (such
 * as `Wire.Float` on numbers): `check` names those values, so the derivation can read the node.
 */
export const identityOn = (check: Check): Schema.Annotations.Annotations => ({ [annotationKey]: check })

/**
 * `identityOn` for an optional field whose transformation is the identity on a value written but
 * supplies one when the key is absent (a default): a struct check then asks the decoder for a
 * value without the key.
 */
export const identityWhenPresent = (check: Check): Schema.Annotations.Annotations => ({ [annotationKey]: check, [presentKey]: true })

/** Whether the node's declared identity (`identityWhenPresent`) holds only for a key that is present. */
export const presentOnly = (ast: SchemaAST.AST): boolean => ast.annotations?.[presentKey] === true

/** Accepts anything. */
export const always: Check = () => true
// Shared, so that the many fields of one JSON type call one function.
export const isNull: Check = (v) => v === null
export const isString: Check = (v) => typeof v === "string"
export const isNumber: Check = (v) => typeof v === "number"
export const isBoolean: Check = (v) => typeof v === "boolean"

/** The check of a JSON leaf node: its JSON type, or the literal itself. Exact, so both derivations share it. */
export const leaf = (ast: SchemaAST.Null | SchemaAST.String | SchemaAST.Number | SchemaAST.Boolean | SchemaAST.Literal): Check => {
  switch (ast._tag) {
    case "Null":
      return isNull
    case "String":
      return isString
    case "Number":
      return isNumber
    case "Boolean":
      return isBoolean
    case "Literal": {
      const literal = ast.literal
      return (v) => v === literal
    }
  }
}
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Whether the node itself has no transformation (see {@link identityOn} for the exception). */
export const usable = (ast: SchemaAST.AST): boolean => ast.encoding === undefined && !("encodingChecks" in ast && ast.encodingChecks !== undefined)

/** The check a node declares with {@link identityOn}, if any. */
export const declared = (ast: SchemaAST.AST): Check | undefined => {
  const check = ast.annotations?.[annotationKey]
  return typeof check === "function" ? (check as Check) : undefined
}

type Filter = SchemaAST.Filter<unknown>

export const flatten = (checks: ReadonlyArray<SchemaAST.Check<unknown>>): Array<Filter> =>
  checks.flatMap((c) => (c._tag === "FilterGroup" ? flatten(c.checks) : [c]))

interface Representation {
  readonly id?: unknown
  readonly payload?: { readonly minLength?: unknown; readonly minimum?: unknown } | null
}

/** A filter Effect names in its `representation`, as a check; `undefined` when its meaning is unknown. */
export const filter = (f: Filter): Check | undefined => {
  const representation = f.annotations?.["representation"] as Representation | undefined
  const payload = representation?.payload
  switch (representation?.id) {
    case "effect/schema/isInt":
      return Number.isSafeInteger
    case "effect/schema/isFinite":
      return Number.isFinite
    case "effect/schema/isMinLength": {
      const min = payload?.minLength
      return typeof min === "number" ? (v) => (v as { readonly length: number }).length >= min : undefined
    }
    case "effect/schema/isGreaterThanOrEqualTo": {
      const min = payload?.minimum
      return typeof min === "number" ? (v) => (v as number) >= min : undefined
    }
    default:
      return undefined
  }
}

type Kind = "null" | "string" | "number" | "boolean" | "array" | "object"

/** The JSON types a node may decode; `undefined` when it may decode any. */
const kinds = (ast: SchemaAST.AST): ReadonlyArray<Kind> | undefined => {
  if (!usable(ast)) return undefined
  switch (ast._tag) {
    case "Null":
      return ["null"]
    case "String":
    case "Number":
    case "Boolean":
      return [ast._tag === "String" ? "string" : ast._tag === "Number" ? "number" : "boolean"]
    case "Literal": {
      const kind = typeof ast.literal
      return kind === "string" || kind === "number" || kind === "boolean" ? [kind] : undefined
    }
    case "Arrays":
      return ["array"]
    case "Objects":
      return ["object"]
    case "Union": {
      const all = ast.types.map(kinds)
      return all.some((k) => k === undefined) ? undefined : (all.flat() as Array<Kind>)
    }
    default:
      return undefined
  }
}

/** A node that decodes a value it accepts to that very value: a leaf with no transformation. */
export const primitive = (ast: SchemaAST.AST): boolean => {
  if (!usable(ast)) return false
  switch (ast._tag) {
    case "Null":
    case "String":
    case "Number":
    case "Boolean":
    case "Literal":
    case "Enum":
      return true
    case "Union":
      return ast.types.every(primitive)
    default:
      return false
  }
}

/** A plain string: every string decodes to itself, whatever else a union says of strings. */
const anyString = (ast: SchemaAST.AST): boolean => ast._tag === "String" && usable(ast) && ast.checks === undefined && declared(ast) === undefined

/**
 * A union of primitives without the members a plain `String` member makes redundant (Codex's open
 * enums, `Wire.openLiterals`: listed strings, then any string): each member decodes a value it
 * accepts to itself, so the union accepts a string iff some member does, and the plain string does.
 */
export const withoutSubsumed = (types: ReadonlyArray<SchemaAST.AST>): ReadonlyArray<SchemaAST.AST> => {
  if (!types.every(primitive) || !types.some(anyString)) return types
  const first = types.findIndex(anyString)
  return types.filter((t, i) => i === first || !(kinds(t)?.every((k) => k === "string") ?? false))
}

/** Whether no two members may decode a value of the same JSON type. */
export const apart = (types: ReadonlyArray<SchemaAST.AST>): boolean => {
  const seen = new Set<Kind>()
  for (const t of types) {
    const k = kinds(t)
    if (k === undefined || k.some((x) => seen.has(x))) return false
    for (const x of k) seen.add(x)
  }
  return true
}

/** A struct's required literal fields, each with its literal. */
export const literalFields = (ast: SchemaAST.Objects): ReadonlyArray<readonly [string, unknown]> =>
  ast.propertySignatures.flatMap((ps) =>
    typeof ps.name === "string" && ps.type._tag === "Literal" && ps.type.context?.isOptional !== true && usable(ps.type)
      ? [[ps.name, ps.type.literal] as const]
      : []
  )

/** Values the node may decode (an over-approximation: `always` where in doubt). */
export const admits = (ast: SchemaAST.AST): Check => {
  if (!usable(ast)) return always
  switch (ast._tag) {
    case "Null":
    case "String":
    case "Number":
    case "Boolean":
    case "Literal":
      return leaf(ast)
    case "Arrays":
      return Array.isArray
    case "Objects":
      return objectAdmits(ast)
    case "Union": {
      const members = ast.types.map(admits)
      return (v) => members.some((m) => m(v))
    }
    default:
      return always
  }
}

/** An object whose required literal fields (a `type` tag) hold their literal. */
const objectAdmits = (ast: SchemaAST.Objects): Check => {
  const tags = literalFields(ast)
  return (v) => isObject(v) && tags.every(([name, literal]) => Object.hasOwn(v, name) && v[name] === literal)
}
