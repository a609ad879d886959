/**
 * The worker thread of `ReadAhead` (loaded from `dist/`, never from source): reads one plain
 * JSONL file with the tolerant reader's framing (`JsonlReader`), classifies each line, and posts
 * one `ReadAhead.Batch` per framed batch, at most `window` batches ahead of what the other side
 * has taken; a line of `init.longLine` bytes or more is framed but not read (left to the other
 * side, by place and length). Its imports are kept light (no Effect, no schemas): a worker that
 * loads the whole reader takes about half a second to start.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as FileChunks from "@rollout/log/FileChunks"
import * as JsonlReader from "@rollout/log/JsonlReader"
import type { Skimmed } from "@rollout/log/LineFramer"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import * as LineTriage from "@rollout/reduce/LineTriage"
import type * as ReadAhead from "../ReadAhead.js"

const init = workerData as ReadAhead.WorkerInit
const classify = { history: LineTriage.prefilter }[init.classifier]

let credit = init.window
let resume: (() => void) | undefined
parentPort?.on("message", () => {
  credit++
  const r = resume
  resume = undefined
  r?.()
})

const post = async (batch: ReadAhead.Batch): Promise<void> => {
  while (credit === 0) await new Promise<void>((r) => (resume = r))
  credit--
  parentPort?.postMessage(batch, [batch.ops.buffer as ArrayBuffer])
}

/** Byte lengths of the long lines the framer was told to skim, in file order (each taken off as its entry comes). */
const long: Array<number> = []
const short = (p: LinePrefix.Prefix): boolean => {
  if (p.end - p.start < init.longLine) return true
  long.push(p.end - p.start)
  return false
}

const run = async () => {
  for await (const entries of JsonlReader.frame<Skimmed>(init.path, FileChunks.read(init.path), { batchBytes: init.batchBytes, skim: short })) {
    const ops: Array<number> = []
    const raws: Array<string> = []
    const diagnostics: Array<ReadAhead.Batch["diagnostics"][number]> = []
    // The op of the run being extended, or -1.
    let runAt = -1
    for (const entry of entries) {
      if (entry._tag === "Skimmed") {
        runAt = -1
        ops.push(4, entry.line, entry.offset, long.shift() as number)
        continue
      }
      if (entry._tag === "Diagnostic") {
        runAt = -1
        ops.push(3, diagnostics.length, 0, 0)
        diagnostics.push(entry)
        continue
      }
      const what = classify(entry.value)
      if (what === "decode") {
        runAt = -1
        ops.push(0, entry.line, entry.offset, entry.terminated ? 1 : 0)
        raws.push(entry.raw)
        continue
      }
      const kind = what === "count" ? 1 : 2
      if (runAt !== -1 && ops[runAt] === kind) ops[runAt + 1] = (ops[runAt + 1] as number) + 1
      else {
        runAt = ops.length
        ops.push(kind, 1, 0, 0)
      }
    }
    await post({ ops: Float64Array.from(ops), text: raws.join("\n"), diagnostics })
  }
  parentPort?.postMessage({ done: true } satisfies ReadAhead.Message)
}

void run()
