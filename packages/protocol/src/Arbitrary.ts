/**
 * fast-check arbitraries derived from the wire schemas, for property tests: `of(schema)` walks the
 * schema's AST and generates values of its *type* side (open structs get a few extra unknown keys,
 * so that preservation is exercised too). Checks it cannot construct values for are met by the
 * check's `examples` annotation, or else by filtering. Test support only: fast-check is a peer
 * dependency that production code never loads.
 */
import * as fc from "fast-check"
import { Schema, type SchemaAST } from "effect"

export interface Options {
  /** Longest generated array. */
  readonly maxLength?: number
  /** Unknown keys added to an open struct, at most. */
  readonly maxExtraKeys?: number
}

type Check = SchemaAST.Check<unknown>

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
const json = fc.jsonValue({ maxDepth: 2 })
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x))

const build = (ast: SchemaAST.AST, options: Required<Options>, depth: number): fc.Arbitrary<unknown> => {
  const examples = examplesOf(ast)
  if (examples !== undefined) return fc.constantFrom(...examples)
  const filters = flatten(checksOf(ast))
  const base = buildBase(ast, filters, options, depth)
  const others = filters.filter((f) => !isIntegerCheck(f))
  if (others.length === 0) return base
  const is = Schema.is(Schema.make(ast))
  return base.filter((v) => is(v))
}

const buildBase = (
  ast: SchemaAST.AST,
  filters: ReadonlyArray<SchemaAST.Filter<unknown>>,
  options: Required<Options>,
  depth: number
): fc.Arbitrary<unknown> => {
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
      return fc.oneof(...ast.types.map((t) => build(t, options, depth + 1)))
    case "Suspend":
      return depth > 6 ? fc.constant(null) : fc.constant(null).chain(() => build(ast.thunk(), options, depth + 1))
    case "Arrays": {
      const elements = ast.elements.map((e) => build(e, options, depth + 1))
      const [rest] = ast.rest
      if (rest === undefined) return fc.tuple(...elements)
      const tail = fc.array(build(rest, options, depth + 1), { maxLength: depth > 3 ? 1 : options.maxLength })
      return fc.tuple(fc.tuple(...elements), tail).map(([head, more]) => [...head, ...more])
    }
    case "Objects":
      return objects(ast, options, depth)
    default:
      throw new Error(`Arbitrary: unsupported schema node ${ast._tag}`)
  }
}

const objects = (ast: SchemaAST.Objects, options: Required<Options>, depth: number): fc.Arbitrary<unknown> => {
  const required: Record<string, fc.Arbitrary<unknown>> = {}
  const optional: Record<string, fc.Arbitrary<unknown>> = {}
  const names = new Set<string>()
  for (const ps of ast.propertySignatures) {
    const name = String(ps.name)
    names.add(name)
    const arb = build(ps.type, options, depth + 1)
    if (ps.type.context?.isOptional === true) optional[name] = arb
    else required[name] = arb
  }
  const declared = fc.tuple(fc.record(required), fc.record(optional, { requiredKeys: [] })).map(([r, o]) => {
    // Declared order, as the encoder writes it.
    const out: Record<string, unknown> = {}
    for (const ps of ast.propertySignatures) {
      const name = String(ps.name)
      if (name in r) out[name] = r[name]
      else if (name in o) out[name] = o[name]
    }
    return out
  })
  const [index] = ast.indexSignatures
  if (index === undefined || options.maxExtraKeys === 0) return declared
  const extraKey = fc.stringMatching(/^x_[a-z]{1,6}$/).filter((k) => !names.has(k))
  const extras = fc.dictionary(extraKey, build(index.type, options, depth + 1), { maxKeys: options.maxExtraKeys })
  return fc.tuple(declared, extras).map(([d, e]) => ({ ...d, ...e }))
}

/** An arbitrary of `schema`'s decoded values. */
export const of = <S extends Schema.Top>(schema: S, options: Options = {}): fc.Arbitrary<S["Type"]> =>
  build(schema.ast, { maxLength: options.maxLength ?? 3, maxExtraKeys: options.maxExtraKeys ?? 1 }, 0) as fc.Arbitrary<S["Type"]>
