/**
 * Reading a refresh's files in a second thread while this one writes them. The worker
 * (`ScanAheadWorker`) walks the same queue in the same batches as `RefreshBatch.read` does (same
 * file budget, same byte budget, a file cut at the budget continued from where its slice stopped)
 * and posts each file's scan (`ScanWire`) as soon as it has it, up to `WINDOW` bytes ahead of what
 * this side has taken. So on two cores the framing and parsing of the next files overlap the
 * SQLite writes of the current batch.
 *
 * It is an optimisation only, never a second source of truth: each scan is keyed by everything
 * that decides it (path, the row it resumes from, the byte budget), and this side takes it only when
 * the key is the one its own read would use. Otherwise (a row another process moved on, a file that
 * changed between listing and reading) the worker is stopped and the files are read here, as
 * without it. A read the worker could not do (an error, a state too deep to serialise) is left to
 * this side, which reports it as before.
 *
 * Only files on the real disk, with the compiled worker beside this module (not when running from
 * the TypeScript sources), and a refresh with at least `MIN_BYTES` to read use it.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type * as FileScan from "../FileScan.js"
import type * as ScanWire from "./ScanWire.js"
import { decode } from "./ScanWire.js"
import * as SyncFiles from "./SyncFiles.js"

/** Where a read resumes, as its `files` row stores it. */
export interface Base {
  readonly offset: number
  readonly head_hash: string
  readonly state: string
}

/** One file of the queue, with the row its read resumes from. */
export interface Item {
  readonly path: string
  readonly base: Base | undefined
}

export interface Init {
  readonly items: ReadonlyArray<Item>
  readonly maxFiles: number
  readonly maxBytes: number
  /** Bytes of scans the worker may post before this side has taken them. */
  readonly window: number
}

/** A worker's answer for one read: its key, and the scan, or none when this side must read it. */
export interface Message {
  readonly key: string
  readonly wire: ScanWire.Wire | undefined
  /** File bytes the scan covered (returned to the worker as credit when taken). */
  readonly bytes: number
}

/**
 * Below this much to read, the worker's start-up (it loads the schemas the scan decodes with)
 * costs more than the overlap saves.
 */
export const MIN_BYTES = 48 << 20

/** Scans posted ahead, in file bytes: about one batch, so memory stays near two batches. */
export const WINDOW = 8 << 20

/**
 * A refresh's batch bytes while the worker reads ahead (`RefreshBatch.BATCH_BYTES` without it):
 * the worker's own heap and the scans it holds ahead come on top of the batch being written. A
 * cold index of the 2 GiB bench home peaked at 215 MiB with 16 MiB batches and windows, 154 MiB
 * with 8 (the one-thread build with 32 MiB batches: about 140 MiB).
 */
export const BATCH_BYTES = 8 << 20

/**
 * The worker's heap, bounded so that whatever it meets (a line of hundreds of megabytes) it cannot
 * take the process's memory with it: past the bound it ends, and this side reads the rest itself.
 */
const LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 }

/** Whether `files` are the machine's own, which the worker reads directly (never files in memory). */
export const onDisk = (files: SyncFiles.Shape): boolean => files === SyncFiles.node

/** Everything that decides a scan's result besides the file's bytes. */
export const key = (path: string, base: Base | undefined, maxBytes: number): string =>
  `${maxBytes}\n${path}\n${base === undefined ? "" : `${base.offset}\n${base.head_hash}\n${base.state}`}`

const workerUrl = (): URL | undefined => {
  const url = new URL("./ScanAheadWorker.js", import.meta.url)
  return url.protocol === "file:" && fs.existsSync(fileURLToPath(url)) ? url : undefined
}

/** A running worker's scans, taken in queue order. */
export class Reader {
  private readonly queue: Array<Message> = []
  private stopped = false
  private wake: (() => void) | undefined

  private constructor(private readonly worker: Worker) {
    worker.on("message", (m: Message) => {
      this.queue.push(m)
      this.notify()
    })
    // A worker that fails or ends leaves the rest to this side.
    worker.on("error", () => this.stop())
    worker.on("exit", () => this.stop())
  }

  /** Starts a worker over `init`'s queue; undefined when the worker is not built. */
  static start(init: Init): Reader | undefined {
    const url = workerUrl()
    return url === undefined ? undefined : new Reader(new Worker(url, { workerData: init, resourceLimits: LIMITS }))
  }

  private notify(): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  /**
   * The worker's scan for the read keyed `key` (see `key`), or undefined: this side reads the file
   * itself. A key that is not the worker's next one stops the worker.
   */
  async take(key: string): Promise<{ readonly scan: FileScan.Scan; readonly json: ScanWire.Json } | undefined> {
    while (this.queue.length === 0 && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve))
    const m = this.queue[0]
    if (this.stopped || m === undefined || m.key !== key) {
      this.stop()
      return undefined
    }
    this.queue.shift()
    this.worker.postMessage(m.bytes)
    return m.wire === undefined ? undefined : decode(m.wire)
  }

  /** Ends the worker; later reads are this side's. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.queue.length = 0
    this.worker.removeAllListeners()
    this.worker.on("error", () => {})
    void this.worker.terminate()
    this.notify()
  }
}
