// End to end: the bin answers the common `stats` command lines on its quick path (`cli/StatsQuick`,
// no CLI framework) and hands the rest to the full CLI; both must print the same bytes. A flag
// written `--by=day` is left to the full CLI, `--by day` is served quickly, so the same question is
// asked both ways over a home with forks and hostile files (a BOM, torn and broken lines, invalid
// UTF-8 and control characters inside lines statistics read, after many good lines of their shape).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"
import { bin, root } from "./Bin.js"

const rollout = (...args: Array<string>) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, maxBuffer: 64 << 20, env: { ...process.env, TZ: "UTC", ROLLOUT_DEBUG: "" } })

const T0 = Date.UTC(2026, 6, 14, 9)
const DAY = 86_400_000
const id = (n: number) => `0198f2a4-5b6c-7d8e-9f00-${String(n).padStart(12, "0")}`
const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

let home: string

const write = (ms: number, name: string, body: string | Buffer) => {
  const d = new Date(ms)
  const dir = path.join(home, "sessions", String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, name), body)
}

/** A session's lines, `turns` random turns from `start`. */
const session = (n: number, start: number, turns: number, rand: () => number, o: StatsCorpus.MetaOptions = {}, seed = StatsCorpus.runningAt([], 0)) => {
  const w = new StatsCorpus.Writer(id(n), start + 1000, seed)
  const lines = [StatsCorpus.sessionMeta(id(n), start, o)]
  for (let i = 0; i < turns; i++) {
    lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
    if (i % 4 === 3) w.ms += DAY / 3
  }
  return lines
}

/** Some lines of `kind` after the first few turns (good lines of their shape seen by then), broken by `f`. */
const breakLater = (lines: Array<string>, kind: string, f: (line: string) => string, every = 3) => {
  let seen = 0
  return lines.map((l, i) => (i > lines.length / 3 && l.includes(`"${kind}"`) && seen++ % every === 0 ? f(l) : l))
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-stats-quick-"))
  const rand = StatsCorpus.prng(7)
  const a = session(1, T0, 12, rand)
  write(T0, StatsCorpus.fileName(id(1), T0), text(a))
  // A legacy fork copying half of A.
  const cut = Math.floor(a.length / 2)
  const forkAt = T0 + DAY
  const own = session(2, forkAt, 3, rand, {}, StatsCorpus.runningAt(a, cut)).slice(1)
  write(
    forkAt,
    StatsCorpus.fileName(id(2), forkAt),
    text([StatsCorpus.sessionMeta(id(2), forkAt, { forkedFromId: id(1) }), ...StatsCorpus.copied(a, cut, forkAt), ...own])
  )
  // Broken lines of the shapes statistics read.
  let b = session(3, T0 + 2 * DAY, 12, rand)
  b = breakLater(b, "function_call_output", (l) => l.replace("Chunk ID", "Chunk\tID"))
  b = breakLater(b, "task_started", (l) => l.replace('"turn_id":"', '"turn_id":"\\x'), 4)
  b = breakLater(b, "turn_context", (l) => l.replace('"model":"', '"model":7,"x":"'), 5)
  b = breakLater(b, "task_complete", (l) => l.replace('"turn_id":"', '"turn_id":"\\u00e9\u00e8 '), 2)
  const bytes = Buffer.from(`\ufeff${text(b)}{"timestamp":"2026-07-20T00:00:00.000Z","type":"event_msg","payl`, "utf8")
  // Invalid UTF-8 inside a tool output, well after its shape is learnt.
  const at = bytes.lastIndexOf(Buffer.from("Process exited"))
  bytes[at + 1] = 0xff
  write(T0 + 2 * DAY, StatsCorpus.fileName(id(3), T0 + 2 * DAY), bytes)
})
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true })
})

describe("rollout stats: the bin's quick path and the full CLI", () => {
  it("print the same bytes for the same question, JSON, tables and CSV, diagnostics included", () => {
    const asked: Array<[Array<string>, Array<string>]> = [
      [
        ["--json", "--by", "day"],
        ["--json", "--by=day"]
      ],
      [
        ["--json", "--by", "session", "--jobs", "2"],
        ["--json", "--by=session", "--jobs=2"]
      ],
      [
        ["--by", "model", "--timezone", "UTC"],
        ["--by=model", "--timezone=UTC"]
      ],
      [
        ["--format", "csv", "--by", "week"],
        ["--format=csv", "--by=week"]
      ]
    ]
    for (const [quick, full] of asked) {
      const q = rollout("stats", home, ...quick)
      const f = rollout("stats", home, ...full)
      expect([quick, q.status, q.stdout, q.stderr]).toEqual([quick, f.status, f.stdout, f.stderr])
    }
    const doc = JSON.parse(rollout("stats", home, "--json").stdout)
    // Not vacuous: the hostile file is reported, every broken kind of line among it.
    const kinds = new Set(doc.diagnostics.map((d: { kind: string }) => d.kind))
    for (const k of ["bom", "invalid_json", "invalid_line", "invalid_utf8", "truncated_line"]) expect(kinds).toContain(k)
    expect(doc.totals).toMatchObject({ files: 3, forks: 1 })
  }, 60_000)
})
