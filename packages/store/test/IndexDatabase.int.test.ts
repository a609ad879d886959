import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"

describe("IndexDatabase", () => {
  it("creates the schema once, in WAL mode with a busy timeout, and reopens without migrating again", () => {
    const file = path.join(Home.tempDir(), "i.sqlite")
    const a = IndexDatabase.open(file)
    expect(a.rebuilt).toBe(false)
    expect(a.db.pragma("journal_mode", { simple: true })).toBe("wal")
    expect(a.db.pragma("busy_timeout", { simple: true })).toBe(5000)
    expect(a.db.pragma("user_version", { simple: true })).toBe(IndexDatabase.VERSION)
    a.db.prepare("INSERT INTO names(id, name) VALUES ('x', 'y')").run()
    a.db.close()
    const b = IndexDatabase.open(file)
    expect(b.db.prepare("SELECT name FROM names").get()).toEqual({ name: "y" })
    b.db.close()
  })

  it("replaces a damaged index (an SQLite header, then garbage) with a fresh one", () => {
    const file = path.join(Home.tempDir(), "i.sqlite")
    fs.writeFileSync(file, Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), Buffer.from("garbage ".repeat(1000))]))
    const { db, rebuilt } = IndexDatabase.open(file)
    expect(rebuilt).toBe(true)
    expect(db.prepare("SELECT count(*) AS n FROM threads").get()).toEqual({ n: 0 })
    db.close()
  })

  it("refuses, and leaves as they are, a user's file, a folder, a pipe and a link to nothing given as the index", () => {
    const dir = Home.tempDir()
    const notes = path.join(dir, "notes.txt")
    fs.writeFileSync(notes, "my notes\n")
    const folder = path.join(dir, "folder")
    fs.mkdirSync(folder)
    const link = path.join(dir, "link.sqlite")
    fs.symlinkSync(path.join(dir, "gone"), link)
    const pipe = path.join(dir, "pipe")
    execFileSync("mkfifo", [pipe])
    for (const p of [notes, folder, link, pipe]) {
      expect(() => IndexDatabase.open(p)).toThrow(IndexDatabase.NotAnIndex)
      expect(() => Store.open({ home: dir, path: p, rebuild: true })).toThrow(IndexDatabase.NotAnIndex)
    }
    expect(fs.readFileSync(notes, "utf8")).toBe("my notes\n")
    expect(fs.existsSync(path.join(dir, "gone"))).toBe(false)
    expect(fs.readdirSync(folder)).toEqual([])
    // Nothing there, or an empty file: a new index.
    for (const p of [path.join(dir, "new.sqlite"), path.join(dir, "empty.sqlite")]) {
      if (p.endsWith("empty.sqlite")) fs.writeFileSync(p, "")
      const { db } = IndexDatabase.open(p)
      expect(db.pragma("user_version", { simple: true })).toBe(IndexDatabase.VERSION)
      db.close()
    }
  })

  it("puts the index in the per-user cache folder, never in the home, unless a flag or $ROLLOUT_INDEX says otherwise", () => {
    const cache = IndexDatabase.location(undefined, { XDG_CACHE_HOME: "/c" }, "/h")
    expect(cache).toMatch(/^\/c\/rollout\/h-[0-9a-f]{16}\.sqlite$/)
    expect(IndexDatabase.location(undefined, { XDG_CACHE_HOME: "/c" }, "/h/")).toBe(cache)
    expect(IndexDatabase.location(undefined, { XDG_CACHE_HOME: "/c" }, "/other/h")).not.toBe(cache)
    expect(IndexDatabase.cachePath("/home/me/.codex", "/c")).toMatch(/^\/c\/codex-[0-9a-f]{16}\.sqlite$/)
    expect(IndexDatabase.location(undefined, { ROLLOUT_INDEX: "/x/i.db" }, "/h")).toBe("/x/i.db")
    expect(IndexDatabase.location("/f.db", { ROLLOUT_INDEX: "/x/i.db" }, "/h")).toBe("/f.db")
  })

  it("keeps using an index an earlier version made inside the home", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "index-legacy-"))
    try {
      fs.writeFileSync(path.join(home, "rollout-index.sqlite"), "")
      expect(IndexDatabase.location(undefined, { XDG_CACHE_HOME: "/c" }, home)).toBe(path.join(home, "rollout-index.sqlite"))
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})
