import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it, vi } from "vitest"

// Records the order of flushes and renames as ForkWrite makes them.
const calls: Array<string> = []
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>()
  const fsyncSync = (fd: number) => {
    calls.push(`fsync ${real.readlinkSync(`/proc/self/fd/${fd}`)}`)
    return real.fsyncSync(fd)
  }
  const renameSync = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`rename ${path.basename(String(a))}`)
    return real.renameSync(a, b)
  }
  const rename = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`rename ${path.basename(String(a))}`)
    return real.promises.rename(a, b)
  }
  const mocked = { ...real, fsyncSync, renameSync, promises: { ...real.promises, rename } }
  return { ...mocked, default: mocked }
})

const ForkWrite = await import("@rollout/query/ForkWrite")

describe("ForkWrite.write", () => {
  it("flushes the new rollout before renaming it into place, and its folder after", async () => {
    const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "fork-write-")))
    try {
      const target = path.join(home, "sessions/2026/01/01/rollout-2026-01-01T00-00-00-x.jsonl")
      await ForkWrite.write({ threadId: "x", forkedFromId: "y", path: target, lines: ['{"a":1}'], history: [] })
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`)
      expect(calls).toEqual([`fsync ${temp}`, `rename ${path.basename(temp)}`, `fsync ${path.dirname(target)}`])
      expect(fs.readFileSync(target, "utf8")).toBe('{"a":1}\n')
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})
