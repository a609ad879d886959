// End to end: the real `rollout` bin (built JavaScript, as `npx rollout` runs it) on real files.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { root, rollout, sampleFiles } from "./Bin.js"

describe("rollout (end to end)", () => {
  it("validates the sample Codex home (real Codex 0.169 rollouts): all valid, exit 0", () => {
    const r = rollout("validate", "rollouts", "--json")
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.files.map((f: { path: string }) => path.resolve(root, f.path))).toEqual(sampleFiles())
    expect(report.files.every((f: { valid: boolean; problems: Array<unknown> }) => f.valid && f.problems.length === 0)).toBe(true)
  })

  it("reports a damaged copy of a real rollout exactly, and still reads every good line", () => {
    const [first] = sampleFiles()
    if (first === undefined) throw new Error("no sample rollout")
    const lines = fs
      .readFileSync(first, "utf8")
      .split("\n")
      .filter((l) => l !== "")
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-"))
    const damaged = path.join(dir, "damaged.jsonl")
    // BOM, a garbage line after line 2, and the last line torn in half.
    const last = lines[lines.length - 1] ?? ""
    const text = `\uFEFF${lines.slice(0, 2).join("\n")}\n<<garbage>>\n${lines.slice(2, -1).join("\n")}\n${last.slice(0, last.length >> 1)}`
    fs.writeFileSync(damaged, text)
    const r = rollout("validate", damaged, "--json")
    expect(r.status).toBe(1)
    const [file] = JSON.parse(r.stdout).files
    expect(file.problems.map((p: { line: number; kind: string }) => [p.line, p.kind])).toEqual([
      [1, "bom"],
      [3, "invalid_json"],
      [lines.length + 1, "truncated_line"]
    ])
    const info = JSON.parse(rollout("info", damaged, "--json").stdout).threads[0]
    expect(info.lines).toBe(lines.length - 1)
    expect(info.skippedLines).toBe(3)
  })

  it("finds a thread by id in $CODEX_HOME and summarises it", () => {
    const [first] = sampleFiles()
    const id = /([0-9a-f-]{36})\.jsonl$/.exec(first ?? "")?.[1] ?? ""
    const r = rollout("info", id)
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`thread   ${id}`)
  })

  it("exits 2 with one clear message for an unknown thread id", () => {
    const r = rollout("validate", "00000000-0000-7000-8000-000000000000")
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain("no thread 00000000-0000-7000-8000-000000000000 in the Codex home")
  })

  it("explains itself with --help", () => {
    const r = rollout("--help")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/validate/)
    expect(r.stdout).toMatch(/info/)
  })
})
