import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const bin = path.resolve(import.meta.dirname, "../bin/rollout.js")

describe("bin/rollout.js: the bundle with V8's code cache", () => {
  it("prints the same with the cache off, while it is written, and when it is read", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-launcher-"))
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [bin, "stats", "--help"], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1", ...env } })
    const off = run({ ROLLOUT_NO_COMPILE_CACHE: "1" })
    expect(fs.readdirSync(tmp)).toEqual([])
    const writing = run({})
    const cacheDir = path.join(tmp, fs.readdirSync(tmp)[0] ?? "missing")
    const entries = fs.readdirSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0] ?? "missing"))
    expect(entries.some((e) => e.startsWith("rollout.cjs-"))).toBe(true)
    const reading = run({})
    expect(off.status).toBe(0)
    expect(off.stdout).toContain("rollout stats")
    expect([writing.status, writing.stdout, writing.stderr]).toEqual([off.status, off.stdout, off.stderr])
    expect([reading.status, reading.stdout, reading.stderr]).toEqual([off.status, off.stdout, off.stderr])
  })
})
