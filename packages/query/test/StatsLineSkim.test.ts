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
import * as StatsLineSkim from "../src/internal/StatsLineSkim.js"

type Obj = Record<string, unknown>

const STAMP = "2026-07-14T07:06:00.000Z"

/** Payloads of `schema`: plain ones (as Codex writes them) and ones with unknown keys. */
const of = <S extends Parameters<typeof Arbitrary.of>[0]>(schema: S) => fc.oneof(Arbitrary.of(schema, { maxExtraKeys: 0 }), Arbitrary.of(schema))

/** A line StatsLineSkim serves, as Codex writes it (envelope keys first, the payload's tag first). */
const served: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .oneof(of(TurnEvents.TaskStarted), of(TurnEvents.TaskComplete), of(TurnEvents.TurnAborted), of(TurnEvents.TurnComplete))
      .map((payload) => ({ type: "event_msg", payload })),
    fc
      .oneof(of(ResponseItem.FunctionCall), of(ResponseItem.FunctionCallOutput), of(ResponseItem.CustomToolCall), of(ResponseItem.CustomToolCallOutput))
      .map((payload) => ({ type: "response_item", payload })),
    of(TurnContext.TurnContextItem).map((payload) => ({ type: "turn_context", payload }))
  )
  .map((line) => RolloutLine.encode({ timestamp: STAMP, ...line } as unknown as RolloutLine.RolloutLine))

/** What parsing and decoding the line gives: the typed line, or undefined when the reader would not type it. */
const decoded = (buf: Buffer): RolloutLine.RolloutLine | undefined => {
  if (!isUtf8(buf)) return undefined
  let value: unknown
  try {
    value = JSON.parse(buf.toString("utf8"))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const d = StatsDecode.decode(value as Obj)
  return d._tag === "Known" ? d.line : undefined
}

const learnt = (raw: string): StatsLineSkim.Reader => {
  const reader = new StatsLineSkim.Reader()
  const line = decoded(Buffer.from(raw))
  if (line !== undefined) reader.learn(raw, line)
  return reader
}

const read = (reader: StatsLineSkim.Reader, buf: Buffer): RolloutLine.RolloutLine | undefined => {
  const prefix = LinePrefix.read(buf, 0, buf.length)
  return prefix === undefined ? undefined : reader.read(prefix)
}

/** Payload fields whose values vary from line to line within a session (what slots are for). */
const VARYING = new Set([
  "turn_id",
  "call_id",
  "name",
  "output",
  "arguments",
  "input",
  "model",
  "cwd",
  "started_at",
  "completed_at",
  "duration_ms",
  "last_agent_message"
])

/**
 * The varying payload strings and integers replaced by others (now and then any other field too:
 * a literal changed must not be taken for the exemplar's).
 */
const revalued = (raw: string, strings: ReadonlyArray<string>, numbers: ReadonlyArray<number>, any: boolean): string => {
  const value = JSON.parse(raw) as Obj
  const payload = { ...(value["payload"] as Obj) }
  let s = 0
  let n = 0
  for (const [k, v] of Object.entries(payload)) {
    if (k === "type" || !(any || VARYING.has(k))) continue
    if (typeof v === "string" && strings.length > 0) payload[k] = strings[s++ % strings.length]
    else if (Number.isInteger(v) && numbers.length > 0) payload[k] = numbers[n++ % numbers.length]
  }
  return JSON.stringify({ ...value, timestamp: "2026-07-15T08:00:00.123Z", payload })
}

/** One byte changed, removed or inserted at a position. */
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

describe("StatsLineSkim", () => {
  it("types a line from its bytes exactly as parsing and decoding it does, or not at all (revalued, mutated and byte-edited lines)", () => {
    let hits = 0
    let misses = 0
    fc.assert(
      fc.property(
        served,
        fc.array(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", "a\\b", '"', "\n", "\u2028", "\ud800")), { maxLength: 4 }),
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.nat() }, fc.integer(), fc.constant(1e16), fc.double()), { maxLength: 4 }),
        fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, fc.array(Mutation.mutation, { minLength: 1, maxLength: 2 })),
        fc.option(byteEdit, { nil: undefined, freq: 3 }),
        fc.boolean(),
        (raw, strings, numbers, mutations, byte, any) => {
          const reader = learnt(raw)
          const other = mutations.length === 0 ? revalued(raw, strings, numbers, any) : JSON.stringify(Mutation.apply(JSON.parse(raw), mutations))
          let buf: Buffer = Buffer.from(other, "utf8")
          if (byte !== undefined) buf = edit(buf, byte)
          const line = read(reader, buf)
          if (line === undefined) return void misses++
          // A line the reader takes is one the decoder takes, typed the same.
          expect(line).toEqual(decoded(buf))
          hits++
        }
      ),
      { numRuns: 3000 }
    )
    // Not vacuous: revalued lines are read from their bytes, broken ones are not.
    expect(hits).toBeGreaterThan(150)
    expect(misses).toBeGreaterThan(300)
  })

  it("reads the line it learnt from and its kin, and refuses a line whose strings or numbers are not JSON", () => {
    const raw =
      '{"timestamp":"2026-07-14T07:06:00.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"Chunk ID: a\\nWall time: 1.3710 seconds\\nProcess exited with code 0\\nok"}}'
    const reader = learnt(raw)
    expect(read(reader, Buffer.from(raw))).toEqual(decoded(Buffer.from(raw)))
    const kin = raw.replace("call_1", "call_\\u00e9\u00e8").replace("code 0", "code 1 \\ud83d\\ude00 \u{1f600}")
    expect(read(reader, Buffer.from(kin))).toEqual(decoded(Buffer.from(kin)))
    expect(read(reader, Buffer.from(kin))).toMatchObject({ payload: { call_id: "call_éè" } })
    for (const bad of [
      raw.replace("ok", "o\tk"),
      raw.replace("ok", "o\\k"),
      raw.replace("ok", "o\\u12k"),
      raw.replace("ok", 'o"k'),
      raw.replace("call_1", "call\\"),
      raw.replace("call_1", "call\u0001"),
      raw.replace('"output":"', '"output":["').replace('"}}', '"]}}'),
      raw.replace("2026-07-14T07:06:00.000Z", "2026-07-14T07:06:00.000\\u005a"),
      `${raw} `
    ])
      expect([bad, read(reader, Buffer.from(bad))]).toEqual([bad, undefined])
    // Invalid UTF-8 in a string: the reader reports the line, so it is not typed here.
    const broken = Buffer.from(raw.replace("ok", "o\u00e9k"))
    broken[broken.indexOf(0xc3)] = 0xff
    expect(read(reader, broken)).toBeUndefined()
  })

  it("learns nothing from a line the decoder transforms or a tag statistics do not read this way", () => {
    const reader = new StatsLineSkim.Reader()
    const raw = '{"timestamp":"2026-07-14T07:06:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"hi"}}'
    const line = decoded(Buffer.from(raw))
    expect(line).toBeDefined()
    reader.learn(raw, line as RolloutLine.RolloutLine)
    expect(read(reader, Buffer.from(raw))).toBeUndefined()
  })
})
