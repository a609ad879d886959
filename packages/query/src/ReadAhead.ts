/**
 * Reading a rollout in a second thread, ahead of the fold. The worker (`ReadAheadWorker`) frames
 * and parses every line — the JSON parse is most of the cost of reading — and sends on only the
 * lines the fold must decode, as raw text, with runs of lines it only counts or skips as numbers.
 * The fold's thread parses that fraction again while the worker reads on, so a large rollout is
 * read on two cores. The classifier is named, since functions do not cross threads: `history`
 * is `ThreadRead.prefilter`. Flow is bounded: the worker stops `WINDOW` batches ahead.
 *
 * Only files on disk with the compiled worker beside this module (not when running from the
 * TypeScript sources) are read this way; `available` says whether this one can be.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import * as Diagnostic from "@rollout/log/Diagnostic"
import * as Files from "@rollout/log/Files"
import type { LogLine } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as SegmentFormat from "@rollout/log/SegmentFormat"

export type Classifier = "history"

/** `n` lines in a row the classifier counted (`Count`) or skipped (`Skip`): the fold never sees them. */
export type Run = { readonly _tag: "Count"; readonly n: number } | { readonly _tag: "Skip"; readonly n: number }

/** What the fold receives: the lines it decodes, runs, and diagnostics, in file order. */
export type Item = LogLine | Diagnostic.Diagnostic | Run

/**
 * One framed batch as the worker posts it, compact so that neither side spends its time on
 * structured cloning: four numbers per item in `ops` (transferred, not copied) — `0, line,
 * offset, terminated` for a line the fold decodes, whose raw text is the next one of `text`'s
 * LF-separated lines (a raw line holds no LF); `1, n` and `2, n` for a run of counted or skipped
 * lines; `3, i` for `diagnostics[i]`.
 */
export interface Batch {
  readonly ops: Float64Array
  readonly text: string
  readonly diagnostics: ReadonlyArray<Diagnostic.Diagnostic>
}

export interface WorkerInit {
  readonly path: string
  readonly classifier: Classifier
  readonly batchBytes: number
  /** Batches it may send before this side has taken them (`WINDOW`). */
  readonly window: number
}

export type Message = Batch | { readonly done: true }

/** Batches the worker may send before this side has taken them. */
export const WINDOW = 32

/**
 * Below this size a file is read in this thread: starting a worker costs more than it saves. On 2
 * cores, `history --json` whole process: a 24 MiB rollout 0.55 s in one thread against 0.68 s with
 * the worker; 32 MiB about even (0.81-0.92 against 0.67-0.83 s); from there the worker pays in wall time.
 */
export const MIN_BYTES = 32 << 20

const workerUrl = (): URL | undefined => {
  const url = new URL("./internal/ReadAheadWorker.js", import.meta.url)
  return url.protocol === "file:" && fs.existsSync(fileURLToPath(url)) ? url : undefined
}

/**
 * Whether `path` is read ahead: a plain JSONL file on disk (not zstd, not a segment by name or by
 * its first bytes) of at least `MIN_BYTES`, with the compiled worker present.
 */
export const available = async (files: Files.Shape, path: string): Promise<boolean> => {
  if (!Files.isNode(files) || workerUrl() === undefined || RolloutReader.isZstdPath(path) || SegmentFormat.isSegmentPath(path)) return false
  const size = await files.stat(path).then(
    (s) => s.size,
    () => 0
  )
  if (size < MIN_BYTES) return false
  const head = await files.read?.(path, 0, SegmentFormat.MAGIC.length).catch(() => undefined)
  return head !== undefined && !SegmentFormat.hasMagic(head)
}

/** A posted batch as the items the fold takes; each line's value is parsed here. */
export const decode = (batch: Batch): Array<Item> => {
  const { ops, diagnostics } = batch
  const raws = batch.text === "" ? [] : batch.text.split("\n")
  const out: Array<Item> = []
  let r = 0
  for (let i = 0; i < ops.length; i += 4) {
    const op = ops[i]
    if (op === 0) {
      const raw = raws[r++] as string
      out.push({
        _tag: "Line",
        line: ops[i + 1] as number,
        offset: ops[i + 2] as number,
        raw,
        value: JSON.parse(raw) as LogLine["value"],
        terminated: ops[i + 3] === 1
      })
    } else if (op === 3) out.push(diagnostics[ops[i + 1] as number] as Diagnostic.Diagnostic)
    else out.push(op === 1 ? { _tag: "Count", n: ops[i + 1] as number } : { _tag: "Skip", n: ops[i + 1] as number })
  }
  return out
}

/** The items of `path`, one array per batch the worker read, in file order. */
export async function* batches(path: string, classifier: Classifier, batchBytes: number): AsyncGenerator<ReadonlyArray<Item>> {
  const url = workerUrl()
  if (url === undefined) throw new Error("the read-ahead worker is not built")
  const worker = new Worker(url, { workerData: { path, classifier, batchBytes, window: WINDOW } satisfies WorkerInit })
  const queue: Array<Message> = []
  let failure: string | undefined
  let wake: (() => void) | undefined
  const notify = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  worker.on("message", (m: Message) => {
    queue.push(m)
    notify()
  })
  worker.on("error", (e) => {
    failure = e instanceof Error ? e.message : String(e)
    notify()
  })
  worker.on("exit", (code) => {
    failure ??= `exited with code ${code}`
    notify()
  })
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve))
      const m = queue.shift()
      if (m === undefined) {
        yield [Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: the read-ahead thread stopped (${failure})`)]
        return
      }
      if ("done" in m) return
      worker.postMessage("more")
      yield decode(m)
    }
  } finally {
    worker.removeAllListeners()
    await worker.terminate()
  }
}
