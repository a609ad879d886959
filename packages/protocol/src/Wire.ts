/**
 * Building blocks for wire schemas. Every rollout shape is an *open* struct: known fields are
 * typed and written in Codex's declaration order, unknown fields are kept and written after them,
 * so decoding then encoding loses nothing. Tagged families (`type` first) get a tag → schema
 * table so that decoding dispatches on the tag and an unknown tag is kept, not rejected.
 */
import { Result, Schema, SchemaGetter } from "effect"
import * as FastCheck from "./internal/FastCheck.js"
import { floatText, JsonNumber } from "./Json.js"

/** Any JSON value, kept as parsed (opaque subtrees such as MCP results or `world_state.state`). */
export const Json = Schema.Unknown

/** The fields an open struct keeps beyond its declared ones. */
export const Rest = Schema.Record(Schema.String, Json)

/** An open struct: declared fields in order, then whatever else the line carried. */
export const struct = <const Fields extends Schema.Struct.Fields>(fields: Fields) => Schema.StructWithRest(Schema.Struct(fields), [Rest])

/** An open struct whose first field is the literal tag `type`. */
export const tagged = <const Tag extends string, const Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) =>
  struct({ type: Schema.Literal(tag), ...fields })

/** An integer (token counts, `*_ms`, Unix seconds). */
export const Int = Schema.Int

/**
 * An f64 field: decodes from a JSON number, encodes with Rust's spelling (`19.0`). A parsed JSON
 * number decodes to itself, which the annotation tells `FastCheck` (the transformation is opaque).
 */
export const Float = Schema.Number.pipe(
  Schema.encodeTo(Schema.Union([Schema.Number, Schema.instanceOf(JsonNumber)]), {
    decode: SchemaGetter.transform((x: number | JsonNumber) => (typeof x === "number" ? x : x.value)),
    encode: SchemaGetter.transform((n: number) => new JsonNumber(floatText(n)))
  })
).annotate(FastCheck.identityOn((v) => typeof v === "number"))

/** A string enum that also keeps values this version does not know (forward compatibility). */
export const openLiterals = <const L extends ReadonlyArray<string>>(literals: L) => Schema.Union([Schema.Literals(literals), Schema.String])

/** The literal string value of a struct schema's `field` (read from its AST). */
export const literalOf = (schema: Schema.Top, field: string): string => {
  const ast = schema.ast
  if (ast._tag === "Objects") {
    for (const ps of ast.propertySignatures) {
      if (ps.name === field && ps.type._tag === "Literal" && typeof ps.type.literal === "string") return ps.type.literal
    }
  }
  throw new Error(`literalOf: schema has no literal \`${field}\` field`)
}

/** The literal tag of a schema built with {@link tagged} (read from its AST). */
export const tagOf = (schema: Schema.Top): string => literalOf(schema, "type")

/** What decoding one member of a tagged family gave. */
export type Decoded<A> =
  | { readonly _tag: "Known"; readonly value: A }
  | { readonly _tag: "Unknown"; readonly tag: string }
  | { readonly _tag: "Invalid"; readonly tag: string; readonly message: string }

/** A tagged family: its union schema, its tags, and tag-dispatched decode / encode. */
export interface Family<Members extends ReadonlyArray<Schema.Top>> {
  readonly schema: Schema.Union<Members>
  readonly tags: ReadonlySet<string>
  readonly decode: (json: unknown) => Decoded<Members[number]["Type"]>
  /** The encoded (JSON-ready) form of a value, fields in declaration order. */
  readonly encode: (value: Members[number]["Type"]) => unknown
}

const tagFromJson = (json: unknown): string | undefined => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined
  const tag = (json as { readonly type?: unknown }).type
  return typeof tag === "string" ? tag : undefined
}

/**
 * A family of {@link tagged} variants. Decoding looks the tag up instead of trying each member, so
 * a known tag with a bad payload is reported as `Invalid` (it never falls through to a catch-all)
 * and an unknown tag is `Unknown`: the caller keeps the raw JSON.
 */
export const family = <const Members extends ReadonlyArray<Schema.Top>>(members: Members): Family<Members> => {
  const decoders = new Map<string, (u: unknown) => Result.Result<unknown, Schema.SchemaError>>()
  const encoders = new Map<string, (u: unknown) => unknown>()
  for (const m of members) {
    const tag = tagOf(m)
    decoders.set(tag, Schema.decodeUnknownResult(m as Schema.Codec<unknown, unknown>))
    encoders.set(tag, Schema.encodeUnknownSync(m as Schema.Codec<unknown, unknown>))
  }
  return {
    schema: Schema.Union(members),
    tags: new Set(decoders.keys()),
    decode: (json) => {
      const tag = tagFromJson(json)
      if (tag === undefined) return { _tag: "Invalid", tag: "", message: "expected an object with a string `type`" }
      const decode = decoders.get(tag)
      if (decode === undefined) return { _tag: "Unknown", tag }
      const result = decode(json)
      return Result.isSuccess(result)
        ? { _tag: "Known", value: result.success as Members[number]["Type"] }
        : { _tag: "Invalid", tag, message: result.failure.message }
    },
    encode: (value) => {
      const tag = tagFromJson(value)
      const encode = tag === undefined ? undefined : encoders.get(tag)
      if (encode === undefined) throw new Error(`encode: no variant for tag ${String(tag)}`)
      return encode(value)
    }
  }
}
