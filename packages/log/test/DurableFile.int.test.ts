import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"

// Records the order of flushes and renames as the module under test makes them.
const calls: Array<string> = []
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>()
  const fsyncSync = (fd: number) => {
    calls.push(`fsync ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`)
    return real.fsyncSync(fd)
  }
  const renameSync = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`rename ${String(a)} ${String(b)}`)
    return real.renameSync(a, b)
  }
  const link = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`link ${String(a)} ${String(b)}`)
    return real.promises.link(a, b)
  }
  const rename = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`rename ${String(a)} ${String(b)}`)
    return real.promises.rename(a, b)
  }
  const mocked = { ...real, fsyncSync, renameSync, promises: { ...real.promises, link, rename } }
  return { ...mocked, default: mocked }
})

const { DurableFile, Files, SegmentConvert } = await (async () => ({
  DurableFile: await import("@rollout/log/DurableFile"),
  Files: await import("@rollout/log/Files"),
  SegmentConvert: await import("@rollout/log/SegmentConvert")
}))()

let dir: string
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "durable-")))
  calls.length = 0
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe("DurableFile", () => {
  it("replace flushes the file, renames it, then flushes the folder", () => {
    const temp = path.join(dir, "a.tmp-abcdef")
    fs.writeFileSync(temp, "x")
    DurableFile.replace(temp, path.join(dir, "a"))
    expect(calls).toEqual([`fsync ${temp}`, `rename ${temp} ${path.join(dir, "a")}`, `fsync ${dir}`])
  })

  it("convert flushes its output before putting it in place, and the folder after", async () => {
    fs.writeFileSync(path.join(dir, "x.jsonl"), '{"a":1}\n')
    expect(await SegmentConvert.convert(Files.node, path.join(dir, "x.jsonl"), path.join(dir, "x.rseg"))).toMatchObject({ _tag: "Converted" })
    const place = calls.findIndex((c) => c.startsWith("link ") || c.startsWith("rename "))
    expect(calls[place - 1]).toMatch(new RegExp(`^fsync ${dir}/x\\.rseg\\.tmp-[0-9a-f]{12}$`))
    expect(calls.slice(place + 1)).toContain(`fsync ${dir}`)
  })

  it("convert removes the temporary files of a killed convert older than a minute, and leaves young ones", async () => {
    const old = path.join(dir, "y.rseg.tmp-0123456789ab")
    const young = path.join(dir, "z.rseg.tmp-ba9876543210")
    const mine = path.join(dir, "notes.tmp-0123456789ab")
    for (const f of [old, young, mine]) fs.writeFileSync(f, "partial")
    const past = (Date.now() - 5 * 60_000) / 1000
    fs.utimesSync(old, past, past)
    fs.utimesSync(mine, past, past)
    fs.writeFileSync(path.join(dir, "x.jsonl"), '{"a":1}\n')
    await SegmentConvert.convert(Files.node, path.join(dir, "x.jsonl"), path.join(dir, "x.rseg"))
    expect(fs.existsSync(old)).toBe(false)
    expect(fs.existsSync(young)).toBe(true)
    expect(fs.existsSync(mine)).toBe(true)
  })
})
