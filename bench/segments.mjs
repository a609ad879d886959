// Segment benchmark: reading a rollout from its binary segment (.rseg) against reading the same
// content as JSONL with the same reader, in the same run (ratio, higher is better), and the size
// of the segment against the JSONL. "values" touches each line's value (what reducers do);
// "values + raw" also asks for each line's raw text, which a segment rebuilds on demand.
import * as fs from "node:fs"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as SegmentConvert from "@rollout/log/SegmentConvert"
import * as SegmentWriter from "@rollout/log/SegmentWriter"
import { rolloutOfSize } from "./corpus.mjs"
import { best, mb, report } from "./report.mjs"

const read = (withRaw) => async (file) => {
  let lines = 0
  let chars = 0
  for await (const batch of RolloutReader.batches(Files.node, file)) {
    for (const e of batch) {
      if (e._tag !== "Line") continue
      lines++
      chars += e.value.type.length
      if (withRaw) chars += e.raw.length
    }
  }
  return `${lines}:${chars}`
}

const segmentOf = async (file) => {
  const seg = file.replace(/\.jsonl$/, ".rseg")
  if (fs.existsSync(seg) && fs.statSync(seg).mtimeMs >= fs.statSync(file).mtimeMs) return { seg, convertSeconds: undefined }
  const t0 = process.hrtime.bigint()
  const result = await SegmentConvert.convert(Files.node, file, seg, { force: true })
  if (result._tag !== "Converted") throw new Error(`convert failed: ${result.message}`)
  return { seg, convertSeconds: Number(process.hrtime.bigint() - t0) / 1e9 }
}

/** Sizes of the real Codex rollouts in rollouts/ as JSONL and as segments (they compress less than the corpus). */
const realSizes = async () => {
  const dir = new URL("../rollouts/sessions", import.meta.url).pathname
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".jsonl"))
  let jsonl = 0
  let segment = 0
  for (const f of files) {
    const bytes = fs.readFileSync(`${dir}/${f}`)
    jsonl += bytes.length
    for await (const part of SegmentWriter.encode([bytes])) segment += part.length
  }
  return { files: files.length, jsonl, segment }
}

export const run = async ({ quick }) => {
  const file = rolloutOfSize(quick ? 32 << 20 : 200 << 20)
  const { seg, convertSeconds } = await segmentOf(file)
  const bytes = fs.statSync(file).size
  const segBytes = fs.statSync(seg).size
  const values = read(false)
  const withRaw = read(true)
  const expected = { values: await values(file), raw: await withRaw(file) }
  const timings = await best(
    quick ? 2 : 3,
    {
      jsonl: () => values(file),
      segment: () => values(seg),
      jsonlRaw: () => withRaw(file),
      segmentRaw: () => withRaw(seg)
    },
    (name, got) => {
      const want = name.endsWith("Raw") ? expected.raw : expected.values
      if (got !== want) throw new Error(`${name} read ${got}, expected ${want}`)
    }
  )
  const speed = (t) => `${mb(bytes / t)} MB/s`
  report(
    `segment read throughput over a ${mb(bytes)} MB rollout (JSONL-equivalent MB/s; ratio to the JSONL reader, higher is better)`,
    ["", "throughput", "ratio"],
    [
      ["RolloutReader on .jsonl, values (baseline)", speed(timings.jsonl), "1.00"],
      ["RolloutReader on .rseg, values", speed(timings.segment), (timings.jsonl / timings.segment).toFixed(2)],
      ["RolloutReader on .jsonl, values + raw (baseline)", speed(timings.jsonlRaw), "1.00"],
      ["RolloutReader on .rseg, values + raw", speed(timings.segmentRaw), (timings.jsonlRaw / timings.segmentRaw).toFixed(2)]
    ]
  )
  const real = await realSizes()
  const rows = [
    ["size of .rseg / .jsonl (bench corpus)", `${mb(segBytes)} MB / ${mb(bytes)} MB`, (segBytes / bytes).toFixed(2)],
    [
      `size of .rseg / .jsonl (the ${real.files} real rollouts in rollouts/)`,
      `${(real.segment / 1024).toFixed(0)} KB / ${(real.jsonl / 1024).toFixed(0)} KB`,
      (real.segment / real.jsonl).toFixed(2)
    ]
  ]
  if (convertSeconds !== undefined)
    rows.push(["convert (encode + verify) / JSONL read time", `${convertSeconds.toFixed(1)} s`, (convertSeconds / timings.jsonl).toFixed(2)])
  report("segment size (lower is smaller) and conversion cost", ["", "", "ratio"], rows)
}
