// Validate suite (issue 14, goal 5): `rollout validate` against the bare parse loop
// (`bench/bare.mjs`), both whole processes side by side in one run, on the speed suite's 300 MiB
// rollout (`validate FILE`) and on the stats suite's generated Codex home (`validate --codex-home
// DIR` against the bare loop over the same files). Targets: throughput ≥ 0.80 of the bare loop,
// peak RSS < 200 MiB. The speed suite runs the one-file figure too; this one runs alone
// (`npm run bench -- validate`), with more pairs, for the validate work.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { once, pair, row } from "./processes.mjs"
import { report } from "./report.mjs"
import { bigHome } from "./speed.mjs"
import { home, id, rolloutFiles } from "./stats.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const bin = process.env.ROLLOUT_BENCH_BIN ?? path.join(root, "packages/cli/bin/rollout.js")
const bare = fileURLToPath(new URL("./bare.mjs", import.meta.url))
const node = (args) => once(["node", ...args])

const figure = async (reps, title, label, command, baseline) => {
  const r = await pair(
    reps,
    () => node(command),
    () => node(baseline)
  )
  report(
    `${title}, whole process vs the bare parse loop process, target throughput ≥ 0.80 and < 200 MiB`,
    ["", "wall", "throughput", "peak RSS", "ratio"],
    [row("bare indexOf + JSON.parse loop (baseline)", r.b, 1, 1), row(label, r.a, 1 / r.ratio, r.a.peak / r.b.peak)]
  )
}

export const run = async ({ quick }) => {
  const reps = quick ? 3 : 7
  const big = bigHome((quick ? 32 : 300) * 2 ** 20)
  const file = rolloutFiles(big).find((p) => p.endsWith(`${id(1)}.jsonl`))
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(1)
  await figure(reps, `validate of a ${mib(fs.statSync(file).size)} MiB rollout`, "rollout validate FILE", [bin, "validate", file], [bare, file])
  const dir = home(96 * 2 ** 20)
  const files = rolloutFiles(dir)
  const list = path.join(os.tmpdir(), "rollout-bench", "validate-files.json")
  fs.writeFileSync(list, JSON.stringify(files))
  const bytes = files.reduce((n, p) => n + fs.statSync(p).size, 0)
  await figure(
    reps,
    `validate of a ${mib(bytes)} MiB Codex home (${files.length} files)`,
    "rollout validate --codex-home DIR",
    [bin, "validate", "--codex-home", dir],
    [bare, "--list", list]
  )
}
