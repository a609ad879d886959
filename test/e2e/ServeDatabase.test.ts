// End to end: `rollout serve --database URL` over a real PostgreSQL (a throw-away cluster) into
// which the built bin pushed two generated homes from two machines. The protocol (stdio) must
// answer `thread/list` rows, `thread/read` with turns and `thread/turns/list` exactly as a local
// `serve --stdio` on the home the thread came from; the web API lists every thread once with its
// machine and searches both; writes are refused as read-only; a new push shows without a restart;
// the web app draws the list, a thread, search and the dashboard in Chromium with no console
// error; a wrong URL is one line and exit 2 with no password in it. Set SCREENSHOT_DIR to keep
// screenshots. Without PostgreSQL or Chromium this fails (never skips).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgCluster from "@rollout/team/test/support/PgCluster"
import * as TeamHome from "@rollout/team/test/support/TeamHome"
import { bin, root } from "./Bin.js"

const WORD = "quokkaflux"
const CHROMIUM = "/usr/bin/chromium"
const shots = process.env["SCREENSHOT_DIR"]
type Message = Record<string, unknown>

const env = () => {
  const e: Record<string, string | undefined> = { ...process.env }
  delete e["ROLLOUT_DATABASE_URL"]
  delete e["PGPASSWORD"]
  return e
}
const rollout = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, env: env(), maxBuffer: 256 << 20 })

let cluster: PgCluster.Cluster
let url: string
let base = ""
let serverLog = ""
let browser: Browser
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-serve-db-"))
const homes: Record<string, string> = {}
const children: Array<ChildProcessWithoutNullStreams> = []

const sync = (machine: string) => {
  const r = rollout("sync", "--database", url, "--codex-home", homes[machine] as string, "--machine", machine, "--json")
  if (r.status !== 0) throw new Error(`sync ${machine}: ${r.stderr}`)
}

beforeAll(async () => {
  const launched = chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] })
  cluster = await PgCluster.shared()
  url = await cluster.database("serve_e2e")
  homes["ana"] = TeamHome.generate({ sessions: 6, seed: 31, word: WORD })
  homes["bo"] = TeamHome.generate({ sessions: 5, seed: 32, word: WORD })
  sync("ana")
  sync("bo")
  const child = spawn(process.execPath, [bin, "serve", "--database", url, "--port", "0"], { stdio: ["pipe", "pipe", "pipe"], env: env() })
  children.push(child)
  child.stderr.on("data", (d: Buffer) => (serverLog += d.toString()))
  const first = (await readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value as string
  base = /^listening on (http:\/\/\S+\/)$/.exec(first)?.[1] ?? ""
  expect(base).not.toBe("")
  browser = await launched
}, 180_000)

afterAll(async () => {
  await browser?.close()
  for (const c of children) c.kill()
  cluster?.stop()
  for (const h of [...Object.values(homes), scratch]) fs.rmSync(h, { recursive: true, force: true })
})

/** Sends `requests` to a `serve --stdio` with `args` and returns the answers, by id. */
const stdio = async (args: ReadonlyArray<string>, requests: ReadonlyArray<Message>): Promise<Map<unknown, Message>> => {
  const child = spawn(process.execPath, [bin, "serve", "--stdio", ...args], { stdio: ["pipe", "pipe", "pipe"], env: env() })
  children.push(child)
  const answers = new Map<unknown, Message>()
  const wanted = requests.filter((r) => r["id"] !== undefined).length
  const done = new Promise<void>((resolve) => {
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const m = JSON.parse(line) as Message
      if (m["id"] !== undefined) answers.set(m["id"], m)
      if (answers.size === wanted) resolve()
    })
  })
  for (const r of requests) child.stdin.write(`${JSON.stringify(r)}\n`)
  await done
  child.stdin.end()
  return answers
}

const local = (machine: string) => ["--codex-home", homes[machine] as string, "--index", path.join(scratch, `${machine}.db`)]
const team = () => ["--database", url]

/**
 * A GET on a connection of its own: a kept-alive one can be closed by the server while this
 * process is blocked in a spawnSync, and the next request on it would fail.
 */
const get = (route: string): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    http
      .get(`${base}${route}`, { agent: false }, (res) => {
        let body = ""
        res.on("data", (d: Buffer) => (body += d.toString()))
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${route}: ${res.statusCode} ${body}`))))
      })
      .on("error", reject)
  })

const rows = (answer: Message | undefined): Array<{ id: string }> => (answer?.["result"] as { data: Array<{ id: string }> } | undefined)?.data ?? []

const init = { id: 0, method: "initialize", params: { clientInfo: { name: "e2e", version: "1" } } }
const everything = { limit: 100, sourceKinds: [], modelProviders: [] }

describe("rollout serve --database", () => {
  it("answers thread/list rows, thread/read with turns and thread/turns/list as the local server on the thread's home", async () => {
    for (const machine of ["ana", "bo"]) {
      const listed = await stdio(local(machine), [init, { id: 1, method: "thread/list", params: everything }])
      const threads = rows(listed.get(1))
      expect(threads.length).toBeGreaterThan(4)
      const requests: Array<Message> = [
        init,
        { id: 1, method: "thread/list", params: everything },
        { id: 2, method: "thread/search", params: { ...everything, searchTerm: "turn" } }
      ]
      threads.forEach((t, i) => {
        requests.push({ id: 100 + i, method: "thread/read", params: { threadId: t.id, includeTurns: true } })
        requests.push({ id: 200 + i, method: "thread/turns/list", params: { threadId: t.id, limit: 3 } })
        requests.push({ id: 300 + i, method: "thread/read", params: { threadId: t.id } })
      })
      const [mine, theirs] = await Promise.all([stdio(local(machine), requests), stdio(team(), requests)])
      // The team's pages hold both machines' threads: this machine's, in the team's order, are the local page.
      const ids = new Set(threads.map((t) => t.id))
      expect(rows(theirs.get(1)).filter((t) => ids.has(t.id))).toEqual(threads)
      // Codex's title search, likewise.
      const hits = (m: Message | undefined) => (m?.["result"] as { data: Array<{ thread: { id: string } }> } | undefined)?.data ?? []
      expect(hits(mine.get(2)).length).toBeGreaterThan(0)
      expect(hits(theirs.get(2)).filter((h) => ids.has(h.thread.id))).toEqual(hits(mine.get(2)))
      for (const [id, answer] of mine) if (typeof id === "number" && id >= 100) expect({ id, ...theirs.get(id) }).toEqual({ id, ...answer })
    }
  }, 120_000)

  it("lists every thread of both machines once with its machine, and searches both", async () => {
    const listed: Array<{ id: string; machine: string }> = []
    let cursor: string | null = null
    do {
      const page = (await get(`api/threads?limit=7${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`)) as {
        data: Array<{ id: string; machine: string }>
        nextCursor: string | null
      }
      listed.push(...page.data)
      cursor = page.nextCursor
    } while (cursor !== null)
    const expected = ["ana", "bo"].flatMap((m) => {
      const ls = rollout("ls", "--codex-home", homes[m] as string, "--index", path.join(scratch, `${m}.db`), "--json", "--limit", "100")
      return (JSON.parse(ls.stdout) as { data: Array<{ id: string }> }).data.map((t) => ({ id: t.id, machine: m }))
    })
    expect(listed.map((r) => `${r.machine}/${r.id}`).sort()).toEqual(expected.map((r) => `${r.machine}/${r.id}`).sort())
    const found = (await get(`api/search?q=${WORD}`)) as { hits: Array<{ machine: string; snippet: Array<{ text: string; hit: boolean }> }> }
    expect(new Set(found.hits.map((h) => h.machine))).toEqual(new Set(["ana", "bo"]))
    expect(found.hits[0]?.snippet.some((p) => p.hit && p.text === WORD)).toBe(true)
    // The message's own `parser[0]` is text, not a mark.
    for (const h of found.hits) expect(h.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual([WORD])
    expect(found.hits[0]?.snippet.map((p) => p.text).join("")).toContain("parser[0]")
    const facets = (await get("api/facets")) as { machines: Array<string> }
    expect([...facets.machines].sort()).toEqual(["ana", "bo"])
  })

  it("refuses archive, unarchive and rename as read-only, and shows a new push without a restart", async () => {
    const id = TeamHome.threadId(31, 1)
    const answers = await stdio(team(), [
      init,
      { id: 1, method: "thread/archive", params: { threadId: id } },
      { id: 2, method: "thread/name/set", params: { threadId: id, name: "x" } },
      { id: 3, method: "thread/read", params: { threadId: "0198f2a4-0099-7d8e-9f00-000000000001" } }
    ])
    expect(answers.get(1)?.["error"]).toEqual({ code: -32600, message: expect.stringContaining("read-only") })
    expect(answers.get(2)?.["error"]).toEqual({ code: -32600, message: expect.stringContaining("read-only") })
    expect(answers.get(3)?.["error"]).toEqual({ code: -32600, message: "thread not loaded: 0198f2a4-0099-7d8e-9f00-000000000001" })
    // A page's live feed: the push of a third machine comes as a change naming its threads.
    const events = await fetch(`${base}api/events`)
    const reader = (events.body as ReadableStream<Uint8Array>).getReader()
    let seen = ""
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 20_000
      while (!pattern.test(seen) && Date.now() < deadline) {
        const { value, done } = await reader.read()
        if (done) break
        seen += Buffer.from(value).toString("utf8")
      }
      return pattern.test(seen)
    }
    expect(await until(/event: ready/)).toBe(true)
    homes["cy"] = TeamHome.generate({ sessions: 2, seed: 33 })
    sync("cy")
    expect(await until(new RegExp(`event: change\\ndata: \\{"threads":\\[[^\\]]*"${TeamHome.threadId(33, 1)}"`))).toBe(true)
    await reader.cancel()
    const facets = (await get("api/facets")) as { machines: Array<string> }
    expect([...facets.machines].sort()).toEqual(["ana", "bo", "cy"])
    const t = (await get(`api/threads/${TeamHome.threadId(33, 1)}/turns?from=0&limit=5`)) as { turns: Array<unknown> }
    expect(t.turns.length).toBeGreaterThan(0)
  }, 60_000)

  it("says a wrong URL in one line, exit 2, with no password", () => {
    const r = rollout("serve", "--database", "postgres://me:sekret-pw@127.0.0.1:1/none", "--port", "0")
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(`${r.stdout}${r.stderr}`).not.toContain("sekret-pw")
    expect(rollout("serve", "--database", "mysql://x@h/db", "--stdio").status).toBe(2)
  })
})

describe("the web app over the team database (Chromium)", () => {
  const open = async (hash: string, dark = false): Promise<{ page: Page; errors: Array<string> }> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: dark ? "dark" : "light" })
    const errors: Array<string> = []
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(e.message))
    await page.goto(`${base}${hash}`)
    return { page, errors }
  }
  const shot = async (page: Page, name: string) => {
    if (shots !== undefined) await page.screenshot({ path: path.join(shots, `team-${name}.png`) })
  }

  it("draws the list with machines, a thread, search hits and the dashboard, with no console error", async () => {
    const list = await open("#/")
    await list.page.locator("li.thread .machine").first().waitFor()
    expect(new Set(await list.page.locator("li.thread .machine").allTextContents())).toEqual(new Set(["ana", "bo", "cy"]))
    await shot(list.page, "list")
    await list.page.locator('select[name="machine"]').selectOption("bo")
    await list.page.waitForFunction(() => Array.from(document.querySelectorAll("li.thread .machine")).every((e) => e.textContent === "bo"))
    expect(list.page.url()).toContain("machine=bo")
    await list.page.locator("li.thread a.title").first().click()
    await list.page.locator("section.turn").first().waitFor()
    expect(await list.page.locator("section.turn").count()).toBeGreaterThan(0)
    expect(await list.page.locator("dl.facts").textContent()).toContain("Machinebo")
    await shot(list.page, "thread")
    const search = await open(`#/search?q=${WORD}`, true)
    await search.page.locator("li.hit mark").first().waitFor()
    expect(new Set(await search.page.locator("li.hit .machine").allTextContents())).toEqual(new Set(["ana", "bo"]))
    await shot(search.page, "search-dark")
    const stats = await open("#/stats")
    await stats.page.locator("canvas").first().waitFor()
    await shot(stats.page, "stats")
    // The replay steps through the pushed lines, as locally.
    const replay = await open(`#/replay/${TeamHome.threadId(31, 1)}?line=0`)
    await replay.page.waitForSelector(".position")
    await replay.page.keyboard.press("End")
    await replay.page.waitForFunction(() => /turn (\d+) of \1/.test(document.querySelector(".position")?.textContent ?? ""))
    expect(await replay.page.locator("section.turn").count()).toBeGreaterThan(0)
    await replay.page.evaluate(() => window.scrollTo(0, 0))
    await shot(replay.page, "replay")
    const all = [list, search, stats, replay]
    for (const o of all) await o.page.close()
    expect({ errors: all.flatMap((o) => o.errors), serverLog }).toEqual({ errors: [], serverLog: "" })
  }, 60_000)
})
