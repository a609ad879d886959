import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import type { Entry, Sink } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import { encode, fileArb } from "./support/SegmentFiles.js"
import * as ZstdRaw from "./support/ZstdRaw.js"

// Lines read from a segment compute `raw` on demand (a getter): compare entries as plain fields.
const plain = (e: Entry) => (e._tag === "Line" ? { _tag: e._tag, line: e.line, offset: e.offset, raw: e.raw, value: e.value, terminated: e.terminated } : e)

const batched = async (files: Files.Shape, path: string): Promise<Array<unknown>> => {
  const out: Array<unknown> = []
  for await (const batch of RolloutReader.batches(files, path)) for (const e of batch) out.push(plain(e))
  return out
}

const visited = async (files: Files.Shape, path: string): Promise<Array<unknown>> => {
  const out: Array<unknown> = []
  const sink: Sink = {
    line: (value, line, offset, raw, terminated) => out.push({ _tag: "Line", line, offset, raw, value, terminated }),
    other: (e) => out.push(e)
  }
  await RolloutReader.visit(files, path, sink)
  return out
}

describe("RolloutReader.visit: the sink is handed exactly the entries `batches` yields", () => {
  it("for arbitrary files as JSONL, as a segment (by magic and by name) and as zstd, however chunked", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 50 }), async (file, size) => {
        const segment = await encode(file)
        const files = Files.memory({ "x.jsonl": file, "s.jsonl": segment, "s.rseg": segment, "z.jsonl.zst": ZstdRaw.encode(file, 64) }, size)
        for (const path of ["x.jsonl", "s.jsonl", "s.rseg", "z.jsonl.zst"]) {
          const expected = await batched(files, path)
          expect(expected.length).toBeGreaterThan(0)
          expect(await visited(files, path)).toEqual(expected)
        }
      }),
      { numRuns: 100 }
    )
  })

  it("blank lines (which make no entry) are told to the sink by number, the same in every form", async () => {
    const blanks = async (files: Files.Shape, path: string): Promise<Array<number>> => {
      const heard: Array<number> = []
      await RolloutReader.visit(files, path, { line: () => {}, other: () => {}, blank: (n) => heard.push(n) })
      return heard.sort((x, y) => x - y)
    }
    let withBlanks = 0
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 50 }), fc.nat({ max: 3 }), async (body, size, trailing) => {
        // Trailing blank lines too: the case the batch readers used to lose.
        const file = Buffer.concat([body, Buffer.from("\n".repeat(body.length === 0 || body[body.length - 1] === 0x0a ? trailing : 0))])
        const segment = await encode(file)
        const files = Files.memory({ "x.jsonl": file, "s.jsonl": segment, "s.rseg": segment, "z.jsonl.zst": ZstdRaw.encode(file, 64) }, size)
        const expected = await blanks(files, "x.jsonl")
        if (expected.length > 0) withBlanks++
        for (const path of ["s.jsonl", "s.rseg", "z.jsonl.zst"]) expect(await blanks(files, path), path).toEqual(expected)
      }),
      { numRuns: 100 }
    )
    expect(withBlanks).toBeGreaterThan(10)
  })

  it("a file that cannot be read: one read_error, as `batches` says it", async () => {
    const files = Files.memory({})
    const entries = await visited(files, "missing.jsonl")
    expect(entries).toEqual(await batched(files, "missing.jsonl"))
    expect(entries).toMatchObject([{ _tag: "Diagnostic", kind: "read_error", line: 0 }])
  })

  it("a read that fails midway: the lines before it, then a read_error; the file is closed", async () => {
    let closed = false
    const files: Files.Shape = {
      ...Files.memory({}),
      chunks: async function* () {
        try {
          yield Buffer.from('{"a":1}\n{"b":')
          throw new Error("disk gone")
        } finally {
          closed = true
        }
      }
    }
    const entries = await visited(files, "x.jsonl")
    expect(entries).toEqual(await batched(files, "x.jsonl"))
    expect(entries).toMatchObject([
      { _tag: "Line", line: 1 },
      { _tag: "Diagnostic", kind: "read_error" }
    ])
    expect(closed).toBe(true)
  })

  it("an exception of the sink's own is not taken for a read error, and the file is closed", async () => {
    let closed = false
    const files: Files.Shape = {
      ...Files.memory({}),
      chunks: async function* () {
        try {
          yield Buffer.from('{"a":1}\n{"b":2}\n')
        } finally {
          closed = true
        }
      }
    }
    const sink: Sink = {
      line: () => {
        throw new Error("bug")
      },
      other: () => {}
    }
    await expect(RolloutReader.visit(files, "x.jsonl", sink)).rejects.toThrow("bug")
    expect(closed).toBe(true)
  })
})
