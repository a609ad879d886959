/**
 * The stats dashboard's figures: `rollout stats` over the whole home (`StatsQuery`, its worker
 * lanes and fork-copy rules, built-in prices, UTC days), grouped by project, with the per-day
 * series by model the chart draws. Kept until the index says a thread changed, since reading every
 * rollout is the slowest thing the server does.
 */
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as StatsQuery from "@rollout/query/StatsQuery"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import type * as Store from "@rollout/store/Store"
import type * as Api from "@rollout/web/Api"

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

/** The index's state in one string: it moves whenever a thread appears, grows or goes. */
const indexVersion = (store: Store.Store): string => JSON.stringify(store.database.prepare("SELECT count(*) AS n, max(updated_at_ms) AS u FROM threads").get())

export const make = (home: string, store: Store.Store) => {
  let kept: { readonly version: string; readonly answer: Promise<Api.StatsAnswer> } | undefined
  return (): Promise<Api.StatsAnswer> => {
    const version = indexVersion(store)
    if (kept?.version === version) return kept.answer
    const report = StatsQuery.report({ paths: [home], by: "project", codexHome: home, jobs: "auto" }).pipe(Effect.provide(Files.layerNode))
    const next = Effect.runPromise(report).then((a) => answer(a.report))
    kept = { version, answer: next }
    next.catch(() => (kept = undefined))
    return next
  }
}
