// Peers benchmark: whole processes, as a user runs them, side by side with the real peers in one
// run (start-up included): `rollout stats` against ccusage 20's native binary (`ccusage codex
// daily --json --offline`) on the generated Codex home of the stats suite, with the token totals
// checked to agree; `rollout --version` and a warm `rollout ls --limit 20` page against a bare `node -e 0`;
// and `rollout history` of the home's biggest rollout against the real Codex app-server's
// `thread/read` of the same thread (a warm server, one request, timed from sending it to the last
// byte of its answer). Runs alternate A, B, A, B: each ratio is the median of the pairs' ratios.
// Peak RSS comes from /usr/bin/time when the machine has it.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { appServer, codexBinary } from "./codex.mjs"
import { median } from "./processes.mjs"
import { report } from "./report.mjs"
import { home, id, rolloutFiles } from "./stats.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const bin = path.join(root, "packages/cli/bin/rollout.js")
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined
const require = createRequire(import.meta.url)

/** ccusage's native binary (what its npm launcher runs), found through its platform package. */
const ccusageBinary = () => {
  const launcher = require.resolve("ccusage/package.json")
  const pkg = createRequire(launcher).resolve(`@ccusage/ccusage-${process.platform}-${process.arch}/package.json`)
  return path.join(path.dirname(pkg), "bin", "ccusage")
}

/**
 * One whole process: wall seconds, CPU seconds (user + system, all threads) and peak RSS in bytes
 * (NaN without /usr/bin/time), and stdout when asked for. CPU time says how much work a run is
 * even when a shared machine stretches its wall time.
 */
const once = (argv, env, keepStdout = false) => {
  const rss = path.join(os.tmpdir(), "rollout-bench", `peak-${process.pid}.txt`)
  const [cmd, ...args] = timeBin === undefined ? argv : [timeBin, "-f", "%M %U %S", "-o", rss, ...argv]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", keepStdout ? "pipe" : "ignore", "pipe"], maxBuffer: 1 << 30, encoding: "utf8" })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`)
  const [peak, user, system] = timeBin === undefined ? [NaN, NaN, NaN] : fs.readFileSync(rss, "utf8").trim().split("\n").pop().split(" ").map(Number)
  return { wall, cpu: user + system, peak: peak * 1024, stdout: r.stdout }
}

/** Runs A and B in turn `reps` times after one unmeasured run of each. */
const pair = (reps, a, b) => {
  a()
  b()
  const runs = { a: [], b: [], ratio: [], cpuRatio: [] }
  for (let i = 0; i < reps; i++) {
    const ra = a()
    const rb = b()
    runs.a.push(ra)
    runs.b.push(rb)
    runs.ratio.push(ra.wall / rb.wall)
    runs.cpuRatio.push(ra.cpu / rb.cpu)
  }
  const summary = (xs) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), peak: Math.max(...xs.map((x) => x.peak)) })
  return { a: summary(runs.a), b: summary(runs.b), ratio: median(runs.ratio), cpuRatio: median(runs.cpuRatio) }
}

const s = (x) => `${x.toFixed(3)} s`
const mib = (bytes) => (Number.isNaN(bytes) ? "n/a" : `${(bytes / 2 ** 20).toFixed(1)} MiB`)
const row = (label, x, ratio, peakRatio) => [label, s(x.wall), ratio.toFixed(2), mib(x.peak), Number.isNaN(peakRatio) ? "n/a" : peakRatio.toFixed(2)]

/**
 * Every difference between the token totals of both tools' JSON. ccusage counts input without its
 * cached part (its `inputTokens` + `cacheReadTokens` is the input Codex reports) and leaves
 * sub-agent threads out, so they are taken out of ours before comparing.
 */
const compareTotals = (ours, theirs) => {
  const t = ours.totals.tokens
  const sub = ours.totals.subAgents.tokens
  const c = theirs.totals
  const pairs = {
    input: [t.input - sub.input, c.inputTokens + c.cacheReadTokens],
    cachedInput: [t.cachedInput - sub.cachedInput, c.cacheReadTokens],
    output: [t.output - sub.output, c.outputTokens],
    reasoningOutput: [t.reasoningOutput - sub.reasoningOutput, c.reasoningOutputTokens],
    total: [t.total - sub.total, c.totalTokens]
  }
  return Object.entries(pairs).flatMap(([field, [a, b]]) => (a === b ? [] : [`totals ${field}: rollout ${a}, ccusage ${b}`]))
}

/** Where two JSON texts first differ, with some context on each side. */
const firstDifference = (a, b) => {
  let k = 0
  while (k < a.length && a[k] === b[k]) k++
  const at = (x) => x.slice(Math.max(0, k - 60), k + 60)
  return `at character ${k}:\n    rollout: …${at(a)}…\n    codex:   …${at(b)}…`
}

const history = async (reps, dir, env) => {
  const codex = codexBinary()
  if (codex === undefined) return console.log("\nhistory vs Codex thread/read: skipped (no @openai/codex installed)")
  const big = id(1)
  const file = rolloutFiles(dir).find((p) => p.endsWith(`${big}.jsonl`))
  const userHome = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-home-"))
  const server = await appServer(codex, { PATH: process.env.PATH, HOME: userHome, CODEX_HOME: dir })
  try {
    const read = { threadId: big, includeTurns: true }
    await server.request("thread/read", { threadId: id(2), includeTurns: true })
    const ours = () => once(["node", bin, "history", big, "--json"], env)
    const theirs = async () => {
      const t0 = process.hrtime.bigint()
      const line = await server.request("thread/read", read)
      return { wall: Number(process.hrtime.bigint() - t0) / 1e9, peak: NaN, bytes: line.length, line }
    }
    ours()
    const first = await theirs()
    const a = []
    const b = []
    for (let i = 0; i < reps; i++) {
      a.push(ours())
      b.push(await theirs())
    }
    // Same thread, same turns: counted on both answers once, outside the timing.
    const codexTurns = JSON.parse(first.line).result.thread.turns
    const ourTurns = JSON.parse(once(["node", bin, "history", big, "--json"], env, true).stdout).thread.turns
    const differing = codexTurns.findIndex((t, i) => JSON.stringify(t) !== JSON.stringify(ourTurns[i]))
    const same = differing === -1 && codexTurns.length === ourTurns.length
    const ratio = median(a.map((x, i) => x.wall / b[i].wall))
    const wall = (xs) => ({ wall: median(xs.map((x) => x.wall)), peak: Math.max(...xs.map((x) => x.peak)) })
    const version = spawnSync(codex, ["--version"], { encoding: "utf8" }).stdout.trim()
    report(
      `history of a ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB rollout (${ourTurns.length} turns; answers ${same ? "equal" : "DIFFER"}), whole rollout process vs a warm ${version} app-server thread/read, target ≤ 1.00`,
      ["", "wall", "ratio", "peak RSS", ""],
      [
        ["codex app-server thread/read, warm (baseline)", s(wall(b).wall), "1.00", "n/a", ""],
        ["rollout history THREAD --json (whole process)", s(wall(a).wall), ratio.toFixed(2), mib(wall(a).peak), ""]
      ]
    )
    if (!same) {
      const i = differing === -1 ? Math.min(codexTurns.length, ourTurns.length) : differing
      console.log(
        `  DIFFERENCE (${ourTurns.length} turns against ${codexTurns.length}), first in turn ${i} ${firstDifference(JSON.stringify(ourTurns[i]) ?? "", JSON.stringify(codexTurns[i]) ?? "")}`
      )
    }
  } finally {
    server.close()
  }
}

export const run = async ({ quick }) => {
  const dir = home(quick ? 96 * 2 ** 20 : 2 * 2 ** 30)
  const files = rolloutFiles(dir)
  const bytes = files.reduce((n, p) => n + fs.statSync(p).size, 0)
  const env = { ...process.env, CODEX_HOME: dir, TZ: "UTC", NO_COLOR: "1" }
  const reps = quick ? 3 : 7

  // Stats against ccusage 20 (its native binary, not its Node launcher: the stricter yardstick).
  const ccusage = ccusageBinary()
  const theirs = JSON.parse(once([ccusage, "codex", "daily", "--json", "--offline"], env, true).stdout)
  // Cold: every file read (--no-cache), as on a first run. Warm: a second run over the unchanged
  // home, answered from the statistics kept per file (in a cache folder of the benchmark's own).
  const cacheEnv = { ...env, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-cache-")) }
  const coldOut = once(["node", bin, "stats", dir, "--json", "--no-cache"], cacheEnv, true).stdout
  const ours = JSON.parse(coldOut)
  const diffs = compareTotals(ours, theirs)
  once(["node", bin, "stats", dir, "--json"], cacheEnv)
  const warmSame = once(["node", bin, "stats", dir, "--json"], cacheEnv, true).stdout === coldOut
  const stats = pair(
    reps,
    () => once(["node", bin, "stats", dir, "--json", "--no-cache"], cacheEnv),
    () => once([ccusage, "codex", "daily", "--json", "--offline"], env)
  )
  const warm = pair(
    reps,
    () => once(["node", bin, "stats", dir, "--json"], cacheEnv),
    () => once([ccusage, "codex", "daily", "--json", "--offline"], env)
  )
  const cpu = (x) => (Number.isNaN(x.cpu) ? "n/a" : s(x.cpu))
  report(
    `stats of a ${(bytes / 2 ** 20).toFixed(1)} MiB Codex home (${files.length} files), whole process vs ccusage 20.0.24, token totals ${diffs.length === 0 ? "agree" : "DIFFER"} (sub-agents aside, as ccusage counts); target ≤ 1.00 in wall time, peak RSS ≤ 1.00`,
    ["", "wall", "ratio", "CPU", "ratio", "peak RSS", "ratio"],
    [
      ["ccusage codex daily --json --offline (baseline)", s(stats.b.wall), "1.00", cpu(stats.b), "1.00", mib(stats.b.peak), "1.00"],
      ...[
        ["rollout stats HOME --json --no-cache (cold: every file read)", stats],
        [`rollout stats HOME --json (warm: unchanged files from the cache; same bytes as cold: ${warmSame ? "yes" : "NO"})`, warm]
      ].map(([label, x]) => [
        label,
        s(x.a.wall),
        x.ratio.toFixed(2),
        cpu(x.a),
        Number.isNaN(x.cpuRatio) ? "n/a" : x.cpuRatio.toFixed(2),
        mib(x.a.peak),
        Number.isNaN(x.a.peak) ? "n/a" : (x.a.peak / x.b.peak).toFixed(2)
      ])
    ]
  )
  // The headline figure of issue 14's stats goal, on one line (medians of the pairs' ratios).
  console.log(
    `  => rollout stats / ccusage: cold wall ${stats.ratio.toFixed(2)}x, CPU ${stats.cpuRatio.toFixed(2)}x, peak RSS ${(stats.a.peak / stats.b.peak).toFixed(2)}x; warm wall ${warm.ratio.toFixed(2)}x, peak RSS ${(warm.a.peak / warm.b.peak).toFixed(2)}x (target ≤ 1.00 each for wall and RSS)`
  )
  if (!warmSame) console.log("  DIFFERENCE the warm run's output is not the cold run's")
  for (const d of diffs.slice(0, 20)) console.log(`  DIFFERENCE ${d}`)
  if (diffs.length > 20) console.log(`  ... and ${diffs.length - 20} more differences`)

  // Start-up: a bare `node` is the floor every Node tool pays.
  const index = path.join(os.tmpdir(), "rollout-bench", `peers-index-${path.basename(dir)}.sqlite`)
  const node = () => once(["node", "-e", "0"], env)
  const start = quick ? 5 : 15
  const version = pair(start, () => once(["node", bin, "--version"], env), node)
  const ls = pair(start, () => once(["node", bin, "ls", "--limit", "20", "--index", index], env), node)
  report(
    "start-up, whole process vs a bare node, target --version ≤ 1.50 and < 60 MiB, a warm ls page ≤ 2.50",
    ["", "wall", "ratio", "peak RSS", "ratio"],
    [
      row("node -e 0 (baseline)", version.b, 1, 1),
      row("rollout --version", version.a, version.ratio, version.a.peak / version.b.peak),
      row("rollout ls --limit 20 (warm index)", ls.a, ls.ratio, ls.a.peak / ls.b.peak)
    ]
  )

  await history(reps, dir, env)
}
