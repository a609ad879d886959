// Stats benchmark: `rollout stats` over a generated Codex home of ≥ 2 GB (--quick: ~96 MB) with
// forks, sub-agents and one huge file. Figures: throughput of the stats fold in one lane per core
// and in one thread, each as a ratio to the bare parse loop over the same files (target ≥ 0.6 per
// core), by wall clock and by CPU time (the CPU figure stays meaningful on a shared machine), and
// the peak RSS of a whole stats run next to that of the bare loop.
//
// Per core, stats on N cores is compared with the bare loop on the same N cores (laid out the same
// way: this thread and N - 1 workers), because N lanes of anything do less than N times one lane
// here (shared caches, memory bandwidth, page cache). The figure against N times the one-thread
// bare loop is printed too, as the strictest reading.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/query/StatsPool"
import * as StatsReport from "@rollout/reduce/StatsReport"
import { bareParse, bareParseLanes } from "./baseline.mjs"
import { mb, report } from "./report.mjs"
import { runnerImport } from "vite"

// The corpus generator is test support (TypeScript, not built): Vite's module runner loads it.
const conditions = ["source", "node", "import", "default"]
const { module: StatsCorpus } = await runnerImport(new URL("../packages/query/test/support/StatsCorpus.ts", import.meta.url).pathname, {
  configFile: false,
  logLevel: "error",
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } }
})

const DAY = 86_400_000
const T0 = Date.UTC(2026, 5, 1, 9)
export const id = (n) => `0198f2a4-5b6c-7d8e-9f00-${String(n).padStart(12, "0")}`

/** Appends lines to a file in large writes. */
const sink = (file) => {
  const fd = fs.openSync(file, "w")
  let batch = []
  let size = 0
  let written = 0
  return {
    push(lines) {
      for (const l of lines) {
        batch.push(l)
        size += l.length + 1
      }
      if (size > 4 << 20) this.flush()
    },
    flush() {
      if (batch.length === 0) return
      const s = `${batch.join("\n")}\n`
      fs.writeSync(fd, s)
      written += Buffer.byteLength(s)
      batch = []
      size = 0
    },
    bytes: () => written + size,
    close() {
      this.flush()
      fs.closeSync(fd)
    }
  }
}

const dayDir = (home, ms) => {
  const d = new Date(ms)
  const dir = path.join(home, "sessions", String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

/** Writes one session of about `bytes` bytes; returns its path and the writer (clock, running total). */
const writeSession = (home, n, start, bytes, rand, options = {}, prefix = [], seed = undefined) => {
  const file = path.join(dayDir(home, start), StatsCorpus.fileName(id(n), start))
  const out = sink(file)
  const w = new StatsCorpus.Writer(id(n), start + 1000, seed)
  out.push([StatsCorpus.sessionMeta(id(n), start, options), ...prefix])
  const filler = " lorem ipsum dolor".repeat(40)
  for (let i = 0; out.bytes() < bytes; i++) {
    out.push(w.turn(StatsCorpus.randomTurn(rand), filler))
    if (i % 400 === 399) w.ms += DAY / 3
  }
  out.close()
  return { file, w }
}

/** A Codex home of at least `total` bytes (reused when already generated; the peers suite uses it too). */
export const home = (total) => {
  const dir = path.join(os.tmpdir(), "rollout-bench", `stats-home-v2-${total}`)
  if (fs.existsSync(path.join(dir, ".done"))) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  const rand = StatsCorpus.prng(7)
  let bytes = 0
  let n = 1
  // One huge file (a quarter of the home), then sessions of 3-13 MB (scaled down for --quick).
  const huge = writeSession(dir, n++, T0, total / 4, rand)
  bytes += fs.statSync(huge.file).size
  const unit = Math.max(1 << 20, total / 640)
  let clock = T0 + DAY
  while (bytes < total) {
    const size = unit * (1 + Math.floor(rand() * 4))
    const parent = writeSession(dir, n++, clock, size, rand)
    bytes += fs.statSync(parent.file).size
    // Every third session is forked (its whole history copied) and gets a spawned sub-agent.
    if (n % 3 === 0) {
      const lines = fs
        .readFileSync(parent.file, "utf8")
        .split("\n")
        .filter((l) => l !== "")
      const at = parent.w.ms + 1000
      const fork = writeSession(dir, n++, at, unit / 4, rand, { forkedFromId: id(n - 2) }, StatsCorpus.copied(lines, lines.length, at), parent.w.running)
      const sub = writeSession(dir, n++, at + 5000, unit / 8, rand, { subAgentOf: id(n - 3) })
      bytes += fs.statSync(fork.file).size + fs.statSync(sub.file).size
    }
    clock += DAY / 2
  }
  fs.writeFileSync(path.join(dir, ".done"), "")
  return dir
}

export const rolloutFiles = (dir) => {
  const out = []
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.startsWith("rollout-")) out.push(p)
    }
  }
  walk(path.join(dir, "sessions"))
  return out.sort()
}

const stats = async (paths, jobs) => StatsReport.merge(await StatsPool.run({ files: Files.node, paths, codexHome: os.tmpdir(), jobs }), "day")

/** Peak RSS (bytes) of a separate process running this module in `--rss` mode over the files listed. */
const peakRss = (mode, paths) => {
  const list = path.join(os.tmpdir(), "rollout-bench", "stats-paths.json")
  fs.writeFileSync(list, JSON.stringify(paths))
  return JSON.parse(execFileSync(process.execPath, [new URL(import.meta.url).pathname, "--rss", mode, list], { encoding: "utf8" }))
}

export const run = async ({ quick }) => {
  const dir = home(quick ? 96 * 2 ** 20 : 2 * 2 ** 30)
  const paths = rolloutFiles(dir)
  const bytes = paths.reduce((n, p) => n + fs.statSync(p).size, 0)
  const cores = StatsPool.defaultJobs()
  // Every run reads from the page cache: the first pass over a fresh home would pay the disk alone.
  for (const p of paths) bareParse(p)
  // Wall time, and CPU time of the whole process (worker threads included): on a shared machine
  // the CPU figure still says how much work each byte costs, whatever else is running.
  const cases = {
    bare: () => paths.reduce((n, p) => n + bareParse(p), 0),
    bareLanes: () => bareParseLanes(paths, cores),
    workers: () => stats(paths, cores),
    sequential: () => stats(paths, 1)
  }
  const wall = Object.fromEntries(Object.keys(cases).map((k) => [k, Infinity]))
  const cpu = { ...wall }
  let reference
  for (let rep = 0; rep < (quick ? 2 : 1); rep++) {
    for (const [name, fn] of Object.entries(cases)) {
      globalThis.gc?.()
      const c0 = process.cpuUsage()
      const t0 = process.hrtime.bigint()
      const result = await fn()
      wall[name] = Math.min(wall[name], Number(process.hrtime.bigint() - t0) / 1e9)
      const c = process.cpuUsage(c0)
      cpu[name] = Math.min(cpu[name], (c.user + c.system) / 1e6)
      if (name.startsWith("bare")) continue
      // Both stats runs must agree to the last token.
      const key = JSON.stringify(result.totals)
      if (reference === undefined) reference = key
      else if (key !== reference) throw new Error(`${name} disagrees with the other stats run`)
    }
  }
  report(
    `stats throughput over a ${mb(bytes)} MB Codex home (${paths.length} files, ${cores} cores), target ≥ 0.6 per core`,
    ["", "wall MB/s", "ratio", "CPU-time MB/s", "ratio"],
    [
      ["bare indexOf + JSON.parse loop, one thread (baseline)", mb(bytes / wall.bare), "1.00", mb(bytes / cpu.bare), "1.00"],
      [
        `bare loop, ${cores} lanes (per-core baseline)`,
        mb(bytes / wall.bareLanes),
        (wall.bare / wall.bareLanes).toFixed(2),
        mb(bytes / cpu.bareLanes),
        (cpu.bare / cpu.bareLanes).toFixed(2)
      ],
      [
        `rollout stats, ${cores} lanes`,
        mb(bytes / wall.workers),
        (wall.bare / wall.workers).toFixed(2),
        mb(bytes / cpu.workers),
        (cpu.bare / cpu.workers).toFixed(2)
      ],
      [`  per core: vs the bare loop on the same ${cores} lanes`, "", (wall.bareLanes / wall.workers).toFixed(2), "", ""],
      [`  per core: vs ${cores} × the one-thread bare loop (strictest)`, "", (wall.bare / wall.workers / cores).toFixed(2), "", ""],
      [
        "rollout stats, one thread (one core)",
        mb(bytes / wall.sequential),
        (wall.bare / wall.sequential).toFixed(2),
        mb(bytes / cpu.sequential),
        (cpu.bare / cpu.sequential).toFixed(2)
      ]
    ]
  )

  const bare = peakRss("bare", paths)
  const full = peakRss("stats", paths)
  report(
    "stats peak RSS (separate processes; workers share the process), target: bounded, not growing with the home",
    ["", "peak RSS", "ratio"],
    [
      ["bare parse loop, one thread (baseline)", `${mb(bare)} MB`, "1.00"],
      [`rollout stats, ${cores} worker threads`, `${mb(full)} MB`, (full / bare).toFixed(2)]
    ]
  )
}

// Child mode for the RSS figures: `node bench/stats.mjs --rss bare|stats LIST.json` prints its peak RSS.
if (process.argv[2] === "--rss") {
  const paths = JSON.parse(fs.readFileSync(process.argv[4], "utf8"))
  if (process.argv[3] === "bare") for (const p of paths) bareParse(p)
  else await stats(paths, StatsPool.defaultJobs())
  console.log(JSON.stringify(process.resourceUsage().maxRSS * 1024))
}
