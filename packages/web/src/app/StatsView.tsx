/**
 * The stats dashboard: tokens per day (cached input, uncached input, output) and cost per day by
 * model as charts, then tokens and cost by model and by project as bar tables; the same figures
 * as `rollout stats` (built-in prices; unpriced models show no cost rather than a guess).
 */
import { useEffect, useMemo, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import { Chart, type Series } from "./Chart.js"
import * as Fetch from "./Fetch.js"
import * as Format from "./Format.js"
import * as Live from "./Live.js"

const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]

const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000

const ZERO: Api.Tokens = { input: 0, cachedInput: 0, output: 0, reasoningOutput: 0, total: 0 }

/** Every day from the first to the last, days without use as zeros, so the time axis is true. */
const everyDay = (days: ReadonlyArray<Api.StatsDay>): ReadonlyArray<Api.StatsDay> => {
  const first = days[0]
  const last = days[days.length - 1]
  if (first === undefined || last === undefined) return days
  const from = daySeconds(first.day)
  const to = daySeconds(last.day)
  if (Number.isNaN(from) || Number.isNaN(to) || to - from > 3660 * 86_400) return days
  const byDay = new Map(days.map((d) => [d.day, d]))
  const out: Array<Api.StatsDay> = []
  for (let t = from; t <= to; t += 86_400) {
    const day = new Date(t * 1000).toISOString().slice(0, 10)
    out.push(byDay.get(day) ?? { day, tokens: ZERO, costUSD: 0, models: [] })
  }
  return out
}

const Groups = ({ title, rows, name }: { title: string; rows: ReadonlyArray<Api.StatsGroup>; name: (k: string) => string }) => {
  const largest = Math.max(1, ...rows.map((r) => r.total))
  return (
    <section class="panel">
      <h2>{title}</h2>
      <table class="groups">
        <thead>
          <tr>
            <th>{title.replace(/^By /, "")}</th>
            <th class="num">Turns</th>
            <th class="num">Tokens</th>
            <th class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} class="nav-item">
              <td title={r.key}>
                <span class="label">{name(r.key)}</span>
                <span class="hbar" style={{ width: `${(r.total / largest) * 100}%` }} />
              </td>
              <td class="num">{r.turns ?? "—"}</td>
              <td class="num">{Format.count(r.total)}</td>
              <td class="num">{Format.usd(r.costUSD)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export const StatsView = ({ theme }: { theme: string }) => {
  const [stats, setStats] = useState<Api.StatsAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => Fetch.json<Api.StatsAnswer>("/api/stats").then(setStats, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  useEffect(() => void load(), [])
  Live.useLive(() => void load())

  const charts = useMemo(() => {
    if (stats === null) return null
    const all = everyDay(stats.days)
    const days = all.map((d) => daySeconds(d.day))
    const tokens: Array<Series> = [
      { label: "cached input", color: "#8fb8e8", values: all.map((d) => d.tokens.cachedInput) },
      { label: "uncached input", color: "#2f6fd0", values: all.map((d) => Math.max(0, d.tokens.input - d.tokens.cachedInput)) },
      { label: "output", color: "#bf3989", values: all.map((d) => d.tokens.output) }
    ]
    // An unpriced model has no cost to draw: a flat line at $0 would say it cost nothing.
    const models = stats.models.map((m) => m.key).filter((m) => all.some((d) => typeof d.models.find((x) => x.model === m)?.costUSD === "number"))
    const cost: Array<Series> = models.map((m, k) => ({
      label: m,
      color: PALETTE[k % PALETTE.length] as string,
      values: all.map((d) => d.models.find((x) => x.model === m)?.costUSD ?? 0)
    }))
    return { days, tokens, cost }
  }, [stats])

  if (stats === null || charts === null)
    return <section class="view stats">{error === null ? <p class="more">Loading…</p> : <p class="error">Error: {error}</p>}</section>
  const t = stats.totals
  return (
    <section class="view stats">
      <h1>Stats</h1>
      <dl class="totals">
        <div>
          <dt>Threads</dt>
          <dd>{t.threads}</dd>
        </div>
        <div>
          <dt>Turns</dt>
          <dd>{t.turns}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>{Format.count(t.tokens.total)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{Format.usd(t.costUSD)}</dd>
        </div>
      </dl>
      {stats.days.length === 0 ? (
        <p class="empty">No token use recorded.</p>
      ) : (
        <div class="charts">
          <Chart title="Tokens per day" days={charts.days} series={charts.tokens} format={Format.count} theme={theme} />
          {charts.cost.length > 0 ? (
            <Chart title="Cost per day by model" days={charts.days} series={charts.cost} format={(v) => Format.usd(v)} theme={theme} />
          ) : (
            <p class="empty">No cost per day: no price is known for these models (docs/pricing.md).</p>
          )}
        </div>
      )}
      <div class="groups-grid">
        <Groups title="By model" rows={stats.models} name={(k) => k} />
        <Groups title="By project" rows={stats.projects} name={Format.folder} />
      </div>
    </section>
  )
}
