// End to end: where people touch the CLI — a closed pipe, usage mistakes, inputs that are not what
// they seem, and the conventions of git/gh/ripgrep — on real files. What the process itself does
// (pipes, the environment, the quick paths of bin.ts) runs through the real bin; the answer of a
// command line that only the full CLI serves is taken in-process (`Bin.answer`), without a
// process's start-up. The bin's hand-over to the full CLI and its exit code stay held by spawned
// cases (history's refusals of a folder and of an ambiguous prefix, replay --verify).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { answer, bin, inProcess, root, rollout, sampleFiles } from "./Bin.js"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-edges-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

/** A copy of the sample home, so that no run writes an index into the repository's rollouts/. */
const home = path.join(scratch, "home")
fs.cpSync(path.join(root, "rollouts"), home, { recursive: true, filter: (src) => !path.basename(src).startsWith("rollout-index.sqlite") })

const idOf = (file: string) => /([0-9a-f-]{36})\.jsonl$/.exec(file)?.[1] ?? ""
const sample = sampleFiles()[0] ?? ""
const sampleId = idOf(sample)

/**
 * What a pipe holds before its writer waits (Linux's default); `head -1` reads a few KiB more before
 * it closes its end. An output past twice this is still being written when the pipe closes.
 */
const PIPE_BYTES = 64 << 10

/**
 * A long legacy thread (400 turns): its history, export and resume are each more than twice what a
 * pipe holds (the smallest, history's text, 199 KB). Its fourteen piped runs take 0.67x the CPU
 * they took on 1,500 turns.
 */
const big = (() => {
  const id = "0198f2a4-5b6c-7d8e-9f00-112233445566"
  const ts = "2026-07-14T09:05:33.000Z"
  const text = (what: string, i: number) => `${what} ${i}: ${"lorem ipsum dolor sit amet ".repeat(8)}`
  const lines: Array<unknown> = [
    {
      timestamp: ts,
      type: "session_meta",
      payload: { id, timestamp: ts, cwd: "/w", originator: "codex_cli_rs", cli_version: "0.1.0", source: "cli", model_provider: "openai" }
    }
  ]
  for (let i = 0; i < 400; i++) {
    lines.push({
      timestamp: ts,
      type: "response_item",
      payload: { type: "message", role: "user", content: [{ type: "input_text", text: text("question", i) }] }
    })
    lines.push({ timestamp: ts, type: "event_msg", payload: { type: "user_message", message: text("question", i), images: [] } })
    lines.push({
      timestamp: ts,
      type: "response_item",
      payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: text("answer", i) }] }
    })
    lines.push({ timestamp: ts, type: "event_msg", payload: { type: "agent_message", message: text("answer", i) } })
  }
  const file = path.join(scratch, `rollout-2026-07-14T09-05-33-${id}.jsonl`)
  fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`)
  return file
})()

/**
 * `rollout ARGS | READER` through a real shell pipe: the exit status of rollout and its stderr.
 * `head -1` closes the pipe after the first line; `true` has closed it before rollout writes at all.
 */
const piped = (args: ReadonlyArray<string>, reader: string) => {
  const quoted = args.map((a) => `'${a}'`).join(" ")
  const r = spawnSync("bash", ["-c", `set -o pipefail; '${process.execPath}' '${bin}' ${quoted} 2>'${scratch}/err' </dev/null | ${reader} >/dev/null`], {
    encoding: "utf8",
    cwd: root,
    env: { ...process.env, CODEX_HOME: path.join(root, "rollouts") }
  })
  return { status: r.status, stderr: fs.readFileSync(path.join(scratch, "err"), "utf8") }
}

describe("a closed pipe (| head -1, | true) is a normal end: status 0, nothing on stderr", () => {
  it.each([
    ["history", big],
    ["history", big, "--json"],
    ["export", big],
    ["resume", big, "--json"],
    ["stats", big, "--by", "session"],
    ["validate", "--verbose", big],
    ["replay", big, "--step"],
    ["ls", "--codex-home", home],
    ["search", "the", "--codex-home", home],
    ["info", "rollouts"]
  ])("%s", (...args) => {
    for (const reader of ["head -1", "true"]) {
      const r = piped(args, reader)
      expect(r.stderr, reader).toBe("")
      expect(r.status, reader).toBe(0)
    }
  })

  it.each(["history", "history --json", "export", "resume --json"])(
    "%s of the long thread is larger than a pipe holds, so head -1 does close it mid-write",
    async (line) => {
      const [command = "", ...flags] = line.split(" ")
      const r = await inProcess(command, big, ...flags)
      expect(r.status).toBe(0)
      expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(2 * PIPE_BYTES)
    }
  )
})

describe("usage errors: one line on stderr naming the problem and the help to read, exit 2, nothing on stdout", () => {
  it.each([
    [["ls", "--limt", "5", "--json", "--codex-home", home], /^rollout ls: unknown flag --limt \(did you mean --limit\?\)\. See 'rollout ls --help'\.\n$/],
    [
      ["export", sampleId, "--format", "pdf"],
      /^rollout export: bad value "pdf" for --format: expected "markdown" \| "html"\. See 'rollout export --help'\.\n$/
    ],
    [["fork", sampleId, "--json"], /^rollout fork: missing required flag --before-user-message\. See 'rollout fork --help'\.\n$/],
    [
      ["stats", "rollouts", "--by", "year", "--json"],
      /^rollout stats: bad value "year" for --by: expected "day" \| "week" \| "month" \| "session" \| "model" \| "project"\./
    ],
    [
      ["fork", sampleId, "--before-user-message", "-1", "--json"],
      /^rollout fork: bad value "-1" for --before-user-message: expected a whole number, 0 or more\./
    ],
    [["ls", "--limit", "0"], /^rollout ls: bad value "0" for --limit: expected a whole number from 1 to 100\./],
    [["ls", "--limit", "-1"], /from 1 to 100/],
    [["ls", "--limit", "1000", "--json"], /from 1 to 100/],
    [["search", "test", "--limit", "-1"], /^rollout search: bad value "-1" for --limit: expected a whole number from 1 to 500\./],
    [["ls", "--limit", "many"], /^rollout ls: bad value "many" for --limit/],
    [["ls", "--cwd", ""], /^rollout ls: --cwd needs a folder \(--cwd \. for this one\)\. See 'rollout ls --help'\.\n$/],
    [["nope"], /^rollout: unknown command "nope"\. See 'rollout --help'\.\n$/],
    [["replay", sampleId, "--json"], /^rollout replay: choose --at N, --step or --verify\. See 'rollout replay --help'\.\n$/]
  ])("%j", async (args, message) => {
    const r = await answer(...(args as Array<string>))
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(message as RegExp)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.status).toBe(2)
  })

  it("--help is not an error: the page on stdout, exit 0; the top level has one line per command", async () => {
    const r = await answer("--help")
    expect(r.status).toBe(0)
    const commands = r.stdout
      .slice(r.stdout.indexOf("SUBCOMMANDS"))
      .split("\n")
      .slice(1)
      .filter((l) => l.trim() !== "")
    expect(commands.length).toBeGreaterThanOrEqual(17)
    for (const line of commands) expect(line.length, line).toBeLessThanOrEqual(100)
    expect((await answer("ls", "--help")).stdout).toContain("Freshness rule")
  })
})

describe("inputs read one way: a clear line and the contract's exit code, never an empty answer", () => {
  const notRollout = path.join(scratch, "package.json")
  fs.writeFileSync(notRollout, `${JSON.stringify({ name: "x", version: "1.0.0" })}\n`)
  const empty = fs.mkdtempSync(path.join(scratch, "empty-"))

  it.each([
    ["info", notRollout],
    ["stats", notRollout],
    ["resume", notRollout],
    ["history", notRollout],
    ["fork", notRollout, "--before-user-message", "0"],
    ["replay", notRollout, "--at", "1"]
  ])("a JSON file that is no rollout: %s exits 1 saying so", async (...args) => {
    const r = await answer(...args)
    expect(r.status).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(/package\.json(:| is not a rollout)/)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
  })

  it.each([["info"], ["stats"], ["history"], ["resume"], ["validate"], ["export"]])("a missing path: %s exits 2 with one line on stderr", async (command) => {
    const r = await answer(command, path.join(scratch, "missing.jsonl"))
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(/missing\.jsonl: no such file or directory/)
  })

  it.each([["info"], ["stats"], ["history"], ["validate"]])("an empty folder: %s exits 2 saying there are no rollouts", async (command) => {
    const r = await answer(command, empty)
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain(`no rollout files (rollout-*.jsonl[.zst] or .rseg) under ${empty}`)
  })

  it("trace on an empty folder: exit 2, it is no bundle", async () => {
    const r = await answer("trace", empty)
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(`rollout: ${empty} is not a rollout-trace bundle: no manifest.json in it (a bundle holds manifest.json, trace.jsonl and payloads/)\n`)
  })

  it("history of a folder of many threads is refused with the candidates, not answered from the first", () => {
    const r = rollout("history", "rollouts")
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(/^rollout: rollouts holds 9 threads \(01a1fb98-/)
  })
})

describe("conventions", () => {
  it("a unique thread id prefix resolves; an ambiguous one lists the candidates", () => {
    const prefix = sampleId.slice(0, 13)
    expect(sampleFiles().filter((f) => idOf(f).startsWith(prefix))).toHaveLength(1)
    const r = rollout("history", prefix, "--json")
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).thread.id).toBe(sampleId)
    const ambiguous = rollout("history", sampleId.slice(0, 8))
    expect(ambiguous.status).toBe(2)
    expect(ambiguous.stderr).toMatch(new RegExp(`^rollout: ${sampleId.slice(0, 8)} is the start of 9 thread ids: .*; give more of the id\\n$`))
  })

  it("archive and unarchive take a unique id prefix too", async () => {
    const prefix = sampleId.slice(0, 13)
    const archived = await answer("archive", prefix, "--codex-home", home, "--json")
    expect(archived.status).toBe(0)
    expect(JSON.parse(archived.stdout)).toMatchObject({ id: sampleId, archived: true })
    expect((await answer("unarchive", prefix, "--codex-home", home)).status).toBe(0)
    const ambiguous = await answer("archive", sampleId.slice(0, 8), "--codex-home", home)
    expect(ambiguous.status).toBe(2)
    expect(ambiguous.stderr).toMatch(/is the start of 9 thread ids/)
  })

  it("stats, info and validate default to $CODEX_HOME when no PATH is given", () => {
    expect(JSON.parse(rollout("stats", "--json").stdout).totals.files).toBe(9)
    expect(JSON.parse(rollout("info", "--json").stdout).threads).toHaveLength(9)
    const v = rollout("validate")
    expect(v.status).toBe(0)
    // A summary, not one `ok` line per file.
    // The sample home is real Codex 0.169 output: its lines carry fields our schemas do not declare yet (notes, not problems).
    expect(v.stdout).toMatch(/^9 files, all valid\.( 9 valid files with notes .*)?\n$/)
    expect(rollout("validate", "--verbose").stdout.match(/^ok /gm)).toHaveLength(9)
  })

  it("no progress bar is drawn into a pipe or a log", () => {
    for (const args of [["index", "--rebuild"], ["ls"], ["stats"]]) {
      const r = rollout(...args, ...(args[0] === "stats" ? [home] : ["--codex-home", home]))
      expect(r.status, args.join(" ")).toBe(0)
      expect(r.stderr).not.toContain("\r")
    }
  })

  it("export takes its format from --output's extension, else Markdown on stdout", () => {
    const out = path.join(scratch, "thread.html")
    expect(rollout("export", sampleId, "--output", out).status).toBe(0)
    expect(fs.readFileSync(out, "utf8")).toMatch(/^<!DOCTYPE html>/i)
    const md = rollout("export", sampleId)
    expect(md.status).toBe(0)
    expect(md.stdout).not.toMatch(/<html/i)
    expect(md.stdout).toMatch(/^# /)
  })

  it("replay --verify on a session another writer recorded says only engine-recorded sessions can be re-executed", () => {
    const r = rollout("replay", sampleId, "--verify", "--json")
    expect(r.status).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(
      /^rollout: only sessions this engine recorded \(rollout run, originator "rollout"\) can be re-executed; .* was written by "rollout_oracle"/
    )
  })
})
