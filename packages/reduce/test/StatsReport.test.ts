import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsBuilder from "@rollout/reduce/StatsBuilder"
import * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsReport from "@rollout/reduce/StatsReport"

const decode = (json: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(json)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(d)}`)
  return d.line
}
const ts = (day: number, i: number) => new Date(Date.UTC(2026, 6, day, 12, 0, i)).toISOString()
const meta = (id: string, day: number) =>
  decode({
    timestamp: ts(day, 0),
    type: "session_meta",
    payload: { id, timestamp: ts(day, 0), cwd: "/p", originator: "o", cli_version: "1", source: "cli", model_provider: null, base_instructions: null }
  })
const usage = (input: number, output: number) => ({
  input_tokens: input,
  cached_input_tokens: 0,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: input + output
})
const count = (day: number, i: number, total: [number, number], last: [number, number]) =>
  decode({
    timestamp: ts(day, i),
    type: "event_msg",
    payload: {
      type: "token_count",
      info: { total_token_usage: usage(...total), last_token_usage: usage(...last), model_context_window: null },
      rate_limits: null
    }
  })
const context = (day: number, model: string) =>
  decode({
    timestamp: ts(day, 1),
    type: "turn_context",
    payload: { cwd: "/p", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model, summary: "none" }
  })

/** A session on `day` whose calls add the given (input, output) pairs. */
const session = (id: string, day: number, calls: ReadonlyArray<[number, number]>, model = "m") => {
  const lines = [meta(id, day), context(day, model)]
  let total: [number, number] = [0, 0]
  calls.forEach((c, i) => {
    total = [total[0] + c[0], total[1] + c[1]]
    lines.push(count(day, i + 2, total, c))
  })
  return lines
}

describe("StatsReport", () => {
  it("given threads on two days and models, then rows group by day, month, model and session", () => {
    const files = [
      StatsBuilder.fold(
        "a",
        session(
          "a",
          14,
          [
            [100, 10],
            [50, 5]
          ],
          "m1"
        )
      ),
      StatsBuilder.fold("b", session("b", 15, [[7, 3]], "m2"))
    ]
    expect(StatsReport.merge(files, "day").rows.map((r) => [r["day"], r["totalTokens"]])).toEqual([
      ["2026-07-14", 165],
      ["2026-07-15", 10]
    ])
    expect(StatsReport.merge(files, "month").rows.map((r) => [r["month"], r["totalTokens"]])).toEqual([["2026-07", 175]])
    expect(StatsReport.merge(files, "model").rows.map((r) => [r["model"], r["inputTokens"]])).toEqual([
      ["m1", 150],
      ["m2", 7]
    ])
    const bySession = StatsReport.merge(files, "session")
    expect(bySession.rows.map((r) => [r["session"], r["totalTokens"]])).toEqual([
      ["a", 165],
      ["b", 10]
    ])
    expect(bySession.totals).toMatchObject({ files: 2, threads: 2, tokens: { total: 175 } })
    expect(bySession.days.map((d) => d.tokens.total)).toEqual([165, 10])
  })

  it("given a thread split into segments at any point, then the totals do not change", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5000), fc.nat(500)), { minLength: 1, maxLength: 12 }), fc.nat(), (calls, at) => {
        const lines = session("t", 14, calls)
        const whole = StatsReport.merge([StatsBuilder.fold("one", lines)], "day").totals
        const cut = 2 + (at % (lines.length - 1))
        // The second segment opens with the thread's session_meta again, as a new file does.
        const parts = [StatsBuilder.fold("seg1", lines.slice(0, cut)), StatsBuilder.fold("seg2", [lines[0] as RolloutLine.RolloutLine, ...lines.slice(cut)])]
        const split = StatsReport.merge(parts.reverse(), "day")
        expect(split.totals.tokens).toEqual(whole.tokens)
        expect(split.totals.threads).toBe(1)
        expect(split.rows.reduce((n, r) => n + Number(r["totalTokens"]), 0)).toBe(whole.tokens.total)
      })
    )
  })

  it("given per-file diagnostics beyond the cap, then the rest are still mentioned", () => {
    const b = new StatsBuilder.Builder("bad.jsonl")
    for (let i = 1; i <= StatsFile.DIAGNOSTICS_PER_FILE + 3; i++) b.diagnose({ path: "bad.jsonl", line: i, kind: "invalid_json", message: "x" })
    const r = StatsReport.merge([b.result()], "day")
    expect(r.diagnostics).toHaveLength(StatsFile.DIAGNOSTICS_PER_FILE + 1)
    expect(r.diagnostics.at(-1)).toMatchObject({ kind: "more_diagnostics", message: expect.stringContaining("3 more") })
  })
})
