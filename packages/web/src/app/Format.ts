/** How the app writes numbers, money and times: short, and the same everywhere. */

export const count = (n: number): string => {
  if (n < 1000) return String(n)
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`
  return `${(n / 1e9).toFixed(1)}B`
}

export const usd = (v: number | null): string =>
  v === null ? "—" : v >= 100 ? `$${v.toFixed(0)}` : v >= 0.01 || v === 0 ? `$${v.toFixed(2)}` : `$${v.toPrecision(2)}`

const pad = (n: number) => String(n).padStart(2, "0")

/** A local date and time from seconds since the epoch. */
export const time = (seconds: number | null): string => {
  if (seconds === null) return ""
  const d = new Date(seconds * 1000)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export const duration = (ms: number | null): string => {
  if (ms === null) return ""
  if (ms < 1000) return `${ms} ms`
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

/**
 * The last folder of a path, for a compact project name. A backslash separates folders only in a
 * Windows path (one without `/`): elsewhere it is a character of the name, and the escapes that
 * show hidden characters (`\x1b`) are made of it.
 */
export const folder = (path: string): string =>
  path
    .split(path.includes("/") ? "/" : /[\\/]/)
    .filter((p) => p !== "")
    .pop() ?? path
