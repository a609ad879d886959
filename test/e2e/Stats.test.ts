// End to end: `rollout stats` (the built bin, worker threads on) over a generated Codex home whose
// statistics are known: forks (legacy copies, a fork of a fork, a paginated fork), a sub-agent,
// a thread in two segments, re-emitted token counts, session-budget errors, a huge file, an
// archived session and corrupt files. Every figure must match the ground truth exactly.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"
import { bin, root } from "./Bin.js"

const rollout = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, maxBuffer: 64 << 20 })

type Truth = StatsCorpus.Truth
const DAY = 86_400_000
const T0 = Date.UTC(2026, 6, 14, 9)
const id = (n: number) => `0198f2a4-5b6c-7d8e-9f00-${String(n).padStart(12, "0")}`
const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

interface Corpus {
  readonly home: string
  readonly truth: Truth
  /** What each thread's own lines add, by thread id. */
  readonly threads: Record<string, Truth>
  /** Expected diagnostics as `file name:line:kind`. */
  readonly diagnostics: ReadonlyArray<string>
  readonly subAgentThreads: number
}

const generate = (): Corpus => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-stats-e2e-"))
  const threads: Record<string, Truth> = {}
  const diagnostics: Array<string> = []
  const write = (ms: number, name: string, body: string | Buffer, archived = false) => {
    const d = new Date(ms)
    const dir = archived
      ? path.join(home, "archived_sessions")
      : path.join(home, "sessions", String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, name), body)
    return name
  }
  const rand = StatsCorpus.prng(42)
  /** A session of `turns` random turns (spread over days when `spread`), returned as lines. */
  const session = (n: number, start: number, turns: number, o: StatsCorpus.MetaOptions = {}, seed = StatsCorpus.runningAt([], 0), filler = "") => {
    const w = new StatsCorpus.Writer(id(n), start + 1000, seed)
    const lines = [StatsCorpus.sessionMeta(id(n), start, o)]
    for (let i = 0; i < turns; i++) {
      const spec = StatsCorpus.randomTurn(rand)
      lines.push(...w.turn(i === 1 && o.subAgentOf === undefined ? { ...spec, subAgentActivity: "started" } : spec, filler))
      if (i % 3 === 2) w.ms += DAY / 2
    }
    threads[id(n)] = w.truth
    return { lines, w }
  }

  // A: a plain thread over several days, with sub-agent activity; S: its spawned sub-agent.
  const a = session(1, T0, 9)
  write(T0, StatsCorpus.fileName(id(1), T0), text(a.lines))
  const sub = session(2, T0 + 5000, 3, { subAgentOf: id(1) })
  write(T0 + 5000, StatsCorpus.fileName(id(2), T0 + 5000), text(sub.lines))

  // B: a legacy fork of A cut mid-way (copies A's first lines), plus its own turns.
  const bAt = a.w.ms + DAY
  const cut = Math.floor(a.lines.length / 2)
  const bOwn = session(3, bAt, 3, {}, StatsCorpus.runningAt(a.lines, cut))
  const b = [StatsCorpus.sessionMeta(id(3), bAt, { forkedFromId: id(1) }), ...StatsCorpus.copied(a.lines, cut, bAt), ...bOwn.lines.slice(1)]
  write(bAt, StatsCorpus.fileName(id(3), bAt), text(b))

  // C: a fork of B copying all of it (B's copy of A included), plus one turn.
  const cAt = bOwn.w.ms + 1000
  const cOwn = session(4, cAt, 1, {}, StatsCorpus.runningAt(b, b.length))
  write(
    cAt,
    StatsCorpus.fileName(id(4), cAt),
    text([StatsCorpus.sessionMeta(id(4), cAt, { forkedFromId: id(3) }), ...StatsCorpus.copied(b, b.length, cAt), ...cOwn.lines.slice(1)])
  )

  // D: a paginated fork of A: references A's first lines by history_base, copies nothing.
  const dCut = a.lines.length - 4
  const base = { threadId: id(1), endOrdinalExclusive: dCut, endByteOffset: Buffer.byteLength(text(a.lines.slice(0, dCut))) }
  const dAt = a.w.ms + 2 * DAY
  const d = session(5, dAt, 2, { forkedFromId: id(1), historyBase: base }, StatsCorpus.runningAt(a.lines, dCut))
  write(dAt, StatsCorpus.fileName(id(5), dAt), text(d.lines))

  // E: one thread in two segment files; the second continues the first's running total.
  const e1 = session(6, T0 + DAY, 3)
  const e1Truth = threads[id(6)] as Truth
  const e2w = new StatsCorpus.Writer(id(6), e1.w.ms + 3_600_000, e1.w.running)
  const e2 = [StatsCorpus.sessionMeta(id(6), e1.w.ms + 3_600_000)]
  for (let i = 0; i < 3; i++) e2.push(...e2w.turn(StatsCorpus.randomTurn(rand)))
  threads[id(6)] = StatsCorpus.addTruth(e1Truth, e2w.truth)
  write(T0 + DAY, StatsCorpus.fileName(id(6), T0 + DAY), text(e1.lines))
  write(e1.w.ms + 3_600_000, StatsCorpus.fileName(id(6), e1.w.ms + 3_600_000), text(e2))

  // H: a huge file (by test standards): thousands of turns with bulky outputs.
  const h = session(7, T0 + 2 * DAY, 800, {}, undefined, " lorem ipsum".repeat(600))
  write(T0 + 2 * DAY, StatsCorpus.fileName(id(7), T0 + 2 * DAY), text(h.lines))

  // An archived session.
  const arch = session(8, T0 - DAY, 4)
  write(T0 - DAY, StatsCorpus.fileName(id(8), T0 - DAY), text(arch.lines), true)

  // X1: garbage in the middle and a torn last line; every good line still counts.
  const x1 = session(9, T0 + 3 * DAY, 4)
  const x1Lines = [...x1.lines]
  x1Lines.splice(5, 0, "{not json")
  const x1Name = write(
    T0 + 3 * DAY,
    StatsCorpus.fileName(id(9), T0 + 3 * DAY),
    `${text(x1Lines)}{"timestamp":"2026-07-17T00:00:00.000Z","type":"event_msg","payl`
  )
  diagnostics.push(`${x1Name}:6:invalid_json`, `${x1Name}:${x1Lines.length + 1}:truncated_line`)

  // X2: a token_count that breaks its schema (a string count) is reported and not counted.
  const x2 = session(10, T0 + 3 * DAY + 1000, 3)
  const x2Lines = [...x2.lines]
  const bad = (x2Lines.find((l) => l.includes('"token_count"')) ?? "").replace(/"total_tokens":\d+/, '"total_tokens":"lots"')
  x2Lines.splice(3, 0, bad)
  const x2Name = write(T0 + 3 * DAY + 1000, StatsCorpus.fileName(id(10), T0 + 3 * DAY + 1000), text(x2Lines))
  diagnostics.push(`${x2Name}:4:invalid_line`)

  // X3: an empty file; X4: named .zst but not zstd.
  const x3Name = write(T0 + 4 * DAY, StatsCorpus.fileName(id(11), T0 + 4 * DAY), "")
  diagnostics.push(`${x3Name}:0:empty_file`)
  const x4Name = write(T0 + 4 * DAY, `${StatsCorpus.fileName(id(12), T0 + 4 * DAY)}.zst`, "this is not zstd at all\n")
  diagnostics.push(`${x4Name}:0:zstd_error`)

  const truth = Object.values(threads).reduce(StatsCorpus.addTruth, StatsCorpus.emptyTruth())
  return { home, truth, threads, diagnostics: diagnostics.sort(), subAgentThreads: 1 }
}

let corpus: Corpus
beforeAll(() => {
  corpus = generate()
})
afterAll(() => {
  fs.rmSync(corpus.home, { recursive: true, force: true })
})

const json = (...args: Array<string>) => {
  const r = rollout("stats", ...args, "--json")
  return { status: r.status, doc: JSON.parse(r.stdout), stderr: r.stderr }
}

/** The same command in this process (no workers: the sequential path), to keep spawns few. */
const inProcess = async (...args: Array<string>) => {
  const output = Output.buffer()
  const status = await main(["stats", ...args], output)
  return { status, out: output.out() }
}
const jsonInProcess = async (...args: Array<string>) => {
  const r = await inProcess(...args, "--json")
  return { status: r.status, doc: JSON.parse(r.out) }
}

describe("rollout stats (end to end, generated corpus with ground truth)", () => {
  it("matches the ground truth exactly with worker threads, and equals the single-thread run", async () => {
    const par = json(corpus.home, "--jobs", "2")
    expect(par.status).toBe(0)
    const t = par.doc.totals
    expect(t.tokens).toEqual(corpus.truth.tokens)
    expect(t.turns).toMatchObject(corpus.truth.turns)
    expect(
      Object.fromEntries(
        t.tools.map((x: { tool: string; calls: number; failures: number; durationMs: number }) => [
          x.tool,
          { calls: x.calls, failures: x.failures, durationMs: x.durationMs }
        ])
      )
    ).toEqual(corpus.truth.tools)
    expect(Object.fromEntries(t.errors.map((e: { codexErrorInfo: string; count: number }) => [e.codexErrorInfo, e.count]))).toEqual(corpus.truth.errors)
    expect(t.errors.map((e: { codexErrorInfo: string }) => e.codexErrorInfo)).toContain("session_budget_exceeded")
    expect(t.subAgents).toMatchObject({ threads: corpus.subAgentThreads, activity: corpus.truth.subAgentActivity, tokens: corpus.threads[id(2)]?.tokens })
    expect(t).toMatchObject({ files: 13, threads: 12, forks: 3 })
    expect(par.doc.diagnostics.map((d: { path: string; line: number; kind: string }) => `${path.basename(d.path)}:${d.line}:${d.kind}`).sort()).toEqual(
      corpus.diagnostics
    )
    const seq = await jsonInProcess(corpus.home, "--jobs", "1")
    expect(seq.doc).toEqual(par.doc)
  }, 60_000)

  it("rows by day, model and session add up to the truth, each fork counting only its own turns", async () => {
    const byDay = (await jsonInProcess(corpus.home, "--by", "day", "--timezone", "UTC")).doc.rows
    expect(
      Object.fromEntries(
        byDay.filter((r: { totalTokens: number }) => r.totalTokens > 0).map((r: { day: string; totalTokens: number }) => [r.day, r.totalTokens])
      )
    ).toEqual(Object.fromEntries(Object.entries(corpus.truth.byDay).map(([k, v]) => [k, v.total])))
    const byModel = (await jsonInProcess(corpus.home, "--by", "model")).doc.rows
    expect(
      Object.fromEntries(
        byModel.filter((r: { totalTokens: number }) => r.totalTokens > 0).map((r: { model: string; inputTokens: number }) => [r.model, r.inputTokens])
      )
    ).toEqual(Object.fromEntries(Object.entries(corpus.truth.byModel).map(([k, v]) => [k, v.input])))
    const bySession = (await jsonInProcess(corpus.home, "--by", "session")).doc.rows as Array<{ session: string; totalTokens: number; turns: number }>
    for (const [thread, truth] of Object.entries(corpus.threads)) {
      const row = bySession.find((r) => r.session === thread)
      expect(row, thread).toMatchObject({ totalTokens: truth.tokens.total, turns: truth.turns.started })
    }
  }, 60_000)

  it("given a fork's thread id alone, then counts only the fork's own turns (the parent is found in the home)", () => {
    const r = json(id(3), "--codex-home", corpus.home)
    expect(r.status).toBe(0)
    expect(r.doc.totals.tokens).toEqual(corpus.threads[id(3)]?.tokens)
    expect(r.doc.diagnostics).toEqual([])
  })

  it("prints CSV, tables and a chart; a missing PATH exits 2", async () => {
    const chart = path.join(corpus.home, "tokens.svg")
    const csv = rollout("stats", corpus.home, "--by", "month", "--format", "csv", "--chart", chart)
    expect(csv.status).toBe(0)
    expect(csv.stdout.split("\n")[0]).toBe(
      "month,inputTokens,cachedInputTokens,outputTokens,reasoningOutputTokens,totalTokens,turns,toolCalls,errors,costUSD,models"
    )
    const svg = fs.readFileSync(chart, "utf8")
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/)
    expect(svg).toContain("Cost per day")
    expect(svg).toContain("Per model")
    const table = await inProcess(corpus.home)
    expect(table.out).toContain("Tokens by day")
    expect(table.out).toContain("Diagnostics: 5")
    expect((await inProcess(path.join(corpus.home, "nope"))).status).toBe(2)
  }, 60_000)

  it("prices every row and the totals from the built-in table, and a --pricing file overrides it", async () => {
    const byModel = (await jsonInProcess(corpus.home, "--by", "model", "--timezone", "UTC")).doc
    const sum = byModel.rows.reduce((n: number, r: { costUSD: number | null }) => n + (r.costUSD ?? 0), 0)
    expect(byModel.totals.knownCostUSD).toBeCloseTo(sum, 9)
    expect(byModel.totals.unpricedModels.map((u: { model: string }) => u.model).sort()).toEqual(
      byModel.rows
        .filter((r: { costUSD: number | null; totalTokens: number }) => r.costUSD === null && r.totalTokens > 0)
        .map((r: { model: string }) => r.model)
    )
    const table = path.join(corpus.home, "prices.json")
    const models = Object.fromEntries(byModel.rows.map((r: { model: string }) => [r.model, { input: 1e-6, cachedInput: null, output: 1e-6 }]))
    fs.writeFileSync(table, JSON.stringify({ source: "test", retrieved: "2026-01-01", models }))
    const own = await jsonInProcess(corpus.home, "--by", "model", "--pricing", table)
    // Every token at one micro-dollar: cost is the token total (output counted once, with its reasoning).
    expect(own.doc.totals.costUSD).toBeCloseTo((corpus.truth.tokens.input + corpus.truth.tokens.output) * 1e-6, 9)
    expect(own.doc.totals.unpricedModels).toEqual([])
    fs.writeFileSync(table, "{}")
    expect((await inProcess(corpus.home, "--pricing", table)).status).toBe(2)
    expect((await inProcess(corpus.home, "--pricing", path.join(corpus.home, "none.json"))).status).toBe(2)
  }, 60_000)

  it("windows: --since/--until count exactly the truth's days inside; --last and bad dates or zones", async () => {
    const days = Object.keys(corpus.truth.byDay).sort()
    const from = days[1] ?? ""
    const to = days[days.length - 2] ?? ""
    const inside = Object.entries(corpus.truth.byDay).filter(([d]) => d >= from && d <= to)
    const r = await jsonInProcess(corpus.home, "--timezone", "UTC", "--since", from, "--until", to.replace(/-/g, ""), "--by", "week")
    expect(r.doc.totals.tokens.total).toBe(inside.reduce((n, [, t]) => n + t.total, 0))
    expect(r.doc.totals.window).toEqual({ timezone: "UTC", since: from, until: to })
    expect(r.doc.rows.every((row: { week: string }) => /^\d{4}-W\d{2}$/.test(row.week))).toBe(true)
    // The corpus is in 2026: the last 3 months from today hold nothing or part of it, never more.
    const last = await jsonInProcess(corpus.home, "--timezone", "UTC", "--last", "3", "--by", "month")
    expect(last.doc.rows.length).toBeLessThanOrEqual(3)
    expect(rollout("stats", corpus.home, "--since", "2026-02-30").status).toBe(2)
    expect(rollout("stats", corpus.home, "--timezone", "Mars/Olympus").status).toBe(2)
    expect((await inProcess(corpus.home, "--last", "2", "--since", "2026-01-01")).status).toBe(2)
    // A reversed range is a mistake, not an empty report: through the bin's quick path and the full CLI alike.
    const reversed = rollout("stats", corpus.home, "--timezone", "UTC", "--since", to, "--until", from)
    expect([reversed.status, reversed.stdout]).toEqual([2, ""])
    expect(reversed.stderr).toContain("is after --until")
    expect((await inProcess(corpus.home, "--since", to, "--until", from)).status).toBe(2)
    const project = await jsonInProcess(corpus.home, "--by", "project")
    expect(project.doc.rows.reduce((n: number, row: { totalTokens: number }) => n + row.totalTokens, 0)).toBe(corpus.truth.tokens.total)
  }, 60_000)

  it("explains itself in --help", () => {
    const r = rollout("stats", "--help")
    expect(r.status).toBe(0)
    for (const flag of ["--by", "--json", "--format", "--chart", "--jobs", "--codex-home", "--since", "--until", "--last", "--timezone", "--pricing"])
      expect(r.stdout).toContain(flag)
  })
})
