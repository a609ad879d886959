// `rollout export` (the real bin): a self-contained document from the turns `history` rebuilds,
// with every text from the rollout escaped (a <script> in a user message stays text).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { bin, root } from "./Bin.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-export-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const t = "2026-07-14T07:06:00.000Z"
const line = (type: string, payload: object) => JSON.stringify({ timestamp: t, type, payload })
const rollout = path.join(dir, "rollout.jsonl")
fs.writeFileSync(
  rollout,
  `${[
    line("session_meta", {
      id: "0198f2a4-5b6c-7d8e-9f00-112233445566",
      timestamp: t,
      cwd: "/p",
      originator: "codex_cli_rs",
      cli_version: "0.169.0",
      source: "cli",
      model_provider: "openai",
      history_mode: "legacy"
    }),
    line("event_msg", { type: "task_started", turn_id: "t1", model_context_window: null, started_at: 1784012760 }),
    line("event_msg", { type: "user_message", message: "Run <script>alert(1)</script> please" }),
    line("event_msg", { type: "agent_reasoning", text: "Thinking about it" }),
    line("event_msg", {
      type: "patch_apply_end",
      call_id: "p1",
      turn_id: "t1",
      stdout: "",
      stderr: "",
      success: true,
      status: "completed",
      changes: { "a.html": { type: "add", content: "<b>bold</b>\n" } }
    }),
    line("event_msg", { type: "agent_message", message: "Done & dusted" }),
    line("event_msg", { type: "task_complete", turn_id: "t1", last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })
  ].join("\n")}\n`
)

const run = (...args: Array<string>) => spawnSync(process.execPath, [bin, "export", rollout, ...args], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } })
const exportOf = (file: string, format: string) =>
  spawnSync(process.execPath, [bin, "export", file, "--format", format], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } })

describe("rollout export", () => {
  it("--format html --output FILE writes one escaped, self-contained page", () => {
    const out = path.join(dir, "thread.html")
    const r = run("--format", "html", "--output", out)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe("")
    const html = fs.readFileSync(out, "utf8")
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain("Run &lt;script&gt;alert(1)&lt;/script&gt; please")
    expect(html).toContain("Done &amp; dusted")
    expect(html).toMatch(/<details class="work reasoning"><summary>Reasoning<\/summary><div class="md"><p>Thinking about it<\/p>\n<\/div><\/details>/)
    // The added file's content is a highlighted diff: every line an addition, its markup escaped.
    expect(html).toContain('<span class="hljs-addition">+&lt;b&gt;bold&lt;/b&gt;</span>')
    expect(html.match(/<section class="turn/g)).toHaveLength(1)
  })

  it("--format markdown prints the transcript on stdout", () => {
    const r = run("--format", "markdown")
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^# Run &lt;script&gt;alert\(1\)&lt;\/script&gt; please\n/)
    expect(r.stdout).toContain("## Turn 1 — completed · Tue, 14 Jul 2026, 07:06:00 UTC · 1 s")
    expect(r.stdout).toContain("> Run &lt;script&gt;alert(1)&lt;/script&gt; please")
    expect(r.stdout).toContain("**Assistant**\n\nDone &amp; dusted")
  })

  it("without --format it is Markdown on stdout; a bad --format is a usage error", () => {
    const r = run()
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^# /)
    const bad = run("--format", "pdf")
    expect([bad.status, bad.stdout]).toEqual([2, ""])
  })

  it("shows the work of a Codex-written legacy rollout: each command with its exit code and output, the patch as a diff, the plan", () => {
    const file = path.join(root, "fixtures/matrix/0.171.0/app-legacy-every-item/input.jsonl")
    const md = exportOf(file, "markdown")
    expect(md.status, md.stderr).toBe(0)
    expect(md.stdout).toContain("<details><summary><code>$ printf &#39;one\\ntwo\\n&#39;</code> · exit 0 · 0 s</summary>\n\n```text\none\ntwo\n```")
    expect(md.stdout).toContain("<code>$ echo &quot;it&#39;s&quot; &amp;&amp; exit 3</code> · <b>exit 3</b>")
    expect(md.stdout).toContain("```diff\n+# Notes\n```")
    expect(md.stdout).toContain("**Plan** — Two steps\n\n- [x] Look\n- [ ] Write *(in progress)*")
    // Each command once, in the order it ran, between the commentary and the final answer.
    const order = ["Looking around first.", "printf", "exit 3", "+# Notes", "Done: searched"].map((s) => md.stdout.indexOf(s))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(md.stdout.match(/<code>\$ printf/g)).toHaveLength(1)
    const html = exportOf(file, "html")
    expect(html.status, html.stderr).toBe(0)
    expect(html.stdout).toContain('<span class="badge ok">exit 0</span>')
    expect(html.stdout).toContain('<span class="badge bad">exit 3</span>')
    expect(html.stdout).toMatch(/<nav class="toc" aria-label="Turns">.*<a href="#turn-1">/)
    expect(html.stdout).toContain('<div class="strip">')
  })

  it("does not show a paginated rollout's commands twice: thread/read has them, the work log adds none", () => {
    const file = path.join(root, "fixtures/matrix/0.171.0/app-paginated-every-item/input.jsonl")
    const md = exportOf(file, "markdown")
    expect(md.status, md.stderr).toBe(0)
    expect(md.stdout.match(/<code>\$ /g)).toHaveLength(2)
    expect(md.stdout).toContain("exit 3")
  })

  it("--timezone shows times in that zone (the machine's without it), in both formats; a zone that does not exist is a usage error", () => {
    const inZone = (zone: string | undefined, format: string, tz = "UTC") =>
      spawnSync(process.execPath, [bin, "export", rollout, "--format", format, ...(zone === undefined ? [] : ["--timezone", zone])], {
        encoding: "utf8",
        env: { ...process.env, TZ: tz }
      })
    const tokyo = inZone("Asia/Tokyo", "markdown")
    expect(tokyo.status, tokyo.stderr).toBe(0)
    expect(tokyo.stdout).toContain("Tue, 14 Jul 2026, 16:06:00 GMT+9")
    expect(tokyo.stdout).not.toContain("07:06:00")
    const html = inZone("America/New_York", "html")
    expect(html.stdout).toMatch(/<time datetime="2026-07-14T07:06:00.000Z">Tue, 14 Jul 2026, 03:06:00 GMT-4<\/time>/)
    // The same document on a machine in another zone: --timezone UTC reads the same anywhere.
    expect(inZone("UTC", "markdown", "Asia/Tokyo").stdout).toBe(inZone(undefined, "markdown", "UTC").stdout)
    expect(inZone(undefined, "markdown", "Asia/Tokyo").stdout).toBe(tokyo.stdout)
    const bad = inZone("Mars/Olympus", "markdown")
    expect(bad.status).toBe(2)
    expect(bad.stdout).toBe("")
    expect(bad.stderr).toContain(`bad value "Mars/Olympus" for --timezone: not an IANA time zone`)
  })
})

describe("rollout export --output, interrupted", () => {
  it("leaves an earlier file as it was, or the whole new document, and no temporary file, when Ctrl-C stops it", async () => {
    const big = path.join(dir, "big.jsonl")
    const turns: Array<string> = []
    for (let i = 0; i < 60_000; i++)
      turns.push(
        line("event_msg", { type: "task_started", turn_id: `t${i}`, model_context_window: null, started_at: 1784012760 }),
        line("event_msg", { type: "user_message", message: `question number ${i} ${"lorem ipsum ".repeat(8)}` }),
        line("event_msg", { type: "agent_message", message: `answer ${i}` }),
        line("event_msg", { type: "task_complete", turn_id: `t${i}`, last_agent_message: null })
      )
    const meta = fs.readFileSync(rollout, "utf8").split("\n")[0] as string
    fs.writeFileSync(big, `${[meta, ...turns].join("\n")}\n`)
    const out = path.join(dir, "out", "thread.md")
    fs.mkdirSync(path.dirname(out))
    fs.writeFileSync(out, "OLD\n")
    const { spawn } = await import("node:child_process")
    const child = spawn(process.execPath, [bin, "export", big, "--output", out, "--timezone", "UTC"], { cwd: root, stdio: "ignore" })
    const exited = new Promise((resolve) => child.on("exit", resolve))
    let done = false
    void exited.then(() => (done = true))
    // Interrupted once the document is being written: the target changed, or a file beside it grows.
    const writing = () =>
      fs
        .readdirSync(path.dirname(out))
        .some((name) => (name === "thread.md" ? fs.readFileSync(out, "utf8") !== "OLD\n" : fs.statSync(path.join(path.dirname(out), name)).size > 0))
    while (!done && !writing()) await new Promise((resolve) => setTimeout(resolve, 10))
    child.kill("SIGINT")
    await exited
    const text = fs.readFileSync(out, "utf8")
    // Killed half way (the usual case) or finished first on a fast machine: never a cut-off document.
    if (text !== "OLD\n") expect(text.trimEnd().endsWith("answer 59999")).toBe(true)
    expect(fs.readdirSync(path.dirname(out))).toEqual(["thread.md"])
  }, 120_000)
})
