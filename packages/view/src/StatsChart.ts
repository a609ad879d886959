/**
 * `rollout stats --chart FILE.svg`: one self-contained SVG of three panels. Tokens per day (stacked:
 * uncached input, cached input, output) and cost per day (stacked by model), one bar per local day
 * with days without activity drawn as gaps so the time axis is true; then tokens and cost per
 * model as horizontal bars. It renders from the report's per-day series only; it does no I/O (the
 * command writes it).
 */
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsRender from "./StatsRender.js"

const DAY = 86_400_000
const W = 960
const PANEL_H = 340
const M = { top: 48, right: 24, bottom: 56, left: 72 }
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

interface Series {
  readonly label: string
  readonly color: string
}

/** One bar: its day and a value per series. */
interface Column {
  readonly day: string
  readonly values: ReadonlyArray<number>
}

/** Every day from the first to the last, the days without activity empty. */
const dayKeys = (days: ReadonlyArray<StatsReport.Day>): Array<string> => {
  const first = days[0]
  const last = days[days.length - 1]
  if (first === undefined || last === undefined) return []
  const start = Date.parse(`${first.day}T00:00:00Z`)
  const end = Date.parse(`${last.day}T00:00:00Z`)
  // Unparseable day keys (no timestamp) fall back to the known days only.
  if (Number.isNaN(start) || Number.isNaN(end)) return days.map((d) => d.day)
  return Array.from({ length: Math.round((end - start) / DAY) + 1 }, (_, i) => new Date(start + i * DAY).toISOString().slice(0, 10))
}

/** A round axis step (1, 2 or 5 times a power of ten). */
const niceStep = (max: number): number => {
  if (max <= 0) return 1
  const raw = max / 5
  const p = 10 ** Math.floor(Math.log10(raw))
  const m = raw / p
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p
}

const axisUsd = (v: number): string =>
  v >= 1000 ? `$${StatsRender.short(v)}` : v >= 1 || v === 0 ? `$${Number(v.toFixed(2))}` : `$${Number(v.toPrecision(2))}`

const legend = (parts: Array<string>, series: ReadonlyArray<Series>, y: number) => {
  let x = M.left
  for (const s of series) {
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${s.color}"/><text x="${x + 18}" y="${y}">${esc(s.label)}</text>`)
    x += 30 + Math.min(220, s.label.length * 7)
  }
}

/** A panel of stacked bars over days, at vertical offset `top`. */
const stacked = (
  parts: Array<string>,
  top: number,
  title: string,
  columns: ReadonlyArray<Column>,
  series: ReadonlyArray<Series>,
  fmt: (v: number) => string
) => {
  const plotW = W - M.left - M.right
  const plotH = PANEL_H - M.top - M.bottom
  const peak = Math.max(0, ...columns.map((c) => c.values.reduce((a, b) => a + b, 0)))
  const step = niceStep(peak)
  const max = Math.max(step, Math.ceil(peak / step) * step)
  const y = (v: number) => top + M.top + plotH - (v / max) * plotH
  const slot = columns.length === 0 ? plotW : plotW / columns.length
  // A bar stays a bar when there are few days.
  const barW = Math.max(1, Math.min(64, slot * 0.8))
  parts.push(`<text x="${M.left}" y="${top + 24}" font-size="16" font-weight="600">${esc(title)}</text>`)
  for (let v = 0; v <= max + step / 2; v += step) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`)
    parts.push(`<text x="${M.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(fmt(v))}</text>`)
  }
  const labelEvery = Math.max(1, Math.ceil(columns.length / 12))
  columns.forEach((c, i) => {
    const x = M.left + i * slot + (slot - barW) / 2
    let base = 0
    c.values.forEach((v, k) => {
      const s = series[k]
      if (v > 0 && s !== undefined) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${esc(c.day)} ${esc(s.label)}: ${esc(fmt(v))}</title></rect>`
        )
      }
      base += v
    })
    if (i % labelEvery === 0)
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${top + PANEL_H - M.bottom + 16}" text-anchor="middle" fill="#555">${esc(c.day.slice(5))}</text>`)
  })
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#333"/>`)
  if (columns.length === 0) parts.push(`<text x="${W / 2}" y="${top + PANEL_H / 2}" text-anchor="middle" fill="#888">nothing counted</text>`)
  legend(parts, series, top + PANEL_H - 12)
}

interface ModelTotal {
  readonly model: string
  readonly tokens: number
  readonly costUSD: number | null
}

const modelTotals = (days: ReadonlyArray<StatsReport.Day>): Array<ModelTotal> => {
  const by = new Map<string, { tokens: number; cost: number; unpriced: boolean }>()
  for (const d of days)
    for (const m of d.models) {
      const a = by.get(m.model) ?? { tokens: 0, cost: 0, unpriced: false }
      by.set(m.model, { tokens: a.tokens + m.tokens.total, cost: a.cost + (m.costUSD ?? 0), unpriced: a.unpriced || m.costUSD === null })
    }
  return [...by]
    .map(([model, a]) => ({ model, tokens: a.tokens, costUSD: a.unpriced ? null : a.cost }))
    .sort((a, b) => b.tokens - a.tokens || (a.model < b.model ? -1 : 1))
}

const ROW_H = 26

/** Tokens (left half) and cost (right half) per model as horizontal bars, at vertical offset `top`. */
const perModel = (parts: Array<string>, top: number, models: ReadonlyArray<ModelTotal>, colorOf: (m: string) => string) => {
  parts.push(`<text x="${M.left}" y="${top + 24}" font-size="16" font-weight="600">Per model — tokens and cost</text>`)
  const labelW = 200
  const half = (W - M.left - M.right - labelW) / 2 - 16
  const maxT = Math.max(1, ...models.map((m) => m.tokens))
  const maxC = Math.max(1e-9, ...models.map((m) => m.costUSD ?? 0))
  parts.push(
    `<text x="${M.left + labelW}" y="${top + 38}" fill="#555">tokens</text><text x="${M.left + labelW + half + 32}" y="${top + 38}" fill="#555">cost (USD)</text>`
  )
  models.forEach((m, i) => {
    const y = top + 48 + i * ROW_H
    const x0 = M.left + labelW
    const tw = (m.tokens / maxT) * (half - 70)
    parts.push(`<text x="${x0 - 8}" y="${y + 14}" text-anchor="end">${esc(m.model)}</text>`)
    parts.push(`<rect x="${x0}" y="${y}" width="${tw.toFixed(1)}" height="18" fill="${colorOf(m.model)}"/>`)
    parts.push(`<text x="${(x0 + tw + 6).toFixed(1)}" y="${y + 14}" fill="#333">${esc(StatsRender.short(m.tokens))}</text>`)
    const c0 = x0 + half + 32
    if (m.costUSD === null) parts.push(`<text x="${c0}" y="${y + 14}" fill="#888">no price</text>`)
    else {
      const cw = (m.costUSD / maxC) * (half - 70)
      parts.push(`<rect x="${c0}" y="${y}" width="${cw.toFixed(1)}" height="18" fill="${colorOf(m.model)}" opacity="0.7"/>`)
      parts.push(`<text x="${(c0 + cw + 6).toFixed(1)}" y="${y + 14}" fill="#333">${esc(StatsRender.usd(m.costUSD))}</text>`)
    }
  })
  if (models.length === 0) parts.push(`<text x="${W / 2}" y="${top + 60}" text-anchor="middle" fill="#888">nothing counted</text>`)
}

export const svg = (report: StatsReport.Report): string => {
  const keys = dayKeys(report.days)
  const known = new Map(report.days.map((d) => [d.day, d]))
  const models = modelTotals(report.days)
  const colors = new Map(models.map((m, i) => [m.model, PALETTE[i % PALETTE.length] ?? "#888"]))
  const colorOf = (m: string) => colors.get(m) ?? "#888"
  const t = report.totals
  const zone = t.window.timezone
  const tokenSeries: Array<Series> = [
    { label: "input (uncached)", color: "#4e79a7" },
    { label: "cached input", color: "#a0cbe8" },
    { label: "output", color: "#f28e2b" }
  ]
  const tokenColumns = keys.map((day): Column => {
    const k = known.get(day)?.tokens
    return { day, values: k === undefined ? [0, 0, 0] : [Math.max(0, k.input - k.cachedInput), k.cachedInput, k.output] }
  })
  const costColumns = keys.map((day): Column => {
    const d = known.get(day)
    return { day, values: models.map((m) => d?.models.find((x) => x.model === m.model)?.costUSD ?? 0) }
  })
  const modelH = 64 + Math.max(1, models.length) * ROW_H
  const H = 2 * PANEL_H + modelH + 24
  const parts: Array<string> = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`)
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  const first = keys[0] ?? ""
  const last = keys[keys.length - 1] ?? ""
  const span = first === last ? first : `${first} to ${last}`
  stacked(
    parts,
    0,
    `Tokens per day — ${StatsRender.short(t.tokens.total)} total, ${t.threads} threads (${span}, ${zone})`,
    tokenColumns,
    tokenSeries,
    StatsRender.short
  )
  const unpriced = t.unpricedModels.length > 0 ? ` (${t.unpricedModels.length} model${t.unpricedModels.length === 1 ? "" : "s"} without a price left out)` : ""
  stacked(
    parts,
    PANEL_H,
    `Cost per day — ${StatsRender.usd(t.knownCostUSD)} total${unpriced}`,
    costColumns,
    models.map((m) => ({ label: m.model, color: colorOf(m.model) })),
    axisUsd
  )
  perModel(parts, 2 * PANEL_H, models, colorOf)
  parts.push(
    `<text x="${W - M.right}" y="${H - 8}" text-anchor="end" fill="#888">prices: ${esc(t.pricing.source.replace(/^https?:\/\//, ""))} (${esc(t.pricing.retrieved)})</text>`
  )
  parts.push("</svg>")
  return `${parts.join("\n")}\n`
}
