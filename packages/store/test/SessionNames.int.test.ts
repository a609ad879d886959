import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as SessionNames from "../src/internal/SessionNames.js"
import * as Home from "./support/Home.js"

const entry = (id: string, name: string) => `${JSON.stringify({ id, thread_name: name, updated_at: "2026-11-21T00:00:00Z" })}\n`

const names = (db: IndexDatabase.Db) => db.prepare("SELECT id, name FROM names ORDER BY id").all()

describe("SessionNames", () => {
  it("reads only appended lines, the newest name per id wins, bad lines and a torn last line are skipped", () => {
    const home = Home.tempDir()
    const file = path.join(home, SessionNames.FILE_NAME)
    const { db } = IndexDatabase.open(path.join(home, "i.sqlite"))
    const refresh = () => db.transaction(() => SessionNames.refresh(db, home)).immediate()
    fs.writeFileSync(file, `${entry("a", "first")}not json\n${entry("b", "bee")}`)
    refresh()
    expect(names(db)).toEqual([
      { id: "a", name: "first" },
      { id: "b", name: "bee" }
    ])
    const torn = entry("a", "renamed")
    fs.appendFileSync(file, torn.slice(0, 10))
    expect(SessionNames.changed(db, home)).toBe(true)
    refresh()
    expect(names(db)).toContainEqual({ id: "a", name: "first" })
    fs.appendFileSync(file, torn.slice(10))
    refresh()
    expect(names(db)).toContainEqual({ id: "a", name: "renamed" })
    expect(SessionNames.changed(db, home)).toBe(false)
    db.close()
  })

  it("given the file rewritten shorter or removed, then names are read again from scratch", () => {
    const home = Home.tempDir()
    const file = path.join(home, SessionNames.FILE_NAME)
    const { db } = IndexDatabase.open(path.join(home, "i.sqlite"))
    const refresh = () => db.transaction(() => SessionNames.refresh(db, home)).immediate()
    fs.writeFileSync(file, entry("a", "one") + entry("b", "two"))
    refresh()
    fs.writeFileSync(file, entry("c", "three"))
    refresh()
    expect(names(db)).toEqual([{ id: "c", name: "three" }])
    fs.rmSync(file)
    refresh()
    expect(names(db)).toEqual([])
    db.close()
  })
})
