import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as SegmentConvert from "@rollout/log/SegmentConvert"
import * as ZstdRaw from "./support/ZstdRaw.js"

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "segment-convert-"))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const JSONL = Buffer.from('\uFEFF{"a":1}\r\nnot json\n\n{"b":[1,2]}\n{"torn":')

describe("SegmentConvert", () => {
  it("JSONL → segment → JSONL, exact bytes; counts lines and bytes", async () => {
    fs.writeFileSync(path.join(dir, "x.jsonl"), JSONL)
    const a = await SegmentConvert.convert(Files.node, path.join(dir, "x.jsonl"), path.join(dir, "x.rseg"))
    expect(a).toMatchObject({ _tag: "Converted", direction: "toSegment", lines: 5, bytesIn: JSONL.length })
    const b = await SegmentConvert.convert(Files.node, path.join(dir, "x.rseg"), path.join(dir, "y.jsonl"))
    expect(b).toMatchObject({ _tag: "Converted", direction: "toJsonl", lines: 5, bytesOut: JSONL.length })
    expect(Buffer.compare(fs.readFileSync(path.join(dir, "y.jsonl")), JSONL)).toBe(0)
  })

  it("a .jsonl.zst input is decompressed first; a broken one is invalid input", async () => {
    fs.writeFileSync(path.join(dir, "x.jsonl.zst"), ZstdRaw.encode(JSONL))
    expect(await SegmentConvert.convert(Files.node, path.join(dir, "x.jsonl.zst"), path.join(dir, "x.rseg"))).toMatchObject({ _tag: "Converted", lines: 5 })
    await SegmentConvert.convert(Files.node, path.join(dir, "x.rseg"), path.join(dir, "x.jsonl"))
    expect(Buffer.compare(fs.readFileSync(path.join(dir, "x.jsonl")), JSONL)).toBe(0)
    fs.writeFileSync(path.join(dir, "bad.jsonl.zst"), ZstdRaw.encode(JSONL).subarray(0, 20))
    expect(await SegmentConvert.convert(Files.node, path.join(dir, "bad.jsonl.zst"), path.join(dir, "bad.rseg"))).toMatchObject({ _tag: "Invalid" })
    expect(fs.existsSync(path.join(dir, "bad.rseg"))).toBe(false)
  })

  it("usage: unknown direction, same file, existing output, wrong kind of input", async () => {
    fs.writeFileSync(path.join(dir, "x.jsonl"), JSONL)
    const x = path.join(dir, "x.jsonl")
    expect((await SegmentConvert.convert(Files.node, x, path.join(dir, "x.txt")))._tag).toBe("Usage")
    expect((await SegmentConvert.convert(Files.node, x, x))._tag).toBe("Usage")
    expect((await SegmentConvert.convert(Files.node, x, path.join(dir, "z.jsonl")))._tag).toBe("Usage")
    fs.writeFileSync(path.join(dir, "taken.rseg"), "")
    expect(await SegmentConvert.convert(Files.node, x, path.join(dir, "taken.rseg"))).toMatchObject({ _tag: "Usage", message: expect.stringMatching(/exists/) })
    expect(await SegmentConvert.convert(Files.node, x, path.join(dir, "taken.rseg"), { force: true })).toMatchObject({ _tag: "Converted" })
    expect((await SegmentConvert.convert(Files.node, path.join(dir, "taken.rseg"), path.join(dir, "again.rseg")))._tag).toBe("Usage")
    expect((await SegmentConvert.convert(Files.node, path.join(dir, "missing.jsonl"), path.join(dir, "m.rseg")))._tag).toBe("Unreadable")
    expect(fs.readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([])
  })
})
