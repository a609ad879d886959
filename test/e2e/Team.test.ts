// End to end: three generated Codex homes pushed by the built bin into a real PostgreSQL (a
// throw-away cluster: initdb + pg_ctl, as the postgres user when root), one pushed twice, one push
// killed with SIGKILL midway and pushed again. Then `stats|ls|search --database` must agree
// exactly with the local commands run on each home; credentials never show; a database that
// cannot be reached is one line and exit 2. Without PostgreSQL this fails (never skips).
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgCluster from "@rollout/team/test/support/PgCluster"
import * as TeamChecks from "@rollout/team/test/support/TeamChecks"
import * as TeamHome from "@rollout/team/test/support/TeamHome"
import { bin, inProcess, root } from "./Bin.js"

const WORD = "zanzibarquux"
const env = () => {
  const e: Record<string, string | undefined> = { ...process.env }
  delete e["ROLLOUT_DATABASE_URL"]
  delete e["PGPASSWORD"]
  return e
}
const rollout = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, env: env(), maxBuffer: 256 << 20 })
const json = (r: { readonly status: number | null; readonly stdout: string; readonly stderr: string }) => {
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}
/**
 * The local commands the team's answers are held to, run in-process: they are the reference here
 * (each runs through the bin in its own end-to-end tests), and their 29 bin starts were a third of
 * this file's CPU time. What is under test, sync and every --database command, runs the bin.
 */
const locally = async (...args: Array<string>) => json(await inProcess(...args))

let cluster: PgCluster.Cluster
let url: string
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-team-e2e-"))
const homes: Record<string, string> = {}
let killedAt = 0

beforeAll(async () => {
  cluster = await PgCluster.shared()
  url = await cluster.database("team_e2e")
  homes["ana"] = TeamHome.generate({ sessions: 20, seed: 11, word: WORD })
  homes["bo"] = TeamHome.generate({ sessions: 15, seed: 12, word: WORD })
  // Large enough for the kill midway (more files than one push batch of 192, so the push goes on
  // after its first commit) and for pages (more threads than a page of 100); 500 proved no more.
  homes["cy"] = TeamHome.generate({ sessions: 300, seed: 13, word: WORD })
}, 120_000)

afterAll(() => {
  cluster?.stop()
  for (const h of [...Object.values(homes), scratch]) fs.rmSync(h, { recursive: true, force: true })
})

const pushed = (machine: string) => Number(cluster.psql("team_e2e", `SELECT count(*) FROM files WHERE machine = '${machine}'`))

/** Starts a push of `machine` and kills it with SIGKILL once some of its files are committed. */
const killMidway = (machine: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "sync", "--database", url, "--codex-home", homes[machine] as string, "--machine", machine, "--jobs", "1"], {
      cwd: root,
      env: env(),
      stdio: "ignore"
    })
    let exited = false
    child.on("exit", () => {
      exited = true
    })
    const poll = () => {
      if (exited) return reject(new Error("the push finished before it could be killed"))
      if (pushed(machine) > 0) {
        child.kill("SIGKILL")
        child.on("exit", (_code, signal) => resolve(signal === "SIGKILL" ? pushed(machine) : -1))
        return
      }
      setTimeout(poll, 5)
    }
    poll()
  })

const sync = (machine: string) => json(rollout("sync", "--database", url, "--codex-home", homes[machine] as string, "--machine", machine, "--json"))

describe("rollout sync and --database", () => {
  it("given three homes, one pushed twice and one killed midway, then every file is pushed once", async () => {
    expect(sync("ana").filesPushed).toBeGreaterThan(20)
    const bo = sync("bo")
    expect(sync("bo")).toMatchObject({ filesPushed: 0, filesRemoved: 0, bytesRead: 0, files: bo.files })
    killedAt = await killMidway("cy")
    const total = sync("cy")
    // Some files were committed before the kill, and none of them is pushed again.
    expect(killedAt).toBeGreaterThan(0)
    expect(killedAt).toBeLessThan(total.files)
    expect(total.filesPushed).toBe(total.files - killedAt)
    expect(pushed("cy")).toBe(total.files)
    expect(sync("cy").filesPushed).toBe(0)
    // The rollup the reports read is the buckets' exact sum after the kill and the pushes again.
    expect(TeamChecks.rollupDrift(cluster, "team_e2e")).toBe("0")
    // Every file's rollout bytes are whole: one gapless run of pieces up to its size.
    expect(TeamChecks.bytesDrift(cluster, "team_e2e")).toBe("0")
  }, 300_000)

  it("then stats --database equals the sum of each home's local stats, exactly", async () => {
    const locals = await Promise.all(Object.entries(homes).map(async ([m, h]) => [m, await locally("stats", h, "--codex-home", h, "--json")] as const))
    const team = json(rollout("stats", "--database", url, "--json"))
    const sum = (f: (r: any) => number) => locals.reduce((n, [, r]) => n + f(r), 0)
    const t = team.totals
    for (const k of ["files", "threads", "forks", "lines", "copiedLines", "diagnostics"]) expect(t[k], k).toBe(sum((r) => r.totals[k]))
    for (const k of ["input", "cachedInput", "output", "reasoningOutput", "total"]) {
      expect(t.tokens[k], k).toBe(sum((r) => r.totals.tokens[k]))
      expect(t.subAgents.tokens[k], k).toBe(sum((r) => r.totals.subAgents.tokens[k]))
    }
    for (const k of ["started", "completed", "failed", "aborted", "timed", "durationMs"]) expect(t.turns[k], k).toBe(sum((r) => r.totals.turns[k]))
    expect(t.turns.maxMs).toBe(Math.max(...locals.map(([, r]) => r.totals.turns.maxMs)))
    expect(t.firstAt).toBe(locals.map(([, r]) => r.totals.firstAt).sort()[0])
    const byKey = (rows: Array<any>, key: string, field: string) => Object.fromEntries(rows.map((r) => [r[key], r[field]]))
    const merged = (pick: (r: any) => Array<any>, key: string, field: string) => {
      const out: Record<string, number> = {}
      for (const [, r] of locals) for (const [k, v] of Object.entries(byKey(pick(r), key, field))) out[k] = (out[k] ?? 0) + (v as number)
      return out
    }
    expect(byKey(t.tools, "tool", "calls")).toEqual(merged((r) => r.totals.tools, "tool", "calls"))
    expect(byKey(t.errors, "codexErrorInfo", "count")).toEqual(merged((r) => r.totals.errors, "codexErrorInfo", "count"))
    expect(byKey(team.rows, "day", "totalTokens")).toEqual(merged((r) => r.rows, "day", "totalTokens"))
    expect(byKey(team.rows, "day", "turns")).toEqual(merged((r) => r.rows, "day", "turns"))
    // Per machine, the session rows are the local ones plus the machine.
    const sessions = json(rollout("stats", "--database", url, "--by", "session", "--json")).rows
    for (const [m, h] of Object.entries(homes)) {
      const own = (await locally("stats", h, "--codex-home", h, "--by", "session", "--json")).rows
      expect(sessions.filter((r: any) => r.machine === m).map(({ machine: _m, ...r }: any) => r)).toEqual(own)
    }
  }, 300_000)

  it("then in Asia/Tokyo, inside a --since/--until window, stats --database equals the sum of the local stats, cost included", async () => {
    const tokyo = ["--timezone", "Asia/Tokyo"]
    const days = json(rollout("stats", "--database", url, ...tokyo, "--json")).rows.map((r: any) => r.day)
    expect(days.length).toBeGreaterThan(4)
    const window = [...tokyo, "--since", days[1], "--until", days[days.length - 2]]
    for (const [flags, by] of [
      [tokyo, "week"],
      [window, "day"],
      [window, "model"],
      [window, "project"]
    ] as const) {
      const locals: Array<any> = []
      for (const h of Object.values(homes)) locals.push(await locally("stats", h, "--codex-home", h, ...flags, "--by", by, "--json"))
      const team = json(rollout("stats", "--database", url, ...flags, "--by", by, "--json"))
      const label = `${flags.join(" ")} --by ${by}`
      const sum = (f: (r: any) => number) => locals.reduce((n, r) => n + f(r), 0)
      for (const k of ["files", "threads", "forks", "lines", "diagnostics"]) expect(team.totals[k], `${label} ${k}`).toBe(sum((r) => r.totals[k]))
      expect(team.totals.tokens, label).toEqual(Object.fromEntries(Object.keys(team.totals.tokens).map((k) => [k, sum((r) => r.totals.tokens[k])] as const)))
      expect(team.totals.window).toEqual(locals[0].totals.window)
      expect(team.totals.costUSD, label).toBeGreaterThan(0)
      expect(team.totals.costUSD, label).toBeCloseTo(
        sum((r) => r.totals.costUSD),
        9
      )
      expect(team.totals.knownCostUSD, label).toBeCloseTo(
        sum((r) => r.totals.knownCostUSD),
        9
      )
      const merged: Record<string, { totalTokens: number; turns: number; costUSD: number }> = {}
      for (const r of locals.flatMap((l) => l.rows)) {
        const m = merged[r[by]] ?? { totalTokens: 0, turns: 0, costUSD: 0 }
        merged[r[by]] = { totalTokens: m.totalTokens + r.totalTokens, turns: m.turns + r.turns, costUSD: m.costUSD + r.costUSD }
      }
      expect(
        team.rows.map((r: any) => r[by]),
        label
      ).toEqual(Object.keys(merged).sort())
      for (const r of team.rows) {
        const want = merged[r[by]] as { totalTokens: number; turns: number; costUSD: number }
        expect([r.totalTokens, r.turns], `${label} ${r[by]}`).toEqual([want.totalTokens, want.turns])
        expect(r.costUSD, `${label} ${r[by]}`).toBeCloseTo(want.costUSD, 9)
      }
    }
    // Per machine and thread, the windowed session rows are the local ones, cost and project included.
    const sessions = json(rollout("stats", "--database", url, ...window, "--by", "session", "--json")).rows
    for (const [m, h] of Object.entries(homes)) {
      const own = (await locally("stats", h, "--codex-home", h, ...window, "--by", "session", "--json")).rows
      expect(own.length).toBeGreaterThan(0)
      expect(sessions.filter((r: any) => r.machine === m).map(({ machine: _m, ...r }: any) => r)).toEqual(own)
    }
  }, 300_000)

  it("then ls --database pages list every thread of every machine once, as the local listing does", async () => {
    const seen: Array<any> = []
    let cursor: string | null = null
    do {
      const page: any = json(rollout("ls", "--database", url, "--limit", "97", "--json", ...(cursor === null ? [] : ["--cursor", cursor])))
      seen.push(...page.data)
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(new Set(seen.map((t) => `${t.machine}/${t.id}`)).size).toBe(seen.length)
    for (const [m, h] of Object.entries(homes)) {
      const local: Array<any> = []
      let c: string | null = null
      do {
        const page: any = await locally(
          "ls",
          "--codex-home",
          h,
          "--index",
          path.join(scratch, `${m}.sqlite`),
          "--limit",
          "100",
          "--json",
          ...(c === null ? [] : ["--cursor", c])
        )
        local.push(...page.data)
        c = page.nextCursor
      } while (c !== null)
      // Turns, tokens and bytes agree with the local index's; what trim would free is measured on local files only.
      const strip = ({ createdAtMs: _c, updatedAtMs: _u, machine: _m, trimFreesBytes: _f, ...t }: any) => t
      const mine = seen.filter((t) => t.machine === m)
      expect(local.every((t) => typeof t.bytes === "number" && typeof t.turns === "number")).toBe(true)
      expect(mine.some((t) => t.turns > 0 && t.tokens !== null && t.bytes > 0)).toBe(true)
      expect(mine.every((t) => t.trimFreesBytes === undefined)).toBe(true)
      expect(mine.map(strip).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(local.map(strip).sort((a, b) => (a.id < b.id ? -1 : 1)))
    }
  }, 300_000)

  it("then search --database finds the word on every machine, as many times as the local searches", async () => {
    const team = json(rollout("search", WORD, "--database", url, "--limit", "500", "--json"))
    expect(new Set(team.data.map((h: any) => h.machine))).toEqual(new Set(Object.keys(homes)))
    let found = 0
    for (const [m, h] of Object.entries(homes))
      found += (await locally("search", WORD, "--codex-home", h, "--index", path.join(scratch, `${m}.sqlite`), "--json")).total
    expect(team.total).toBe(found)
    expect(team.data[0].snippet).toContain(`[${WORD}]`)
    expect(team.data.every((h: any) => typeof h.cwd === "string" && h.cwd !== "")).toBe(true)
  }, 120_000)

  it("never shows the password, and a database it cannot use is one line on stderr and exit 2", () => {
    const wrong = url.replace(encodeURIComponent(cluster.password), "not-the-password-42")
    const cases = [
      rollout("ls", "--database", wrong),
      rollout("stats", "--database", `postgres://rollout:hunter2-secret@127.0.0.1:${cluster.port + 1}/x`),
      rollout("sync", "--database", "postgres//rollout:hunter2-secret@nowhere", "--codex-home", homes["ana"] as string),
      rollout("search", "x", "--database", "mysql://rollout:hunter2-secret@127.0.0.1/x")
    ]
    for (const r of cases) {
      expect(r.status).toBe(2)
      expect(r.stdout).toBe("")
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(r.stderr).not.toMatch(/hunter2|not-the-password/)
    }
    expect(cases[0]?.stderr).toMatch(/password authentication failed/)
    const ok = rollout("sync", "--database", url, "--codex-home", homes["ana"] as string, "--machine", "ana")
    expect(ok.status).toBe(0)
    expect(`${ok.stdout}${ok.stderr}`).not.toContain(cluster.password)
  }, 120_000)

  it("given a fresh database, when two machines push at once, then the schema is migrated once and both land", async () => {
    const fresh = await cluster.database("team_race")
    const run = (m: string) =>
      new Promise<number>((resolve) =>
        spawn(process.execPath, [bin, "sync", "--database", fresh, "--codex-home", homes[m] as string, "--machine", m], {
          cwd: root,
          env: env(),
          stdio: "ignore"
        }).on("exit", (code) => resolve(code ?? -1))
      )
    expect(await Promise.all([run("ana"), run("bo")])).toEqual([0, 0])
    expect(cluster.psql("team_race", "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")).toBe("1,2,3,4")
    expect(Number(cluster.psql("team_race", "SELECT count(DISTINCT machine) FROM files"))).toBe(2)
  }, 120_000)
})
