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
import { rolloutWithCompactions } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

/** A rollout of at least `bytes`: an inline image every 50 turns, a compaction every `every` bytes. */
const withCompactions = (bytes, every) => rolloutWithCompactions(bytes, { every, imageEvery: 50, seed: 11 })

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
  const file = withCompactions(size, quick ? 1 << 20 : 4 << 20)
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
  const small = rssOf(withCompactions(quick ? 8 << 20 : 50 << 20, quick ? 1 << 20 : 4 << 20))
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
