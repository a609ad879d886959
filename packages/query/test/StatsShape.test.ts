import { isUtf8 } from "node:buffer"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as LinePrefix from "@rollout/log/LinePrefix"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as Mutation from "@rollout/protocol/test/support/Mutation"
import * as StatsDecode from "../src/internal/StatsDecode.js"
import * as StatsShape from "../src/internal/StatsShape.js"
import * as StatsShapes from "../src/internal/StatsShapes.js"
import * as StatsCorpus from "./support/StatsCorpus.js"

type Obj = Record<string, unknown>

const TS = "2026-07-14T07:06:00.000Z"
const line = (type: string) => (payload: unknown) => RolloutLine.encode({ timestamp: TS, type, payload } as unknown as RolloutLine.RolloutLine)

/** Lines of generated sessions, as Codex writes them (token counts aside: `StatsTokenSkim` reads those). */
const sessionLine = fc.tuple(fc.nat(10_000), fc.nat()).map(([seed, pick]) => {
  const rand = StatsCorpus.prng(seed)
  const w = new StatsCorpus.Writer("0198f2a4-5b6c-7d8e-9f00-112233445566", Date.UTC(2026, 6, 14, 8))
  const lines = w.turn(StatsCorpus.randomTurn(rand), " lorem ipsum").filter((l) => !l.includes('"token_count"'))
  return lines[pick % lines.length] as string
})

/** The lines statistics read through shapes: from generated sessions, and any the schemas allow. */
const hotLine = fc.oneof(
  { arbitrary: sessionLine, weight: 6 },
  Arbitrary.of(TurnEvents.TaskStarted).map(line("event_msg")),
  Arbitrary.of(TurnEvents.TaskComplete).map(line("event_msg")),
  Arbitrary.of(TurnEvents.TurnAborted).map(line("event_msg")),
  Arbitrary.of(ResponseItem.FunctionCall).map(line("response_item")),
  Arbitrary.of(ResponseItem.FunctionCallOutput).map(line("response_item")),
  Arbitrary.of(ResponseItem.CustomToolCallOutput).map(line("response_item")),
  Arbitrary.of(TurnContext.TurnContextItem).map(line("turn_context"))
)

/** Text that JSON must escape now and then: quotes, backslashes, control characters, astral and lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom('"', "\\", "\n", "\u0000", "\u001f", "\ud83d\ude00", "\ud800", "é", "x".repeat(60))
)

/** Fields whose text varies between lines of one kind (the rest are tags and settings). */
const VARYING = new Set(["turn_id", "call_id", "name", "arguments", "output", "cwd", "model", "message", "last_agent_message", "text"])

/** The varying strings of a parsed value given other texts, and every number another value, in turn. */
const refilled = (value: unknown, texts: ReadonlyArray<string>, numbers: ReadonlyArray<number>): unknown => {
  let t = 0
  let n = 0
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return texts.length === 0 ? v : texts[t++ % texts.length]
    if (typeof v === "number") return numbers.length === 0 ? v : numbers[n++ % numbers.length]
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" && !VARYING.has(k) ? x : walk(x)]))
    return v
  }
  return walk(value)
}

/** Raw damage a string slot must refuse: bad escapes, raw control bytes, an unclosed string. */
const damage = fc.constantFrom("\\x", "\\u12", "\\", "\u0001", "\t", '"', "\\u00zz")

/** Mostly nothing: most lines must stay whole for the reader to have something to read. */
const rarely = <A>(a: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 })

const byteEdit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom("set", "drop", "insert") })
const edit = (buf: Buffer, e: { at: number; byte: number; op: string }): Buffer => {
  const i = e.at % (buf.length + 1)
  if (e.op === "insert") return Buffer.concat([buf.subarray(0, i), Buffer.of(e.byte), buf.subarray(i)])
  if (i === buf.length) return buf
  if (e.op === "drop") return Buffer.concat([buf.subarray(0, i), buf.subarray(i + 1)])
  const out = Buffer.from(buf)
  out[i] = e.byte
  return out
}

/** What parsing and decoding give: the typed line when the hot-line view types it, else undefined (or `"invalid"` JSON). */
const decoded = (buf: Buffer): RolloutLine.RolloutLine | undefined | "invalid" => {
  let value: unknown
  try {
    value = JSON.parse(buf.toString("utf8"))
  } catch {
    return "invalid"
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "invalid"
  return StatsDecode.view(value as Obj)
}

const learnt = (raw: string): StatsShapes.Shapes => {
  const shapes = new StatsShapes.Shapes()
  const buf = Buffer.from(raw)
  const p = LinePrefix.read(buf, 0, buf.length)
  if (p !== undefined) shapes.learn(p, JSON.parse(raw) as Obj)
  return shapes
}

const read = (shapes: StatsShapes.Shapes, buf: Buffer): RolloutLine.RolloutLine | undefined => {
  const p = LinePrefix.read(buf, 0, buf.length)
  return p === undefined ? undefined : shapes.read(p)
}

describe("StatsShape", () => {
  it("reads a line of a learnt shape exactly as parsing and typing it does, or not at all (refilled, mutated, damaged, byte-edited lines)", () => {
    let hits = 0
    let misses = 0
    fc.assert(
      fc.property(
        hotLine,
        fc.array(text, { maxLength: 8 }),
        fc.array(fc.oneof({ arbitrary: fc.nat(), weight: 8 }, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0)), {
          maxLength: 4
        }),
        fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.array(Mutation.mutation, { minLength: 1, maxLength: 2 })),
        rarely(fc.tuple(fc.nat(), damage)),
        rarely(byteEdit),
        (raw, texts, numbers, mutations, broken, byte) => {
          const shapes = learnt(raw)
          const value = refilled(JSON.parse(raw), texts, numbers)
          let out = JSON.stringify(mutations.length === 0 ? value : Mutation.apply(value, mutations))
          if (broken !== undefined) {
            // Into a string's content, where a slot may be.
            const quotes = [...out.matchAll(/":"/g)].map((m) => (m.index ?? 0) + 3)
            const at = quotes[broken[0] % Math.max(1, quotes.length)] ?? 0
            out = out.slice(0, at) + broken[1] + out.slice(at)
          }
          let buf: Buffer = Buffer.from(out, "utf8")
          if (byte !== undefined) buf = edit(buf, byte)
          // Shapes are read from chunks checked to be valid UTF-8.
          if (!isUtf8(buf)) return
          const got = read(shapes, buf)
          if (got === undefined) return void misses++
          expect(got).toEqual(decoded(buf))
          hits++
        }
      ),
      { numRuns: 3000 }
    )
    // Not vacuous: refilled lines are read from their bytes, broken ones are not.
    expect(hits).toBeGreaterThan(300)
    expect(misses).toBeGreaterThan(300)
  })

  it("reads back the line it learnt from, keeps the exemplar unchanged, and refuses a duplicate key or an exponent", () => {
    const raw = `{"timestamp":"${TS}","type":"response_item","payload":{"type":"function_call","name":"exec","arguments":"{\\"a\\":1}","call_id":"c1"}}`
    const shapes = learnt(raw)
    const other = raw.replace('"c1"', '"c\\u00e9\\n2"').replace('"exec"', '"other"')
    expect(read(shapes, Buffer.from(other))).toEqual(JSON.parse(other))
    expect(read(shapes, Buffer.from(raw))).toEqual(JSON.parse(raw))
    const make = (s: string) => StatsShape.make(Buffer.from(s), 0, Buffer.byteLength(s), JSON.parse(s) as Obj)
    expect(make('{"timestamp":"t","payload":{"n":1,"n":2}}')).toBeUndefined()
    expect(make('{"timestamp":"t","payload":{"n":1e3}}')).toBeUndefined()
    expect(make('{"timestamp":"t","payload":{"\\u006e":1}}')).toBeUndefined()
    const shape = make('{"timestamp":"t","payload":{"n":-1.5,"m":[2,"x"]}}')
    expect(shape).toBeDefined()
    const values: Array<unknown> = []
    const next = '{"timestamp":"u","payload":{"n":-30.5,"m":[7,"x"]}}'
    expect(shape !== undefined && StatsShape.match(shape, Buffer.from(next), 0, next.length, values)).toBe(true)
    if (shape !== undefined) expect(StatsShape.rebuild(shape, values)).toEqual(JSON.parse(next))
  })
})
