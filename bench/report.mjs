// Shared bench helpers: timing with alternating repetitions, aligned tables.
export const mb = (bytes) => (bytes / (1 << 20)).toFixed(1)

/** Runs each case `reps` times, interleaved, and returns each case's best time in seconds. */
export const best = async (reps, cases, check = () => {}) => {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, Infinity]))
  for (let i = 0; i < reps; i++) {
    for (const [name, fn] of Object.entries(cases)) {
      globalThis.gc?.()
      const t0 = process.hrtime.bigint()
      const result = await fn()
      const s = Number(process.hrtime.bigint() - t0) / 1e9
      check(name, result)
      times[name] = Math.min(times[name], s)
    }
  }
  return times
}

export const report = (title, header, rows) => {
  const all = [header, ...rows].map((r) => r.map(String))
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)))
  console.log(`\n${title}`)
  for (const r of all) console.log(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ")}`)
}
