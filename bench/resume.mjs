// Resume benchmark: `rollout resume` of a large rollout whose newest compaction checkpoint is near
// its end reads the file backward and stops there. Figures: its time as a fraction of a forward
// scan of the same file (the bare parse loop, the fastest forward read there is; target: a small
// fraction), and its peak RSS in a separate process (target < 100 MB, flat in the file's size).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as Json from "@rollout/protocol/Json"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import { bareParse } from "./baseline.mjs"
import { rolloutWithCompactions } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

/** A rollout of at least `bytes`: a compaction every 64 MiB, then a last one followed by 20 turns. */
const rolloutWithCheckpoint = (bytes) => rolloutWithCompactions(bytes, { every: 64 << 20 })

const resume = async (file) => (await ResumeRead.read(Files.node, [file], () => {})).output

const forwardFold = async (file) => {
  const lines = []
  for await (const line of RolloutCodec.knownLines(Files.node, file)) lines.push(line)
  return ResumeHistory.finish(ResumeHistory.fold(lines))
}

/** Peak RSS of one resume, in a fresh process. */
const rssOf = (file) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", file], { encoding: "utf8", maxBuffer: 1 << 26 }))
/** Peak RSS of the same process reading nothing: Node and the loaded modules. */
const idleRss = () => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child"], { encoding: "utf8" }))

export const run = async ({ quick }) => {
  const size = quick ? 64 << 20 : 2 * 2 ** 30
  const file = rolloutWithCheckpoint(size)
  const bytes = fs.statSync(file).size
  // The answer is the forward fold's: checked on a file whose typed lines fit in memory.
  const checked = rolloutWithCheckpoint(64 << 20)
  if (Json.stringify(await resume(checked)) !== Json.stringify(await forwardFold(checked))) throw new Error("resume from the end differs from the forward fold")
  if ((await resume(file)).history.length < 20) throw new Error("unexpected resume history")
  const lines = (await ResumeRead.read(Files.node, [file], () => {})).linesRead
  const timings = await best(quick ? 2 : 3, { scan: () => bareParse(file), resume: () => resume(file) })
  report(
    `resume of a ${mb(bytes)} MB rollout whose newest checkpoint is near its end (${lines} lines read from the end)`,
    ["", "time", "ratio"],
    [
      ["forward scan: bare indexOf + JSON.parse loop (baseline)", `${timings.scan.toFixed(2)} s`, "1.00"],
      ["rollout resume (backward to the checkpoint)", `${(timings.resume * 1000).toFixed(1)} ms`, (timings.resume / timings.scan).toFixed(5)]
    ]
  )
  const idle = idleRss()
  const small = rssOf(rolloutWithCheckpoint(quick ? 16 << 20 : 200 << 20))
  const large = rssOf(file)
  report(
    "resume peak RSS (separate processes), target < 100 MB and flat",
    ["file", "peak RSS"],
    [
      ["none (Node + modules loaded, baseline)", `${mb(idle.maxRss)} MB`],
      [`${mb(small.bytes)} MB`, `${mb(small.maxRss)} MB`],
      [`${mb(large.bytes)} MB`, `${mb(large.maxRss)} MB`],
      ["ratio (large / small)", (large.maxRss / small.maxRss).toFixed(2)]
    ]
  )
  if (large.maxRss >= 100 << 20) throw new Error(`resume peak RSS ${mb(large.maxRss)} MB is over 100 MB`)
}

if (process.argv[2] === "--child" && process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[3]
  const out = file === undefined ? { history: [] } : await resume(file)
  const bytes = file === undefined ? 0 : fs.statSync(file).size
  process.stdout.write(JSON.stringify({ bytes, items: out.history.length, maxRss: process.resourceUsage().maxRSS * 1024 }))
}
