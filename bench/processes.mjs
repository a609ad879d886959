// Whole processes timed from outside, as a user runs them (start-up included), for the suites that
// compare commands with a baseline process: one run's wall time and peak RSS (from /usr/bin/time
// when the machine has it), and A/B pairs run in turn whose ratio is the median of the pairs'.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** One whole process: wall seconds, peak RSS in bytes (NaN without /usr/bin/time), and stdout when asked for. */
export const once = (argv, env = process.env, keepStdout = false) => {
  const dir = path.join(os.tmpdir(), "rollout-bench")
  fs.mkdirSync(dir, { recursive: true })
  const rss = path.join(dir, `speed-peak-${process.pid}.txt`)
  const [cmd, ...args] = timeBin === undefined ? argv : [timeBin, "-f", "%M", "-o", rss, ...argv]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", keepStdout ? "pipe" : "ignore", "pipe"], maxBuffer: 1 << 30, encoding: "utf8" })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`)
  const peak = timeBin === undefined ? NaN : Number(fs.readFileSync(rss, "utf8").trim().split("\n").pop()) * 1024
  return { wall, peak, stdout: r.stdout }
}

/** Runs A and B in turn `reps` times after `warm` unmeasured runs of each; medians, worst peaks, median of the ratios. */
export const pair = async (reps, a, b, warm = 1) => {
  for (let i = 0; i < warm; i++) {
    await a()
    await b()
  }
  const as = []
  const bs = []
  for (let i = 0; i < reps; i++) {
    as.push(await a())
    bs.push(await b())
  }
  const summary = (xs) => ({ wall: median(xs.map((x) => x.wall)), peak: Math.max(...xs.map((x) => x.peak)) })
  return { a: summary(as), b: summary(bs), ratio: median(as.map((x, i) => x.wall / bs[i].wall)) }
}

export const seconds = (x) => `${x.toFixed(3)} s`
export const mib = (bytes) => (Number.isNaN(bytes) ? "n/a" : `${(bytes / 2 ** 20).toFixed(1)} MiB`)

/** A table row: label, wall, wall ratio, peak RSS, peak ratio. */
export const row = (label, x, ratio, peakRatio) => [
  label,
  seconds(x.wall),
  ratio.toFixed(2),
  mib(x.peak),
  Number.isNaN(peakRatio) ? "n/a" : peakRatio.toFixed(2)
]
