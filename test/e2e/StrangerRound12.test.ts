// End to end, on the real bin, what a later stranger pass found: a search hit numbered its turn
// from 0 where history numbers it from 1, a too-short id prefix answered as a missing file, and
// the web app's search taking the brackets of a message's own text for match marks, and its
// short folder names cutting a path at the backslash of an escape; an exported page keeping the
// bidi overrides and control characters the web app shows escaped; stats spinning forever on a
// rollout Codex appends to while it reads; convert quoting the system's ENOENT line; stats --last
// with a large N ending in an internal error; the web app calling an empty home a filter's miss.
import * as fs from "node:fs"
import { spawn, spawnSync } from "node:child_process"
import * as readline from "node:readline"
import { chromium } from "playwright-core"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const { home, scratch } = Home.tracked()
const sample = path.join(Home.root, "rollouts")
const run = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [Home.bin, ...args], { encoding: "utf8", cwd: Home.root, timeout: 60_000 })
  expect(r.error, `${args.join(" ")} timed out`).toBeUndefined()
  return r
}

describe("search names a hit's turn as history does", () => {
  it("the turn a hit gives is the turn of that number in history's transcript (both from 1)", () => {
    const index = path.join(scratch(), "i.sqlite")
    const found = run(["search", "notes.md", "--codex-home", sample, "--index", index, "--kind", "user"])
    expect(found.status, found.stderr).toBe(0)
    const hit = /^(\S+) .*\n {2}turn (\d+) \(([0-9a-f-]+)\), user, line \d+: (.*)$/m.exec(found.stdout)
    expect(hit, found.stdout).not.toBeNull()
    const [, thread, n, , text] = hit ?? []
    const history = run(["history", thread ?? "", "--codex-home", sample])
    expect(history.status, history.stderr).toBe(0)
    // The transcript's turn N holds the matched user message.
    const turn = history.stdout.split(/^── /m).find((part) => part.startsWith(`turn ${n} `))
    expect(turn, history.stdout).toBeDefined()
    expect(turn).toContain(`> ${(text ?? "").replace(/[[\]]/g, "")}`)
    // The JSON keeps the contract's 0-based index.
    const json = JSON.parse(run(["search", "notes.md", "--codex-home", sample, "--index", index, "--kind", "user", "--json"]).stdout) as {
      data: Array<{ threadId: string; turn: { index: number } }>
    }
    expect(json.data.find((d) => d.threadId === thread)?.turn.index).toBe(Number(n) - 1)
  })
})

describe("a THREAD or PATH that names nothing says why", () => {
  const commands = [["history"], ["export"], ["info"], ["validate"], ["stats", "-q"], ["stats", "--by=day"], ["archive", "--index", "INDEX"]]
  const args = (command: ReadonlyArray<string>, arg: string, index: string) => [
    command[0] ?? "",
    arg,
    ...command.slice(1).map((a) => (a === "INDEX" ? index : a)),
    "--codex-home",
    sample
  ]

  it.each([
    [
      "an id prefix shorter than four characters is called too short, not only a missing file",
      "01a",
      "01a: no such file or directory; as a thread id prefix, 01a is too short (4 characters at least)"
    ],
    ["an empty argument is named as empty, not as ': no such file or directory'", "", "an empty argument names no file, folder or thread"]
  ])("%s", (_title, arg, says) => {
    const index = path.join(scratch(), "i.sqlite")
    for (const command of commands) {
      const r = run(args(command, arg, index))
      expect(r.status, command.join(" ")).toBe(2)
      expect(r.stderr, command.join(" ")).toContain(says)
    }
  })

  it("stats of an id prefix several threads share lists them, as info and validate do, instead of 'no such file'", () => {
    for (const tail of [["-q"], ["--by=day"], ["--json"]]) {
      const r = run(["stats", "01a1fb98", "--codex-home", sample, ...tail])
      expect(r.status, tail.join(" ")).toBe(2)
      expect(r.stderr, tail.join(" ")).toContain("01a1fb98 is the start of 9 thread ids")
      expect(r.stderr, tail.join(" ")).not.toContain("no such file")
    }
    const json = JSON.parse(run(["stats", "01a1fb98", "--codex-home", sample, "--json"]).stdout) as { diagnostics: Array<{ path: string; kind: string }> }
    expect(json.diagnostics.map((d) => [d.path, d.kind])).toEqual([["01a1fb98", "read_error"]])
  })
})

/** `rollout serve` on `codexHome`, its base URL, and a way to stop it. */
const serve = async (codexHome: string, index: string) => {
  const server = spawn(process.execPath, [Home.bin, "serve", "--codex-home", codexHome, "--index", index, "--port", "0"], { stdio: ["pipe", "pipe", "pipe"] })
  const first = (await readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value as string
  return { base: /^listening on (http:\/\/\S+\/)$/.exec(first)?.[1] ?? "", stop: () => server.kill() }
}

describe("the web app's search marks only the matched words", () => {
  it("brackets in the text itself (code: arr[0]) are text, not a match; the CLI's snippet keeps the contract's brackets", async () => {
    const h = home([{ i: 1, message: "set arr[0] = widget[1] then check totals" }])
    const index = path.join(scratch(), "i.sqlite")
    const cli = JSON.parse(run(["search", "totals", "--codex-home", h.home, "--index", index, "--json"]).stdout) as { data: Array<Record<string, unknown>> }
    expect(cli.data[0]?.["snippet"]).toBe("set arr[0] = widget[1] then check [totals]")
    expect(Object.keys(cli.data[0] ?? {})).not.toContain("parts")
    const server = await serve(h.home, index)
    try {
      const base = server.base
      const answer = (await (await fetch(`${base}api/search?q=totals`)).json()) as { hits: Array<{ snippet: Array<{ text: string; hit: boolean }> }> }
      expect(answer.hits[0]?.snippet).toEqual([
        { text: "set arr[0] = widget[1] then check ", hit: false },
        { text: "totals", hit: true }
      ])
    } finally {
      server.stop()
    }
  }, 60_000)
})

describe("the web app's short folder names", () => {
  it("a folder whose name holds a hidden character is named whole (escaped), and a Windows path by its last folder", async () => {
    const h = home([
      { i: 1, meta: { cwd: "/home/ana/we\u202eird" } },
      { i: 2, meta: { cwd: "C:\\Users\\ana\\proj" } }
    ])
    const server = await serve(h.home, path.join(scratch(), "i.sqlite"))
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] })
    try {
      const page = await browser.newPage()
      await page.goto(server.base)
      const shown = page.locator(".meta span[title]")
      await shown.first().waitFor()
      const names = await shown.allTextContents()
      expect(names.sort()).toEqual(["proj", "we\\u202eird"])
    } finally {
      await browser.close()
      server.stop()
    }
  }, 60_000)
})

describe("export --format html shows hidden characters as the web app does", () => {
  /** The characters a page shows escaped: controls but tab, LF and CR, and the bidi overrides and isolates. */
  const hidden = (text: string) =>
    [...text].filter((c) => {
      const n = c.codePointAt(0) ?? 0
      return (n < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") || (n >= 0x7f && n <= 0x9f) || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)
    })

  it("a title, a message and a folder holding a bidi override or ESC reach the page escaped, to a file or a pipe", () => {
    const spoof = "invoice_\u202etxt.exe \u001b[31mred\u001b[0m"
    const h = home([{ i: 1, message: spoof, answer: `done ${spoof}`, meta: { cwd: "/w/we\u2066ird" } }])
    const file = path.join(scratch(), "t.html")
    const written = run(["export", h.files[0] ?? "", "--output", file])
    expect(written.status, written.stderr).toBe(0)
    const piped = run(["export", h.files[0] ?? "", "--format", "html"])
    expect(piped.status, piped.stderr).toBe(0)
    for (const page of [fs.readFileSync(file, "utf8"), piped.stdout]) {
      expect(hidden(page)).toEqual([])
      expect(page).toContain("<title>invoice_\\u202etxt.exe \\x1b[31mred\\x1b[0m</title>")
      expect(page).toContain("/w/we\\u2066ird")
    }
    // Markdown is text for any tool: a file or a pipe gets it as the rollout has it.
    expect(run(["export", h.files[0] ?? ""]).stdout).toContain(spoof)
  })
})

describe("stats of a rollout that grows while it is read", () => {
  it("ends, counting the file as it was when opened (it spun at full CPU while the appends went on)", async () => {
    const h = home([{ i: 1 }])
    const file = h.files[0] ?? ""
    const line = (n: number) =>
      `${JSON.stringify({ timestamp: "2026-06-01T00:02:00.000Z", type: "event_msg", payload: { type: "agent_message", message: `${n} ${"x".repeat(3000)}`, memory_citation: null } })}\n`
    // About 18 MB, so that the appends land while it is read.
    fs.appendFileSync(file, Array.from({ length: 6000 }, (_, n) => line(n)).join(""))
    const appender = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("fs"); const t = setInterval(() => fs.appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(line(-1))}.repeat(5)), 10); setTimeout(() => clearInterval(t), 30000)`
      ],
      { stdio: "ignore" }
    )
    try {
      await new Promise((resolve) => setTimeout(resolve, 300))
      for (const jobs of ["1", "2"]) {
        const r = spawnSync(process.execPath, [Home.bin, "stats", file, "--no-cache", "-q", "--jobs", jobs, "--json"], { encoding: "utf8", timeout: 20_000 })
        expect(r.error, `--jobs ${jobs}: still reading after 20 s`).toBeUndefined()
        expect(r.status, r.stderr).toBe(0)
        expect((JSON.parse(r.stdout) as { totals: { threads: number } }).totals.threads).toBe(1)
      }
    } finally {
      appender.kill()
    }
  }, 60_000)
})

describe("convert of an input that is not there", () => {
  it("says 'no such file or directory' in words, as every other command does, not the system's ENOENT line", () => {
    const out = path.join(scratch(), "x.rseg")
    const r = run(["convert", "nope.jsonl", out])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe("rollout: nope.jsonl: no such file or directory\n")
    expect(fs.existsSync(out)).toBe(false)
  })
})

describe("stats --last with a very large N", () => {
  it("counts from year 1 instead of failing with an internal error (or printing a year like -271764)", () => {
    for (const tail of [["-q"], ["--by", "month", "-q"], ["--by=week"]]) {
      const r = run(["stats", "--codex-home", sample, "--last", "999999999", ...tail])
      expect(r.status, `${tail.join(" ")}: ${r.stderr}`).toBe(0)
      expect(r.stderr).toBe("")
      expect(r.stdout).toContain("0001-01-01 to …")
    }
  })
})

describe("the web app on an empty home", () => {
  it("says the home holds no threads yet, not 'No thread matches' as if a filter were set; a filter's miss still says that", async () => {
    const empty = scratch()
    fs.mkdirSync(path.join(empty, "sessions"))
    const server = await serve(empty, path.join(scratch(), "i.sqlite"))
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] })
    try {
      const page = await browser.newPage()
      await page.goto(server.base)
      await page.locator(".threads .empty").waitFor()
      expect(await page.locator(".threads .empty").textContent()).toBe("No threads yet: this Codex home holds no rollouts under sessions/.")
      await page.goto(`${server.base}#/?model=gpt-5`)
      await page.waitForFunction(() => document.querySelector(".threads .empty")?.textContent === "No thread matches.")
    } finally {
      await browser.close()
      server.stop()
    }
  }, 60_000)
})
