import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as MillisCursor from "../src/internal/MillisCursor.js"
import * as Home from "./support/Home.js"

const insert = (db: IndexDatabase.Db, id: string, created: number, updated: number) =>
  db
    .prepare(
      "INSERT INTO threads (id, rollout_path, created_at_natural_ms, updated_at_natural_ms, created_at_ms, updated_at_ms, source, history_mode) VALUES (?, '', ?, ?, ?, ?, 'cli', 'legacy')"
    )
    .run(id, created, updated, created, updated)

describe("MillisCursor", () => {
  it("given instants already taken, then a wanted instant is bumped by 1 ms until free (Codex's 123 → 124)", () => {
    const { db } = IndexDatabase.open(path.join(Home.tempDir(), "i.sqlite"))
    db.transaction(() => {
      const a = MillisCursor.allocate(db, "updated_at_ms", 1_700_000_111_123, "a")
      insert(db, "a", 1, a)
      const b = MillisCursor.allocate(db, "updated_at_ms", 1_700_000_111_123, "b")
      insert(db, "b", 2, b)
      // An older instant (a backfill keeping file times) is used as it is.
      const c = MillisCursor.allocate(db, "updated_at_ms", 1_700_000_100_000, "c")
      insert(db, "c", 3, c)
      expect([a, b, c]).toEqual([1_700_000_111_123, 1_700_000_111_124, 1_700_000_100_000])
      // A thread keeps its own value when asked again.
      expect(MillisCursor.allocate(db, "updated_at_ms", 1_700_000_111_123, "a")).toBe(1_700_000_111_123)
    }).immediate()
    db.close()
  })

  it("given a long run of taken instants, then the first gap after them is found", () => {
    const { db } = IndexDatabase.open(path.join(Home.tempDir(), "i.sqlite"))
    db.transaction(() => {
      for (let i = 0; i < 600; i++) insert(db, `t${i}`, 5000 + i, i)
      expect(MillisCursor.allocate(db, "created_at_ms", 5000, "new")).toBe(5600)
      expect(MillisCursor.allocate(db, "created_at_ms", 4000, "new")).toBe(4000)
    }).immediate()
    db.close()
  })

  it("given two connections allocating the same instant in turn, then the UNIQUE index and the write lock keep them apart", () => {
    const file = path.join(Home.tempDir(), "i.sqlite")
    const one = IndexDatabase.open(file).db
    const two = IndexDatabase.open(file).db
    const take = (db: IndexDatabase.Db, id: string) =>
      db
        .transaction(() => {
          const v = MillisCursor.allocate(db, "created_at_ms", 42, id)
          insert(db, id, v, v)
          return v
        })
        .immediate()
    expect([take(one, "x"), take(two, "y"), take(one, "z")]).toEqual([42, 43, 44])
    one.close()
    two.close()
  })
})
