/**
 * Reading a rollout in a second thread, ahead of the fold. The worker (`ReadAheadWorker`) frames
 * and parses every line — the JSON parse is most of the cost of reading — and sends on only the
 * lines the fold must decode, as raw text, with runs of lines it only counts or skips as numbers.
 * The fold's thread parses that fraction again while the worker reads on, so a large rollout is
 * read on two cores. The classifier is named, since functions do not cross threads: `history`
 * is `ThreadRead.prefilter`. Flow is bounded: the worker stops `WINDOW` batches ahead. A line of
 * `LONG_LINE_BYTES` or more is not read there: the worker sends its place and this side reads it
 * from the file, so such a line is held by one thread, not parsed in one and copied to the other.
 *
 * Only files on disk with the compiled worker beside this module (not when running from the
 * TypeScript sources) are read this way; `available` says whether this one can be.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import * as Diagnostic from "@rollout/log/Diagnostic"
import * as Files from "@rollout/log/Files"
import { LineFramer, type LogLine } from "@rollout/log/LineFramer"
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
 * lines; `3, i` for `diagnostics[i]`; `4, line, offset, bytes` for a line of `bytes` (LF excluded,
 * at least `LONG_LINE_BYTES`) the worker framed but did not read: this side reads it (`readLong`).
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
  /** Lines of this many bytes or more are left to this side (`LONG_LINE_BYTES`). */
  readonly longLine: number
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

/**
 * From this length on, a line is read by the fold's thread from the file, not parsed by the worker
 * and posted: a 200 MB line cost about ten times itself in peak memory that way (the worker's
 * bytes, text and parsed value, then the posted copy and its parse here), five when read here.
 * Lines this long are rare, so reading them again costs nothing that shows.
 */
export const LONG_LINE_BYTES = 1 << 20

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

/** Reads `length` bytes of `path` from `position` (fewer at the end of the file). */
const readAt = (path: string, position: number, length: number): Buffer => {
  const buf = Buffer.allocUnsafe(length)
  const fd = fs.openSync(path, "r")
  try {
    let got = 0
    for (let n = -1; got < length && n !== 0; got += n) n = fs.readSync(fd, buf, got, length - got, position + got)
    return got < length ? buf.subarray(0, got) : buf
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * The long line `line` of `path` (op 4), read from the file with its LF and framed by the reader's
 * own framer, so it is checked and reported exactly as the worker would have; a file that no longer
 * holds the line there is a read error.
 */
export const readLong = (path: string, line: number, offset: number, bytes: number): Array<Item> => {
  const buf = readAt(path, offset, bytes + 1)
  if (buf.length !== bytes + 1 || buf[bytes] !== 0x0a)
    return [Diagnostic.make(path, line, offset, "read_error", `cannot read ${path}: the file changed while it was read (line ${line})`)]
  return new LineFramer(path).push(buf).map((e) => (e._tag === "Line" ? { ...e, line, offset } : { ...e, line, byteOffset: offset }))
}

/** A posted batch of `path` as the items the fold takes; each line's value is parsed here. */
export const decode = (batch: Batch, path: string): Array<Item> => {
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
    else if (op === 4) out.push(...readLong(path, ops[i + 1] as number, ops[i + 2] as number, ops[i + 3] as number))
    else out.push(op === 1 ? { _tag: "Count", n: ops[i + 1] as number } : { _tag: "Skip", n: ops[i + 1] as number })
  }
  return out
}

/** The items of `path`, one array per batch the worker read, in file order. */
export async function* batches(path: string, classifier: Classifier, batchBytes: number): AsyncGenerator<ReadonlyArray<Item>> {
  const url = workerUrl()
  if (url === undefined) throw new Error("the read-ahead worker is not built")
  const worker = new Worker(url, { workerData: { path, classifier, batchBytes, window: WINDOW, longLine: LONG_LINE_BYTES } satisfies WorkerInit })
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
      yield decode(m, path)
    }
  } finally {
    worker.removeAllListeners()
    await worker.terminate()
  }
}
