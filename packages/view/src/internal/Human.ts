/**
 * Times, durations and counts the way a person reads them: "Mon 7 Dec 2026, 02:26 UTC" in the
 * zone given (the machine's when none), "6 min 43 s" rather than "403.3 s", "59.5k" tokens.
 * Pure formatting; the zone is an argument so tests and reports can fix it.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (zone: string | undefined): Intl.DateTimeFormat => {
  const key = zone ?? ""
  let f = formatters.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
      timeZoneName: "short",
      ...(zone === undefined ? {} : { timeZone: zone })
    })
    formatters.set(key, f)
  }
  return f
}

/** A moment given in seconds since the epoch; "" when unknown. */
export const time = (seconds: number | null | undefined, zone?: string): string =>
  seconds === null || seconds === undefined || !Number.isFinite(seconds) ? "" : formatter(zone).format(new Date(seconds * 1000))

/** The same moment as ISO text, for a `datetime` attribute or a tooltip. */
export const iso = (seconds: number | null | undefined): string =>
  seconds === null || seconds === undefined || !Number.isFinite(seconds) ? "" : new Date(seconds * 1000).toISOString()

/** "0.4 s", "12 s", "6 min 43 s", "2 h 5 min"; "" when unknown. */
export const duration = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return ""
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toString()} s`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`
  const h = Math.floor(m / 60)
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`
}

/** "950", "9.5k", "59.5k", "1.2M". */
export const count = (n: number): string => {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(Math.round(n / 100) / 10).toString()}k`
  return `${(Math.round(n / 100_000) / 10).toString()}M`
}

/** "1 turn", "2 turns". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`
