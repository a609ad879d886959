import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { LineFramer, type Skimmed } from "@rollout/log/LineFramer"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import * as IndexLines from "../src/internal/IndexLines.js"

type Mark = "a" | "b"

/** A judge over a few names: some skipped, some parsed, some marked, the rest parsed. */
const judge = (p: LinePrefix.Prefix): IndexLines.Verdict<Mark> => {
  if (p.type === "noise" || p.tag === "noise") return "skip"
  if (p.type === "event_msg" && p.tag === "count") return { mark: "a" }
  if (p.type === "context") return { mark: "b" }
  return "parse"
}

type Seen =
  | { readonly kind: "line"; readonly value: unknown; readonly offset: number; readonly line: number }
  | { readonly kind: Mark; readonly offset: number }

/** What `LineFramer` with the judge as its skim hands over, as the index reads it. */
const viaFramer = (chunks: ReadonlyArray<Uint8Array>): { readonly seen: Array<Seen>; readonly lines: number } => {
  const marks: Array<Mark | undefined> = []
  const framer = new LineFramer<Skimmed>("f", {
    skim: (p) => {
      const v = judge(p)
      if (v === "parse") return true
      marks.push(v === "skip" ? undefined : v.mark)
      return false
    }
  })
  const seen: Array<Seen> = []
  let lines = 0
  const take = (entries: ReadonlyArray<{ readonly _tag: string }>) => {
    for (const e of entries as ReadonlyArray<{ _tag: string; value?: unknown; offset: number; line: number }>) {
      if (e._tag === "Line") seen.push({ kind: "line", value: e.value, offset: e.offset, line: e.line })
      else if (e._tag === "Skimmed") {
        const mark = marks.shift()
        if (mark !== undefined) seen.push({ kind: mark, offset: e.offset })
      }
    }
  }
  for (const c of chunks) {
    take(framer.push(c))
    for (const b of c) if (b === 0x0a) lines++
  }
  take(framer.end())
  return { seen, lines }
}

const viaIndexLines = (chunks: ReadonlyArray<Uint8Array>): { readonly seen: Array<Seen>; readonly lines: number } => {
  const seen: Array<Seen> = []
  const framer = new IndexLines.IndexLines(new IndexLines.Envelopes<Mark>(judge), {
    line: (value, offset, line) => seen.push({ kind: "line", value, offset, line }),
    mark: (mark, offset) => seen.push({ kind: mark, offset })
  })
  for (const c of chunks) framer.push(Buffer.from(c))
  const lines = framer.lines
  framer.end()
  return { seen, lines }
}

const name = fc.constantFrom("event_msg", "response_item", "noise", "context", "count", "x", "évé")
const envelopeLine = fc
  .record({
    ts: fc.constantFrom("2026-01-01T00:00:00.000Z", 'a"b', "x\\y", "é"),
    ordinal: fc.option(fc.nat(99)),
    type: name,
    tag: fc.option(name),
    rest: fc.constantFrom("", ',"n":1', ',"s":"é\\n"')
  })
  .map(
    ({ ts, ordinal, type, tag, rest }) =>
      `{"timestamp":${JSON.stringify(ts)},${ordinal === null ? "" : `"ordinal":${ordinal},`}"type":"${type}","payload":{${tag === null ? '"k":0' : `"type":"${tag}"`}${rest}}}`
  )
const oddLine = fc.constantFrom("", "   ", "\r", "[1,2]", "null", "{not json", '{"a":1}\r', "\uFEFF{}", '{"timestamp":"t","type":"noise"', "{}")
const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s)
const line = fc.oneof(
  { weight: 4, arbitrary: envelopeLine.map(bytesOf) },
  { weight: 2, arbitrary: oddLine.map(bytesOf) },
  // Invalid UTF-8 inside an otherwise skimmable or parsed line.
  { weight: 1, arbitrary: envelopeLine.map((l) => Uint8Array.from([...bytesOf(l.slice(0, -2)), 0xff, ...bytesOf(l.slice(-2))])) }
)

/** The content, cut into chunks at the given points. */
const cut = (content: Uint8Array, points: ReadonlyArray<number>): Array<Uint8Array> => {
  const at = [...new Set(points.map((p) => p % (content.length + 1)))].sort((a, b) => a - b)
  const chunks: Array<Uint8Array> = []
  let prev = 0
  for (const p of [...at, content.length]) {
    chunks.push(content.subarray(prev, p))
    prev = p
  }
  return chunks
}

describe("IndexLines (the index's framing of plain rollouts)", () => {
  it("delivers the lines LineFramer parses and marks the lines it skims, with the same offsets and line numbers, however the bytes are chunked", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(line, { maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.nat(4000), { maxLength: 12 }),
        (bom, lines, terminated, points) => {
          const joined = lines.flatMap((l) => [...l, 0x0a])
          if (!terminated && joined.length > 0) joined.pop()
          const content = Uint8Array.from([...(bom ? [0xef, 0xbb, 0xbf] : []), ...joined])
          const chunks = cut(content, points)
          expect(viaIndexLines(chunks)).toEqual(viaFramer(chunks))
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("given a line of an unknown shape, then it is parsed; given a skipped name, then nothing is delivered", () => {
    const text = '{"timestamp":"t","type":"noise","payload":{"type":"x"}}\n{"type":"noise"}\n{"timestamp":"t","type":"context","payload":{}}\n'
    const { seen } = viaIndexLines([bytesOf(text)])
    expect(seen).toEqual([
      { kind: "line", value: { type: "noise" }, offset: 56, line: 2 },
      { kind: "b", offset: 73 }
    ])
  })
})
