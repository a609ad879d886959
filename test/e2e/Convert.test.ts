// End to end: `rollout convert` both ways on the real rollouts in rollouts/, and every command
// reading the segment as it reads the JSONL.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as ChildProcess from "node:child_process"
import { describe, expect, it } from "vitest"
import { bin, inProcess, rollout, sampleFiles as allSampleFiles } from "./Bin.js"

const sampleFiles = () => allSampleFiles().filter((f) => f.endsWith(".jsonl"))

describe("rollout convert (end to end)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-convert-"))

  it("JSONL → segment → JSONL restores every real rollout byte for byte, with a one-line summary", async () => {
    const files = sampleFiles()
    expect(files.length).toBeGreaterThan(0)
    for (const [i, file] of files.entries()) {
      // The built bin for one file, in-process for the rest.
      const run = i === 0 ? async (...a: Array<string>) => rollout(...a) : inProcess
      const seg = path.join(dir, path.basename(file).replace(/\.jsonl$/, ".rseg"))
      const back = path.join(dir, path.basename(file))
      const a = await run("convert", file, seg)
      expect(a.stderr).toBe("")
      expect(a.status).toBe(0)
      const lines = fs.readFileSync(file, "utf8").split("\n").length - 1
      expect(a.stdout).toMatch(
        new RegExp(`^.* → .*: ${lines} lines?, ${fs.statSync(file).size} bytes in, ${fs.statSync(seg).size} bytes out \\(ratio \\d+\\.\\d\\d\\)\\n$`)
      )
      const b = await run("convert", seg, back)
      expect(b.status).toBe(0)
      expect(Buffer.compare(fs.readFileSync(back), fs.readFileSync(file))).toBe(0)
    }
  })

  it("commands read a segment as they read its JSONL (history, validate)", async () => {
    const [file] = sampleFiles()
    if (file === undefined) throw new Error("no sample rollout")
    const seg = path.join(dir, "history.rseg")
    expect((await inProcess("convert", file, seg)).status).toBe(0)
    const fromJsonl = JSON.parse((await inProcess("history", file, "--json")).stdout)
    const fromSegment = JSON.parse(rollout("history", seg, "--json").stdout)
    expect(fromSegment.thread.turns).toEqual(fromJsonl.thread.turns)
    const v = await inProcess("validate", seg, "--json")
    expect(v.status).toBe(0)
    expect(JSON.parse(v.stdout).files[0]).toMatchObject({ valid: true, problems: [] })
  })

  it("refuses to overwrite without --force (exit 2), overwrites with it", async () => {
    const [file] = sampleFiles()
    if (file === undefined) throw new Error("no sample rollout")
    const seg = path.join(dir, "exists.rseg")
    fs.writeFileSync(seg, "keep me")
    const r = await inProcess("convert", file, seg)
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/exists.*--force/)
    expect(fs.readFileSync(seg, "utf8")).toBe("keep me")
    expect((await inProcess("convert", file, seg, "--force")).status).toBe(0)
    expect(fs.readFileSync(seg).subarray(1, 5).toString()).toBe("RSEG")
  })

  it("exit 2 for unreadable input or an unknown direction, 1 for a damaged segment; nothing is written", async () => {
    expect((await inProcess("convert", path.join(dir, "missing.jsonl"), path.join(dir, "m.rseg"))).status).toBe(2)
    const [file] = sampleFiles()
    if (file === undefined) throw new Error("no sample rollout")
    expect((await inProcess("convert", file, path.join(dir, "out.txt"))).status).toBe(2)
    const seg = path.join(dir, "damaged.rseg")
    expect((await inProcess("convert", file, seg)).status).toBe(0)
    fs.truncateSync(seg, fs.statSync(seg).size - 30)
    const r = rollout("convert", seg, path.join(dir, "damaged.jsonl"))
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/damaged segment/)
    expect(fs.existsSync(path.join(dir, "damaged.jsonl"))).toBe(false)
    expect(fs.readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([])
  })
  it("damage inside a segment costs the damaged frame's lines only: validate names them, history reads on past them", async () => {
    // A rollout of several blocks (a block holds at most 8,192 lines): many small turns.
    const id = "0198f2a4-5b6c-7d8e-9f00-5e6d00000001"
    const meta = {
      timestamp: "2026-07-14T09:00:00.000Z",
      type: "session_meta",
      payload: { id, timestamp: "2026-07-14T09:00:00.000Z", cwd: "/w", originator: "codex_cli_rs", cli_version: "0.171.0", source: "cli" }
    }
    const lines = [JSON.stringify(meta)]
    for (let t = 0; t < 6000; t++) {
      const ts = new Date(Date.parse("2026-07-14T09:00:01.000Z") + t * 1000).toISOString()
      lines.push(
        JSON.stringify({
          timestamp: ts,
          type: "event_msg",
          payload: { type: "user_message", message: `question ${t}`, images: [], local_images: [], text_elements: [] }
        })
      )
      lines.push(JSON.stringify({ timestamp: ts, type: "event_msg", payload: { type: "agent_message", message: `answer ${t}` } }))
      lines.push(JSON.stringify({ timestamp: ts, type: "event_msg", payload: { type: "token_count", info: null, rate_limits: null } }))
    }
    const file = path.join(dir, `rollout-2026-07-14T09-00-00-${id}.jsonl`)
    fs.writeFileSync(file, `${lines.join("\n")}\n`)
    const seg = file.replace(/\.jsonl$/, ".rseg")
    expect((await inProcess("convert", file, seg)).status).toBe(0)
    const bytes = fs.readFileSync(seg)
    const middle = bytes.length >> 1
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x5a
    const damaged = path.join(dir, "damaged-middle.rseg")
    fs.writeFileSync(damaged, bytes)

    const v = rollout("validate", damaged, "--json")
    expect(v.status).toBe(1)
    const [problem, ...more] = JSON.parse(v.stdout).files[0].problems
    expect(more).toEqual([])
    const [, from, to] = /lines (\d+)–(\d+) .*lost, reading goes on after it/.exec(problem.message) ?? []
    expect(Number(to)).toBeGreaterThan(Number(from))
    expect(Number(to) - Number(from) + 1).toBeLessThanOrEqual(8192)

    // Turns whose lines are all outside the lost range read as from the intact JSONL (turn and
    // item ids aside: a legacy thread's are numbered, and the lost lines moved the numbering).
    type Turn = { items: Array<{ type: string; text?: string; content?: unknown }> }
    const texts = (turns: Array<Turn>) => turns.map((t) => JSON.stringify(t.items.map((i) => [i.type, i.text ?? i.content])))
    const whole = texts(JSON.parse((await inProcess("history", file, "--json")).stdout).thread.turns)
    const read = texts(JSON.parse(rollout("history", damaged, "--json").stdout).thread.turns)
    const lostTurns = whole.length - read.length
    expect(lostTurns).toBeGreaterThan(0)
    expect(lostTurns).toBeLessThanOrEqual(Math.ceil(8192 / 3) + 1)
    const cut = whole.findIndex((t, i) => t !== read[i])
    expect(read.slice(0, cut)).toEqual(whole.slice(0, cut))
    expect(read.slice(cut + 1)).toEqual(whole.slice(cut + lostTurns + 1))
  })

  it("into a folder that does not exist: exit 2, one line, and no folder made", () => {
    const [file] = sampleFiles()
    if (file === undefined) throw new Error("no sample rollout")
    const missing = path.join(dir, "no-such-folder", "deeper")
    const r = rollout("convert", file, path.join(missing, "x.rseg"))
    expect(r.status).toBe(2)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("no folder")
    expect(fs.existsSync(path.join(dir, "no-such-folder"))).toBe(false)
  })

  it("interrupted (Ctrl-C) midway, it leaves neither the output nor its temporary file", async () => {
    const [file] = sampleFiles()
    if (file === undefined) throw new Error("no sample rollout")
    const big = path.join(dir, "big.jsonl")
    const body = fs.readFileSync(file)
    const fd = fs.openSync(big, "w")
    for (let n = 0; n * body.length < 48 << 20; n++) fs.writeSync(fd, body)
    fs.closeSync(fd)
    const out = path.join(dir, "interrupted", "big.rseg")
    fs.mkdirSync(path.dirname(out))
    const child = ChildProcess.spawn(process.execPath, [bin, "convert", big, out], { stdio: "ignore" })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)))
    const temp = () => fs.readdirSync(path.dirname(out)).filter((n) => n.includes(".tmp-"))
    const started = Date.now()
    while (temp().length === 0 && child.exitCode === null && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5))
    expect(temp()).toHaveLength(1)
    child.kill("SIGINT")
    expect(await exited).toBe("SIGINT")
    expect(fs.readdirSync(path.dirname(out))).toEqual([])
  }, 120_000)
})
