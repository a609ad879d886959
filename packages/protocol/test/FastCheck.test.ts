import { Effect, Result, Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as FastCheck from "../src/internal/FastCheck.js"
import * as Json from "@rollout/protocol/Json"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as Wire from "@rollout/protocol/Wire"
import * as Mutation from "./support/Mutation.js"

type Codec = Schema.Codec<unknown, unknown>

/** The decoder's verdict, the reference the derived check must never contradict. */
const decodesToItself = (schema: Schema.Top, v: unknown): boolean => {
  const r = Schema.decodeUnknownResult(schema as Codec)(v)
  return Result.isSuccess(r) && (expect(r.success).toEqual(v), true)
}

/** A generated value of `schema` as a file holds it: encoded, written, parsed back. */
const asRead = (schema: Schema.Top) => {
  const encode = Schema.encodeUnknownSync(schema as Codec)
  return Arbitrary.of(schema, { maxLength: 2 }).map((value) => JSON.parse(Json.stringify(encode(value))) as unknown)
}

const schemas: ReadonlyArray<readonly [string, Schema.Top]> = [
  ...RolloutLine.RolloutLine.members.map((s) => [`line ${Wire.tagOf(s)}`, s] as const),
  ...EventMsg.EventMsg.schema.members.map((s) => [`event ${Wire.tagOf(s)}`, s] as const),
  ...ResponseItem.ResponseItem.schema.members.map((s) => [`item ${Wire.tagOf(s)}`, s] as const),
  ["TurnContextItem", TurnContext.TurnContextItem]
]

describe("FastCheck derived from every wire schema", () => {
  it("given generated values of each schema and their mutations, the check accepts only values that decode to themselves", () => {
    let accepted = 0
    let acceptedMutated = 0
    const pick = fc
      .constantFrom(...schemas)
      .chain(([name, schema]) => fc.tuple(fc.constant(name), fc.constant(schema), asRead(schema), fc.array(Mutation.mutation, { maxLength: 2 })))
    fc.assert(
      fc.property(pick, ([name, schema, value, ms]) => {
        const v = Mutation.apply(value, ms)
        if (!FastCheck.of(schema)(v)) return
        expect(decodesToItself(schema, v), name).toBe(true)
        if (ms.length === 0) accepted++
        else acceptedMutated++
      }),
      { numRuns: 3000 }
    )
    // Not vacuous: plain values, and some harmless mutations of them, pass.
    expect(accepted).toBeGreaterThan(300)
    expect(acceptedMutated).toBeGreaterThan(0)
  })

  it("given the hot shapes without unknown fields, then the check accepts them (the fast path is taken)", () => {
    for (const schema of [EventMsg.EventMsg.schema, ResponseItem.FunctionCall, TurnContext.TurnContextItem]) {
      const check = FastCheck.of(schema)
      const encode = Schema.encodeUnknownSync(schema as Codec)
      let passed = 0
      fc.assert(
        fc.property(Arbitrary.of(schema, { maxExtraKeys: 0, maxLength: 2 }), (value) => {
          if (check(JSON.parse(Json.stringify(encode(value))))) passed++
        }),
        { numRuns: 200 }
      )
      expect(passed).toBeGreaterThan(100)
    }
  })
})

describe("FastCheck is conservative where it cannot read a schema exactly", () => {
  const cases: ReadonlyArray<readonly [string, Schema.Top, unknown]> = [
    ["a transformation", Schema.NumberFromString, "1"],
    ["a field with a decoding default", Schema.Struct({ a: Schema.optionalKey(Schema.Number).pipe(Schema.withDecodingDefaultKey(Effect.succeed(1))) }), {}],
    ["a filter of unknown meaning", Schema.String.check(Schema.makeFilter((s: string) => s !== "x")), "y"],
    ["an unknown field of a closed struct (the decoder drops it)", Schema.Struct({ a: Schema.Number }), { a: 1, b: 2 }],
    ["an unknown field of an open struct", Wire.struct({ a: Schema.Number }), { a: 1, b: 2 }],
    // The first member decodes `{a, b}` too, dropping `b`.
    [
      "a union whose earlier member would strip a field",
      Schema.Union([Schema.Struct({ a: Schema.Number }), Schema.Struct({ a: Schema.Number, b: Schema.Number })]),
      { a: 1, b: 2 }
    ],
    ["a declaration", Schema.instanceOf(Json.JsonNumber), new Json.JsonNumber("1")],
    ["a field named __proto__", Wire.struct({ a: Schema.Number }), JSON.parse('{"a":1,"__proto__":{}}')]
  ]
  it.each(cases)("%s: not fast", (_, schema, value) => {
    expect(FastCheck.of(schema)(value)).toBe(false)
  })

  it("reads the checks Effect names: integers, finite numbers, lengths, minimums", () => {
    expect(FastCheck.of(Wire.Int)(1)).toBe(true)
    expect(FastCheck.of(Wire.Int)(1.5)).toBe(false)
    expect(FastCheck.of(Wire.Int)(2 ** 53)).toBe(false)
    expect(FastCheck.of(Schema.NonEmptyString)("")).toBe(false)
    expect(FastCheck.of(Schema.NonEmptyString)("a")).toBe(true)
    expect(FastCheck.of(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))(-1)).toBe(false)
    expect(FastCheck.of(Schema.Finite)(1e308)).toBe(true)
  })

  it("Wire.Float's identity annotation is true: every JSON number decodes to itself", () => {
    const check = FastCheck.of(Wire.Float)
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string(), fc.constant(null)), (v) => {
        const n = JSON.parse(JSON.stringify(v)) as unknown
        expect(check(n)).toBe(typeof n === "number")
        if (check(n)) expect(decodesToItself(Wire.Float, n)).toBe(true)
      })
    )
  })

  it("reasoning's content is fast when written (null or an array) and left to the decoder when absent (it reads as [])", () => {
    const check = FastCheck.of(ResponseItem.Reasoning)
    const item = { type: "reasoning", id: "r", summary: [{ type: "summary_text", text: "s" }], encrypted_content: null }
    for (const content of [null, [], [{ type: "reasoning_text", text: "t" }], [{ type: "text", text: "t" }]]) {
      const written = { ...item, content }
      expect(check(written)).toBe(true)
      expect(decodesToItself(ResponseItem.Reasoning, written)).toBe(true)
    }
    expect(check(item)).toBe(false)
    expect(check({ ...item, content: [{ type: "other", text: "t" }] })).toBe(false)
    expect(check({ ...item, content: "t" })).toBe(false)
  })

  it("a union of primitives with a plain string member (an open enum) agrees with the decoder on every value, both ways", () => {
    // Listed strings, a filtered string, numbers and null beside any string: only the plain string makes the other strings redundant.
    const unions: ReadonlyArray<Schema.Top> = [
      Wire.openLiterals(["a", "b"]),
      Schema.NullOr(Wire.openLiterals(["a", "b"])),
      Schema.Union([Schema.Literal(1), Schema.String, Schema.Literals(["a", "bb"]), Schema.Null]),
      Schema.Union([Schema.Literal("a"), Schema.NonEmptyString, Schema.Number]),
      Schema.Union([Schema.Literals(["a", "b"]), Schema.Int, Schema.String.check(Schema.isMinLength(2))])
    ]
    const value = fc.oneof(fc.constantFrom("a", "b", "bb", "", "c", 1, 1.5, 2, null, true), fc.string(), fc.double(), fc.object())
    for (const schema of unions) {
      const check = FastCheck.of(schema)
      fc.assert(
        fc.property(value, (v) => {
          const r = Schema.decodeUnknownResult(schema as Codec)(v)
          expect(check(v)).toBe(Result.isSuccess(r) && r.success === v)
        })
      )
    }
  })

  it("a recursive schema is compiled lazily and checked to any depth", () => {
    interface Tree {
      readonly children: ReadonlyArray<Tree>
    }
    const Tree: Schema.Codec<Tree> = Schema.Struct({ children: Schema.Array(Schema.suspend(() => Tree)) })
    expect(FastCheck.of(Tree)({ children: [{ children: [] }, { children: [{ children: [] }] }] })).toBe(true)
    expect(FastCheck.of(Tree)({ children: [{ children: [1] }] })).toBe(false)
  })
})
