// End to end, on the real bin: text from a rollout is untrusted, and each sink neutralises it.
// Terminal views (history, info, ls, search) show control characters escaped and keep one field
// on one line; stats CSV guards formula prefixes; Markdown export keeps no javascript: link live.
// Also the answers around them: search's true total, ls's next-page hint keeping its filters, and
// info's count of what it lists.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const OSC52 = "\u001b]52;c;ZWNobyBwd25lZA==\u0007"
const TITLE = "\u001b]0;pwned\u0007"
const evil = `hello ${OSC52}${TITLE}\u001b[2J\rwidget\u009b31m`
const turnContext = (model: string) => ({
  type: "turn_context",
  payload: { cwd: "/w", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model, summary: "auto" }
})

// A command, its output and a patch that try to break out of each sink: terminal escapes, markup
// that would end the page's own <code>/<details>/<pre>, and a fence run longer than the usual three.
const hostileWork = [
  {
    type: "response_item",
    payload: {
      type: "function_call",
      name: "exec_command",
      arguments: JSON.stringify({ cmd: `cat x${OSC52} </code><script>alert(1)</script>` }),
      call_id: "evil-cmd"
    }
  },
  {
    type: "response_item",
    payload: {
      type: "function_call_output",
      call_id: "evil-cmd",
      output: `Process exited with code 2\nOutput:\n${TITLE}</pre></details><img src=x onerror=alert(2)>\n\`\`\`\`\`\`\n[x](javascript:alert(3))\n`
    }
  },
  {
    type: "response_item",
    payload: {
      type: "custom_tool_call",
      call_id: "evil-patch",
      name: "apply_patch",
      input: "*** Begin Patch\n*** Add File: </code><b>x.md\n+</details><script>alert(4)</script>\n*** End Patch\n"
    }
  }
]

const h = Home.make([
  {
    i: 1,
    message: evil,
    answer: `done ${OSC52} [click](javascript:alert(document.cookie)) [ok](https://example.com)`,
    meta: { cwd: "/tmp/a\nfake: line" },
    extra: [turnContext('=HYPERLINK("http://evil","x")'), ...hostileWork]
  },
  ...Array.from({ length: 6 }, (_, k) => ({ i: 10 + k, meta: { cwd: "/proj" }, message: `widget question ${k}` }))
])
const index = path.join(Home.scratch(), "i.sqlite")
afterAll(() => {
  fs.rmSync(h.home, { recursive: true, force: true })
  fs.rmSync(path.dirname(index), { recursive: true, force: true })
})
const run = (...args: Array<string>) => Home.run([...args], { CODEX_HOME: h.home, ROLLOUT_INDEX: index })

/** No byte a terminal would act on, other than a newline, reached stdout. */
const expectInert = (out: string) => {
  expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
}

describe("untrusted text, neutralised for its sink", () => {
  it("history shows ESC, OSC, CR and BEL escaped", () => {
    const r = run("history", h.files[0]!)
    expect(r.status, r.stderr).toBe(0)
    expectInert(r.stdout)
    expect(r.stdout).toContain("hello \\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x1b]0;pwned\\x07\\x1b[2J\\rwidget\\x9b31m")
  })

  it("info keeps a newline in cwd on its one line, shown as \\n", () => {
    const r = run("info", h.files[0]!)
    expect(r.status, r.stderr).toBe(0)
    expectInert(r.stdout)
    expect(r.stdout).toContain("cwd      /tmp/a\\nfake: line\n")
    expect(r.stdout).not.toMatch(/^fake: line/m)
    const all = run("info", h.home)
    expectInert(all.stdout)
    const rows = all.stdout.split("\n").filter((l) => /^\d{4}-\d\d-\d\d /.test(l))
    expect(all.stdout).toContain(`\n${rows.length} threads\n`)
  })

  it("ls and search show control characters escaped; search says the true total when limited", () => {
    const ls = run("ls", "--codex-home", h.home)
    expect(ls.status, ls.stderr).toBe(0)
    expectInert(ls.stdout)
    expect(ls.stdout).toContain("hello \\x1b]52;c;")
    const search = run("search", "widget", "--limit", "2")
    expect(search.status, search.stderr).toBe(0)
    expectInert(search.stdout)
    expect(search.stdout).toMatch(/\n2 of (\d+) matches/)
    const json = JSON.parse(run("search", "widget", "--limit", "2", "--json").stdout) as { data: Array<unknown>; total: number }
    expect(json.data).toHaveLength(2)
    expect(json.total).toBe(Number(/2 of (\d+) matches/.exec(search.stdout)?.[1]))
    expect(json.total).toBeGreaterThanOrEqual(7)
  })

  it("the ls more: hint keeps --cwd and --search, and its command gives the next page", () => {
    const r = run("ls", "--cwd", "/proj", "--search", "widget question", "--limit", "2")
    expect(r.status, r.stderr).toBe(0)
    const hint = /^more: rollout (.*)$/m.exec(r.stdout)?.[1]
    expect(hint).toMatch(/^ls --cursor \S+ --cwd \/proj --search 'widget question' --limit 2$/)
    const next = run(
      ...hint!
        .replace("'widget question'", "widget_question")
        .split(" ")
        .map((w) => (w === "widget_question" ? "widget question" : w))
    )
    expect(next.status, next.stderr).toBe(0)
    expect(next.stdout.split("\n").filter((l) => /^\d{4}-/.test(l) && l.includes("widget question"))).toHaveLength(2)
  })

  it("stats --format csv guards a model named like a formula", () => {
    const r = run("stats", h.files[0]!, "--by", "model", "--format", "csv")
    expect(r.status, r.stderr).toBe(0)
    const cells = r.stdout
      .split("\n")
      .slice(1)
      .filter((l) => l !== "")
      .map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('"', 1)) : l.split(",")[0]!))
    expect(cells.length).toBeGreaterThan(0)
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/)
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`)
  })

  it("export --format markdown keeps https links and makes javascript: links inert", () => {
    const r = run("export", h.files[0]!, "--format", "markdown")
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain("[ok](https://example.com)")
    // Inside a code fence (a command's output) a link is text; outside, none may be live.
    expect(r.stdout.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")).not.toMatch(/\]\(\s*javascript:/i)
    expect(r.stdout).toContain("[click]\\(javascript:")
  })

  it("history shows a command's escapes and output escaped, with its exit code", () => {
    const r = run("history", h.files[0]!)
    expect(r.status, r.stderr).toBe(0)
    expectInert(r.stdout)
    expect(r.stdout).toContain("$ cat x\\x1b]52;c;ZWNobyBwd25lZA==\\x07 </code><script>alert(1)</script>  [exit 2]")
    expect(r.stdout).toContain("│ \\x1b]0;pwned\\x07</pre></details><img src=x onerror=alert(2)>")
  })

  it("export keeps a hostile command, output and patch inert in Markdown and HTML", () => {
    const md = run("export", h.files[0]!, "--format", "markdown")
    expect(md.status, md.stderr).toBe(0)
    // Outside code fences no tag from the rollout survives, and every <details> opened is closed once.
    const outsideFences = md.stdout.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
    expect(outsideFences).not.toMatch(/<script|<img|<b>x|<\/pre>/i)
    expect(outsideFences.match(/<details>/g)?.length).toBe(outsideFences.match(/<\/details>/g)?.length)
    expect(md.stdout).toContain("<code>$ cat x\u001b]52;c;ZWNobyBwd25lZA==\u0007 &lt;/code&gt;&lt;script&gt;")
    const html = run("export", h.files[0]!, "--format", "html")
    expect(html.status, html.stderr).toBe(0)
    expect(html.stdout).not.toMatch(/<script|<img src=x|<b>x|<\/code><script/i)
    expect(html.stdout).toContain("&lt;/pre&gt;&lt;/details&gt;&lt;img src=x onerror=alert(2)&gt;")
    expect(html.stdout).not.toMatch(/href="javascript/i)
  })
})
