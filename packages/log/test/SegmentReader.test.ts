import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type { Entry } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import { encode, fileArb } from "./support/SegmentFiles.js"

const read = async (files: Record<string, Uint8Array | string>, file: string, chunkSize = 7, options: RolloutReader.Options = {}) => {
  const out: Array<Entry> = []
  for await (const batch of RolloutReader.batches(Files.memory(files, chunkSize), file, options)) {
    expect(batch.length).toBeGreaterThan(0)
    for (const e of batch) out.push(e)
  }
  // Lines read from a segment compute `raw` on demand (a getter): compare it as a plain field.
  return out.map((e) => (e._tag === "Line" ? { _tag: e._tag, line: e.line, offset: e.offset, raw: e.raw, value: e.value, terminated: e.terminated } : e))
}

const rollouts = path.resolve(import.meta.dirname, "../../../rollouts/sessions")
const realFiles = (dir: string): Array<string> =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? realFiles(path.join(dir, e.name)) : e.name.endsWith(".jsonl") ? [path.join(dir, e.name)] : []))

describe("SegmentReader: a segment reads exactly as its JSONL", () => {
  it("same lines, offsets, values, raw text and diagnostics for arbitrary files (by magic and by .rseg name)", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 50 }), async (file, size) => {
        const segment = await encode(file)
        const expected = await read({ "x.jsonl": file }, "x.jsonl", size)
        expect(await read({ "x.jsonl": segment }, "x.jsonl", size)).toEqual(expected)
        const renamed = expected.map((e) => ("path" in e ? { ...e, path: "x.rseg" } : e))
        expect(await read({ "x.rseg": segment }, "x.rseg", size)).toEqual(renamed)
      }),
      { numRuns: 200 }
    )
  })

  it("the real rollouts in rollouts/ read identically", async () => {
    const paths = realFiles(rollouts)
    expect(paths.length).toBeGreaterThan(0)
    for (const p of paths) {
      const bytes = fs.readFileSync(p)
      const segment = await encode(bytes)
      const lines = await read({ "r.jsonl": segment }, "r.jsonl", 1 << 16)
      expect(lines).toEqual(await read({ "r.jsonl": bytes }, "r.jsonl", 1 << 16))
      expect(lines.every((e) => e._tag === "Line")).toBe(true)
    }
  })

  it("values msgpack cannot carry exactly (-0, lone surrogates, __proto__) come out as JSON.parse makes them", async () => {
    const file = Buffer.from('{"a":-0}\n{"s":"\\ud800"}\n{"__proto__":{"x":1}}\n{"ok":[1.5,null,true]}\n')
    const lines = (await read({ "x.rseg": await encode(file) }, "x.rseg")).flatMap((e) => (e._tag === "Line" ? [e.value] : []))
    expect(Object.is((lines[0] as { a: number }).a, -0)).toBe(true)
    expect((lines[1] as { s: string }).s).toBe("\ud800")
    expect(Object.keys(lines[2] ?? {})).toEqual(["__proto__"])
    expect(lines[3]).toEqual({ ok: [1.5, null, true] })
  })

  it("honours maxLineBytes like the JSONL reader", async () => {
    const file = Buffer.from(`{"a":1}\n{"b":"${"x".repeat(100)}"}\n{"c":3}\n`)
    const options = { maxLineBytes: 50 }
    expect(await read({ "x.jsonl": await encode(file) }, "x.jsonl", 1000, options)).toEqual(await read({ "x.jsonl": file }, "x.jsonl", 1000, options))
  })

  it("an empty file and a file of blank lines give the JSONL reader's empty_file diagnostic", async () => {
    for (const content of ["", "\n \n\t\n"]) {
      const file = Buffer.from(content)
      const expected = (await read({ "x.jsonl": file }, "x.jsonl")).map((e) => ({ ...e, path: "x.rseg" }))
      expect(await read({ "x.rseg": await encode(file) }, "x.rseg")).toEqual(expected)
    }
  })
})

describe("SegmentReader: damage is a diagnostic, never a crash", () => {
  const file = Buffer.from(`${Array.from({ length: 30000 }, (_, i) => JSON.stringify({ i, text: "y".repeat(i % 80) })).join("\n")}\n`)
  const kinds = (entries: ReadonlyArray<Entry>) => entries.flatMap((e) => (e._tag === "Diagnostic" ? [e.kind] : []))
  const goodLines = (entries: ReadonlyArray<Entry>) => entries.filter((e) => e._tag === "Line").length

  it("a segment cut anywhere delivers the complete blocks before the cut, then segment_error", async () => {
    const segment = await encode(file)
    for (const cut of [5, 12, 20, segment.length >> 1, segment.length - 20, segment.length - 1]) {
      const entries = await read({ "x.rseg": segment.subarray(0, cut) }, "x.rseg", 1 << 16)
      expect(kinds(entries)).toEqual(["segment_error"])
      expect(goodLines(entries)).toBeLessThanOrEqual(30000)
    }
  })

  /** Where each frame of a segment starts and ends (after the 12-byte header). */
  const frames = (segment: Buffer): Array<{ start: number; end: number }> => {
    const out: Array<{ start: number; end: number }> = []
    for (let p = 12; p < segment.length; ) {
      const end = p + 9 + segment.readUInt32LE(p + 1)
      out.push({ start: p, end })
      p = end
    }
    return out
  }

  it("damage inside one block frame costs that block's lines only: the reader resumes at the next good frame", async () => {
    const segment = await encode(file)
    const all = await read({ "x.jsonl": file }, "x.jsonl", 1 << 16)
    const blocks = frames(segment).slice(0, -1)
    expect(blocks.length).toBeGreaterThan(2)
    await fc.assert(
      fc.asyncProperty(
        fc.nat(blocks.length - 1),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        async (k, where, xor) => {
          const frame = blocks[k] as { start: number; end: number }
          const at = frame.start + Math.floor(where * (frame.end - frame.start))
          const bad = Buffer.from(segment)
          bad[at] = (bad[at] ?? 0) ^ xor
          const entries = await read({ "x.rseg": bad }, "x.rseg", 1 << 16)
          const problems = entries.filter((e) => e._tag === "Diagnostic")
          expect(problems).toHaveLength(1)
          const lines = entries.filter((e) => e._tag === "Line") as Array<{ line: number }>
          const lostFrom = (problems[0] as { line: number }).line
          const lostTo = (lines.find((l) => l.line > lostFrom)?.line ?? 30001) - 1
          expect(problems[0]).toMatchObject({ kind: "segment_error", message: expect.stringContaining(`lines ${lostFrom}–${lostTo}`) })
          // Every other line reads exactly as from the JSONL.
          expect(lines).toEqual(all.filter((e) => e._tag === "Line" && (e.line < lostFrom || e.line > lostTo)))
          expect(lostTo - lostFrom + 1).toBeLessThanOrEqual(8192)
        }
      ),
      { numRuns: 15 }
    )
  })

  it("damage to the end frame loses no line; damage past the last frame's end is reported", async () => {
    const segment = await encode(file)
    const end = frames(segment).at(-1) as { start: number; end: number }
    const bad = Buffer.from(segment)
    bad[end.start + 12] = (bad[end.start + 12] ?? 0) ^ 0x55
    const entries = await read({ "x.rseg": bad }, "x.rseg", 1 << 16)
    expect(goodLines(entries)).toBe(30000)
    expect(kinds(entries)).toEqual(["segment_error"])
  })

  it("random damage anywhere never throws", async () => {
    const segment = await encode(Buffer.from('{"a":1}\nnot json\n{"b":[1,2,3]}'))
    await fc.assert(
      fc.asyncProperty(fc.nat(segment.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bad = Buffer.from(segment)
        bad[at] = (bad[at] ?? 0) ^ xor
        const entries = await read({ "x.rseg": bad }, "x.rseg", 16)
        expect(kinds(entries)).toContain("segment_error")
      }),
      { numRuns: 200 }
    )
  })

  it("a .rseg file that is not a segment, and a missing one", async () => {
    expect(kinds(await read({ "x.rseg": '{"a":1}\n' }, "x.rseg"))).toEqual(["segment_error"])
    expect(kinds(await read({ "x.rseg": "" }, "x.rseg"))).toEqual(["empty_file"])
    expect(kinds(await read({}, "x.rseg"))).toEqual(["read_error"])
  })
})

describe("CodexHome lists segments next to .jsonl and .jsonl.zst", () => {
  const id = "0198f2a4-5b6c-7d8e-9f00-112233445566"
  const other = "0198f2a4-5b6c-7d8e-9f00-aabbccddeeff"
  it("a lone segment is a rollout of its thread; a segment beside its rollout is a copy and skipped", async () => {
    const files = Files.memory({
      [`/h/sessions/2026/07/14/rollout-2026-07-14T09-05-33-${id}.rseg`]: "x",
      [`/h/sessions/2026/07/14/rollout-2026-07-14T09-05-34-${other}.jsonl`]: "x",
      [`/h/sessions/2026/07/14/rollout-2026-07-14T09-05-34-${other}.rseg`]: "x"
    })
    const found = await CodexHome.rollouts(files, "/h")
    expect(found.map((f) => path.basename(f.path))).toEqual([`rollout-2026-07-14T09-05-33-${id}.rseg`, `rollout-2026-07-14T09-05-34-${other}.jsonl`])
    expect(found[0]).toMatchObject({ id, stamp: "2026-07-14T09-05-33", compressed: false })
    expect((await CodexHome.findThread(files, "/h", id)).length).toBe(1)
  })
})
