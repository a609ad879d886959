import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-files-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A file of `size` pseudo-random bytes (each chunk differs, so a reused buffer would show). */
const fileOf = (name: string, size: number): { path: string; bytes: Buffer } => {
  const bytes = Buffer.alloc(size)
  let x = 12345
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  const p = path.join(dir, name)
  fs.writeFileSync(p, bytes)
  return { path: p, bytes }
}

describe.each([
  ["Files.node.chunks (reads ahead into a second buffer)", Files.node],
  ["Files.nodeBlocking.chunks (blocking reads)", Files.nodeBlocking]
])("%s", (_name, files) => {
  it("given a file of several chunks, yields its bytes in order, each chunk intact until the next is asked for", async () => {
    for (const size of [0, 1, (1 << 20) - 1, 1 << 20, 3.5 * (1 << 20)]) {
      const f = fileOf(`f-${size}`, size)
      const copies: Array<Buffer> = []
      for await (const chunk of files.chunks(f.path)) {
        // The read of the next chunk is in flight now: this one must not change under us.
        await new Promise((r) => setTimeout(r, 1))
        copies.push(Buffer.from(chunk))
      }
      expect(Buffer.concat(copies).equals(f.bytes), `size ${size}`).toBe(true)
    }
  })

  it("given a reader that stops early, closes the file without error", async () => {
    const f = fileOf("early", 3 << 20)
    const open = () => (fs.existsSync("/proc/self/fd") ? fs.readdirSync("/proc/self/fd").length : 0)
    const before = open()
    for (let i = 0; i < 20; i++) {
      for await (const chunk of files.chunks(f.path)) {
        expect(chunk.length).toBe(1 << 20)
        break
      }
    }
    // Twenty early stops leave no descriptor open (Linux shows them under /proc/self/fd).
    expect(open()).toBe(before)
  })
})

describe("Files.range (a ranged read through the positional read)", () => {
  it("given any from/to on disk and in memory, yields exactly bytes from..to (to the end without to), in pieces of at most 1 MiB", async () => {
    const f = fileOf("ranged", 2.5 * (1 << 20))
    const mem = Files.memory({ [f.path]: f.bytes })
    const cases: ReadonlyArray<readonly [number, number | undefined]> = [
      [0, undefined],
      [7, 8],
      [1 << 20, undefined],
      [(1 << 20) - 3, (2 << 20) + 5],
      [f.bytes.length - 1, undefined],
      [f.bytes.length, undefined],
      [f.bytes.length + 10, undefined],
      [100, f.bytes.length + 100]
    ]
    for (const files of [Files.node, mem]) {
      for (const [from, to] of cases) {
        const pieces: Array<Buffer> = []
        for await (const piece of Files.range(files, f.path, from, to)) {
          expect(piece.length).toBeLessThanOrEqual(1 << 20)
          pieces.push(Buffer.from(piece))
        }
        expect(Buffer.concat(pieces).equals(f.bytes.subarray(from, to)), `${from}..${to}`).toBe(true)
      }
    }
  })

  it("a file system without a positional read says it reads forward only", async () => {
    const forward: Files.Shape = { chunks: Files.node.chunks, stat: Files.node.stat, list: Files.node.list }
    expect(Files.canSeek(forward)).toBe(false)
    expect(Files.canSeek(Files.node)).toBe(true)
    await expect(Files.range(forward, "/x", 0).next()).rejects.toThrow(/reads forward only/)
  })
})
