/**
 * The local days of UTC quarter-hour slots (`StatsFile.slotOf`), worked out here and applied by
 * PostgreSQL, so that the server groups statistics by local day and only the answer's rows leave
 * it. For each UTC day the slots are on, `steps` says which quarter hours of it fall on which local
 * day (one step in UTC, two in Tokyo, three where a transition meets midnight); the server joins
 * each slot to its step. The zone rules are this process's own (`Intl`, as `StatsWindow.localDays`
 * the local report uses), not the server's zone database, which may be another release and which
 * names zones otherwise: that is what keeps the answer equal to the local one in every zone.
 * A slot the steps do not cover (no time, not a quarter hour, an impossible date) comes back
 * as it is and is placed by `StatsWindow.localDays` itself.
 */
import * as StatsWindow from "@rollout/reduce/StatsWindow"

const DAY_MS = 86_400_000
const QUARTER_MS = 900_000
const QUARTERS = 96

/** The slots the steps place: a quarter hour of the day, as `slotOf` writes it for a real time. */
export const REGULAR = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):(00|15|30|45)$"

/** Parallel arrays, one entry per step: UTC day, quarter hours [lo, hi) of it, local day. */
export interface Steps {
  readonly utc: Array<string>
  readonly lo: Array<number>
  readonly hi: Array<number>
  readonly day: Array<string>
}

/** Midnight UTC of a day that is a real date (no rolling over, as Date.parse does with 02-30), else undefined. */
const midnight = (day: string): number | undefined => {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(day)
  // Before 1900 zones had offsets in seconds and Intl's years may carry eras: left to StatsWindow.
  if (m === null || Number(m[1]) < 1900) return undefined
  const ms = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day ? ms : undefined
}

/** The zone's offset from UTC at an instant, in ms, as `Intl` applies it. */
const offsetIn = (tz: string): ((ms: number) => number) => {
  if (tz === "UTC") return () => 0
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric"
  })
  return (ms) => {
    const p: Record<string, number> = {}
    for (const part of f.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value)
    return Date.UTC(p["year"] ?? 0, (p["month"] ?? 1) - 1, p["day"] ?? 1, p["hour"] ?? 0, p["minute"] ?? 0, p["second"] ?? 0) - ms
  }
}

/**
 * The steps of every real day among `days` in zone `tz`. A day whose offset is the same at both
 * ends has one offset throughout (zones change it at most once in a day), so its quarter hours are
 * placed by arithmetic; a day with a transition asks `StatsWindow.dayAt` for each quarter hour.
 */
export const steps = (tz: string, days: Iterable<string>): Steps => {
  const out: Steps = { utc: [], lo: [], hi: [], day: [] }
  const offset = offsetIn(tz)
  for (const utc of days) {
    const start = midnight(utc)
    if (start === undefined) continue
    const o0 = offset(start)
    const o1 = offset(start + DAY_MS)
    const at = (q: number): string =>
      o0 === o1 ? new Date(start + q * QUARTER_MS + o0).toISOString().slice(0, 10) : StatsWindow.dayAt(start + q * QUARTER_MS, tz)
    let from = 0
    let current = at(0)
    for (let q = 1; q <= QUARTERS; q++) {
      const next = q === QUARTERS ? undefined : at(q)
      if (next === current) continue
      out.utc.push(utc)
      out.lo.push(from)
      out.hi.push(q)
      out.day.push(current)
      from = q
      if (next !== undefined) current = next
    }
  }
  return out
}

/**
 * The quarter hours at which a local day begins on some UTC day of the steps. Between two
 * consecutive cuts every day's quarter hours lie on one local day, so rows grouped by UTC day and
 * by how many cuts their quarter hour has passed can be placed after grouping.
 */
export const cuts = (s: Steps): Array<number> => [...new Set(s.lo.filter((q) => q > 0))].sort((a, b) => a - b)

/** The local day of quarter hour `q` of UTC day `utc` by the steps, or undefined when no step covers it. */
export const placer = (s: Steps): ((utc: string, q: number) => string | undefined) => {
  const byDay = new Map<string, Array<number>>()
  s.utc.forEach((u, i) => byDay.set(u, [...(byDay.get(u) ?? []), i]))
  return (utc, q) => {
    for (const i of byDay.get(utc) ?? []) if ((s.lo[i] ?? 0) <= q && q < (s.hi[i] ?? 0)) return s.day[i]
    return undefined
  }
}

/** Where each slot goes: the steps, the slots they leave out with their local days, and the window's test of a local day. */
export interface Placement {
  readonly steps: Steps
  readonly raw: ReadonlyMap<string, string>
  readonly keep: (day: string) => boolean
}

/** The quarter hour (0 to 95) of a regular slot, else null: SQL over the column `slot` (stored as `quarter` by schema version 3). */
export const quarter = (slot: string) => `CASE WHEN ${slot} ~ '${REGULAR}' THEN substr(${slot}, 12, 2)::int * 4 + substr(${slot}, 15, 2)::int / 15 END`

/**
 * SQL joins putting the slot of the rows `alias` (of `stat_rollup` or `stat_buckets`) on its local day, and the expressions they add: `day`
 * and `keep` (in the window), both null for a slot neither the steps nor `raw` place. Whether a
 * day is in the window is decided here, by the local report's own comparison of day strings.
 */
export const join = (p: Placement, alias: string, param: (value: unknown) => string) => {
  const s = p.steps
  const raw = [...p.raw]
  const slot = `${alias}.slot`
  const q = `${alias}.quarter`
  return {
    sql: `LEFT JOIN unnest(${param(s.utc)}::text[], ${param(s.lo)}::int[], ${param(s.hi)}::int[], ${param(s.day)}::text[], ${param(s.day.map(p.keep))}::boolean[])
        AS z(utc, lo, hi, day, keep) ON z.utc = left(${slot}, 10) AND z.lo <= ${q} AND ${q} < z.hi
      LEFT JOIN unnest(${param(raw.map(([k]) => k))}::text[], ${param(raw.map(([, d]) => d))}::text[], ${param(raw.map(([, d]) => p.keep(d)))}::boolean[])
        AS zr(slot, day, keep) ON zr.slot = ${slot}`,
    day: "coalesce(z.day, zr.day)",
    keep: "coalesce(z.keep, zr.keep)"
  }
}
