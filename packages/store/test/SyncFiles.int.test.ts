// One contract for both SyncFiles layers: the real file system (in a temp folder) and the files in
// memory that tests use. Whatever the store relies on behaves the same on both.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as SyncFiles from "../src/internal/SyncFiles.js"
import * as Home from "./support/Home.js"

interface Subject {
  readonly files: SyncFiles.Shape
  readonly root: string
  readonly write: (file: string, content: string) => void
}

const subjects: ReadonlyArray<readonly [string, () => Subject]> = [
  [
    "node",
    () => ({
      files: SyncFiles.node,
      root: Home.tempDir("rollout-syncfiles-"),
      write: (file, content) => {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, content)
      }
    })
  ],
  [
    "memory",
    () => {
      const files = SyncFiles.memory(() => 1_700_000_000_000)
      return { files, root: path.resolve("/memory-home"), write: (file, content) => files.write(file, content) }
    }
  ]
]

const text = async (chunks: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Array<Buffer> = []
  for await (const c of chunks) parts.push(Buffer.from(c))
  return Buffer.concat(parts).toString("utf8")
}

describe.each(subjects)("SyncFiles (%s)", (_name, make) => {
  it("given a file in a folder, then stat tells file from folder and nothing is undefined", () => {
    const s = make()
    const file = path.join(s.root, "a", "b.jsonl")
    s.write(file, "hello\n")
    expect(s.files.stat(file)).toMatchObject({ kind: "file", size: 6 })
    expect(s.files.stat(path.join(s.root, "a"))?.kind).toBe("directory")
    expect(s.files.stat(path.join(s.root, "missing"))).toBeUndefined()
    expect(SyncFiles.exists(s.files, file)).toBe(true)
    expect(SyncFiles.exists(s.files, path.join(s.root, "missing"))).toBe(false)
    expect(() => SyncFiles.statOf(s.files, path.join(s.root, "missing"))).toThrow(/ENOENT/)
  })

  it("lists a folder's files and subfolders, and fails on a missing folder", () => {
    const s = make()
    s.write(path.join(s.root, "d", "x.jsonl"), "x")
    s.write(path.join(s.root, "d", "sub", "y.jsonl"), "y")
    const entries = [...s.files.list(path.join(s.root, "d"))].sort((a, b) => a.name.localeCompare(b.name))
    expect(entries).toEqual([
      { name: "sub", kind: "directory" },
      { name: "x.jsonl", kind: "file" }
    ])
    expect(() => s.files.list(path.join(s.root, "nope"))).toThrow()
  })

  it("reads bytes at a position through an open handle, fewer at the end", () => {
    const s = make()
    const file = path.join(s.root, "r.txt")
    s.write(file, "0123456789")
    const h = s.files.open(file)
    try {
      expect(h.size).toBe(10)
      const buf = Buffer.alloc(4)
      expect(h.read(buf, 3, 4)).toBe(4)
      expect(buf.toString()).toBe("3456")
      expect(h.read(buf, 8, 4)).toBe(2)
      expect(buf.subarray(0, 2).toString()).toBe("89")
    } finally {
      h.close()
    }
    expect(() => s.files.open(path.join(s.root, "missing"))).toThrow()
  })

  it("moves a file into a folder it creates, and touch sets its modification time", () => {
    const s = make()
    const from = path.join(s.root, "sessions", "f.jsonl")
    const to = path.join(s.root, "archived", "deep", "f.jsonl")
    s.write(from, "line\n")
    s.files.move(from, to)
    expect(s.files.stat(from)).toBeUndefined()
    expect(s.files.stat(to)).toMatchObject({ kind: "file", size: 5 })
    const when = Date.UTC(2026, 0, 2, 3, 4, 5)
    s.files.touch(to, when)
    expect(Math.floor(s.files.stat(to)?.mtimeMs ?? 0)).toBe(when)
  })

  it("shows the same bytes to streaming readers", async () => {
    const s = make()
    const file = path.join(s.root, "z.jsonl")
    s.write(file, "a\nb\n")
    expect(await text(s.files.files.chunks(file))).toBe("a\nb\n")
  })
})
