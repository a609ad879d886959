// Reader benchmark: throughput of the tolerant reader against the bare parse loop over the same
// file (ratio, higher is better, target ≥ 0.8), and peak RSS reading a 200 MB vs a 1 GB file.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { Effect, Stream } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import { bareParse } from "./baseline.mjs"
import { rolloutOfSize } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

const readerBatches = async (file) => {
  let lines = 0
  for await (const batch of RolloutReader.batches(Files.node, file)) for (const e of batch) if (e._tag === "Line") lines++
  return lines
}

const readerStream = (file) =>
  Effect.runPromise(
    RolloutReader.stream(file).pipe(
      Stream.runFold(
        () => 0,
        (n, e) => (e._tag === "Line" ? n + 1 : n)
      ),
      Effect.provide(Files.layerNode)
    )
  )

export const run = async ({ quick }) => {
  const size = quick ? 32 << 20 : 210 << 20
  const file = rolloutOfSize(size)
  const bytes = fs.statSync(file).size
  const expected = bareParse(file)
  const timings = await best(
    quick ? 2 : 3,
    {
      bare: () => bareParse(file),
      batches: () => readerBatches(file),
      stream: () => readerStream(file)
    },
    (name, lines) => {
      if (lines !== expected) throw new Error(`${name} read ${lines} lines, expected ${expected}`)
    }
  )
  const rows = [
    ["bare indexOf + JSON.parse loop (baseline)", `${mb(bytes / timings.bare)} MB/s`, "1.00"],
    ["RolloutReader.batches (async iterator)", `${mb(bytes / timings.batches)} MB/s`, (timings.bare / timings.batches).toFixed(2)],
    ["RolloutReader.stream (Effect Stream)", `${mb(bytes / timings.stream)} MB/s`, (timings.bare / timings.stream).toFixed(2)]
  ]
  report(`reader throughput over a ${mb(bytes)} MB rollout (${expected} lines), target ratio ≥ 0.8`, ["", "throughput", "ratio"], rows)

  const rss = (f) => JSON.parse(execFileSync(process.execPath, [new URL("./reader-rss.mjs", import.meta.url).pathname, f], { encoding: "utf8" }))
  const small = rolloutOfSize(quick ? 32 << 20 : 200 << 20)
  const large = rolloutOfSize(quick ? 128 << 20 : 1 << 30, 2)
  const a = rss(small)
  const b = rss(large)
  report(
    "reader peak RSS (separate processes), target: flat and < 200 MB",
    ["file", "peak RSS"],
    [
      [`${mb(fs.statSync(small).size)} MB`, `${mb(a.maxRss)} MB`],
      [`${mb(fs.statSync(large).size)} MB`, `${mb(b.maxRss)} MB`],
      ["ratio (large / small)", (b.maxRss / a.maxRss).toFixed(2)]
    ]
  )
}
