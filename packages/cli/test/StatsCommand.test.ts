import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"
import * as Files from "@rollout/log/Files"

const home = path.resolve("/home/test/.codex")
const ID = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const T0 = Date.UTC(2026, 6, 14, 12)
const file = path.join(home, "sessions/2026/07/14", StatsCorpus.fileName(ID, T0))

const sample = () => {
  const w = new StatsCorpus.Writer(ID, T0)
  const lines = [StatsCorpus.sessionMeta(ID, T0)]
  lines.push(
    ...w.turn({
      model: "gpt-a",
      calls: [{ input: 100, cached: 40, output: 10, reasoning: 2 }],
      tools: [{ name: "exec_command", failed: true, ms: 1500 }],
      end: { kind: "completed" },
      reemit: true,
      durationMs: 900
    })
  )
  w.ms += 86_400_000
  lines.push(
    ...w.turn({
      model: "gpt-b",
      calls: [{ input: 200, cached: 0, output: 20, reasoning: 0 }],
      tools: [],
      end: { kind: "failed", info: "session_budget_exceeded" },
      reemit: false,
      durationMs: 100
    })
  )
  return `${lines.join("\n")}\n`
}

const run = async (argv: ReadonlyArray<string>, files: Record<string, string> = { [file]: sample() }) => {
  const output = Output.buffer()
  const code = await main(argv, output, Files.memory(files))
  return { code, out: output.out(), err: output.err() }
}

describe("rollout stats", () => {
  it("given a rollout, when asked for --json by day, then prints the contract shape with exact figures", async () => {
    const r = await run(["stats", file, "--json", "--timezone", "UTC"])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out)
    expect(Object.keys(doc)).toEqual(["rows", "totals", "diagnostics"])
    expect(doc.rows).toEqual([
      {
        day: "2026-07-14",
        inputTokens: 100,
        cachedInputTokens: 40,
        outputTokens: 10,
        reasoningOutputTokens: 2,
        totalTokens: 110,
        turns: 1,
        toolCalls: 1,
        errors: 0,
        costUSD: null,
        models: ["gpt-a"]
      },
      {
        day: "2026-07-15",
        inputTokens: 200,
        cachedInputTokens: 0,
        outputTokens: 20,
        reasoningOutputTokens: 0,
        totalTokens: 220,
        turns: 1,
        toolCalls: 0,
        errors: 1,
        costUSD: null,
        models: ["gpt-b"]
      }
    ])
    expect(doc.totals.unpricedModels).toEqual([
      { model: "gpt-a", tier: null, totalTokens: 110 },
      { model: "gpt-b", tier: null, totalTokens: 220 }
    ])
    expect(doc.totals.tokens).toEqual({ input: 300, cachedInput: 40, output: 30, reasoningOutput: 2, total: 330 })
    expect(doc.totals.tools).toEqual([{ tool: "exec_command", calls: 1, failures: 1, timedCalls: 1, durationMs: 1500, maxMs: 1500, avgMs: 1500 }])
    expect(doc.totals.errors).toEqual([{ codexErrorInfo: "session_budget_exceeded", count: 1 }])
    expect(doc.totals.turns).toMatchObject({ started: 2, completed: 1, failed: 1, durationMs: 1000 })
    expect(doc.diagnostics).toEqual([])
  })

  it("given --by model, month and session, then rows are keyed accordingly", async () => {
    const byModel = JSON.parse((await run(["stats", file, "--by", "model", "--json"])).out)
    expect(byModel.rows.map((r: Record<string, unknown>) => [r["model"], r["totalTokens"]])).toEqual([
      ["gpt-a", 110],
      ["gpt-b", 220]
    ])
    const byMonth = JSON.parse((await run(["stats", file, "--by", "month", "--json"])).out)
    expect(byMonth.rows.map((r: Record<string, unknown>) => r["month"])).toEqual(["2026-07"])
    const bySession = JSON.parse((await run(["stats", file, "--by", "session", "--json"])).out)
    expect(bySession.rows).toMatchObject([{ session: ID, source: "cli", forkedFromId: null, totalTokens: 330, turns: 2 }])
  })

  it("given models of the built-in price table, then costs are the hand-computed figures", async () => {
    const w = new StatsCorpus.Writer(ID, T0)
    const spec = { tools: [], end: { kind: "completed" } as const, reemit: false, durationMs: 1 }
    const lines = [
      StatsCorpus.sessionMeta(ID, T0),
      ...w.turn({ ...spec, model: "gpt-5.2-codex", calls: [{ input: 100, cached: 40, output: 10, reasoning: 4 }] }),
      ...w.turn({ ...spec, model: "gpt-5.1-codex-mini", calls: [{ input: 200, cached: 0, output: 20, reasoning: 0 }] })
    ]
    const r = await run(["stats", file, "--by", "model", "--json", "--timezone", "UTC"], { [file]: `${lines.join("\n")}\n` })
    const doc = JSON.parse(r.out)
    // gpt-5.2-codex: 60 × 1.75e-6 + 40 × 1.75e-7 + 10 × 1.4e-5 = 0.000252
    // gpt-5.1-codex-mini: 200 × 2.5e-7 + 20 × 2e-6 = 0.00009
    expect(doc.rows.map((row: { model: string; costUSD: number }) => [row.model, row.costUSD])).toEqual([
      ["gpt-5.1-codex-mini", expect.closeTo(0.00009, 12)],
      ["gpt-5.2-codex", expect.closeTo(0.000252, 12)]
    ])
    expect(doc.totals.costUSD).toBeCloseTo(0.000342, 12)
    expect(doc.totals.unpricedModels).toEqual([])
    const table = await run(["stats", file, "--timezone", "UTC"], { [file]: `${lines.join("\n")}\n` })
    expect(table.out).toMatch(/ cost /)
    expect(table.out).toContain("<$0.01")
  })

  it("given --format csv, then prints a header and one line per row with exact integers", async () => {
    const r = await run(["stats", file, "--format", "csv", "--timezone", "UTC"])
    expect(r.out.split("\n")).toEqual([
      "day,inputTokens,cachedInputTokens,outputTokens,reasoningOutputTokens,totalTokens,turns,toolCalls,errors,costUSD,models",
      "2026-07-14,100,40,10,2,110,1,1,0,,gpt-a",
      "2026-07-15,200,0,20,0,220,1,0,1,,gpt-b",
      ""
    ])
  })

  it("given no flags, then prints tables people can read", async () => {
    const r = await run(["stats", file])
    expect(r.code).toBe(0)
    expect(r.out).toContain("Tokens by day")
    expect(r.out).toMatch(/exec_command\s+1\s+1\s+1\.5s/)
    expect(r.out).toContain("session_budget_exceeded")
  })

  it("given --chart, then writes an SVG of tokens per day", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-stats-"))
    const svg = path.join(dir, "tokens.svg")
    try {
      const r = await run(["stats", file, "--chart", svg, "--json"])
      expect(r.code).toBe(0)
      const text = fs.readFileSync(svg, "utf8")
      expect(text.startsWith("<svg")).toBe(true)
      expect(text).toContain("2026-07-14 output: 10")
      expect(text).toContain("2026-07-15 input (uncached): 200")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("given a path that does not exist next to a good one, then reports it in diagnostics and exits 2", async () => {
    const r = await run(["stats", file, "/nope/missing.jsonl", "--json"])
    expect(r.code).toBe(2)
    const doc = JSON.parse(r.out)
    expect(doc.totals.tokens.total).toBe(330)
    expect(doc.diagnostics).toEqual([{ path: "/nope/missing.jsonl", line: 0, kind: "read_error", message: expect.stringContaining("no such file") }])
    expect(r.err).toContain("missing.jsonl")
  })

  it("given bad lines inside a file, then lists them as diagnostics, counts the rest and exits 0", async () => {
    // A task_started whose turn_id is a number breaks the schema: reported, and that turn not counted.
    const text = sample().replace('"type":"task_started","turn_id":"', '"type":"task_started","turn_id":5,"was":"').split("\n")
    text.splice(3, 0, "not json")
    const r = await run(["stats", file, "--json"], { [file]: `${text.join("\n")}{"torn` })
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out)
    expect(doc.diagnostics.map((d: { line: number; kind: string }) => [d.line, d.kind])).toEqual([
      [2, "invalid_line"],
      [4, "invalid_json"],
      [text.length, "truncated_line"]
    ])
    expect(doc.totals.tokens.total).toBe(330)
    expect(doc.totals.turns.started).toBe(1)
  })
})
