/**
 * fast-check arbitraries derived from the wire schemas, for property tests: `of(schema)` walks the
 * schema's AST and generates values of its *type* side, i.e. values a decoder can produce (open
 * structs get a few extra unknown keys, so that preservation is exercised too). Checks it cannot
 * construct values for are met by an override, by the check's `examples` annotation, or else by
 * filtering. Test support only: fast-check is a peer dependency that production code never loads.
 */
import * as fc from "fast-check"
import { Schema, type SchemaAST } from "effect"
import { AgentPath } from "./AgentPath.js"

export interface Options {
  /** Longest generated array, and most keys of a generated record. */
  readonly maxLength?: number
  /** Unknown keys added to an open struct, at most. */
  readonly maxExtraKeys?: number
  /**
   * Arbitraries used instead of the derived one: for a check no generator can meet by filtering,
   * or to narrow a schema (e.g. to the values an older Codex wrote). A schema matches its copies
   * too (`optionalKey(s)`, annotated `s`), since they share its body.
   */
  readonly overrides?: ReadonlyArray<readonly [Schema.Top, fc.Arbitrary<unknown>]>
}

interface Context {
  readonly maxLength: number
  readonly maxExtraKeys: number
  readonly overrides: ReadonlyMap<unknown, fc.Arbitrary<unknown>>
}

type Check = SchemaAST.Check<unknown>

/**
 * What identifies a node across the copies Effect makes of it (`optionalKey`, `annotate` and
 * encoding changes copy the node but share its checks, members and fields).
 */
const bodyOf = (ast: SchemaAST.AST): unknown => {
  if (ast.checks !== undefined) return ast.checks
  switch (ast._tag) {
    case "Union":
      return ast.types
    case "Objects":
      return ast.propertySignatures
    case "Arrays":
      return ast.elements
    default:
      return ast
  }
}

const agentPathName = fc.stringMatching(/^[a-z0-9_]{1,8}$/).filter((name) => name !== "root")

/** Schemas whose checks a filter cannot meet by chance. */
const builtIn: ReadonlyArray<readonly [Schema.Top, fc.Arbitrary<unknown>]> = [
  [
    AgentPath,
    fc.oneof(
      fc.constantFrom("/root", "/morpheus"),
      fc.array(agentPathName, { minLength: 1, maxLength: 3 }).map((names) => `/root/${names.join("/")}`)
    )
  ]
]

const checksOf = (ast: SchemaAST.AST): ReadonlyArray<Check> => (ast.checks ?? []) as ReadonlyArray<Check>

const flatten = (checks: ReadonlyArray<Check>): Array<SchemaAST.Filter<unknown>> =>
  checks.flatMap((c) => (c._tag === "FilterGroup" ? flatten(c.checks as ReadonlyArray<Check>) : [c]))

const examplesOf = (ast: SchemaAST.AST): ReadonlyArray<unknown> | undefined => {
  const fromNode = (ast.annotations as { readonly examples?: ReadonlyArray<unknown> } | undefined)?.examples
  if (fromNode !== undefined && fromNode.length > 0) return fromNode
  for (const f of flatten(checksOf(ast))) {
    const ex = (f.annotations as { readonly examples?: ReadonlyArray<unknown> } | undefined)?.examples
    if (ex !== undefined && ex.length > 0) return ex
  }
  return undefined
}

const isIntegerCheck = (f: SchemaAST.Filter<unknown>): boolean =>
  (f.annotations as { readonly arbitraryConstraint?: { readonly number?: string } } | undefined)?.arbitraryConstraint?.number === "integer"

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom("", "é ☃ 😀", 'q"uo\\te\n'))
/**
 * Opaque JSON as a line's text yields it. Through its own text, so that `-0` becomes `0`: the
 * writer spells both `0`, as JSON.stringify does (a `-0` read from a file keeps its raw text).
 */
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)
/** Keys of unknown fields: never a declared name of ours, nor one Codex uses. */
const unknownKey = fc.stringMatching(/^x_[a-z]{1,6}$/)
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x))

const build = (ast: SchemaAST.AST, context: Context, depth: number): fc.Arbitrary<unknown> => {
  const override = context.overrides.get(bodyOf(ast))
  if (override !== undefined) return override
  const examples = examplesOf(ast)
  if (examples !== undefined) return fc.constantFrom(...examples)
  const filters = flatten(checksOf(ast))
  const base = buildBase(ast, filters, context, depth)
  const others = filters.filter((f) => !isIntegerCheck(f))
  if (others.length === 0) return base
  const is = Schema.is(Schema.make(ast))
  return base.filter((v) => is(v))
}

const buildBase = (ast: SchemaAST.AST, filters: ReadonlyArray<SchemaAST.Filter<unknown>>, context: Context, depth: number): fc.Arbitrary<unknown> => {
  switch (ast._tag) {
    case "Null":
      return fc.constant(null)
    case "Undefined":
    case "Void":
      return fc.constant(undefined)
    case "String":
      return text
    case "Number":
      return filters.some(isIntegerCheck) ? fc.oneof(fc.integer(), fc.constantFrom(0, 1_784_012_345_000)) : finite
    case "Boolean":
      return fc.boolean()
    case "BigInt":
      return fc.bigInt()
    case "Literal":
      return fc.constant(ast.literal)
    case "Enum":
      return fc.constantFrom(...ast.enums.map(([, v]) => v))
    case "Unknown":
    case "Any":
      return json
    case "Union":
      return fc.oneof(...ast.types.map((t) => build(t, context, depth + 1)))
    case "Suspend":
      return depth > 6 ? fc.constant(null) : fc.constant(null).chain(() => build(ast.thunk(), context, depth + 1))
    case "Arrays": {
      const elements = ast.elements.map((e) => build(e, context, depth + 1))
      const [rest] = ast.rest
      if (rest === undefined) return fc.tuple(...elements)
      const tail = fc.array(build(rest, context, depth + 1), { maxLength: depth > 3 ? 1 : context.maxLength })
      return fc.tuple(fc.tuple(...elements), tail).map(([head, more]) => [...head, ...more])
    }
    case "Objects":
      return ast.propertySignatures.length === 0 ? record(ast, context, depth) : objects(ast, context, depth)
    default:
      throw new Error(`Arbitrary: unsupported schema node ${ast._tag}`)
  }
}

/** A record (`Schema.Record`): keys and values of its index signature, as many as an array. */
const record = (ast: SchemaAST.Objects, context: Context, depth: number): fc.Arbitrary<unknown> => {
  const [index] = ast.indexSignatures
  if (index === undefined) return fc.constant({})
  const entry = fc.tuple(build(index.parameter, context, depth + 1), build(index.type, context, depth + 1))
  // `Object.fromEntries` defines keys, so a generated `__proto__` stays an ordinary key.
  return fc.uniqueArray(entry, { selector: ([k]) => k, maxLength: depth > 3 ? 1 : context.maxLength }).map((entries) => Object.fromEntries(entries))
}

/**
 * A field with its own transformation (a Codex quirk such as `reasoning.content`) can hold values
 * no line decodes to; such a field's value is passed through its codec (encode, then decode) so
 * that the generated value is one a decoder produces.
 */
const normalizer = (ps: SchemaAST.PropertySignature): ((out: Record<string, unknown>) => void) => {
  const name = String(ps.name)
  const codec = Schema.Struct({ [name]: Schema.make(ps.type) }) as unknown as Schema.Codec<unknown, unknown>
  const encode = Schema.encodeUnknownSync(codec)
  const decode = Schema.decodeUnknownSync(codec)
  return (out) => {
    const decoded = decode(encode(name in out ? { [name]: out[name] } : {})) as Record<string, unknown>
    if (name in decoded) out[name] = decoded[name]
    else delete out[name]
  }
}

const objects = (ast: SchemaAST.Objects, context: Context, depth: number): fc.Arbitrary<unknown> => {
  const required: Record<string, fc.Arbitrary<unknown>> = {}
  const optional: Record<string, fc.Arbitrary<unknown>> = {}
  const names = new Set<string>()
  const normalize: Array<(out: Record<string, unknown>) => void> = []
  for (const ps of ast.propertySignatures) {
    const name = String(ps.name)
    names.add(name)
    const arb = build(ps.type, context, depth + 1)
    if (ps.type.context?.isOptional === true) optional[name] = arb
    else required[name] = arb
    if (ps.type.encoding !== undefined) normalize.push(normalizer(ps))
  }
  const declared = fc.tuple(fc.record(required), fc.record(optional, { requiredKeys: [] })).map(([r, o]) => {
    const out: Record<string, unknown> = {}
    for (const name of names) {
      if (name in r) out[name] = r[name]
      else if (name in o) out[name] = o[name]
    }
    for (const f of normalize) f(out)
    // Declared order, as the encoder writes it.
    const ordered: Record<string, unknown> = {}
    for (const name of names) if (name in out) ordered[name] = out[name]
    return ordered
  })
  const [index] = ast.indexSignatures
  if (index === undefined || context.maxExtraKeys === 0) return declared
  const extraKey = unknownKey.filter((k) => !names.has(k))
  const extras = fc.dictionary(extraKey, build(index.type, context, depth + 1), { maxKeys: context.maxExtraKeys })
  return fc.tuple(declared, extras).map(([d, e]) => ({ ...d, ...e }))
}

/** An arbitrary of `schema`'s decoded values. */
export const of = <S extends Schema.Top>(schema: S, options: Options = {}): fc.Arbitrary<S["Type"]> => {
  const overrides = new Map<unknown, fc.Arbitrary<unknown>>()
  for (const [s, arb] of [...builtIn, ...(options.overrides ?? [])]) overrides.set(bodyOf(s.ast), arb)
  const context: Context = { maxLength: options.maxLength ?? 3, maxExtraKeys: options.maxExtraKeys ?? 1, overrides }
  return build(schema.ast, context, 0) as fc.Arbitrary<S["Type"]>
}
