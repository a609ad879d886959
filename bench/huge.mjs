// Flat memory on a huge rollout (issue 14, goal 6), opt-in: `npm run bench -- memory --size 12g`
// (or `speed --huge`: 12 GB, 1 GiB with --quick). A generated rollout of that size (decimal: 12g is
// 12×10^9 bytes, 300m 300×10^6) in a home of its own, never committed, kept in the temp dir
// between runs. Every command the issue names runs once, whole process, and its peak RSS is
// printed next to the bare parse loop's over the same file and the target: 300 MiB plus a small
// multiple of the longest line. `--commands history,turns` runs only the commands whose label
// holds one of those words, in that order. Wall time is printed as a ratio to the bare loop's too. It takes the
// disk's size of the file and, at 12 GB, a few hours on two cores. `--long-turn 60000` runs them on
// a thread whose first turn holds that many user messages instead (60,000 make a 179 MB file).
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { prng, sessionMeta } from "./corpus.mjs"
import { mib, once, seconds } from "./processes.mjs"
import { report } from "./report.mjs"
import { bigHome } from "./speed.mjs"
import { id, rolloutFiles } from "./stats.mjs"

// ROLLOUT_BENCH_BIN names another build (a copy kept aside while this tree is rebuilt during the long run).
const bin = process.env.ROLLOUT_BENCH_BIN ?? fileURLToPath(new URL("../packages/cli/bin/rollout.js", import.meta.url))
const bare = fileURLToPath(new URL("./bare.mjs", import.meta.url))

/** The longest line of `file`, in bytes, and its count of lines, read in 16 MiB chunks. */
const measureLines = (file) => {
  const fd = fs.openSync(file, "r")
  const buf = Buffer.allocUnsafe(16 << 20)
  let longest = 0
  let current = 0
  let lines = 0
  for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
    let start = 0
    for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < n; nl = buf.indexOf(10, start)) {
      lines++
      longest = Math.max(longest, current + nl - start)
      current = 0
      start = nl + 1
    }
    current += n - start
  }
  fs.closeSync(fd)
  return { longest: Math.max(longest, current), lines: lines + (current > 0 ? 1 : 0) }
}

/** `12g`, `300m`, `1.5g` (decimal) as bytes. */
export const parseSize = (text) => {
  const m = /^([0-9.]+)\s*([kmg]?)b?$/i.exec(text.trim())
  if (m === null) throw new Error(`--size: not a size: ${text}`)
  return Math.round(Number(m[1]) * { "": 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()])
}

const flag = (name) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}

/**
 * A home whose one thread is a single turn of `messages` user messages (60,000 make a 179 MB file),
 * then a second turn: the turn in flight is as large as the thread (`--long-turn 60000`).
 */
const longTurnHome = (messages) => {
  const dir = path.join(os.tmpdir(), "rollout-bench", `long-turn-${messages}`)
  if (fs.existsSync(path.join(dir, ".done"))) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  const day = path.join(dir, "sessions", "2026", "06", "01")
  fs.mkdirSync(day, { recursive: true })
  const rand = prng(5)
  let ms = Date.UTC(2026, 5, 1, 0, 1)
  const t = () => new Date((ms += 37)).toISOString()
  const words = "the quick brown fox jumps over lazy dog test fix error compile function module".split(" ")
  const text = (n) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ")
  const fd = fs.openSync(path.join(day, `rollout-2026-06-01T00-01-00-${id(1)}.jsonl`), "w")
  fs.writeSync(fd, `${sessionMeta(id(1), ms)}\n`)
  const turn = (turnId, count) => {
    fs.writeSync(
      fd,
      `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"task_started","turn_id":"${turnId}","started_at":1780272060,"model_context_window":258400}}\n`
    )
    for (let i = 0; i < count; i += 100) {
      const lines = []
      for (let j = i; j < Math.min(count, i + 100); j++) {
        const message = `${j} ${text(500)}`
        lines.push(
          `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"user_message","message":"${message}","local_images":[],"local_audio":[],"text_elements":[]}}`
        )
      }
      fs.writeSync(fd, `${lines.join("\n")}\n`)
    }
    fs.writeSync(
      fd,
      `{"timestamp":"${t()}","type":"event_msg","payload":{"type":"task_complete","turn_id":"${turnId}","last_agent_message":null,"completed_at":1780272061,"duration_ms":1000}}\n`
    )
  }
  turn("0198f2a5-0001-7000-8000-000000000001", messages)
  turn("0198f2a5-0002-7000-8000-000000000001", 2)
  fs.closeSync(fd)
  fs.writeFileSync(path.join(dir, ".done"), "")
  return dir
}

export const run = async ({ quick, size: asked }) => {
  const longTurn = flag("--long-turn")
  const dir = longTurn !== undefined ? longTurnHome(Number(longTurn)) : bigHome(asked ?? (quick ? 2 ** 30 : 12 * 10 ** 9))
  const file = rolloutFiles(dir).find((p) => p.endsWith(`${id(1)}.jsonl`))
  const size = fs.statSync(file).size
  const { longest, lines } = measureLines(file)
  const env = { ...process.env, CODEX_HOME: dir, TZ: "UTC", NO_COLOR: "1" }
  const db = path.join(os.tmpdir(), "rollout-bench", `huge-index-${size}.sqlite`)
  // `--no-baseline`: a second sweep of a few commands skips the bare loop (ratios are then against NaN).
  const base = process.argv.includes("--no-baseline") ? { wall: NaN, peak: NaN } : once(["node", bare, file])
  console.log(`  ... bare loop over ${(size / 1e9).toFixed(1)} GB: ${seconds(base.wall)}, ${mib(base.peak)}`)
  const all = [
    ["rollout info FILE --json", ["info", file, "--json"]],
    ["rollout validate FILE", ["validate", file]],
    ["rollout ls (first run: builds the index)", ["ls", "--limit", "20", "--index", db, "--quiet"]],
    ["rollout index --rebuild", ["index", "--rebuild", "--quiet", "--index", db]],
    ['rollout search "4242" --limit 20 (warm index)', ["search", "4242", "--limit", "20", "--index", db]],
    ["rollout stats --no-cache", ["stats", "--no-cache", "--quiet", "--timezone", "UTC"]],
    ["rollout history THREAD --json", ["history", id(1), "--json"]],
    ["rollout history THREAD (text)", ["history", id(1)]],
    ["rollout turns THREAD --limit 20", ["turns", id(1), "--limit", "20"]],
    ["rollout turns THREAD --json --sort-direction asc --items-view full", ["turns", id(1), "--json", "--sort-direction", "asc", "--items-view", "full"]],
    ["rollout export THREAD --format markdown", ["export", id(1), "--format", "markdown", "--timezone", "UTC"]],
    ["rollout export THREAD --format html", ["export", id(1), "--format", "html", "--timezone", "UTC"]],
    ["rollout replay THREAD --step (input closed after the first frame)", ["replay", id(1), "--step"]],
    // Plain replay early in the thread: the first pass over the whole file, then a fold of 1,000 lines.
    ["rollout replay THREAD --at 1000", ["replay", id(1), "--at", "1000"]],
    // Late in the thread, as JSON: written as it is read (as history is), not held.
    ["rollout replay THREAD --at LAST-10 --json", ["replay", id(1), "--at", String(Math.max(1, lines - 10)), "--json"]]
  ]
  const only = flag("--commands")?.split(",")
  // In the order asked for (the slow ones last), each command once.
  const commands = only === undefined ? all : [...new Set(only.flatMap((w) => all.filter(([label]) => label.includes(w))))]
  const rows = [["bare indexOf + JSON.parse loop (baseline)", seconds(base.wall), "1.00", mib(base.peak), "1.00", "-"]]
  const limit = 300 * 2 ** 20 + 4 * longest
  for (const [label, args] of commands) {
    let r
    try {
      r = once(["node", bin, ...args], env)
    } catch (e) {
      // A command that fails (out of memory) is a row too; the others still run.
      rows.push([label, "failed", "-", "-", "-", String(e.message).split("\n").slice(-3).join(" ").slice(0, 160)])
      console.log(`  ... ${rows.at(-1).join("  ")}`)
      continue
    }
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
