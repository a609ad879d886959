// History benchmark: `rollout history FILE --json` on a generated legacy rollout. Throughput of the
// whole command (stream, triage, fold, JSON output) as a ratio to the bare parse loop over the same
// file (target ≥ 0.6), next to the tolerant reader alone; and peak RSS of the command in its own
// process for two file sizes, printed next to the size of its output (memory follows the output,
// not the input).
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
  const output = Output.make((text) => (bytes += Buffer.byteLength(text)), (text) => process.stderr.write(text), false)
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
  const timings = await best(quick ? 2 : 3, {
    bare: () => bareParse(file),
    reader: () => readerOnly(file),
    history: () => history(file)
  }, (name, result) => {
    if (name === "reader" && result !== lines) throw new Error(`reader read ${result} lines, expected ${lines}`)
    if (name === "history" && result !== outputBytes) throw new Error(`history printed ${result} bytes, expected ${outputBytes}`)
  })
  report(`history throughput over a ${mb(size)} MB legacy rollout (${lines} lines, ${mb(outputBytes)} MB of JSON out), target ratio ≥ 0.6`, ["", "throughput", "ratio"], [
    ["bare indexOf + JSON.parse loop (baseline)", `${mb(size / timings.bare)} MB/s`, "1.00"],
    ["RolloutReader.batches alone (for reference)", `${mb(size / timings.reader)} MB/s`, (timings.bare / timings.reader).toFixed(2)],
    ["rollout history --json (stream, triage, fold, print)", `${mb(size / timings.history)} MB/s`, (timings.bare / timings.history).toFixed(2)]
  ])

  const self = fileURLToPath(import.meta.url)
  const rss = (f) => JSON.parse(execFileSync(process.execPath, [self, "--child", f], { encoding: "utf8", maxBuffer: 1 << 20 }))
  const small = rolloutOfSize(quick ? 32 << 20 : 200 << 20)
  const large = rolloutOfSize(quick ? 128 << 20 : 1 << 30, 2)
  const a = rss(small)
  const b = rss(large)
  report("history peak RSS (separate processes): bounded by the output, not the input", ["rollout", "JSON output", "peak RSS", "RSS / output"], [
    [`${mb(fs.statSync(small).size)} MB`, `${mb(a.bytes)} MB`, `${mb(a.maxRss)} MB`, (a.maxRss / a.bytes).toFixed(1)],
    [`${mb(fs.statSync(large).size)} MB`, `${mb(b.bytes)} MB`, `${mb(b.maxRss)} MB`, (b.maxRss / b.bytes).toFixed(1)]
  ])
}
