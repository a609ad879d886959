// Test support: segment encode/decode over chunked bytes, and arbitrary JSONL files of every line kind.
import fc from "fast-check"
import * as SegmentReader from "../../src/internal/SegmentReader.js"
import * as SegmentWriter from "@rollout/log/SegmentWriter"

export const chunked = async function* (bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
  if (bytes.length === 0) return
}

const collect = async (it: AsyncIterable<Uint8Array>) => {
  const parts: Array<Uint8Array> = []
  for await (const p of it) parts.push(p)
  return Buffer.concat(parts)
}

export const encode = (bytes: Uint8Array, size = 1 << 20) => collect(SegmentWriter.encode(chunked(bytes, size)))
export const decode = (bytes: Uint8Array, size = 1 << 20) => collect(SegmentReader.jsonl(chunked(bytes, size)))

/** Lines of every kind the reader meets: canonical and other JSON, garbage, BOM, CR, blanks. */
export const lineArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ v }))),
  fc.object().map((o) => Buffer.from(JSON.stringify(o) ?? "{}")),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ v }, null, 1).replace(/\n/g, " "))),
  fc
    .constantFrom(
      '{"a":-0}',
      '{"__proto__":{"x":1}}',
      '{"a":"\\ud800"}',
      '{"b":2,"1":1}',
      '{"n":19.0}',
      '{"n":1e400}',
      "[1,2]",
      "null",
      " ",
      "",
      "\t\r",
      "{",
      '{"a":1}\r',
      '\uFEFF{"a":1}',
      '{"x":"é ☃ 😀"}'
    )
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.map((x) => (x === 0x0a ? 0x20 : x))))
)

export const fileArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.boolean(), fc.array(lineArb, { maxLength: 30 }), fc.boolean(), fc.boolean())
  .map(([bom, lines, crlf, finalNewline]) => {
    const parts: Array<Uint8Array> = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : []
    lines.forEach((l, i) => {
      parts.push(l)
      if (i < lines.length - 1 || finalNewline) parts.push(Buffer.from(crlf ? "\r\n" : "\n"))
    })
    return Buffer.concat(parts)
  })
