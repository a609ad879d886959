// End to end, on the real bin in headless Chromium: a thread holding a 20 MB message (multi-byte
// characters, an emoji's surrogate pair, a bidi override on every line) opens at once, its turn
// page small, the message shown cut with a control for the whole; "show all" brings the whole text
// (hidden characters escaped as everywhere), and the download link answers it byte for byte.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as readline from "node:readline"
import { chromium } from "playwright-core"
import { describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const { home, scratch } = Home.tracked()

const serve = async (codexHome: string, index: string) => {
  const server = spawn(process.execPath, [Home.bin, "serve", "--codex-home", codexHome, "--index", index, "--port", "0"], { stdio: ["pipe", "pipe", "pipe"] })
  const first = (await readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value as string
  return { base: /^listening on (http:\/\/\S+\/)$/.exec(first)?.[1] ?? "", stop: () => server.kill() }
}

const huge = (): string => {
  const lines: Array<string> = []
  let size = 0
  for (let i = 0; size < 20_000_000; i++) {
    const line = `line ${i}: é ✓ 😀 \u202e the log goes on\n`
    lines.push(line)
    size += line.length
  }
  return lines.join("")
}

describe("the web app on a thread holding a huge message", () => {
  it("opens quickly with the message cut, and fetches the whole on demand", async () => {
    const big = huge()
    const h = home([{ i: 1, message: big }])
    const id = Home.idOf(1)
    const server = await serve(h.home, path.join(scratch(), "i.sqlite"))
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] })
    try {
      // The API: a small page whose cut says how long the whole is and where to fetch it.
      const page = (await (await fetch(`${server.base}api/threads/${id}/turns`)).text()) as string
      expect(page.length).toBeLessThan(1 << 20)
      const cuts = (JSON.parse(page) as { turns: Array<{ cuts?: Array<{ url: string; length: number; bytes: number }> }> }).turns[0]?.cuts ?? []
      expect(cuts.map((c) => [c.length, c.bytes])).toEqual([[big.length, Buffer.byteLength(big)]])
      const whole = await fetch(`${server.base}${(cuts[0]?.url ?? "").slice(1)}`)
      expect(whole.headers.get("content-type")).toBe("text/plain; charset=utf-8")
      expect(await whole.text()).toBe(big)

      const tab = await browser.newPage()
      const started = Date.now()
      await tab.goto(`${server.base}#/t/${id}`)
      await tab.locator(".cuts .cut").waitFor({ timeout: 10_000 })
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(await tab.locator(".turn .body").first().textContent()).toContain("line 0: é ✓ 😀 \\u202e the log goes on")
      expect(await tab.locator(".turn .body").first().textContent()).toContain("cut here")
      // The page still answers the keyboard (turns are navigation items).
      await tab.keyboard.press("j")
      await tab.locator(".nav-item.selected").waitFor({ timeout: 5_000 })

      // Over 8 MiB the whole is offered for download, byte for byte.
      const link = tab.locator(".cut a.download")
      expect(await link.textContent()).toContain("22.6 MiB")
      const [download] = await Promise.all([tab.waitForEvent("download"), link.click()])
      const saved = path.join(scratch(), "whole.txt")
      await download.saveAs(saved)
      expect(fs.readFileSync(saved, "utf8")).toBe(big)

      // And "show all" draws it in place, hidden characters escaped.
      await tab.locator(".cut button.show-all").click()
      const pre = tab.locator(".cut pre.whole")
      await pre.waitFor({ timeout: 30_000 })
      const shown = (await pre.evaluate((el) => el.textContent ?? "")) as string
      expect(shown).toBe(big.replaceAll("\u202e", "\\u202e"))
    } finally {
      await browser.close()
      server.stop()
    }
  }, 120_000)
})
