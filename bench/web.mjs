// The web app's first page on a generated home of 3,000 rollouts (issue 18: under 300 ms to
// render), the real bin (`rollout serve --port 0`) and Debian's Chromium: for each run a fresh
// browser page opens `/` and the time from navigation start to the first thread row in the DOM is
// read in the page (a MutationObserver set before any script runs), with the part spent before the
// app's script ran (DOMContentLoaded) and the API's answer. The index is built once before (a user
// who has run rollout before); the first, cold-index page is reported apart. Beside it, pair by
// pair in the same run, the machine's floor: the same browser opening a static page (the HTML
// export of one of the home's threads, no script) to its first turn; and `rollout ls --json
// --limit 50` on the same index, whole process, the CLI's answer to the same question. Run: `node bench/web.mjs [--quick]` (not part of
// `npm run bench`: it needs /usr/bin/chromium).
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { chromium } from "playwright-core"
import { prng, sessionMeta, turnLines } from "./corpus.mjs"

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "packages/cli/bin/rollout.js")
const quick = process.argv.includes("--quick")
const N = quick ? 300 : 3000
const RUNS = quick ? 3 : 9
const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1)
const p2 = (n) => String(n).padStart(2, "0")
const idOf = (i) => `0198f2a4-0000-7000-8000-${String(i).padStart(12, "0")}`

/** A home of `n` rollouts of 1 to 3 turns spread over a year (reused when complete). */
const home = (n) => {
  const dir = path.join(os.tmpdir(), `rollout-bench-web-${n}`)
  if (fs.existsSync(path.join(dir, ".complete"))) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  for (let i = 0; i < n; i++) {
    const ms = START + Math.floor((i * 365 * DAY) / n)
    const rand = prng(i + 1)
    const clock = { ms }
    const lines = [sessionMeta(idOf(i), ms)]
    const turns = 1 + Math.floor(rand() * 3)
    for (let t = 1; t <= turns; t++) for (const l of turnLines(rand, t, clock)) lines.push(l)
    const d = new Date(ms)
    const folder = path.join(dir, "sessions", String(d.getUTCFullYear()), p2(d.getUTCMonth() + 1), p2(d.getUTCDate()))
    fs.mkdirSync(folder, { recursive: true })
    const stamp = d.toISOString().slice(0, 19).replace(/:/g, "-")
    fs.writeFileSync(path.join(folder, `rollout-${stamp}-${idOf(i)}.jsonl`), `${lines.join("\n")}\n`)
  }
  fs.writeFileSync(path.join(dir, ".complete"), "")
  return dir
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const codexHome = home(N)
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-web-"))
const index = path.join(scratch, "index.db")
const server = spawn(process.execPath, [bin, "serve", "--codex-home", codexHome, "--index", index, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
const first = (await readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value
const base = /^listening on (\S+)$/.exec(first)?.[1]
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] })

/** Milliseconds from navigation start to the first `selector` in the DOM, in the page's own clock. */
const firstOf = async (url, selector) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.addInitScript((s) => {
    new MutationObserver((_, seen) => {
      if (document.querySelector(s) !== null) {
        window.__seen = performance.now()
        seen.disconnect()
      }
    }).observe(document, { childList: true, subtree: true })
  }, selector)
  await page.goto(url)
  // The first page builds the index: minutes on a loaded machine.
  await page.waitForSelector(selector, { timeout: 600_000 })
  const r = await page.evaluate(() => ({
    ms: window.__seen,
    dcl: performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd ?? 0,
    api: performance.getEntriesByType("resource").find((e) => e.name.includes("/api/threads"))?.duration ?? 0
  }))
  const count = await page.locator(selector).count()
  await page.close()
  return { ...r, count }
}
const firstRows = () => firstOf(base, "li.thread")

const exported = path.join(scratch, "static.html")
const some = fs.readdirSync(path.join(codexHome, "sessions/2026/01/01")).find((f) => f.endsWith(".jsonl"))
const made = spawnSync(process.execPath, [bin, "export", path.join(codexHome, "sessions/2026/01/01", some), "--output", exported], { encoding: "utf8" })
if (made.status !== 0) throw new Error(made.stderr)

const ls = () => {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [bin, "ls", "--codex-home", codexHome, "--index", index, "--limit", "50", "--json"], { encoding: "utf8" })
  if (r.status !== 0) throw new Error(r.stderr)
  return Number(process.hrtime.bigint() - t0) / 1e6
}

const cold = await firstRows()
const page = []
const dcl = []
const api = []
const floor = []
const cli = []
for (let k = 0; k < RUNS; k++) {
  const r = await firstRows()
  page.push(r.ms)
  dcl.push(r.dcl)
  api.push(r.api)
  floor.push((await firstOf(`file://${exported}`, "section.turn")).ms)
  cli.push(ls())
}
const f = (xs) => median(xs).toFixed(0)
console.log(`web first page on ${N} rollouts (${cold.count} rows drawn), medians of ${RUNS}`)
console.log(`  cold index (first build): ${cold.ms.toFixed(0)} ms`)
console.log(`  first rows drawn: ${f(page)} ms (target < 300 ms); runs: ${page.map((x) => x.toFixed(0)).join(" ")}`)
console.log(`    of which before the app ran (DOMContentLoaded): ${f(dcl)} ms; /api/threads answered in ${f(api)} ms`)
console.log(`  static export page, first turn drawn: ${f(floor)} ms   web / static: ${(median(page) / median(floor)).toFixed(2)}`)
console.log(`  rollout ls --limit 50, whole process: ${f(cli)} ms   web / ls: ${(median(page) / median(cli)).toFixed(2)}`)
await browser.close()
server.kill()
fs.rmSync(scratch, { recursive: true, force: true })
