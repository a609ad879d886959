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

  it("keeps stats' cached code (compiled under its own V8 flags) apart, so no run rejects and rewrites another's", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-launcher-"))
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-launcher-home-"))
    // A rollout to read, so that the reader's own chunks are loaded and cached too.
    const day = path.join(home, "sessions", "2026", "01", "01")
    fs.mkdirSync(day, { recursive: true })
    fs.copyFileSync(
      path.resolve(import.meta.dirname, "../../../fixtures/resume/aborted-turn/input.jsonl"),
      path.join(day, "rollout-2026-01-01T00-03-57-01a1fb98-0000-7000-8000-00000000000a.jsonl")
    )
    const run = (...args: Array<string>) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" } })
    const stats = () => run("stats", home, "--json", "--no-cache")
    // Every entry's name and contents: a rejected entry is written again at exit.
    const written = () => {
      const root = path.join(tmp, fs.readdirSync(tmp)[0] ?? "missing")
      return fs
        .readdirSync(root)
        .flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((e) => `${dir}/${e}:${fs.readFileSync(path.join(root, dir, e)).toString("base64")}`))
    }
    const first = stats()
    expect(first.status).toBe(0)
    expect(run("ls", "--help").status).toBe(0)
    const before = written()
    expect(before.some((e) => e.includes("-stats/rollout.cjs-"))).toBe(true)
    expect(before.some((e) => !e.includes("-stats/") && e.includes("/rollout.cjs-"))).toBe(true)
    expect([stats().stdout, run("ls", "--help").status]).toEqual([first.stdout, 0])
    expect(written()).toEqual(before)
  })
})
