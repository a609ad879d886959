import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as Store from "@rollout/store/Store"
import * as ThreadList from "@rollout/store/ThreadList"
import * as Home from "./support/Home.js"

const stores: Array<Store.Store> = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

/** A home of `n` threads, created `perMs` per millisecond, in two working directories. */
const home = (n: number, perMs: number) => {
  const dir = Home.tempDir()
  const t0 = Date.UTC(2026, 3, 1)
  for (let i = 0; i < n; i++) {
    const ms = t0 + Math.floor(i / perMs)
    const id = Home.uuid(i + 1)
    Home.write(
      Home.rolloutPath(dir, id, ms),
      [Home.sessionMeta(id, ms, { cwd: i % 2 === 0 ? "/even" : "/odd" }), ...Home.turn(`t${i}`, ms, `prompt number ${i}`, "ok")],
      ms + 1000
    )
  }
  const store = Store.open({ home: dir, path: path.join(dir, "index.sqlite") })
  stores.push(store)
  return store
}

const all = async (store: Store.Store, query: ThreadList.Query) => {
  const out: Array<ThreadList.Listed> = []
  let cursor: string | null = null
  do {
    const page: ThreadList.Page = await store.list({ ...query, cursor })
    out.push(...page.data)
    cursor = page.nextCursor
  } while (cursor !== null)
  return out
}

describe("ThreadList", () => {
  it("given threads created in the same millisecond, then pages of any size see each exactly once (unlike second-precision cursors)", async () => {
    const store = home(20, 4)
    for (const limit of [1, 3, 7]) {
      for (const sortKey of ["created_at", "updated_at"] as const) {
        const seen = await all(store, { limit, sortKey })
        expect(seen.map((t) => t.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => Home.uuid(i + 1)))
        const keys = seen.map((t) => (sortKey === "created_at" ? t.createdAtMs : t.updatedAtMs))
        expect(new Set(keys).size).toBe(20)
        expect(keys).toEqual([...keys].sort((a, b) => b - a))
      }
    }
  })

  it("filters by cwd and by search text, and pages within the filter", async () => {
    const store = home(10, 1)
    const even = await all(store, { cwd: "/even", limit: 2 })
    expect(even.length).toBe(5)
    expect(even.every((t) => t.cwd === "/even")).toBe(true)
    expect((await store.list({ search: "number 7" })).data.map((t) => t.preview)).toEqual(["prompt number 7"])
  })

  it("clamps the limit to 1..100 as Codex, and rejects cursors it did not make", async () => {
    const store = home(3, 1)
    expect((await store.list({ limit: 0 })).data.length).toBe(1)
    expect(() => ThreadList.decodeCursor("created_at", "2026-01-01T00:00:00Z")).toThrow(ThreadList.InvalidCursor)
    expect(() => ThreadList.decodeCursor("created_at", "updated_at:12")).toThrow(/sort-key/)
    expect(ThreadList.decodeCursor("updated_at", ThreadList.encodeCursor("updated_at", 12))).toBe(12)
  })

  it("describes a thread with Codex's thread/list fields", async () => {
    const store = home(1, 1)
    const [t] = (await store.list()).data
    expect(t).toMatchObject({
      id: Home.uuid(1),
      name: null,
      preview: "prompt number 0",
      cwd: "/even",
      source: "cli",
      modelProvider: "openai",
      model: "gpt-5.2-codex",
      reasoningEffort: "medium",
      cliVersion: "0.169.0",
      originator: "codex_cli_rs",
      historyMode: "legacy",
      createdAt: Date.UTC(2026, 3, 1) / 1000,
      archived: false,
      forkedFromId: null,
      parentThreadId: null
    })
    expect(t?.paths).toEqual([t?.path])
    expect(t?.turns).toBe(1)
    expect(t?.tokens).toEqual({ input: 1700, cachedInput: 170, output: 17, reasoningOutput: 0, total: 1717 })
    expect(t?.bytes).toBe(fs.statSync(t?.path ?? "").size)
  })

  it("biggest first: pages by (bytes, id) see every thread once, in order, and refuse a cursor of a listing by time", async () => {
    const store = home(12, 1)
    // Several threads have the same size: the id breaks the tie, so no page skips or repeats one.
    expect(new Set((await store.list({ limit: 100 })).data.map((t) => t.bytes)).size).toBeLessThan(12)
    for (const limit of [1, 5, 100]) {
      const seen = await all(store, { limit, bySize: true })
      expect(seen.map((t) => t.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => Home.uuid(i + 1)))
      const keys = seen.map((t) => [t.bytes, t.id] as const)
      expect(keys).toEqual([...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1)))
    }
    const first = await store.list({ limit: 2, bySize: true })
    expect(first.nextCursor).toMatch(/^size:\d+:/)
    await expect(store.list({ bySize: true, cursor: ThreadList.encodeCursor("created_at", 1) })).rejects.toThrow(/by time/)
  })
})
