import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { run, sampleCopy } from "./support/IndexHome.js"

describe("rollout index", () => {
  it("given a fresh home, then reads every rollout once; a second run reads nothing", async () => {
    const { home, index } = sampleCopy()
    const first = await run("index", "--codex-home", home, "--index", index, "--json")
    expect(first.code).toBe(0)
    expect(JSON.parse(first.out)).toMatchObject({ index, rebuilt: false, filesRead: 9, threads: 9, files: 9 })
    const second = await run("index", "--codex-home", home, "--index", index, "--json")
    expect(JSON.parse(second.out)).toMatchObject({ filesRead: 0, bytesRead: 0, threads: 9 })
  })

  it("given --rebuild, then starts from an empty index", async () => {
    const { home, index } = sampleCopy()
    await run("index", "--codex-home", home, "--index", index)
    const r = await run("index", "--codex-home", home, "--index", index, "--rebuild", "--json")
    expect(JSON.parse(r.out)).toMatchObject({ rebuilt: true, filesRead: 9, threads: 9 })
  })

  it("given a corrupt index file, then it is rebuilt from the files", async () => {
    const { home, index } = sampleCopy()
    // Damaged as a crash or a bad disk leaves it: SQLite's header, then no database.
    fs.writeFileSync(index, Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), Buffer.from("this is not a database".repeat(100))]))
    const r = await run("index", "--codex-home", home, "--index", index, "--json")
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ rebuilt: true, threads: 9 })
  })

  it("given a user's own file as --index, then exit 2 naming it, and the file is left as it was (with --rebuild too)", async () => {
    const { home, index } = sampleCopy()
    fs.writeFileSync(index, "my notes\n")
    for (const extra of [[], ["--rebuild"]]) {
      const r = await run("index", "--codex-home", home, "--index", index, ...extra)
      expect(r.code).toBe(2)
      expect(r.err).toContain("is not an index file")
      expect(fs.readFileSync(index, "utf8")).toBe("my notes\n")
    }
    const folder = path.join(home, "sessions")
    const r = await run("search", "hello", "--codex-home", home, "--index", folder)
    expect([r.code, r.err]).toEqual([2, `rollout: ${folder} is a folder, not an index file\n`])
  })

  it("given a Codex home that does not exist, then exit 2 and nothing is created", async () => {
    const missing = path.join(sampleCopy().home, "nowhere")
    const r = await run("ls", "--codex-home", missing, "--json")
    expect(r.code).toBe(2)
    expect(r.err).toContain("no Codex home")
    expect(fs.existsSync(missing)).toBe(false)
  })

  it("defaults to an index in the per-user cache folder, never inside the Codex home", async () => {
    const { home } = sampleCopy()
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-cache-"))
    const saved = process.env["XDG_CACHE_HOME"]
    process.env["XDG_CACHE_HOME"] = cache
    try {
      const r = await run("index", "--codex-home", home, "--json")
      expect(path.dirname(JSON.parse(r.out).index)).toBe(path.join(cache, "rollout"))
      expect(fs.existsSync(JSON.parse(r.out).index)).toBe(true)
      expect(fs.existsSync(path.join(home, "rollout-index.sqlite"))).toBe(false)
    } finally {
      if (saved === undefined) delete process.env["XDG_CACHE_HOME"]
      else process.env["XDG_CACHE_HOME"] = saved
      fs.rmSync(cache, { recursive: true, force: true })
    }
  })
})
