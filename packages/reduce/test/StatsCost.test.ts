// Cost, zones and windows of `StatsReport.merge` on a small thread whose figures are worked out by
// hand from the built-in table (LiteLLM prices per token):
//   gpt-5 standard: 600 uncached × 1.25e-6 + 400 cached × 1.25e-7 + 200 out × 1e-5 = 0.0028
//   gpt-5 priority (service_tier fast): 1000 × 2.5e-6 + 1000 × 2.5e-7 + 300 × 2e-5 = 0.00875
//   mystery-model: not in the table, so no price and listed.
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsBuilder from "@rollout/reduce/StatsBuilder"
import * as StatsReport from "@rollout/reduce/StatsReport"

const decode = (json: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(json)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(d)}`)
  return d.line
}
const usage = (input: number, cached: number, output: number, reasoning: number) => ({
  input_tokens: input,
  cached_input_tokens: cached,
  output_tokens: output,
  reasoning_output_tokens: reasoning,
  total_tokens: input + output
})
const count = (timestamp: string, total: ReturnType<typeof usage>) =>
  decode({
    timestamp,
    type: "event_msg",
    payload: { type: "token_count", info: { total_token_usage: total, last_token_usage: total, model_context_window: null }, rate_limits: null }
  })
const context = (timestamp: string, model: string) =>
  decode({
    timestamp,
    type: "turn_context",
    payload: { cwd: "/work/a", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model, summary: "auto" }
  })
const settings = (timestamp: string, tier: string) =>
  decode({
    timestamp,
    type: "event_msg",
    payload: {
      type: "thread_settings_applied",
      thread_settings: {
        model: "gpt-5",
        model_provider_id: "openai",
        service_tier: tier,
        approval_policy: "never",
        approvals_reviewer: "user",
        permission_profile: null,
        cwd: "/work/a",
        collaboration_mode: null
      }
    }
  })

const lines = [
  decode({
    timestamp: "2026-07-14T23:00:00.000Z",
    type: "session_meta",
    payload: {
      id: "t1",
      timestamp: "2026-07-14T23:00:00.000Z",
      cwd: "/work/a",
      originator: "o",
      cli_version: "1",
      source: "cli",
      model_provider: null,
      base_instructions: null
    }
  }),
  context("2026-07-14T23:10:00.000Z", "gpt-5"),
  count("2026-07-14T23:30:00.000Z", usage(1000, 400, 200, 50)),
  settings("2026-07-14T23:40:00.000Z", "fast"),
  count("2026-07-14T23:50:00.000Z", usage(3000, 1400, 500, 100)),
  context("2026-07-15T00:10:00.000Z", "mystery-model"),
  count("2026-07-15T00:20:00.000Z", usage(3100, 1400, 520, 100))
]
const file = StatsBuilder.fold("/h/t1.jsonl", lines)
const merge = (by: StatsReport.By, o: StatsReport.Options = {}) => StatsReport.merge([file], by, o)
const GPT5 = 0.0028 + 0.00875

describe("StatsReport cost and windows", () => {
  it("prices each model at its tier, leaves an unknown model's cost null and lists it", () => {
    const r = merge("model", { timezone: "UTC" })
    expect(r.rows.map((row) => [row["model"], row["costUSD"]])).toEqual([
      ["gpt-5", expect.closeTo(GPT5, 12)],
      ["mystery-model", null]
    ])
    expect(r.totals.costUSD).toBeNull()
    expect(r.totals.knownCostUSD).toBeCloseTo(GPT5, 12)
    expect(r.totals.unpricedModels).toEqual([{ model: "mystery-model", tier: "priority", totalTokens: 120 }])
    expect(r.totals.models).toEqual(["gpt-5", "mystery-model"])
  })

  it("puts a 23:30 UTC turn on the next day in Tokyo, and filters by inclusive local days", () => {
    const utc = merge("day", { timezone: "UTC" })
    expect(utc.rows.map((row) => [row["day"], row["totalTokens"], row["models"]])).toEqual([
      ["2026-07-14", 3500, ["gpt-5"]],
      ["2026-07-15", 120, ["mystery-model"]]
    ])
    const tokyo = merge("day", { timezone: "Asia/Tokyo" })
    expect(tokyo.rows.map((row) => [row["day"], row["totalTokens"], row["costUSD"]])).toEqual([["2026-07-15", 3620, null]])
    const since = merge("day", { timezone: "UTC", since: "2026-07-15" })
    expect(since.rows.map((row) => row["day"])).toEqual(["2026-07-15"])
    expect(since.totals.tokens.total).toBe(120)
    const until = merge("day", { timezone: "UTC", until: "2026-07-14" })
    expect(until.totals.costUSD).toBeCloseTo(GPT5, 12)
    expect(merge("day", { timezone: "UTC", since: "2026-08-01" }).totals).toMatchObject({ threads: 0, costUSD: 0 })
  })

  it("groups by ISO week and by project, and prices with a table of one's own", () => {
    expect(merge("week", { timezone: "UTC" }).rows.map((row) => row["week"])).toEqual(["2026-W29"])
    expect(merge("project").rows.map((row) => [row["project"], row["totalTokens"]])).toEqual([["/work/a", 3620]])
    const own = {
      source: "mine",
      retrieved: "2026-01-01",
      models: { "mystery-model": { input: 1e-6, cachedInput: null, output: 2e-6, tiers: { priority: { input: 2e-6, cachedInput: null, output: 4e-6 } } } }
    }
    const r = merge("model", { pricing: own })
    expect(r.rows.map((row) => [row["model"], row["costUSD"]])).toEqual([
      ["gpt-5", null],
      ["mystery-model", expect.closeTo(100 * 2e-6 + 20 * 4e-6, 12)]
    ])
    expect(r.totals.pricing).toEqual({ source: "mine", retrieved: "2026-01-01" })
  })

  it("session rows carry the thread's project, cost and models", () => {
    const row = merge("session", { timezone: "UTC" }).rows[0]
    expect(row).toMatchObject({ session: "t1", project: "/work/a", totalTokens: 3620, costUSD: null, models: ["gpt-5", "mystery-model"] })
  })
})

describe("StatsBuilder service tiers", () => {
  it("given a turn_context that records service_tier flex, then its tokens are priced at the flex prices", () => {
    const flex = decode({
      timestamp: "2026-07-14T10:00:00.000Z",
      type: "turn_context",
      payload: { cwd: "/w", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model: "gpt-5", summary: "auto", service_tier: "flex" }
    })
    const f = StatsBuilder.fold("/h/t2.jsonl", [flex, count("2026-07-14T10:05:00.000Z", usage(1000, 400, 200, 0))])
    // 600 × 6.25e-7 + 400 × 6.25e-8 + 200 × 5e-6
    expect(StatsReport.merge([f], "model").totals.costUSD).toBeCloseTo(0.000375 + 0.000025 + 0.001, 12)
  })
})
