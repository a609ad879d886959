import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as BackwardReader from "@rollout/log/BackwardReader"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"

const PATH = "/m/rollout.jsonl"

const backward = async (bytes: Uint8Array, options: BackwardReader.Options = {}) => {
  const out: Array<BackwardReader.Entry> = []
  for await (const batch of BackwardReader.batches(Files.memory({ [PATH]: bytes }), PATH, options)) {
    expect(batch.length).toBeGreaterThan(0)
    out.push(...batch)
  }
  return out
}

const forward = async (bytes: Uint8Array, maxLineBytes?: number) => {
  const out: Array<BackwardReader.Entry> = []
  for await (const batch of RolloutReader.batches(Files.memory({ [PATH]: bytes }, 7), PATH, maxLineBytes === undefined ? {} : { maxLineBytes }))
    out.push(...batch)
  return out
}

/** What both readers agree on: line numbers are the forward reader's alone. */
const comparable = (entries: ReadonlyArray<BackwardReader.Entry>) =>
  entries.map((e) =>
    e._tag === "Line"
      ? { offset: e.offset, raw: e.raw, value: e.value, terminated: e.terminated }
      : { offset: e.byteOffset, kind: e.kind, message: e.kind === "line_too_long" ? "" : e.message }
  )

describe("BackwardReader", () => {
  it("given LF-terminated lines, yields them newest first with their byte offsets", async () => {
    const entries = await backward(Buffer.from('{"a":1}\n{"b":"é"}\n'), { blockSize: 3 })
    expect(comparable(entries)).toEqual([
      { offset: 8, raw: '{"b":"é"}', value: { b: "é" }, terminated: true },
      { offset: 0, raw: '{"a":1}', value: { a: 1 }, terminated: true }
    ])
  })

  it("given a torn last line, reports it and still reads every line before it", async () => {
    const entries = await backward(Buffer.from('{"a":1}\n{"b":2}\n{"c":'))
    expect(entries.map((e) => (e._tag === "Line" ? e.raw : e.kind))).toEqual(["truncated_line", '{"b":2}', '{"a":1}'])
  })

  it("given a BOM, reports it after line 1 (newest first) and reads line 1", async () => {
    const entries = await backward(Buffer.from('\uFEFF{"a":1}\n{"b":2}\n'), { blockSize: 2 })
    expect(entries.map((e) => (e._tag === "Line" ? `${e.offset}:${e.raw}` : `${e.line}:${e.kind}`))).toEqual(['11:{"b":2}', '3:{"a":1}', "1:bom"])
  })

  it("given a line longer than the limit, skips it without holding it and reads the lines around it", async () => {
    const big = `{"x":"${"y".repeat(100)}"}`
    const entries = await backward(Buffer.from(`{"a":1}\n${big}\n{"b":2}\n`), { blockSize: 16, maxLineBytes: 50 })
    expect(entries.map((e) => (e._tag === "Line" ? e.raw : `${e.kind}@${e.byteOffset}: ${e.message}`))).toEqual([
      '{"b":2}',
      `line_too_long@8: line of ${big.length} bytes exceeds the limit of 50 bytes; skipped`,
      '{"a":1}'
    ])
  })

  it("given an empty or blank file, reports it as the forward reader does", async () => {
    expect((await backward(new Uint8Array(0))).map((e) => e._tag === "Diagnostic" && e.kind)).toEqual(["empty_file"])
    expect(comparable(await backward(Buffer.from(" \n\n")))).toEqual(comparable(await forward(Buffer.from(" \n\n"))))
  })

  it("stops reading when the consumer stops: only the last blocks are read", async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i }))
    const bytes = Buffer.from(`${lines.join("\n")}\n`)
    const memory = Files.memory({ [PATH]: bytes })
    let read = 0
    const counting: Files.Shape = { ...memory, read: async (p, at, n) => ((read += n), memory.read!(p, at, n)) }
    for await (const batch of BackwardReader.batches(counting, PATH, { blockSize: 64 })) {
      if (batch.some((e) => e._tag === "Line" && (e.value as { i: number }).i === 990)) break
    }
    expect(read).toBeLessThanOrEqual(64 * 4)
  })

  it("cannot read a zstd file or a file system without seeking", async () => {
    expect(BackwardReader.supports(Files.node, "/x/rollout.jsonl.zst")).toBe(false)
    expect(BackwardReader.supports(Files.node, "/x/rollout.jsonl")).toBe(true)
    const { read: _read, ...noSeek } = Files.memory({ [PATH]: "{}\n" })
    expect(BackwardReader.supports(noSeek, PATH)).toBe(false)
  })

  // Pieces a damaged rollout is made of: good lines, CRLF, blank lines, garbage, invalid UTF-8,
  // non-objects, multi-byte text, long lines; optionally a BOM and no final LF.
  const piece = fc.oneof(
    fc.record({ n: fc.nat(), s: fc.string({ maxLength: 30 }) }).map((v) => Buffer.from(`${JSON.stringify(v)}\n`)),
    fc.constant(Buffer.from('{"crlf":true}\r\n')),
    fc.constantFrom(Buffer.from("\n"), Buffer.from("  \t\n"), Buffer.from("\r\n")),
    fc.constantFrom(Buffer.from("{not json\n"), Buffer.from("[1,2]\n"), Buffer.from("null\n"), Buffer.from('"s"\n')),
    fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a])),
    fc.constant(Buffer.from('{"t":"ünïcødé ✓ 😀"}\n')),
    fc.nat(120).map((n) => Buffer.from(`{"long":"${"z".repeat(n)}"}\n`))
  )
  const file = fc
    .record({
      bom: fc.boolean(),
      pieces: fc.array(piece, { maxLength: 25 }),
      torn: fc.oneof(fc.constant(""), fc.constant('{"torn":'), fc.constant('{"whole":1}'), fc.constant("  "))
    })
    .map(({ bom, pieces, torn }) => Buffer.concat([Buffer.from(bom ? "\uFEFF" : ""), ...pieces, Buffer.from(torn)]))

  it("read to the start, yields the forward reader's entries in reverse, for any block size", async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 64 }), async (bytes, blockSize) => {
        const back = await backward(bytes, { blockSize })
        const fwd = await forward(bytes)
        expect(comparable(back).reverse()).toEqual(comparable(fwd))
      }),
      { numRuns: 300 }
    )
  })

  it("with a line limit, skips the same over-long lines as the forward reader", async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 64 }), async (bytes, blockSize) => {
        const back = await backward(bytes, { blockSize, maxLineBytes: 60 })
        const fwd = await forward(bytes, 60)
        // Edges where the forward reader depends on its chunking: a skipped line inside one chunk
        // does not count against "empty_file", and a BOM on an over-long first line.
        const stable = (es: ReadonlyArray<BackwardReader.Entry>) =>
          comparable(es.filter((e) => !(e._tag === "Diagnostic" && (e.kind === "empty_file" || e.kind === "bom"))))
        expect(stable(back).reverse()).toEqual(stable(fwd))
      }),
      { numRuns: 200 }
    )
  })
})
