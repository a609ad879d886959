// The web app of `rollout serve` in a real browser (Debian's Chromium through playwright-core),
// against the real bin on a generated home, one server and one browser for the whole file. Every
// page fails the test on any console error or page error (a CSP refusal is one), and every view is
// drawn at 1280×800 and 390×844 without sideways scrolling. Set SCREENSHOT_DIR to keep screenshots.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, rollout, root } from "./Bin.js"
import * as HostileHome from "./support/HostileHome.js"
import * as WebHome from "./support/WebHome.js"

const CHROMIUM = "/usr/bin/chromium"
const FORK = "01a1fb98-5691-7263-94fa-5eed69d583aa"
const PARENT = "01a1fb98-4d37-7260-9806-d731f1871140"
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const shots = process.env["SCREENSHOT_DIR"]

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-web-"))
const home = WebHome.make(root)
let server: ChildProcessWithoutNullStreams | undefined
let base = ""
/** What the server wrote to stderr: a failed request's stack lands here. */
let serverLog = ""
let browser: Browser

beforeAll(async () => {
  const launched = chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
  })
  const child = spawn(process.execPath, [bin, "serve", "--codex-home", home, "--index", path.join(scratch, "index.db"), "--port", "0"], {
    stdio: ["pipe", "pipe", "pipe"]
  })
  server = child
  child.stderr.on("data", (d: Buffer) => (serverLog += d.toString()))
  const first = (await readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value as string
  base = /^listening on (http:\/\/\S+\/)$/.exec(first)?.[1] ?? ""
  expect(base).not.toBe("")
  browser = await launched
}, 60_000)

afterAll(async () => {
  await browser?.close()
  server?.kill()
  fs.rmSync(scratch, { recursive: true, force: true })
  fs.rmSync(home, { recursive: true, force: true })
})

interface Opened {
  readonly page: Page
  readonly errors: Array<string>
}

/** Opens the app at `hash`, collecting console errors, page errors and requests to other origins. */
const open = async (hash: string, size = DESKTOP, colorScheme: "light" | "dark" = "light"): Promise<Opened> => {
  const page = await browser.newPage({ viewport: size, colorScheme })
  const errors: Array<string> = []
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(e.message))
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) errors.push(`request: ${r.url()}`)
  })
  await page.goto(`${base}${hash}`)
  return { page, errors }
}

const close = async ({ page, errors }: Opened): Promise<void> => {
  await page.close()
  expect({ errors, serverLog }).toEqual({ errors: [], serverLog: "" })
}

const shot = async (page: Page, name: string): Promise<void> => {
  if (shots !== undefined) await page.screenshot({ path: path.join(shots, `web-${name}.png`) })
}

/** Scrolls to the end until `selector` counts `n` (infinite scroll). */
const scrollUntil = async (page: Page, selector: string, n: number): Promise<void> => {
  for (let k = 0; k < 20 && (await page.locator(selector).count()) < n; k++) {
    await page.locator(".more").scrollIntoViewIfNeeded()
    await page.waitForTimeout(100)
  }
  expect(await page.locator(selector).count()).toBe(n)
}

describe("rollout serve's web app in Chromium", () => {
  it("lists threads newest first, pages in more on scroll, filters them, and opens one with j/k and Enter", async () => {
    const o = await open("#/")
    const { page } = o
    await page.waitForSelector("li.thread")
    expect(await page.locator("li.thread").count()).toBe(50)
    const times = await page.locator("li.thread time").allTextContents()
    expect(times).toEqual([...times].sort().reverse())
    await scrollUntil(page, "li.thread", WebHome.SMALL + 11)
    await page.selectOption("select[name=source]", "exec")
    await page.waitForURL(/source=exec/)
    await page.waitForFunction(() => document.querySelectorAll("li.thread").length === 2)
    expect(new Set(await page.locator("li.thread .meta .badge").first().allTextContents())).toEqual(new Set(["exec"]))
    await page.selectOption("select[name=source]", "")
    // One filter at a time, as a person changes them: the list for "all sources" is in before the next.
    await page.waitForURL((url) => !url.hash.includes("source="))
    await page.waitForFunction(() => document.querySelectorAll("li.thread").length > 2)
    await page.selectOption("select[name=cwd]", "/work/project")
    await page.waitForFunction(() => document.querySelectorAll("li.thread").length === 1)
    await page.keyboard.press("j")
    await page.keyboard.press("Enter")
    await page.waitForURL(new RegExp(`#/t/${WebHome.WORK}$`))
    await page.waitForSelector("section.turn")
    await page.keyboard.press("Escape")
    await page.waitForURL(/#\/$/)
    await close(o)
  })

  it("draws only the answer to the latest filter when an earlier one answers late", async () => {
    const o = await open("#/")
    const { page } = o
    await page.waitForSelector("li.thread")
    // The answer for source=exec is held back until the list for all sources is drawn.
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    await page.route(
      (url) => url.pathname === "/api/threads" && url.searchParams.get("source") === "exec",
      async (route) => {
        await held
        await route.continue()
      }
    )
    const slow = page.waitForResponse((r) => new URL(r.url()).searchParams.get("source") === "exec")
    await page.selectOption("select[name=source]", "exec")
    await page.waitForURL(/source=exec/)
    await page.selectOption("select[name=source]", "")
    await page.waitForURL((url) => !url.hash.includes("source="))
    await page.waitForFunction(() => document.querySelectorAll("li.thread").length === 50 && document.querySelector(".more")?.textContent === "")
    release()
    await slow
    // Time for the overtaken answer to be drawn if the list would draw it.
    await page.waitForTimeout(300)
    expect(await page.locator("li.thread").count()).toBe(50)
    expect(new Set(await page.locator("li.thread .meta .badge").allTextContents()).size).toBeGreaterThan(1)
    await close(o)
  })

  it("searches with the matched words marked, and a hit opens the thread at its turn", async () => {
    const o = await open("#/")
    const { page } = o
    await page.waitForSelector("li.thread")
    await page.keyboard.press("/")
    await page.keyboard.type("answer42")
    await page.keyboard.press("Enter")
    await page.waitForSelector("li.hit")
    expect(await page.locator("li.hit mark").first().textContent()).toBe("answer42")
    await shot(page, "search-desktop")
    await page.locator("li.hit a.title").first().click()
    await page.waitForURL(new RegExp(`#/t/${WebHome.WORK}\\?turn=42$`))
    await page.waitForSelector("#turn-42")
    const top = await page.locator("#turn-42").evaluate((e) => e.getBoundingClientRect().top)
    expect(top).toBeLessThan(200)
    expect(await page.locator("button.earlier").textContent()).toContain("22–41")
    await close(o)
  })

  it("shows a thread's transcript with work, tokens and cost per turn, its turns paged in as they scroll", async () => {
    const o = await open(`#/t/${WebHome.WORK}`)
    const { page } = o
    await page.waitForSelector("section.turn")
    expect(await page.locator("section.turn").count()).toBe(20)
    expect(await page.locator("#turn-1 .usage").textContent()).toMatch(/tokens · \$\d/)
    expect(await page.locator("#turn-1 details.cmd").count()).toBeGreaterThan(0)
    expect(await page.locator("#turn-1 .assistant strong").first().textContent()).toBe("one")
    await scrollUntil(page, "section.turn", 60)
    await close(o)
  })

  it("keeps a hostile thread inert: markup and script in messages, links and names are text", async () => {
    const o = await open(`#/t/${WebHome.HOSTILE}`)
    const { page } = o
    await page.waitForSelector("section.turn")
    expect(await page.locator("#turn-1 .user .text").textContent()).toContain("<script>window.__pwned = 1</script>")
    expect(await page.locator("h1").textContent()).toBe('<img src=x onerror="window.__pwned=6">named')
    expect(await page.locator('a[href^="javascript"], iframe, img').count()).toBe(0)
    expect(await page.evaluate(() => document.scripts.length)).toBe(1)
    await page.goto(`${base}#/search?q=hostile`)
    await page.waitForSelector("li.hit")
    await page.goto(`${base}#/`)
    await page.waitForSelector("li.thread")
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    await close(o)
  })

  it("replays a thread line by line with the slider and the keys", async () => {
    const o = await open(`#/replay/${WebHome.WORK}?line=0`)
    const { page } = o
    const line = async () => Number(await page.locator(".position b").textContent())
    await page.waitForSelector(".position")
    expect(await line()).toBe(0)
    // Keys faster than frames: every press counts, and a frame whose request was overtaken is dropped.
    for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowRight")
    await page.waitForFunction(() => document.querySelector(".position b")?.textContent === "3")
    await page.keyboard.press("n")
    await page.waitForFunction(() => document.querySelector(".position")?.textContent?.includes("turn 2 of"))
    await page.keyboard.press("End")
    await page.waitForFunction(() => document.querySelector(".position")?.textContent?.includes("turn 60 of 60"))
    expect(await page.locator("section.turn").count()).toBeGreaterThan(0)
    // Back a turn goes to the start of the current turn first, as `replay --step`'s P.
    await page.keyboard.press("Shift+ArrowLeft")
    await page.waitForFunction(() => Number(document.querySelector(".position b")?.textContent) < 935)
    expect(await page.locator(".position").textContent()).toContain("turn 60 of 60")
    await page.keyboard.press("Shift+ArrowLeft")
    await page.waitForFunction(() => document.querySelector(".position")?.textContent?.includes("turn 59 of 60"))
    expect(page.url()).toMatch(/line=\d+$/)
    await close(o)
  })

  it("draws the stats dashboard: tokens and cost per day, by model and by project", async () => {
    const o = await open("#/stats")
    const { page } = o
    await page.waitForSelector(".chart canvas")
    expect(await page.locator(".chart canvas").count()).toBe(2)
    expect(await page.locator(".panel").nth(0).locator("tbody tr").count()).toBeGreaterThan(0)
    expect(await page.locator(".panel").nth(1).locator("tbody tr").first().textContent()).toContain("project")
    await close(o)
  })

  it("says so for a link to no place (a mistyped path or a thread link without a thread id)", async () => {
    for (const hash of ["#/t/not-a-thread", "#/nowhere"]) {
      const o = await open(hash)
      await o.page.waitForSelector(".error")
      expect(await o.page.locator(".error").textContent()).toContain("No such page or thread")
      expect(await o.page.locator("li.thread").count()).toBe(0)
      await close(o)
    }
  })

  it("diffs a fork against its parent", async () => {
    const o = await open(`#/diff/${FORK}`)
    const { page } = o
    // The shared history folds into one line that opens on a click.
    await page.waitForSelector(".diff-grid details.same-run")
    expect(await page.locator(".diff-grid details.same-run summary").textContent()).toBe("Turns 1–3 of A are the same as 1–3 of B")
    await page.click(".diff-grid details.same-run summary")
    expect(await page.locator(".diff-grid .row.same").count()).toBe(3)
    expect(await page.locator(".diff-grid .row.onlyA").count()).toBe(1)
    expect(await page.locator(".diff-grid .head a").nth(1).getAttribute("href")).toBe(`#/t/${PARENT}`)
    await close(o)
  })

  it("replays a session against its recording: identical, the first line that differs, or why it cannot", async () => {
    const demo = fs.mkdtempSync(path.join(scratch, "demo-"))
    const ran = rollout("run", "--demo", "--codex-home", demo, "--json")
    expect(ran.status).toBe(0)
    const threads = (JSON.parse(ran.stdout) as { threads: Array<{ scenario: string; threadId: string; path: string }> }).threads
    const pick = (scenario: string) => threads.find((t) => t.scenario === scenario) as { threadId: string; path: string }
    const same = pick("conversation")
    const changed = pick("session-budget")
    const day = path.join(home, "sessions/2026/07/16")
    fs.mkdirSync(day, { recursive: true })
    fs.copyFileSync(same.path, path.join(day, path.basename(same.path)))
    // A line the engine would not write again: the re-run ends before it.
    const extra = JSON.stringify({ timestamp: "2026-07-16T00:00:00.000Z", type: "event_msg", payload: { type: "agent_message", message: "added by hand" } })
    fs.writeFileSync(path.join(day, path.basename(changed.path)), `${fs.readFileSync(changed.path, "utf8")}${extra}\n`)
    const recorded = fs.readFileSync(changed.path, "utf8").trimEnd().split("\n").length

    const o = await open(`#/t/${same.threadId}`)
    const { page } = o
    await page.click("text=Replay against recording")
    await page.waitForURL(new RegExp(`#/verify/${same.threadId}$`))
    await page.waitForSelector(".verdict", { timeout: 60_000 })
    expect(await page.locator(".verdict").textContent()).toContain("Identical")
    await shot(page, "verify-identical")

    await page.goto(`${base}#/verify/${changed.threadId}`)
    await page.waitForSelector(".verdict.different", { timeout: 60_000 })
    expect(await page.locator(".verdict b").textContent()).toBe(String(recorded + 1))
    expect(await page.locator(".diff-grid .side pre.text").first().textContent()).toBe(extra)
    expect(await page.locator(".diff-grid .side .empty").textContent()).toContain("ended before")
    expect(await page.locator(".verdict a").getAttribute("href")).toBe(`#/replay/${changed.threadId}?line=${recorded}`)
    await shot(page, "verify-different")

    await page.goto(`${base}#/verify/${PARENT}`)
    await page.waitForSelector(".verdict.unavailable", { timeout: 120_000 })
    expect(await page.locator(".verdict").textContent()).toContain("Only sessions this engine recorded")
    await close(o)
  }, 240_000)

  it("pages a thread's turns exactly as rollout history reads them", async () => {
    const history = rollout("history", WebHome.WORK, "--codex-home", home, "--json")
    expect(history.status).toBe(0)
    const expected = (
      JSON.parse(history.stdout) as { thread: { turns: Array<{ id: string; status: string; startedAt: number | null; durationMs: number | null }> } }
    ).thread.turns
    const shown: Array<{ id: string; status: string; startedAt: number | null; durationMs: number | null }> = []
    for (let from = 0; ; from += 7) {
      const r = (await (await fetch(`${base}api/threads/${WebHome.WORK}/turns?from=${from}&limit=7`)).json()) as { turns: typeof shown }
      if (r.turns.length === 0) break
      shown.push(...r.turns.map(({ id, status, startedAt, durationMs }) => ({ id, status, startedAt, durationMs })))
    }
    expect(shown).toEqual(expected.map(({ id, status, startedAt, durationMs }) => ({ id, status, startedAt, durationMs })))
    expect(shown.length).toBeGreaterThanOrEqual(60)
  })

  it("follows the system's dark theme, and the toggle pins one", async () => {
    const o = await open("#/", DESKTOP, "dark")
    const { page } = o
    await page.waitForSelector("li.thread")
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    // A click's theme is drawn on the app's next render: wait for it (up to 5 s), then compare.
    const settled = async (color: string) => {
      await page.waitForFunction((c) => getComputedStyle(document.body).backgroundColor === c, color, { timeout: 5_000 }).catch(() => undefined)
      return bg()
    }
    expect(await bg()).toBe("rgb(13, 17, 23)")
    await page.click("button.theme")
    expect(await settled("rgb(255, 255, 255)")).toBe("rgb(255, 255, 255)")
    await page.click("button.theme")
    expect(await settled("rgb(13, 17, 23)")).toBe("rgb(13, 17, 23)")
    await page.click("button.theme")
    await close(o)
  })

  it("shows a growing thread's new turn and a new thread without a reload", async () => {
    const list = await open("#/")
    const thread = await open(`#/t/${WebHome.WORK}?turn=55`)
    await list.page.waitForSelector("li.thread")
    await thread.page.waitForSelector("#turn-60")
    await thread.page.waitForFunction(() => document.querySelector(".more")?.textContent === "")
    // The pages open the live feed once loaded; the server says "ready" once it has looked.
    for (const o of [list, thread]) await o.page.waitForSelector("html[data-live=ready]")
    WebHome.growWork(home, "a turn written while the page is open")
    HostileHome.write(home, { i: 9500, dir: "2026/12/01", message: "a thread that appeared while the page was open" })
    await thread.page.waitForSelector("#turn-61", { timeout: 10_000 })
    expect(await thread.page.locator("#turn-61 .user .text").textContent()).toBe("a turn written while the page is open")
    await list.page.waitForSelector("text=a thread that appeared while the page was open", { timeout: 10_000 })
    await close(list)
    await close(thread)
  })

  it("shows a rollout's escape sequences and bidi overrides as visible escapes, so no title reads reversed", async () => {
    const id = HostileHome.idOf(9600)
    HostileHome.write(home, { i: 9600, dir: "2026/12/02", message: "hi \u001b[31mRED \u202eevil" })
    const o = await open(`#/t/${id}`)
    await o.page.waitForSelector(".thread section.turn")
    const text = await o.page.evaluate(() => document.body.textContent ?? "")
    expect(text).toContain("hi \\x1b[31mRED \\u202eevil")
    expect([text.includes("\u001b"), text.includes("\u202e")]).toEqual([false, false])
    await close(o)
  })

  it("draws every view at desktop and phone sizes without sideways scrolling", async () => {
    const views: ReadonlyArray<[string, string, string]> = [
      ["threads", "#/", ".threads li.thread"],
      ["search", "#/search?q=widget", ".search li.hit"],
      ["thread", `#/t/${WebHome.WORK}`, ".thread section.turn"],
      ["replay", `#/replay/${WebHome.WORK}?line=40`, ".replay section.turn"],
      ["stats", "#/stats", ".stats .chart canvas"],
      ["diff", `#/diff/${FORK}`, ".diff .row.onlyA"],
      ["verify", `#/verify/${PARENT}`, ".verify .verdict"]
    ]
    // One page per size, moved from view to view as a user would (the hash changes, no reload).
    // Both schemes at both sizes when screenshots are kept for a look; one each otherwise.
    const looks = [
      ["desktop", DESKTOP, "light"],
      ["phone", PHONE, "dark"],
      ...(shots === undefined
        ? []
        : ([
            ["desktop", DESKTOP, "dark"],
            ["phone", PHONE, "light"]
          ] as const))
    ] as const
    for (const [size, viewport, scheme] of looks) {
      const o = await open("#/", viewport, scheme)
      for (const [name, hash, ready] of views) {
        await o.page.goto(`${base}${hash}`)
        await o.page.waitForSelector(ready)
        const wide = await o.page.evaluate(() => document.documentElement.scrollWidth)
        expect([name, size, wide]).toEqual([name, size, viewport.width])
        await shot(o.page, `${name}-${size}-${scheme}`)
      }
      await close(o)
    }
  }, 60_000)
})
