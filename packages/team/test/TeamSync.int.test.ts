// Pushing generated homes into a real PostgreSQL (a throw-away cluster) and reading the team
// answers back: statistics equal the local fold's, pushing twice changes nothing, a grown file
// adds only its new lines, several machines add up, listing and search see every machine.
import * as fs from "node:fs"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as StatsQuery from "@rollout/query/StatsQuery"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as Team from "@rollout/team/Team"
import type * as TeamList from "@rollout/team/TeamList"
import * as PgCluster from "./support/PgCluster.js"
import * as TeamChecks from "./support/TeamChecks.js"
import * as TeamHome from "./support/TeamHome.js"

let cluster: PgCluster.Cluster
let url: string
const homes: Array<string> = []

beforeAll(async () => {
  cluster = await PgCluster.shared()
  url = await cluster.database("sync_test")
})
afterAll(() => {
  cluster?.stop()
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true })
})

const local = (home: string, by: StatsReport.By = "day", window: StatsReport.Options = {}) =>
  Effect.runPromise(StatsQuery.report({ paths: [home], by, window, codexHome: home, jobs: 1 }).pipe(Effect.provide(Files.layerNode))).then((a) => a.report)

/** A table that prices one of the corpus's two models, so that the other is unpriced. */
const partial: StatsPricing.Table = {
  source: "test",
  retrieved: "2026-12-07",
  models: { "gpt-5.2-codex": { input: 0.000001, cachedInput: 0.0000001, output: 0.000008 } }
}

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)

describe("TeamSync", () => {
  it("given one home, when pushed, then stats --database equals the local fold, and a second push writes nothing", async () => {
    const home = TeamHome.generate({ sessions: 12, seed: 1, word: "kerfuffle" })
    homes.push(home)
    const first = await run(Team.sync(url, { home, machine: "alpha", jobs: 1 }))
    expect(first.filesPushed).toBe(first.files)
    const again = await run(Team.sync(url, { home, machine: "alpha", jobs: 1 }))
    expect(again).toMatchObject({ filesPushed: 0, filesRemoved: 0, bytesRead: 0, namesChanged: false })
    const want = await local(home)
    const got = await run(Team.stats(url, { by: "day" }))
    expect(got.totals).toEqual(want.totals)
    expect(got.rows).toEqual(want.rows)
    expect(got.days).toEqual(want.days)
    expect(got.diagnostics.map((d) => ({ path: d.path, line: d.line, kind: d.kind, message: d.message }))).toEqual(want.diagnostics)
  })

  it("given a grown file, when pushed again, then only its new bytes are read and the totals follow", async () => {
    const home = homes[0] as string
    const path = (await CodexHome.rollouts(Files.node, home)).at(-1)?.path as string
    const before = fs.statSync(path).size
    const lines = fs.readFileSync(path, "utf8").trimEnd().split("\n")
    fs.appendFileSync(path, `${lines.slice(1, 12).join("\n")}\n`)
    const r = await run(Team.sync(url, { home, machine: "alpha", jobs: 1 }))
    expect(r.filesPushed).toBe(1)
    expect(r.bytesRead).toBe(fs.statSync(path).size - before)
    for (const by of ["model", "month"] as const) {
      const got = await run(Team.stats(url, { by }))
      const want = await local(home, by)
      expect(got.totals).toEqual(want.totals)
      expect(got.rows).toEqual(want.rows)
    }
    expect(TeamChecks.rollupDrift(cluster, "sync_test")).toBe("0")
  })

  it("given token counts at odd times and a file gone from the home, then the days follow the local ones and the rollup loses exactly the file's buckets", async () => {
    const home = TeamHome.generate({ sessions: 6, seed: 4 })
    homes.push(home)
    // Times the server's steps do not place (an hour 24, no time at all, a day that is no date): the report places them.
    const odd = (await CodexHome.rollouts(Files.node, home)).find((f) => f.id === TeamHome.threadId(4, 1))?.path as string
    const stamps = ["2026-06-05T24:10:00.000Z", "sometime", "2026-02-30T10:00:00.000Z"]
    const text = fs.readFileSync(odd, "utf8").replace(/"timestamp":"[^"]*"(,"type":"event_msg","payload":\{"type":"token_count")/g, (m, rest) => {
      const stamp = stamps.shift()
      return stamp === undefined ? m : `"timestamp":"${stamp}"${rest}`
    })
    expect(stamps).toEqual([])
    fs.writeFileSync(odd, text)
    const url = await cluster.database("sync_remove")
    await run(Team.sync(url, { home, machine: "gamma", jobs: 1 }))
    const files = await CodexHome.rollouts(Files.node, home)
    // The thread in two segments loses one (a rebase), and a plain session goes whole.
    const twoSegments = files.filter((f) => f.id === TeamHome.threadId(4, 4))
    expect(twoSegments).toHaveLength(2)
    fs.rmSync(twoSegments[1]?.path as string)
    fs.rmSync(files.find((f) => f.id === TeamHome.threadId(4, 100))?.path as string)
    expect(await run(Team.sync(url, { home, machine: "gamma", jobs: 1 }))).toMatchObject({ filesPushed: 0, filesRemoved: 2 })
    expect(TeamChecks.rollupDrift(cluster, "sync_remove")).toBe("0")
    const days = (await local(home, "day", { timezone: "Asia/Kolkata" })).days.map((d) => d.day)
    expect(days).toContain("sometime")
    expect(days).toContain("2026-03-02")
    for (const [by, window] of [
      ["day", { timezone: "Asia/Kolkata" }],
      ["session", { timezone: "Asia/Kolkata" }],
      ["week", { timezone: "Asia/Tokyo", since: "2026-06-06" }],
      ["project", { timezone: "Asia/Tokyo", since: "2026-06-06" }]
    ] as const) {
      const want = await local(home, by, window)
      const got = await run(Team.stats(url, { ...window, by }))
      expect(got.totals).toEqual(want.totals)
      expect(got.rows.map(({ machine: _m, ...r }) => r)).toEqual(want.rows)
      expect(got.days).toEqual(want.days)
    }
  })

  it("given two homes pushed at once under one machine name, then nothing deadlocks, the rollup stays the buckets' sum, and a last push answers as locally", async () => {
    const [a, b] = [
      TeamHome.generate({ sessions: 80, seed: 7 }),
      TeamHome.generate({ sessions: 80, seed: 8, start: Date.UTC(2026, 5, 1, 9) + 7 * 3_600_000 + 900_000 })
    ]
    homes.push(a, b)
    const url = await cluster.database("sync_race")
    // Each push forgets the other's files and writes its own, in batches on three connections.
    await Promise.all([run(Team.sync(url, { home: a, machine: "same", jobs: 1 })), run(Team.sync(url, { home: b, machine: "same", jobs: 1 }))])
    expect(TeamChecks.rollupDrift(cluster, "sync_race")).toBe("0")
    await run(Team.sync(url, { home: a, machine: "same", jobs: 1 }))
    expect(TeamChecks.rollupDrift(cluster, "sync_race")).toBe("0")
    const want = await local(a, "day", { timezone: "Asia/Tokyo" })
    const got = await run(Team.stats(url, { by: "day", timezone: "Asia/Tokyo" }))
    expect(got.totals).toEqual(want.totals)
    expect(got.rows).toEqual(want.rows)
  })

  it("given a zone, a date window and a price table, then every grouping equals the local report's, cost included", async () => {
    const home = homes[0] as string
    const timezone = "Asia/Tokyo"
    const days = (await local(home, "day", { timezone })).days.map((d) => d.day)
    expect(days.length).toBeGreaterThan(3)
    const windows: Array<StatsReport.Options> = [
      { timezone },
      { timezone, since: days[1] as string, until: days[days.length - 2] as string },
      { timezone: "America/St_Johns", since: days[2] as string, pricing: partial },
      { timezone, until: days[1] as string, pricing: StatsPricing.builtIn }
    ]
    for (const window of windows)
      for (const by of StatsReport.bys) {
        const want = await local(home, by, window)
        const got = await run(Team.stats(url, { ...window, by, machine: "alpha" }))
        const label = `${by} ${JSON.stringify({ ...window, pricing: window.pricing?.source })}`
        expect(got.totals, label).toEqual(want.totals)
        expect(
          got.rows.map(({ machine: _m, ...r }) => r),
          label
        ).toEqual(want.rows)
        expect(got.days, label).toEqual(want.days)
      }
    const priced = await run(Team.stats(url, { by: "model", machine: "alpha", pricing: partial }))
    expect(priced.totals.costUSD).toBeNull()
    expect(priced.totals.unpricedModels.map((u) => u.model)).toEqual(["gpt-5.1-codex-mini"])
    expect(priced.totals.knownCostUSD).toBeGreaterThan(0)
  })

  it("given a second machine, then totals add up and ls and search see both", async () => {
    const home = TeamHome.generate({ sessions: 5, seed: 2, word: "kerfuffle" })
    homes.push(home)
    await run(Team.sync(url, { home, machine: "beta", jobs: 1 }))
    const [a, b] = [await local(homes[0] as string), await local(home)]
    const got = await run(Team.stats(url, { by: "day" }))
    expect(got.totals.tokens.total).toBe(a.totals.tokens.total + b.totals.tokens.total)
    expect(got.totals.threads).toBe(a.totals.threads + b.totals.threads)
    expect(got.totals.files).toBe(a.totals.files + b.totals.files)
    const seen: Array<string> = []
    let cursor: string | null = null
    do {
      const p: TeamList.Page = await run(Team.list(url, { limit: 3, cursor }))
      seen.push(...p.data.map((t) => `${t.machine}/${t.id}`))
      cursor = p.nextCursor
    } while (cursor !== null)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((s) => s.startsWith("alpha/")).length).toBeGreaterThan(5)
    expect(seen.filter((s) => s.startsWith("beta/")).length).toBeGreaterThan(5)
    const found = await run(Team.search(url, { text: "kerfuffle" }))
    expect(new Set(found.hits.map((h) => h.machine))).toEqual(new Set(["alpha", "beta"]))
    expect(found.hits[0]?.snippet).toContain("[kerfuffle] in parser[0]")
    // The runs mark the match alone: the text's own brackets are text, as in the local index.
    for (const h of found.hits) {
      expect(h.parts.filter((p) => p.hit).map((p) => p.text)).toEqual(["kerfuffle"])
      expect(h.parts.map((p) => p.text).join("")).toBe(h.snippet.replace("[kerfuffle]", "kerfuffle"))
    }
  })
})
