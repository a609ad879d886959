import { isUtf8 } from "node:buffer"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as LinePrefix from "@rollout/log/LinePrefix"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as Mutation from "@rollout/protocol/test/support/Mutation"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsDecode from "../src/internal/StatsDecode.js"
import * as StatsSkeleton from "../src/internal/StatsSkeleton.js"
import * as StatsTokenSkim from "../src/internal/StatsTokenSkim.js"

type Obj = Record<string, unknown>

/** A token count line as Codex writes it (envelope keys first, the payload's tag first). */
const tokenLine = fc.tuple(Arbitrary.of(TurnEvents.TokenCount), fc.option(fc.nat(), { nil: undefined })).map(([payload, ordinal]) =>
  RolloutLine.encode({
    timestamp: "2026-07-14T07:06:00.000Z",
    ...(ordinal === undefined ? {} : { ordinal }),
    type: "event_msg",
    payload
  } as unknown as RolloutLine.RolloutLine)
)

/**
 * Every run of digits of `raw` replaced by another (outside strings or in, and now and then with a
 * leading zero or too long: the reader must refuse what that breaks).
 */
const renumbered = (raw: string, digits: ReadonlyArray<number>): string => {
  let k = 0
  const next = () => digits[k++ % digits.length] as number
  return raw.replace(/[0-9]+/g, (run) => {
    const first = next()
    const length = first === 9 ? run.length + 12 : run.length
    return Array.from({ length }, (_, i) => (i === 0 ? String(first === 0 && k % 3 === 0 ? 0 : Math.max(1, first)) : String(next()))).join("")
  })
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

/** What parsing and decoding the line gives statistics: the count, or undefined when it is no plain token count. */
const decoded = (buf: Buffer): StatsTokenSkim.Count | undefined => {
  if (!isUtf8(buf)) return undefined
  let value: unknown
  try {
    value = JSON.parse(buf.toString("utf8"))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const d = StatsDecode.decode(value as Obj)
  if (d._tag !== "Known" || d.line.type !== "event_msg" || d.line.payload.type !== "token_count") return undefined
  const info = d.line.payload.info
  return {
    timestamp: d.line.timestamp,
    total: info === null || info === undefined ? null : StatsTokens.fromUsage(info.total_token_usage),
    last: info === null || info === undefined ? null : StatsTokens.fromUsage(info.last_token_usage)
  }
}

const learnt = (raw: string): StatsTokenSkim.Reader => {
  const reader = new StatsTokenSkim.Reader()
  const d = StatsDecode.decode(JSON.parse(raw) as Obj)
  if (d._tag === "Known") reader.learn(raw, d.line)
  return reader
}

const read = (reader: StatsTokenSkim.Reader, buf: Buffer): StatsTokenSkim.Count | undefined => {
  const prefix = LinePrefix.read(buf, 0, buf.length)
  return prefix === undefined ? undefined : reader.read(prefix)
}

describe("StatsTokenSkim", () => {
  it("reads a token count from its bytes exactly as parsing and decoding it does, or not at all (renumbered, mutated and byte-edited lines)", () => {
    let hits = 0
    let misses = 0
    fc.assert(
      fc.property(
        tokenLine,
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 }),
        fc.array(Mutation.mutation, { maxLength: 2 }),
        fc.option(byteEdit, { nil: undefined, freq: 2 }),
        (raw, digits, mutations, byte) => {
          const reader = learnt(raw)
          const mutated = mutations.length === 0 ? renumbered(raw, digits) : JSON.stringify(Mutation.apply(JSON.parse(raw), mutations))
          let buf: Buffer = Buffer.from(mutated, "utf8")
          if (byte !== undefined) buf = edit(buf, byte)
          const count = read(reader, buf)
          if (count === undefined) return void misses++
          // A line the reader takes is one the decoder takes, with the same figures.
          expect(count).toEqual(decoded(buf))
          hits++
        }
      ),
      { numRuns: 3000 }
    )
    // Not vacuous: renumbered lines are read from their bytes, broken ones are not.
    expect(hits).toBeGreaterThan(100)
    expect(misses).toBeGreaterThan(300)
  })

  it("reads the line it learnt from, and refuses a line whose numbers lose their meaning", () => {
    const raw =
      '{"timestamp":"2026-07-14T07:06:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"cached_input_tokens":2,"output_tokens":3,"reasoning_output_tokens":1,"total_tokens":13},"last_token_usage":{"input_tokens":10,"cached_input_tokens":2,"output_tokens":3,"reasoning_output_tokens":1,"total_tokens":13},"model_context_window":258400},"rate_limits":{"primary":{"used_percent":19.0,"window_minutes":300}}}}'
    const reader = learnt(raw)
    expect(read(reader, Buffer.from(raw))).toEqual(decoded(Buffer.from(raw)))
    const other = raw.replace('"input_tokens":10,', '"input_tokens":123456789012345,').replace('"used_percent":19.0', '"used_percent":7.0')
    expect(read(reader, Buffer.from(other))?.total?.input).toBe(123456789012345)
    for (const bad of [
      raw.replace('"input_tokens":10,', '"input_tokens":010,'),
      raw.replace('"input_tokens":10,', '"input_tokens":1234567890123456,'),
      raw.replace('"input_tokens":10,', '"input_tokens":,'),
      raw.replace("2026-07-14T07:06:00.000Z", "2026-07-14T07:06:00.000\\u005a"),
      raw.replace("2026-07-14T07:06:00.000Z", "2026-07-14T07:06:00.000\u00e9"),
      `${raw} `
    ])
      expect([bad, read(reader, Buffer.from(bad))]).toEqual([bad, undefined])
  })

  it("makes no skeleton of a line with a duplicate key or an exponent", () => {
    const wanted = ["payload.n"]
    const make = (s: string) => StatsSkeleton.make(Buffer.from(s), 0, Buffer.byteLength(s), wanted)
    expect(make('{"timestamp":"t","payload":{"n":1}}')?.fields).toEqual(Int32Array.of(1))
    expect(make('{"timestamp":"t","payload":{"n":1,"n":2}}')).toBeUndefined()
    expect(make('{"timestamp":"t","payload":{"n":1e3}}')).toBeUndefined()
    expect(make('{"timestamp":"t","payload":{"n":-1}}')).toBeUndefined()
    expect(make('{"timestamp":"t","payload":{"\\u006e":1}}')).toBeUndefined()
  })
})
