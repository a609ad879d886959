// End to end, on the real bin: one hostile or broken file never breaks a whole home. A session_meta
// nested 5,000 levels deep, a wrong-typed field, an unreadable folder (as an unprivileged user) and
// a symlinked rollout each cost at most their own thread, which is named on stderr.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const { home, scratch } = Home.tracked()

describe("a hostile file costs only its own thread", () => {
  it("a session_meta nested 5,000 levels deep: ls, index, search and archive still work for the others", () => {
    const deep = `"deep":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`
    const h = home([{ i: 1, rawMetaTail: deep }, { i: 2 }, { i: 3 }])
    const index = path.join(scratch(), "i.sqlite")
    for (const args of [["index"], ["ls"], ["search", "widget2"], ["archive", Home.idOf(3)]]) {
      const r = Home.run([...args, "--codex-home", h.home, "--index", index, "--json"].filter((a) => !(args[0] === "archive" && a === "--json")))
      expect(r.stderr, args.join(" ")).not.toMatch(/call stack|internal error/)
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0)
      // Said when the file is read: by `index` (which checks every file) and the first listing.
      if (args[0] === "index") expect(r.stderr).toContain(`${h.files[0]}: thread not indexed: its session_meta nests too deeply`)
    }
    const ls = JSON.parse(Home.run(["ls", "--codex-home", h.home, "--index", index, "--json"]).stdout) as { data: Array<{ id: string }> }
    expect(ls.data.map((t) => t.id)).toEqual([Home.idOf(2)])
  })

  it("a session_meta with a wrong-typed field is named in the diagnostics, not silently dropped", () => {
    const h = home([{ i: 1, meta: { cwd: 123 } }, { i: 2 }])
    const r = Home.run(["ls", "--codex-home", h.home, "--index", path.join(scratch(), "i.sqlite"), "--json"])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).data.map((t: { id: string }) => t.id)).toEqual([Home.idOf(2)])
    expect(r.stderr).toContain(`${h.files[0]}:1: session_meta skipped`)
    expect(r.stderr).toContain("invalid_payload")
  })

  it("a symlinked rollout file is read like any other", () => {
    const h = home([{ i: 1 }])
    const elsewhere = home([{ i: 2 }])
    fs.symlinkSync(elsewhere.files[0]!, path.join(path.dirname(h.files[0]!), path.basename(elsewhere.files[0]!)))
    const r = Home.run(["ls", "--codex-home", h.home, "--index", path.join(scratch(), "i.sqlite"), "--json"])
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).data.map((t: { id: string }) => t.id)).toEqual([Home.idOf(2), Home.idOf(1)])
  })

  it("a symlink loop in sessions/ costs nothing: every command lists the home's threads", () => {
    const h = home([{ i: 1 }, { i: 2 }])
    const sessions = path.join(h.home, "sessions")
    fs.symlinkSync("loop-b", path.join(sessions, "loop-a"))
    fs.symlinkSync("loop-a", path.join(sessions, "loop-b"))
    const index = path.join(scratch(), "i.sqlite")
    const ls = Home.run(["ls", "--codex-home", h.home, "--index", index, "--json"])
    expect(ls.status, ls.stderr).toBe(0)
    expect(JSON.parse(ls.stdout).data.map((t: { id: string }) => t.id)).toEqual([Home.idOf(2), Home.idOf(1)])
    const search = Home.run(["search", "widget2", "--codex-home", h.home, "--index", index, "--json"])
    expect(search.status, search.stderr).toBe(0)
    expect(JSON.parse(search.stdout).total).toBeGreaterThan(0)
    const stats = Home.run(["stats", h.home, "--no-cache", "--json"])
    expect(stats.status, stats.stderr).toBe(0)
    expect(JSON.parse(stats.stdout).totals.threads).toBe(2)
  })

  const why = Home.noUnprivileged()
  it.skipIf(why !== undefined)(`an unreadable folder (chmod 000, run as nobody) costs only its files${why === undefined ? "" : ` [skipped: ${why}]`}`, () => {
    const h = home([{ i: 1 }, { i: 2, dir: "2026/06/02" }, { i: 3, dir: "2026/06/03" }])
    const locked = path.dirname(h.files[1]!)
    const index = path.join(scratch(), "i.sqlite")
    try {
      for (const first of [true, false]) {
        // First with the folder locked before any index exists, then locked after it was indexed.
        if (!first) {
          fs.chmodSync(locked, 0o755)
          expect(Home.runUnprivileged(["index", "--codex-home", h.home, "--index", index]).status).toBe(0)
        }
        fs.chmodSync(locked, 0o000)
        for (const args of [
          ["ls", "--json"],
          ["index", "--json"],
          ["search", "widget3", "--json"]
        ]) {
          const r = Home.runUnprivileged([...args, "--codex-home", h.home, "--index", index])
          expect(r.stderr, args.join(" ")).not.toMatch(/internal error|EACCES.*\n\s+at /)
          expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0)
          if (first) expect(r.stderr, args.join(" ")).toMatch(/2026\/06\/02.*(permission denied|EACCES)/i)
        }
        const ids = JSON.parse(Home.runUnprivileged(["ls", "--json", "--codex-home", h.home, "--index", index]).stdout).data.map((t: { id: string }) => t.id)
        expect(ids).toContain(Home.idOf(1))
        expect(ids).toContain(Home.idOf(3))
      }
    } finally {
      fs.chmodSync(locked, 0o755)
    }
  })

  it.skipIf(why !== undefined)(
    `a rollout the user may not read (chmod 000, run as nobody) is unreadable input, exit 2, not 'not a rollout'${why === undefined ? "" : ` [skipped: ${why}]`}`,
    () => {
      const h = home([{ i: 1 }, { i: 2 }])
      fs.chmodSync(h.files[0]!, 0o000)
      for (const args of [["info"], ["resume"], ["trim"], ["fork", "--before-user-message", "0"], ["history"]]) {
        const r = Home.runUnprivileged([args[0]!, Home.idOf(1), ...args.slice(1), "--codex-home", h.home])
        expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2)
        expect(r.stderr, args.join(" ")).toMatch(/cannot read .*(EACCES|permission denied)/i)
        expect(r.stderr, args.join(" ")).not.toMatch(/not a rollout|internal error/)
      }
    }
  )

  it("ls and search on a folder that is no Codex home write nothing into it: the index lives in the user's cache", () => {
    const plain = scratch()
    fs.writeFileSync(path.join(plain, "notes.txt"), "not a home")
    const cache = scratch()
    for (const args of [["ls"], ["search", "anything"]]) {
      const r = Home.run([...args, "--codex-home", plain, "--json"], { XDG_CACHE_HOME: cache })
      expect(r.status, r.stderr).toBe(0)
    }
    expect(fs.readdirSync(plain)).toEqual(["notes.txt"])
    expect(fs.readdirSync(path.join(cache, "rollout")).filter((f) => f.endsWith(".sqlite"))).toHaveLength(1)
    const help = Home.run(["index", "--help"], { XDG_CACHE_HOME: cache })
    expect(help.stdout.replace(/\s+/g, " ")).toContain(path.join(cache, "rollout"))
  })
})
