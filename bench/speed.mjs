// Speed suite (issue 14, goals 3 to 6), whole processes side by side with their baselines in one
// run, each figure a ratio:
// - `rollout history THREAD --json` of one big rollout (300 MiB; 24 MiB with --quick, the stats
//   home's biggest) against a warm real Codex app-server's `thread/read` of the same thread, with
//   both answers' turns compared (target ≤ 1.00);
// - `rollout validate FILE` of that rollout against a bare parse loop process over it (throughput
//   ratio, target ≥ 0.80, peak RSS < 200 MiB);
// - a cold `rollout index --rebuild` of the stats suite's generated home against a bare parse loop
//   process over the same files (target ≤ 1.50, peak RSS < 200 MiB), then a warm
//   `rollout search` of a selective word (a turn number: a few hits) against `node -e 0` (target
//   ≤ 3.00). A word of the filler text matches every document and ranks them all (seconds).
// `--huge` adds the flat-memory run on a generated 12 GB rollout (bench/huge.mjs): it takes
// ~12 GB of disk and the best part of an hour, so it only runs when asked for.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { appServer, codexBinary, codexVersion } from "./codex.mjs"
import { once, pair, row, seconds } from "./processes.mjs"
import { report } from "./report.mjs"
import { home, id, rolloutFiles } from "./stats.mjs"
import { runnerImport } from "vite"

// The corpus generator is test support (TypeScript, not built): Vite's module runner loads it.
const conditions = ["source", "node", "import", "default"]
const { module: StatsCorpus } = await runnerImport(fileURLToPath(new URL("../packages/query/test/support/StatsCorpus.ts", import.meta.url)), {
  configFile: false,
  logLevel: "error",
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } }
})

const root = fileURLToPath(new URL("..", import.meta.url))
// ROLLOUT_BENCH_BIN names another build (a copy kept aside while this tree is rebuilt during a long run).
const bin = process.env.ROLLOUT_BENCH_BIN ?? path.join(root, "packages/cli/bin/rollout.js")
const bare = fileURLToPath(new URL("./bare.mjs", import.meta.url))
const T0 = Date.UTC(2026, 5, 1, 9)

/** A Codex home holding one rollout of about `bytes` (thread `id(1)`) and a small one (`id(2)`, to warm a server up). */
export const bigHome = (bytes) => {
  const dir = path.join(os.tmpdir(), "rollout-bench", `speed-home-${bytes}`)
  if (fs.existsSync(path.join(dir, ".done"))) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  const rand = StatsCorpus.prng(11)
  for (const [n, size] of [
    [1, bytes],
    [2, 1 << 20]
  ]) {
    const at = T0 + n * 60_000
    const day = path.join(dir, "sessions", "2026", "06", "01")
    fs.mkdirSync(day, { recursive: true })
    const fd = fs.openSync(path.join(day, StatsCorpus.fileName(id(n), at)), "w")
    const w = new StatsCorpus.Writer(id(n), at + 1000)
    let written = fs.writeSync(fd, `${StatsCorpus.sessionMeta(id(n), at)}\n`)
    const filler = " lorem ipsum dolor".repeat(40)
    while (written < size) {
      const lines = []
      for (let i = 0; i < 200; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand), filler))
      written += fs.writeSync(fd, `${lines.join("\n")}\n`)
    }
    fs.closeSync(fd)
  }
  fs.writeFileSync(path.join(dir, ".done"), "")
  return dir
}

const node = (args, env) => once(["node", ...args], env)

/** `rollout history` against Codex's warm `thread/read` of the same thread; the turns of both answers are compared once. */
const history = async (reps, dir, env) => {
  const codex = codexBinary()
  if (codex === undefined) return console.log("\nhistory vs Codex thread/read: skipped (no @openai/codex installed)")
  const file = rolloutFiles(dir).find((p) => p.endsWith(`${id(1)}.jsonl`))
  const userHome = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-home-"))
  const server = await appServer(codex, { PATH: process.env.PATH, HOME: userHome, CODEX_HOME: dir })
  try {
    await server.request("thread/read", { threadId: id(2), includeTurns: true })
    const read = { threadId: id(1), includeTurns: true }
    const first = await server.timed("thread/read", read)
    const ours = JSON.parse(once(["node", bin, "history", id(1), "--json"], env, true).stdout).thread.turns
    const theirs = JSON.parse(first.line).result.thread.turns
    const same = ours.length === theirs.length && ours.every((t, i) => JSON.stringify(t) === JSON.stringify(theirs[i]))
    const r = await pair(
      reps,
      () => node([bin, "history", id(1), "--json"], env),
      async () => ({ ...(await server.timed("thread/read", read)), peak: NaN })
    )
    report(
      `history of a ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB rollout (${ours.length} turns; answers ${same ? "equal" : "DIFFER"}), whole rollout process vs a warm ${codexVersion(codex)} app-server thread/read, target ≤ 1.00`,
      ["", "wall", "ratio", "peak RSS", ""],
      [row("codex app-server thread/read, warm (baseline)", r.b, 1, NaN), row("rollout history THREAD --json (whole process)", r.a, r.ratio, NaN)]
    )
  } finally {
    server.close()
  }
}

/** `rollout validate FILE` against the bare loop over FILE, both whole processes. */
const validate = async (reps, file) => {
  const r = await pair(
    reps,
    () => node([bin, "validate", file]),
    () => node([bare, file])
  )
  report(
    `validate of a ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB rollout, whole process vs the bare parse loop process, target throughput ≥ 0.80 and < 200 MiB`,
    ["", "wall", "throughput", "peak RSS", "ratio"],
    [row("bare indexOf + JSON.parse loop (baseline)", r.b, 1, 1), row("rollout validate FILE", r.a, 1 / r.ratio, r.a.peak / r.b.peak)]
  )
}

/** A cold `rollout index --rebuild` against the bare loop over the same files, then a warm search against `node -e 0`. */
const index = async (reps, dir, env) => {
  const files = rolloutFiles(dir)
  const bytes = files.reduce((n, p) => n + fs.statSync(p).size, 0)
  const db = path.join(os.tmpdir(), "rollout-bench", `speed-index-${path.basename(dir)}.sqlite`)
  const list = path.join(os.tmpdir(), "rollout-bench", "speed-files.json")
  fs.writeFileSync(list, JSON.stringify(files))
  const build = await pair(
    reps,
    () => node([bin, "index", "--rebuild", "--quiet", "--index", db], env),
    () => node([bare, "--list", list]),
    0
  )
  const search = await pair(
    reps * 3,
    () => node([bin, "search", "4242", "--limit", "20", "--index", db], env),
    () => node(["-e", "0"])
  )
  report(
    `cold index of a ${(bytes / 2 ** 20).toFixed(1)} MiB Codex home (${files.length} files), whole process vs the bare parse loop process; warm search vs node -e 0; targets ≤ 1.50 and < 200 MiB, search ≤ 3.00`,
    ["", "wall", "ratio", "peak RSS", "ratio"],
    [
      row("bare indexOf + JSON.parse loop over every file (baseline)", build.b, 1, 1),
      row("rollout index --rebuild (cold)", build.a, build.ratio, build.a.peak / build.b.peak),
      row("node -e 0 (baseline)", search.b, 1, 1),
      row('rollout search "4242" --limit 20 (warm index, a few hits)', search.a, search.ratio, search.a.peak / search.b.peak)
    ]
  )
  console.log(`  index file: ${(fs.statSync(db).size / 2 ** 20).toFixed(1)} MiB after the build (${seconds(build.a.wall)})`)
}

export const run = async ({ quick, huge }) => {
  const reps = quick ? 3 : 5
  const big = quick ? home(96 * 2 ** 20) : bigHome(300 * 2 ** 20)
  const env = { ...process.env, CODEX_HOME: big, TZ: "UTC", NO_COLOR: "1" }
  const file = rolloutFiles(big).find((p) => p.endsWith(`${id(1)}.jsonl`))
  await history(reps, big, env)
  await validate(reps, file)
  const dir = home(quick ? 96 * 2 ** 20 : 2 * 2 ** 30)
  await index(quick ? 2 : 3, dir, { ...env, CODEX_HOME: dir })
  if (huge) await (await import("./huge.mjs")).run({ quick })
}
