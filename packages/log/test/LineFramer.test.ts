import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Entry, LineFramer } from "@rollout/log/LineFramer"

const frame = (bytes: Uint8Array, cuts: ReadonlyArray<number> = [], maxLineBytes?: number): Array<Entry> => {
  const framer = new LineFramer("f.jsonl", maxLineBytes === undefined ? {} : { maxLineBytes })
  const out: Array<Entry> = []
  let at = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...framer.push(bytes.subarray(at, cut)))
    at = cut
  }
  out.push(...framer.push(bytes.subarray(at)), ...framer.end())
  return out
}

const summary = (entries: ReadonlyArray<Entry>) =>
  entries.map((e) => (e._tag === "Line" ? { line: e.line, offset: e.offset, raw: e.raw } : { line: e.line, offset: e.byteOffset, kind: e.kind }))

describe("LineFramer", () => {
  it("given LF-terminated lines, delivers each with its line number, byte offset and raw text", () => {
    const entries = frame(Buffer.from('{"a":1}\n{"b":"é"}\n'))
    expect(summary(entries)).toEqual([
      { line: 1, offset: 0, raw: '{"a":1}' },
      { line: 2, offset: 8, raw: '{"b":"é"}' }
    ])
  })

  it("given a line longer than the limit, skips it without holding it and delivers the next", () => {
    const big = `{"x":"${"y".repeat(100)}"}`
    const entries = frame(Buffer.from(`{"a":1}\n${big}\n{"b":2}\n`), [20, 40, 60], 50)
    expect(summary(entries)).toEqual([
      { line: 1, offset: 0, raw: '{"a":1}' },
      { line: 2, offset: 8, kind: "line_too_long" },
      { line: 3, offset: 8 + big.length + 1, raw: '{"b":2}' }
    ])
  })

  it("delivers the same entries however the bytes are cut into chunks", () => {
    const text = '\uFEFF{"a":1}\r\n\n  \n{"b":[1,2]}\nnot json\n[1]\n{"c":"ünï"}\n{"d":'
    const bytes = Buffer.from(text)
    const whole = frame(bytes)
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
        expect(frame(bytes, cuts)).toEqual(whole)
      })
    )
  })
})
