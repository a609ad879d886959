// End to end, the web app's stats page on a home whose only model has no known price: no cost
// chart drawn flat at $0 (which would read as "free"), but one line saying why there is none.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as readline from "node:readline"
import { chromium } from "playwright-core"
import { afterAll, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const h = Home.make([
  {
    i: 1,
    extra: [
      {
        type: "turn_context",
        payload: { cwd: "/w", approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "no-such-model-9", summary: "auto" }
      }
    ]
  }
])
const scratch = Home.scratch()
afterAll(() => {
  fs.rmSync(h.home, { recursive: true, force: true })
  fs.rmSync(scratch, { recursive: true, force: true })
})

it("the stats page says no cost is drawn when no model has a price", async () => {
  const usage = { input_tokens: 1000, cached_input_tokens: 0, output_tokens: 10, reasoning_output_tokens: 0, total_tokens: 1010 }
  const line = {
    timestamp: "2026-06-01T00:01:02.000Z",
    type: "event_msg",
    payload: { type: "token_count", info: { total_token_usage: usage, last_token_usage: usage, model_context_window: null }, rate_limits: null }
  }
  fs.appendFileSync(h.files[0] ?? "", `${JSON.stringify(line)}\n`)
  const child = spawn(process.execPath, [Home.bin, "serve", "--codex-home", h.home, "--index", path.join(scratch, "i.db"), "--port", "0"], {
    stdio: ["pipe", "pipe", "pipe"]
  })
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] })
  try {
    const first = (await readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value as string
    const base = /^listening on (http:\/\/\S+\/)$/.exec(first)?.[1] ?? ""
    const page = await browser.newPage()
    await page.goto(`${base}#/stats`)
    await page.waitForSelector(".stats .chart canvas")
    expect(await page.locator(".stats .chart").count()).toBe(1)
    expect(await page.locator(".stats p.empty").textContent()).toContain("no price is known for these models")
  } finally {
    await browser.close()
    child.kill()
  }
}, 60_000)
