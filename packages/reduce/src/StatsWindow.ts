/**
 * The calendar `rollout stats` reports in: the local day of a UTC time slot in an IANA time zone
 * (through `Intl`, no zone database of our own), ISO weeks, months, inclusive `--since`/`--until`
 * dates and the first day of the last N periods. Pure: "now" and the zone are passed in. It does
 * not fold anything; `StatsReport` asks it which period a bucket falls in.
 */

const DAY_MS = 86_400_000
const SLOT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

/** A zone name `Intl` knows (`UTC`, `Europe/Paris`, ...). */
export const isZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz })
    return true
  } catch {
    return false
  }
}

const formats = new Map<string, Intl.DateTimeFormat>()
const format = (tz: string): Intl.DateTimeFormat => {
  let f = formats.get(tz)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    formats.set(tz, f)
  }
  return f
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export const dayAt = (ms: number, tz: string): string => {
  if (tz === "UTC") return new Date(ms).toISOString().slice(0, 10)
  const parts = format(tz).formatToParts(new Date(ms))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00"
  return `${get("year")}-${get("month")}-${get("day")}`
}

/**
 * A day-keyed function of UTC slots (`YYYY-MM-DDTHH:MM`, see `StatsFile.slotOf`), memoised: a
 * home has few distinct slots and many buckets. A slot that is no time (a line without a
 * timestamp) is its own day.
 */
export const localDays = (tz: string): ((slot: string) => string) => {
  const memo = new Map<string, string>()
  return (slot) => {
    let d = memo.get(slot)
    if (d === undefined) {
      // Only a slot as `slotOf` writes it is a time: engines parse other strings leniently.
      const ms = SLOT.test(slot) ? Date.parse(`${slot}:00Z`) : Number.NaN
      d = Number.isNaN(ms) ? slot.slice(0, 10) : dayAt(ms, tz)
      memo.set(slot, d)
    }
    return d
  }
}

const msOf = (day: string): number => Date.parse(`${day}T00:00:00Z`)
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** The ISO 8601 week of a date: `2026-W01` (weeks start on Monday; week 1 holds the year's first Thursday). */
export const isoWeek = (day: string): string => {
  const ms = msOf(day)
  if (Number.isNaN(ms)) return day
  const weekday = (new Date(ms).getUTCDay() + 6) % 7
  const thursday = new Date(ms + (3 - weekday) * DAY_MS)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1
  return `${year}-W${String(week).padStart(2, "0")}`
}

/** `--since`/`--until`: YYYY-MM-DD or YYYYMMDD (as ccusage), a real date, or null. */
export const parseDate = (s: string): string | null => {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s)
  if (m === null) return null
  const day = `${m[1]}-${m[2]}-${m[3]}`
  const ms = msOf(day)
  return !Number.isNaN(ms) && dayOf(ms) === day ? day : null
}

export type Period = "day" | "week" | "month"

/** The first day of year 1: `--last` reaching further back (or past what a date can hold) counts from there. */
const FIRST_MS = msOf("0001-01-01")
const floored = (ms: number): string => dayOf(Number.isFinite(ms) && ms > FIRST_MS ? ms : FIRST_MS)

/** The first day of the period `n - 1` periods before the one holding `today` (n ≥ 1), year 1 at the earliest. */
export const lastSince = (today: string, period: Period, n: number): string => {
  const ms = msOf(today)
  switch (period) {
    case "day":
      return floored(ms - (n - 1) * DAY_MS)
    case "week": {
      const weekday = (new Date(ms).getUTCDay() + 6) % 7
      return floored(ms - (weekday + 7 * (n - 1)) * DAY_MS)
    }
    case "month": {
      const d = new Date(ms)
      return floored(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (n - 1), 1))
    }
    default: {
      const never: never = period
      return never
    }
  }
}

/** The period (day, ISO week or month) of a local day. */
export const periodOf = (day: string, period: Period): string => (period === "day" ? day : period === "month" ? day.slice(0, 7) : isoWeek(day))
