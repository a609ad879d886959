// Trim benchmark: `rollout trim --write` of a large rollout with frequent compactions and inline
// images (generated, never committed). Figures: bytes before and after; trim time against one bare
// read of the file (the indexOf + JSON.parse loop); trim's peak RSS in a separate process on a
// small and the large file (flat: it reads only back to the newest surviving checkpoint); and the
// resume time of the original and of the trimmed thread, from the end (`ResumeRead`) and forward
// over the whole file (as Codex's loader reads it).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as Json from "@rollout/protocol/Json"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as TrimWrite from "@rollout/query/TrimWrite"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import { bareParse } from "./baseline.mjs"
import { prng, sessionMeta, turnLines } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

const SUMMARY = "Another language model started to solve this problem and produced a summary of its thinking process."
const IMAGE = `data:image/png;base64,${"iVBORw0KGgoAAAANSUhEUgAA".repeat(4000)}`

/** A compaction turn as Codex writes it: the replacement history keeps the recent user messages. */
const compactionTurn = (clock, turn, kept) => {
  const t = () => new Date((clock.ms += 37)).toISOString()
  const id = `0198f2a5-${String(turn).padStart(4, "0")}-7000-8000-00000000c0de`
  const replacement = [...kept, `${SUMMARY}\nTurn ${turn}.`].map((text) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] }))
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

/** An inline image in a user message, as a pasted screenshot is recorded (response item and event). */
const imageTurnLines = (clock) => {
  const t = () => new Date((clock.ms += 37)).toISOString()
  return [
    JSON.stringify({ timestamp: t(), type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_image", image_url: IMAGE }] } }),
    JSON.stringify({ timestamp: t(), type: "event_msg", payload: { type: "user_message", message: "", images: [IMAGE], local_images: [], text_elements: [] } })
  ]
}

/** Writes (or reuses) a rollout of at least `bytes`: turns, an image every 50 turns, a compaction every `every` bytes, 20 turns after the last. */
export const rolloutWithCompactions = (bytes, every = 4 << 20) => {
  const dir = path.join(os.tmpdir(), "rollout-bench")
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `trim-${bytes}-${every}.jsonl`)
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return file
  const rand = prng(11)
  const fd = fs.openSync(`${file}.tmp`, "w")
  const clock = { ms: Date.UTC(2026, 6, 14) }
  let written = 0
  let batch = [sessionMeta("0198f2a4-5b6c-7d8e-9f00-7717aabbccdd", clock.ms)]
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
      // The image goes right after the turn's user message.
      if (turn % 50 === 0 && line.includes('"type":"user_message"')) batch.push(...imageTurnLines(clock))
    }
    if (prompts.length > 3) prompts.shift()
    turn++
  }
  let next = every
  while (written < bytes) {
    addTurn()
    if (batch.length > 500) flush()
    if (written >= next) {
      batch.push(...compactionTurn(clock, turn++, prompts))
      next += every
    }
  }
  batch.push(...compactionTurn(clock, turn++, prompts))
  for (let i = 0; i < 20; i++) addTurn()
  flush()
  fs.closeSync(fd)
  fs.renameSync(`${file}.tmp`, file)
  return file
}

const home = () => fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-trim-"))
const trim = (file, into) => Effect.runPromise(TrimWrite.save(file, into).pipe(Effect.provideService(Files.Files, Files.node)))
const resume = async (file) => (await ResumeRead.read(Files.node, [file], () => {})).output

/** Resume the way Codex's loader reads: every line of the file, forward, through the fold. */
const forwardResume = async (file) => {
  let s = ResumeHistory.empty
  for await (const line of RolloutCodec.knownLines(Files.node, file)) s = ResumeHistory.step(s, line)
  return ResumeHistory.finish(s)
}

const seconds = async (fn) => {
  const t0 = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t0) / 1e9
}

/** Peak RSS of one trim, in a fresh process (`--child FILE`); without FILE, Node and the modules alone. */
const rssOf = (file) =>
  JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", ...(file === undefined ? [] : [file])], { encoding: "utf8" }))

export const run = async ({ quick }) => {
  const size = quick ? 32 << 20 : 500 << 20
  const file = rolloutWithCompactions(size, quick ? 1 << 20 : 4 << 20)
  const out = home()
  const written = await trim(file, out)
  const [before, after] = [await resume(file), await resume(written.path)]
  if (Json.stringify(before) !== Json.stringify(after)) throw new Error("the trimmed thread resumes differently from the original")
  const timings = await best(quick ? 2 : 3, {
    read: () => bareParse(file),
    trim: () => trim(file, home()),
    resumeOriginal: () => resume(file),
    resumeTrimmed: () => resume(written.path)
  })
  // Once each: reading a whole 500 MB file forward takes seconds.
  const forwardOriginal = await seconds(() => forwardResume(file))
  const forwardTrimmed = await seconds(() => forwardResume(written.path))
  report(
    `trim of a ${mb(written.bytesBefore)} MB rollout with a compaction every ${quick ? 1 : 4} MiB and inline images`,
    ["", "bytes / time", "ratio"],
    [
      ["original", `${mb(written.bytesBefore)} MB`, "1.00"],
      ["trimmed", `${(written.bytesAfter / 1024).toFixed(1)} KiB`, (written.bytesAfter / written.bytesBefore).toFixed(5)],
      ["one bare read of the file: indexOf + JSON.parse (baseline)", `${timings.read.toFixed(2)} s`, "1.00"],
      ["rollout trim --write", `${(timings.trim * 1000).toFixed(1)} ms`, (timings.trim / timings.read).toFixed(5)],
      ["resume of the original (from its end)", `${(timings.resumeOriginal * 1000).toFixed(1)} ms`, ""],
      ["resume of the trimmed thread", `${(timings.resumeTrimmed * 1000).toFixed(1)} ms`, ""],
      ["forward resume of the original (whole file, as Codex's loader reads)", `${forwardOriginal.toFixed(2)} s`, ""],
      ["forward resume of the trimmed thread", `${(forwardTrimmed * 1000).toFixed(1)} ms`, (forwardTrimmed / forwardOriginal).toFixed(5)]
    ]
  )
  const idle = rssOf(undefined)
  const small = rssOf(rolloutWithCompactions(quick ? 8 << 20 : 50 << 20, quick ? 1 << 20 : 4 << 20))
  const large = rssOf(file)
  report(
    "trim peak RSS (separate processes), flat in the file's size",
    ["file", "peak RSS"],
    [
      ["none (Node + modules loaded, baseline)", `${mb(idle.maxRss)} MB`],
      [`${mb(small.bytes)} MB`, `${mb(small.maxRss)} MB`],
      [`${mb(large.bytes)} MB`, `${mb(large.maxRss)} MB`],
      ["ratio (large / small)", (large.maxRss / small.maxRss).toFixed(2)]
    ]
  )
  fs.rmSync(out, { recursive: true, force: true })
}

if (process.argv[2] === "--child" && process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[3]
  const into = home()
  const w = file === undefined ? { bytesBefore: 0 } : await trim(file, into)
  process.stdout.write(JSON.stringify({ bytes: w.bytesBefore, maxRss: process.resourceUsage().maxRSS * 1024 }))
  fs.rmSync(into, { recursive: true, force: true })
}
