// The folder-time shortcut against a clock the test holds: a folder changed less than two seconds
// ago is listed again next time; once it has been still that long its time is stored and an
// unchanged folder is not read again.
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as HomeListing from "../src/internal/HomeListing.js"
import * as Host from "../src/internal/Host.js"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as Home from "./support/Home.js"

const dbs: Array<IndexDatabase.Db> = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})

const given = () => {
  const t0 = Date.UTC(2026, 3, 4, 5, 6, 7)
  const host = Host.test(t0)
  const home = path.resolve("/codex-home")
  const id = Home.uuid(1)
  const file = Home.rolloutPath(home, id, t0)
  host.files.write(file, `${[Home.sessionMeta(id, t0), ...Home.turn("t1", t0, "hi", "hello")].join("\n")}\n`)
  const { db } = IndexDatabase.open(path.join(Home.tempDir("rollout-index-"), "index.sqlite"))
  dbs.push(db)
  return { t0, host, home, file, db }
}

describe("HomeListing with a test clock", () => {
  it("given folders changed a second ago, then their times are stored as untrusted and read again next time", () => {
    const { host, home, file, db } = given()
    host.clock.advance(1_000)
    const first = HomeListing.changedDirs(db, home, host)
    expect(first.candidates.map((c) => c.file.path)).toEqual([file])
    expect(first.dirs.length).toBeGreaterThan(0)
    expect(first.dirs.every(([, t]) => t === -1)).toBe(true)
    HomeListing.commitDirs(db, first)
    expect(HomeListing.changedDirs(db, home, host).candidates.map((c) => c.file.path)).toEqual([file])
  })

  it("given folders still for longer than the racy window, then their times are stored and they are not read again", () => {
    const { t0, host, home, file, db } = given()
    host.clock.advance(5_000)
    const first = HomeListing.changedDirs(db, home, host)
    expect(first.candidates.map((c) => c.file.path)).toEqual([file])
    expect(first.dirs.every(([, t]) => t === t0)).toBe(true)
    HomeListing.commitDirs(db, first)
    const again = HomeListing.changedDirs(db, home, host)
    expect(again).toEqual({ candidates: [], removed: [], dirs: [], diagnostics: [] })
  })
})
