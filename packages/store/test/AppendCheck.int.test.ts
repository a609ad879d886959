import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as AppendCheck from "@rollout/store/AppendCheck"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"

const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 1)

const open: Array<Store.Store> = []
afterEach(() => {
  for (const s of open.splice(0)) s.close()
})

/** `n` one-turn threads, thread i created and last written on day i (so thread 0 is the least recently updated). */
const setup = async (n: number) => {
  const home = Home.tempDir()
  const files: Array<string> = []
  for (let i = 0; i < n; i++) {
    const id = Home.uuid(i + 1)
    const ms = T0 + i * DAY
    const file = Home.rolloutPath(home, id, ms)
    Home.write(file, [Home.sessionMeta(id, ms), ...Home.turn(`t${i}-1`, ms, `prompt ${i}`, "ok")], ms)
    files.push(file)
  }
  const index = path.join(home, "index.sqlite")
  const store = Store.open({ home, path: index })
  open.push(store)
  await store.refresh()
  return { home, files, index, store }
}

const appendTurn = (file: string, i: number, ms: number) =>
  Home.append(
    file,
    Home.turn(`t${i}-2`, ms, `again ${i}`, "ok")
      .map((l) => `${l}\n`)
      .join(""),
    ms
  )

describe("AppendCheck: the bounded check for appends (Refresh scope quick)", () => {
  it("given a home larger than the budget, an append to a recently updated file shows at once, one to the least recently updated within ⌈files / minFiles⌉ checks", async () => {
    const n = 20
    const { files, store } = await setup(n)
    const budget: AppendCheck.Budget = { recent: 2, ms: 0, minFiles: 3 }
    appendTurn(files[n - 1] ?? "", n - 1, T0 + n * DAY)
    expect((await store.refresh({ scope: "quick", budget })).filesRead).toBe(1)

    appendTurn(files[0] ?? "", 0, T0 + (n + 1) * DAY)
    let checks = 0
    for (let read = 0; read === 0; checks++) read = (await store.refresh({ scope: "quick", budget })).filesRead
    expect(checks).toBeLessThanOrEqual(Math.ceil(n / budget.minFiles))
    const top = (await store.list({ limit: 1, sortKey: "updated_at" }, false)).data[0]
    expect(top?.id).toBe(Home.uuid(1))
  })

  it("stats only as many files as the budget allows, and continues where the previous check stopped", async () => {
    const { store } = await setup(12)
    const budget: AppendCheck.Budget = { recent: 0, ms: 0, minFiles: 5 }
    const db = store.database
    const first = AppendCheck.run(db, new Set(), budget)
    expect(first.checked).toBe(5)
    expect(first.cursor).toBeDefined()
    AppendCheck.savePosition(db, first.cursor ?? "")
    const second = AppendCheck.run(db, new Set(), budget)
    expect(second.checked).toBe(5)
    expect((second.cursor ?? "") > (first.cursor ?? "")).toBe(true)
    // A budget that covers every file leaves nothing to store.
    expect(AppendCheck.run(db, new Set(), { recent: 0, ms: 1000, minFiles: 100 }).cursor).toBeUndefined()
  })

  it("given a missing or garbled position file, then the rotation starts over and nothing fails", async () => {
    const { files, index, store } = await setup(6)
    fs.writeFileSync(`${index}${AppendCheck.POSITION_SUFFIX}`, "\u0000garbage\uffff")
    appendTurn(files[2] ?? "", 2, T0 + 10 * DAY)
    expect((await store.refresh({ scope: "quick", budget: { recent: 0, ms: 0, minFiles: 100 } })).filesRead).toBe(1)
    fs.rmSync(`${index}${AppendCheck.POSITION_SUFFIX}`, { force: true })
    appendTurn(files[3] ?? "", 3, T0 + 11 * DAY)
    expect((await store.refresh({ scope: "quick", budget: { recent: 0, ms: 0, minFiles: 100 } })).filesRead).toBe(1)
  })

  it("does not stat compressed rollouts (written once; replacing one changes its folder)", async () => {
    const { home, store } = await setup(2)
    const id = Home.uuid(50)
    const file = `${Home.rolloutPath(home, id, T0)}.zst`
    fs.writeFileSync(file, "not read")
    store.database
      .prepare("INSERT INTO files(path, thread_id, archived, size, mtime_ms, offset, head_hash, state) VALUES (?, ?, 0, 1, 1, 0, '', '{}')")
      .run(file, id)
    const check = AppendCheck.run(store.database, new Set(), { recent: 10, ms: 1000, minFiles: 100 })
    expect(check.checked).toBe(2)
    expect(check.candidates).toEqual([])
  })
})
