/**
 * The stats dashboard's figures: `rollout stats` over the whole home (`StatsQuery`, its worker
 * lanes and fork-copy rules, built-in prices, UTC days), grouped by project, with the per-day
 * series by model the chart draws. Kept until the index says a thread changed, since reading every
 * rollout is the slowest thing the server does.
 */
import type * as StatsReport from "@rollout/reduce/StatsReport"
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"

const num = (v: unknown): number => (typeof v === "number" ? v : 0)
const cost = (v: unknown): number | null => (typeof v === "number" ? v : null)

const sumCost = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b)

const models = (days: ReadonlyArray<StatsReport.Day>): Array<Api.StatsGroup> => {
  const by = new Map<string, { total: number; costUSD: number | null }>()
  for (const d of days)
    for (const m of d.models) {
      const old = by.get(m.model) ?? { total: 0, costUSD: 0 }
      by.set(m.model, { total: old.total + m.tokens.total, costUSD: sumCost(old.costUSD, m.costUSD) })
    }
  return [...by].map(([key, v]) => ({ key, turns: null, ...v })).sort((a, b) => b.total - a.total)
}

export const answer = (r: StatsReport.Report): Api.StatsAnswer => ({
  days: r.days.map((d) => ({
    day: d.day,
    tokens: d.tokens,
    costUSD: d.costUSD,
    models: d.models.map((m) => ({ model: m.model, total: m.tokens.total, costUSD: m.costUSD }))
  })),
  models: models(r.days),
  projects: r.rows
    .map((row) => ({ key: String(row["project"] ?? ""), turns: num(row["turns"]), total: num(row["totalTokens"]), costUSD: cost(row["costUSD"]) }))
    .sort((a, b) => b.total - a.total),
  totals: { threads: r.totals.threads, turns: r.totals.turns.started, tokens: r.totals.tokens, costUSD: r.totals.costUSD }
})

export const make = (source: ThreadSource.ThreadSource) => {
  let kept: { readonly version: string; readonly answer: Promise<Api.StatsAnswer> } | undefined
  return async (): Promise<Api.StatsAnswer> => {
    const version = await source.statsVersion()
    if (kept?.version === version) return kept.answer
    const next = source.stats()
    kept = { version, answer: next }
    next.catch(() => (kept = undefined))
    return next
  }
}
