// Resume benchmark: `rollout resume` of a large rollout whose newest compaction checkpoint is near
// its end reads the file backward and stops there. Figures: its time as a fraction of a forward
// scan of the same file (the bare parse loop, the fastest forward read there is; target: a small
// fraction), and its peak RSS in a separate process (target < 100 MB, flat in the file's size).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as Json from "@rollout/protocol/Json"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import { bareParse } from "./baseline.mjs"
import { prng, sessionMeta, turnLines } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

const SUMMARY = "Another language model started to solve this problem and produced a summary of its thinking process."

/** A compaction turn as Codex writes it: the replacement history keeps the recent user messages. */
const compactionTurn = (clock, turn, kept) => {
  const t = () => new Date((clock.ms += 37)).toISOString()
  const id = `0198f2a5-${String(turn).padStart(4, "0")}-7000-8000-00000000c0de`
  const replacement = [...kept, `${SUMMARY}\nThe user has been working on the rollout reader for ${turn} turns.`].map((text) => ({
    type: "message",
    role: "user",
    content: [{ type: "input_text", text }]
  }))
  return [
    JSON.stringify({
      timestamp: t(),
      type: "event_msg",
      payload: { type: "task_started", turn_id: id, model_context_window: 258400, collaboration_mode_kind: "default" }
    }),
    JSON.stringify({ timestamp: t(), type: "compacted", payload: { message: replacement.at(-1).content[0].text, replacement_history: replacement } }),
    JSON.stringify({ timestamp: t(), type: "event_msg", payload: { type: "task_complete", turn_id: id, last_agent_message: null } })
  ]
}

/**
 * Writes (or reuses) a rollout of at least `bytes` bytes: turns, a compaction every `every` bytes,
 * and a last compaction followed by `after` turns.
 */
export const rolloutWithCheckpoint = (bytes, after = 20) => {
  const dir = path.join(os.tmpdir(), "rollout-bench")
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `resume-${bytes}-${after}.jsonl`)
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return file
  const rand = prng(7)
  const fd = fs.openSync(`${file}.tmp`, "w")
  const clock = { ms: Date.UTC(2026, 6, 14) }
  let written = 0
  let batch = [sessionMeta("0198f2a4-5b6c-7d8e-9f00-aabbccddeeff", clock.ms)]
  const flush = () => {
    const s = `${batch.join("\n")}\n`
    fs.writeSync(fd, s)
    written += Buffer.byteLength(s)
    batch = []
  }
  const prompts = []
  let turn = 1
  const addTurn = () => {
    for (const line of turnLines(rand, turn, clock)) {
      batch.push(line)
      if (line.includes('"role":"user"')) prompts.push(JSON.parse(line).payload.content[0].text)
    }
    if (prompts.length > 3) prompts.shift()
    turn++
  }
  let nextCheckpoint = 64 << 20
  while (written < bytes) {
    addTurn()
    if (batch.length > 2000) flush()
    if (written >= nextCheckpoint) {
      batch.push(...compactionTurn(clock, turn++, prompts))
      nextCheckpoint += 64 << 20
    }
  }
  batch.push(...compactionTurn(clock, turn++, prompts))
  for (let i = 0; i < after; i++) addTurn()
  flush()
  fs.closeSync(fd)
  fs.renameSync(`${file}.tmp`, file)
  return file
}

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
