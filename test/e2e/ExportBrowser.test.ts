// The HTML export opened in a real browser (Debian's Chromium through playwright-core): no console
// error and no refused load (the page's Content-Security-Policy reports every one to the console),
// the table of contents moves to each turn, the dark theme follows the system, and a 5 MB thread
// opens quickly. Set SCREENSHOT_DIR to keep screenshots of what the browser drew.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, root } from "./Bin.js"
import * as WorkThread from "./support/WorkThread.js"

const CHROMIUM = "/usr/bin/chromium"
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-browser-"))
const shots = process.env["SCREENSHOT_DIR"]

const exportHtml = (input: string, name: string): string => {
  const out = path.join(dir, `${name}.html`)
  const r = spawnSync(process.execPath, [bin, "export", input, "--output", out], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } })
  if (r.status !== 0) throw new Error(r.stderr)
  return out
}

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Opens `file` and collects every console error and page error while it loads. */
const open = async (file: string, colorScheme: "light" | "dark", width = 1400): Promise<{ page: Page; errors: Array<string>; ms: number }> => {
  const page = await browser.newPage({ viewport: { width, height: 1000 }, colorScheme })
  const errors: Array<string> = []
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(e.message))
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push(`request: ${r.url()}`)
  })
  const t0 = Date.now()
  await page.goto(`file://${file}`, { waitUntil: "load" })
  return { page, errors, ms: Date.now() - t0 }
}

describe("the HTML export in Chromium", () => {
  const small = path.join(dir, "work.jsonl")
  WorkThread.write(small, 6, 20)

  it("a thread that does work: no console error or refused load; the table of contents reaches every turn", async () => {
    const { page, errors } = await open(exportHtml(small, "work"), "light")
    const links = await page.locator("nav.toc a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))
    expect(links).toEqual(["#turn-1", "#turn-2", "#turn-3", "#turn-4", "#turn-5", "#turn-6"])
    for (const n of [5, 2]) {
      await page.click(`nav.toc a[href="#turn-${n}"]`)
      expect(new URL(page.url()).hash).toBe(`#turn-${n}`)
      const top = await page.locator(`#turn-${n}`).evaluate((e) => Math.round(e.getBoundingClientRect().top))
      expect(Math.abs(top)).toBeLessThan(5)
    }
    // Markdown is rendered, the unsafe link is not one, the user's <script> is text.
    expect(await page.locator("section#turn-1 .assistant strong").first().textContent()).toBe("one")
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0)
    expect(await page.locator("section#turn-1 .user .text").textContent()).toContain("<script>alert(1)</script>")
    expect(await page.locator("script").count()).toBe(0)
    expect(await page.locator("details.cmd.failed").count()).toBe(2)
    if (shots !== undefined) await page.screenshot({ path: path.join(shots, "export-light.png") })
    await page.close()
    expect(errors).toEqual([])
  })

  it("follows a dark system theme", async () => {
    const file = exportHtml(small, "work-dark")
    const colours = async (scheme: "light" | "dark") => {
      const { page, errors } = await open(file, scheme)
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      const fg = await page.evaluate(() => getComputedStyle(document.body).color)
      if (shots !== undefined) await page.screenshot({ path: path.join(shots, `export-${scheme}.png`) })
      await page.close()
      expect(errors).toEqual([])
      return [bg, fg]
    }
    expect(await colours("light")).toEqual(["rgb(255, 255, 255)", "rgb(31, 35, 40)"])
    expect(await colours("dark")).toEqual(["rgb(13, 17, 23)", "rgb(230, 237, 243)"])
  })

  it("a Codex-written rollout opens cleanly", async () => {
    const { page, errors } = await open(exportHtml(path.join(root, "fixtures/matrix/0.171.0/app-legacy-every-item/input.jsonl"), "matrix"), "light", 800)
    expect(await page.locator(".badge.bad").textContent()).toBe("exit 3")
    await page.close()
    expect(errors).toEqual([])
  })

  it("a 5 MB thread of 462 turns opens in seconds and its table of contents reaches the last turn", async () => {
    const big = path.join(dir, "big.jsonl")
    WorkThread.write(big, 462, 130)
    const file = exportHtml(big, "big")
    expect(fs.statSync(file).size).toBeGreaterThan(5_000_000)
    const { page, errors, ms } = await open(file, "light")
    expect(ms).toBeLessThan(15_000)
    await page.click('nav.toc a[href="#turn-462"]')
    const top = await page.locator("#turn-462").evaluate((e) => Math.round(e.getBoundingClientRect().top))
    expect(top).toBeLessThan(1000)
    if (shots !== undefined) await page.screenshot({ path: path.join(shots, "export-big.png") })
    await page.close()
    expect(errors).toEqual([])
  }, 120_000)
})
