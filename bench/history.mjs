// History benchmark: `rollout history FILE --json` on a generated legacy rollout, run through the
// CLI's own `main` (the code path of the command, minus process start-up). Throughput of the whole
// command (stream, triage, fold, JSON output) as a ratio to the bare parse loop over the same file
// (target ≥ 0.6), next to the tolerant reader alone; and peak RSS of the command in its own process
// for two file sizes next to the size of its output. Memory follows the output, not the input: the
// finished turns are held as their JSON text (the thread's header, printed first, is only known at
// the end), so the target is RSS ≈ output + the process's constant, measured on a 1 MB rollout.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import { bareParse } from "./baseline.mjs"
import { rolloutOfSize } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

/** Runs the real command in-process; resolves with the bytes it printed. */
const history = async (file) => {
  let bytes = 0
  const output = Output.make(
    (text) => (bytes += Buffer.byteLength(text)),
    (text) => process.stderr.write(text),
    false
  )
  const code = await main(["history", file, "--json"], output)
  if (code !== 0) throw new Error(`rollout history exited ${code}`)
  return bytes
}

const readerOnly = async (file) => {
  let lines = 0
  for await (const batch of RolloutReader.batches(Files.node, file)) for (const e of batch) if (e._tag === "Line") lines++
  return lines
}

// Child mode: one history run, then its peak RSS and output size on stdout.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--child") {
  const bytes = await history(process.argv[3])
  process.stdout.write(JSON.stringify({ bytes, maxRss: process.resourceUsage().maxRSS * 1024 }))
  process.exit(0)
}

export const run = async ({ quick }) => {
  const file = rolloutOfSize(quick ? 32 << 20 : 256 << 20)
  const size = fs.statSync(file).size
  const lines = bareParse(file)
  const outputBytes = await history(file)
  const timings = await best(
    quick ? 2 : 3,
    {
      bare: () => bareParse(file),
      reader: () => readerOnly(file),
      history: () => history(file)
    },
    (name, result) => {
      if (name === "reader" && result !== lines) throw new Error(`reader read ${result} lines, expected ${lines}`)
      if (name === "history" && result !== outputBytes) throw new Error(`history printed ${result} bytes, expected ${outputBytes}`)
    }
  )
  report(
    `history throughput over a ${mb(size)} MB legacy rollout (${lines} lines, ${mb(outputBytes)} MB of JSON out), target ratio ≥ 0.6`,
    ["", "throughput", "ratio"],
    [
      ["bare indexOf + JSON.parse loop (baseline)", `${mb(size / timings.bare)} MB/s`, "1.00"],
      ["RolloutReader.batches alone (for reference)", `${mb(size / timings.reader)} MB/s`, (timings.bare / timings.reader).toFixed(2)],
      ["rollout history --json (stream, triage, fold, print)", `${mb(size / timings.history)} MB/s`, (timings.bare / timings.history).toFixed(2)]
    ]
  )

  const self = fileURLToPath(import.meta.url)
  const rss = (f) => JSON.parse(execFileSync(process.execPath, [self, "--child", f], { encoding: "utf8", maxBuffer: 1 << 20 }))
  const small = rolloutOfSize(quick ? 32 << 20 : 200 << 20)
  const large = rolloutOfSize(quick ? 128 << 20 : 1 << 30, 2)
  const tiny = rss(rolloutOfSize(1 << 20))
  const row = (f, r) => [
    `${mb(fs.statSync(f).size)} MB`,
    `${mb(r.bytes)} MB`,
    `${mb(r.maxRss)} MB`,
    (r.maxRss / r.bytes).toFixed(1),
    ((r.maxRss - tiny.maxRss) / r.bytes).toFixed(2)
  ]
  report(
    `history peak RSS (separate processes): output + a constant (${mb(tiny.maxRss)} MB, the same command on a 1 MB rollout)`,
    ["rollout", "JSON output", "peak RSS", "RSS / output", "(RSS - constant) / output"],
    [row(small, rss(small)), row(large, rss(large))]
  )
}
