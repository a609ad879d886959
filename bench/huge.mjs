// Flat memory on a huge rollout (issue 14, goal 6), opt-in (`npm run bench -- speed --huge`): a
// generated 12 GB rollout (1 GiB with --quick) in a home of its own, never committed, kept in the
// temp dir between runs. Each command runs once, whole process, and its peak RSS is printed next to
// the bare parse loop's over the same file and the target: 300 MiB plus a small multiple of the
// longest line. Wall time is printed as a ratio to the bare loop's too. It takes the disk's size of
// the file and, here, the best part of an hour.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { mib, once, seconds } from "./processes.mjs"
import { report } from "./report.mjs"
import { bigHome } from "./speed.mjs"
import { id, rolloutFiles } from "./stats.mjs"

// ROLLOUT_BENCH_BIN names another build (a copy kept aside while this tree is rebuilt during the long run).
const bin = process.env.ROLLOUT_BENCH_BIN ?? fileURLToPath(new URL("../packages/cli/bin/rollout.js", import.meta.url))
const bare = fileURLToPath(new URL("./bare.mjs", import.meta.url))

/** The longest line of `file`, in bytes, read in 16 MiB chunks. */
const longestLine = (file) => {
  const fd = fs.openSync(file, "r")
  const buf = Buffer.allocUnsafe(16 << 20)
  let longest = 0
  let current = 0
  for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
    let start = 0
    for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < n; nl = buf.indexOf(10, start)) {
      longest = Math.max(longest, current + nl - start)
      current = 0
      start = nl + 1
    }
    current += n - start
  }
  fs.closeSync(fd)
  return Math.max(longest, current)
}

export const run = async ({ quick }) => {
  const dir = bigHome(quick ? 2 ** 30 : 12 * 10 ** 9)
  const file = rolloutFiles(dir).find((p) => p.endsWith(`${id(1)}.jsonl`))
  const size = fs.statSync(file).size
  const longest = longestLine(file)
  const env = { ...process.env, CODEX_HOME: dir, TZ: "UTC", NO_COLOR: "1" }
  const db = path.join(os.tmpdir(), "rollout-bench", `huge-index-${size}.sqlite`)
  const base = once(["node", bare, file])
  console.log(`  ... bare loop over ${(size / 1e9).toFixed(1)} GB: ${seconds(base.wall)}, ${mib(base.peak)}`)
  const commands = [
    ["rollout info FILE --json", ["info", file, "--json"]],
    ["rollout validate FILE", ["validate", file]],
    ["rollout ls (first run: builds the index)", ["ls", "--limit", "20", "--index", db, "--quiet"]],
    ["rollout history THREAD --json", ["history", id(1), "--json"]],
    ["rollout index --rebuild", ["index", "--rebuild", "--quiet", "--index", db]]
  ]
  const rows = [["bare indexOf + JSON.parse loop (baseline)", seconds(base.wall), "1.00", mib(base.peak), "1.00", "-"]]
  const limit = 300 * 2 ** 20 + 4 * longest
  for (const [label, args] of commands) {
    const r = once(["node", bin, ...args], env)
    rows.push([label, seconds(r.wall), (r.wall / base.wall).toFixed(2), mib(r.peak), (r.peak / base.peak).toFixed(2), r.peak < limit ? "met" : "MISSED"])
    // Each row as soon as it is measured: the whole run takes long.
    console.log(`  ... ${rows.at(-1).join("  ")}`)
  }
  report(
    `flat memory on a ${(size / 1e9).toFixed(1)} GB rollout (longest line ${(longest / 2 ** 10).toFixed(1)} KiB), one run each; target peak RSS < 300 MiB + 4 × the longest line (${mib(limit)})`,
    ["", "wall", "ratio", "peak RSS", "ratio", "target"],
    rows
  )
}
