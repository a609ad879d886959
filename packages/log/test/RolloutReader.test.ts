import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import type { Entry } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as ZstdRaw from "./support/ZstdRaw.js"

const fixtures = path.resolve(import.meta.dirname, "../../../fixtures/reader")

const read = (files: Record<string, Uint8Array | string>, file: string, chunkSize = 7) =>
  Effect.runPromise(
    RolloutReader.stream(file).pipe(
      Stream.runCollect,
      Effect.map((c) => [...c]),
      Effect.provide(Files.layerMemory(files, chunkSize))
    )
  )

const lines = (entries: ReadonlyArray<Entry>) => entries.flatMap((e) => (e._tag === "Line" ? [e.raw] : []))
const problems = (entries: ReadonlyArray<Entry>) =>
  entries.flatMap((e) => (e._tag === "Diagnostic" ? [{ path: e.path, line: e.line, byteOffset: e.byteOffset, kind: e.kind }] : []))

const A = '{"type":"a"}'
const B = '{"type":"b","payload":{"n":1}}'

describe("RolloutReader fault suite: each corrupt input gives exact diagnostics and every good line", () => {
  it("BOM: reported once, skipped, first line delivered from offset 3", async () => {
    const entries = await read({ "x.jsonl": `\uFEFF${A}\n${B}\n` }, "x.jsonl")
    expect(problems(entries)).toEqual([{ path: "x.jsonl", line: 1, byteOffset: 0, kind: "bom" }])
    expect(lines(entries)).toEqual([A, B])
    expect(entries.find((e) => e._tag === "Line")).toMatchObject({ line: 1, offset: 3 })
  })

  it("CRLF: lines parse, the CR stays in raw so the bytes can be written back", async () => {
    const entries = await read({ "x.jsonl": `${A}\r\n${B}\r\n` }, "x.jsonl")
    expect(problems(entries)).toEqual([])
    expect(lines(entries)).toEqual([`${A}\r`, `${B}\r`])
    expect(entries.map((e) => (e._tag === "Line" ? e.value : null))).toEqual([{ type: "a" }, { type: "b", payload: { n: 1 } }])
  })

  it("blank lines: skipped silently, but counted in line numbers", async () => {
    const entries = await read({ "x.jsonl": `\n${A}\n \t\n\n${B}\n` }, "x.jsonl")
    expect(problems(entries)).toEqual([])
    expect(entries.map((e) => (e._tag === "Line" ? [e.line, e.offset] : null))).toEqual([
      [2, 1],
      [5, A.length + 6]
    ])
  })

  it("torn final line: reported as truncated, every earlier line delivered", async () => {
    const entries = await read({ "x.jsonl": `${A}\n${B}\n{"type":"c","pay` }, "x.jsonl")
    expect(problems(entries)).toEqual([{ path: "x.jsonl", line: 3, byteOffset: A.length + B.length + 2, kind: "truncated_line" }])
    expect(lines(entries)).toEqual([A, B])
  })

  it("a complete final line without LF is delivered, marked unterminated", async () => {
    const entries = await read({ "x.jsonl": `${A}\n${B}` }, "x.jsonl")
    expect(problems(entries)).toEqual([])
    expect(entries.map((e) => e._tag === "Line" && e.terminated)).toEqual([true, false])
  })

  it("garbage lines: each reported with its line and offset, the good lines around them delivered", async () => {
    const entries = await read({ "x.jsonl": `${A}\ngarbage here\n${B}\n{"unclosed":\n[1,2]\n"str"\n${A}\n` }, "x.jsonl")
    const at2 = A.length + 1
    const at3 = at2 + "garbage here".length + 1
    const at4 = at3 + B.length + 1
    const at5 = at4 + '{"unclosed":'.length + 1
    const at6 = at5 + "[1,2]".length + 1
    expect(problems(entries)).toEqual([
      { path: "x.jsonl", line: 2, byteOffset: at2, kind: "invalid_json" },
      { path: "x.jsonl", line: 4, byteOffset: at4, kind: "invalid_json" },
      { path: "x.jsonl", line: 5, byteOffset: at5, kind: "not_an_object" },
      { path: "x.jsonl", line: 6, byteOffset: at6, kind: "not_an_object" }
    ])
    expect(lines(entries)).toEqual([A, B, A])
    const first = entries.find((e) => e._tag === "Diagnostic")
    expect(first?._tag === "Diagnostic" && first.message).toMatch(/^not JSON \(.+\): garbage here$/)
  })

  it("invalid UTF-8: the line is reported, the others delivered", async () => {
    const bytes = Buffer.concat([Buffer.from(`${A}\n{"t":"`), Buffer.from([0xff, 0xfe]), Buffer.from(`"}\n${B}\n`)])
    const entries = await read({ "x.jsonl": bytes }, "x.jsonl")
    expect(problems(entries)).toEqual([{ path: "x.jsonl", line: 2, byteOffset: A.length + 1, kind: "invalid_utf8" }])
    expect(lines(entries)).toEqual([A, B])
  })

  it("zero-byte and blank-only files: one empty_file diagnostic", async () => {
    expect(problems(await read({ "x.jsonl": "" }, "x.jsonl"))).toEqual([{ path: "x.jsonl", line: 0, byteOffset: 0, kind: "empty_file" }])
    expect(problems(await read({ "x.jsonl": "\n\n \n" }, "x.jsonl"))).toEqual([{ path: "x.jsonl", line: 0, byteOffset: 0, kind: "empty_file" }])
  })

  it("a missing file: one read_error diagnostic, no exception", async () => {
    const entries = await read({}, "missing.jsonl")
    expect(problems(entries)).toEqual([{ path: "missing.jsonl", line: 0, byteOffset: 0, kind: "read_error" }])
  })

  it("a line of tens of MB is delivered whole, across many chunks", async () => {
    const big = `{"type":"big","text":"${"x".repeat(48 << 20)}"}`
    const entries = await read({ "x.jsonl": `${A}\n${big}\n${B}\n` }, "x.jsonl", 1 << 20)
    expect(problems(entries)).toEqual([])
    expect(entries.map((e) => (e._tag === "Line" ? e.raw.length : -1))).toEqual([A.length, big.length, B.length])
  })

  it(".jsonl.zst: a real zstd file reads to the same entries as its plain twin", async () => {
    const plain = fs.readFileSync(path.join(fixtures, "sample.jsonl"))
    const zst = fs.readFileSync(path.join(fixtures, "sample.jsonl.zst"))
    const fromZst = await read({ "s.jsonl.zst": zst }, "s.jsonl.zst", 100)
    const fromPlain = await read({ "s.jsonl": plain }, "s.jsonl", 100)
    expect(problems(fromZst)).toEqual([])
    expect(lines(fromZst)).toEqual(lines(fromPlain))
    expect(lines(fromZst)).toHaveLength(5)
  })

  it(".jsonl.zst cut short: the lines before the cut, then a zstd_error", async () => {
    const text = `${Array.from({ length: 40 }, (_, i) => `{"type":"n","i":${i}}`).join("\n")}\n`
    const zst = ZstdRaw.encode(Buffer.from(text), 256)
    const entries = await read({ "t.jsonl.zst": zst.subarray(0, zst.length - 100) }, "t.jsonl.zst", 64)
    expect(problems(entries).map((p) => p.kind)).toEqual(["zstd_error", "truncated_line"])
    // Raw blocks of 256 bytes behind a 6-byte frame header: only whole blocks before the cut decode.
    const decoded = Math.floor((zst.length - 100 - 6) / (3 + 256)) * 256
    const whole = text.slice(0, decoded).split("\n").slice(0, -1)
    expect(whole.length).toBeGreaterThan(20)
    expect(lines(entries)).toEqual(whole)
  })

  it("a .zst name on a file that is not zstd: one zstd_error", async () => {
    expect(problems(await read({ "t.jsonl.zst": `${A}\n` }, "t.jsonl.zst"))).toEqual([{ path: "t.jsonl.zst", line: 0, byteOffset: 0, kind: "zstd_error" }])
  })
})

describe("Files contract: node and memory layers agree", () => {
  it("reads the same bytes and lists the same names", async () => {
    const dir = fs.mkdtempSync(path.join(fs.mkdtempSync("/tmp/rollout-files-"), "home"))
    fs.mkdirSync(path.join(dir, "sub"))
    fs.writeFileSync(path.join(dir, "sub", "a.jsonl"), `${A}\n`)
    fs.writeFileSync(path.join(dir, "b.jsonl"), `${B}\n`)
    const mem = Files.memory({ [path.join(dir, "sub", "a.jsonl")]: `${A}\n`, [path.join(dir, "b.jsonl")]: `${B}\n` })
    for (const impl of [Files.node, mem]) {
      expect(await impl.list(dir)).toEqual([
        { name: "b.jsonl", kind: "file" },
        { name: "sub", kind: "directory" }
      ])
      expect((await impl.stat(path.join(dir, "sub"))).kind).toBe("directory")
      const chunks: Array<Buffer> = []
      for await (const c of impl.chunks(path.join(dir, "b.jsonl"))) chunks.push(Buffer.from(c))
      expect(Buffer.concat(chunks).toString()).toBe(`${B}\n`)
      await expect(impl.stat(path.join(dir, "nope"))).rejects.toThrow(/ENOENT/)
    }
  })
})
