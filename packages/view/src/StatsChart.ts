/**
 * `rollout stats --chart FILE.svg`: tokens over time as a self-contained SVG, one stacked bar per
 * day (uncached input, cached input, output), days without activity drawn as gaps so the time axis
 * is true. It renders from the report's per-day series only; it does no I/O (the command writes it).
 */
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsRender from "./StatsRender.js"

const DAY = 86_400_000
const W = 960
const H = 420
const M = { top: 48, right: 24, bottom: 64, left: 72 }

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** Every day from the first to the last, with zero tokens where nothing happened. */
const filled = (days: StatsReport.Report["days"]): Array<{ day: string; uncached: number; cached: number; output: number }> => {
  const first = days[0]
  const last = days[days.length - 1]
  if (first === undefined || last === undefined) return []
  const known = new Map(days.map((d) => [d.day, d.tokens]))
  const out: Array<{ day: string; uncached: number; cached: number; output: number }> = []
  const start = Date.parse(`${first.day}T00:00:00Z`)
  const end = Date.parse(`${last.day}T00:00:00Z`)
  // Unparseable day keys (no timestamp) fall back to the known days only.
  const keys =
    Number.isNaN(start) || Number.isNaN(end)
      ? days.map((d) => d.day)
      : Array.from({ length: Math.round((end - start) / DAY) + 1 }, (_, i) => new Date(start + i * DAY).toISOString().slice(0, 10))
  for (const day of keys) {
    const t = known.get(day)
    out.push({ day, uncached: t === undefined ? 0 : Math.max(0, t.input - t.cachedInput), cached: t?.cachedInput ?? 0, output: t?.output ?? 0 })
  }
  return out
}

/** A round axis maximum and step (1, 2 or 5 times a power of ten). */
const niceStep = (max: number): number => {
  if (max <= 0) return 1
  const raw = max / 5
  const p = 10 ** Math.floor(Math.log10(raw))
  const m = raw / p
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p
}

const SERIES = [
  { key: "uncached", label: "input (uncached)", color: "#4e79a7" },
  { key: "cached", label: "cached input", color: "#a0cbe8" },
  { key: "output", label: "output", color: "#f28e2b" }
] as const

export const svg = (report: StatsReport.Report): string => {
  const data = filled(report.days)
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const peak = Math.max(0, ...data.map((d) => d.uncached + d.cached + d.output))
  const step = niceStep(peak)
  const top = Math.max(step, Math.ceil(peak / step) * step)
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const slot = data.length === 0 ? plotW : plotW / data.length
  const barW = Math.max(1, slot * 0.8)
  const parts: Array<string> = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`)
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  const total = report.totals.tokens.total
  parts.push(
    `<text x="${M.left}" y="24" font-size="16" font-weight="600">Tokens per day — ${esc(StatsRender.short(total))} total, ${report.totals.threads} threads</text>`
  )
  for (let v = 0; v <= top; v += step) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`)
    parts.push(`<text x="${M.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(StatsRender.short(v))}</text>`)
  }
  const labelEvery = Math.max(1, Math.ceil(data.length / 12))
  data.forEach((d, i) => {
    const x = M.left + i * slot + (slot - barW) / 2
    let base = 0
    for (const s of SERIES) {
      const v = d[s.key]
      if (v > 0) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${esc(d.day)} ${esc(s.label)}: ${v}</title></rect>`
        )
      }
      base += v
    }
    if (i % labelEvery === 0) {
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" fill="#555">${esc(d.day.slice(5))}</text>`)
    }
  })
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#333"/>`)
  const first = data[0]?.day ?? ""
  const last = data[data.length - 1]?.day ?? ""
  parts.push(`<text x="${M.left}" y="${H - M.bottom + 36}" fill="#555">${esc(first === last ? first : `${first} to ${last} (UTC days)`)}</text>`)
  SERIES.forEach((s, i) => {
    const lx = W - M.right - 420 + i * 140
    parts.push(`<rect x="${lx}" y="${H - 22}" width="12" height="12" fill="${s.color}"/><text x="${lx + 18}" y="${H - 12}">${esc(s.label)}</text>`)
  })
  if (data.length === 0) parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">no token counts</text>`)
  parts.push("</svg>")
  return `${parts.join("\n")}\n`
}
