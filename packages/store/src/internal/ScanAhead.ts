/**
 * One worker thread that scans files for a refresh (`ScanWorker`), so that reading the next batch
 * overlaps writing the current one: `RefreshBatch.read` hands it a whole batch at once, and the
 * main thread then writes the previous batch to SQLite (synchronous) while the worker parses.
 * Used only for large refreshes of the real file system, where it repays the worker's start-up
 * (loading the schemas again); `start` gives undefined when running from TypeScript sources.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type * as FileScan from "../FileScan.js"

export interface Task {
  readonly i: number
  readonly path: string
  readonly resume: FileScan.Resume | undefined
  readonly maxBytes: number
}

export type Done =
  | { readonly i: number; readonly scan: FileScan.Scan }
  | { readonly i: number; readonly error: { readonly name: string; readonly message: string } }

export interface ScanAhead {
  readonly scan: (path: string, resume: FileScan.Resume | undefined, maxBytes: number) => Promise<FileScan.Scan>
  readonly close: () => Promise<void>
}

/** The compiled worker next to this module, or undefined when running from TypeScript sources. */
const workerFile = (): URL | undefined => {
  const url = new URL("./ScanWorker.js", import.meta.url)
  return url.protocol === "file:" && fs.existsSync(fileURLToPath(url)) ? url : undefined
}

/** An error as the worker described it; a RangeError stays one (a too deeply nested line). */
const revive = (e: { readonly name: string; readonly message: string }): Error => (e.name === "RangeError" ? new RangeError(e.message) : new Error(e.message))

/** A scanning worker, or undefined when none can be started here. */
export const start = (): ScanAhead | undefined => {
  const url = workerFile()
  if (url === undefined) return undefined
  // Not the flags this process was started with (an `--input-type` or `-e` there is not for this file).
  const worker = new Worker(url, { execArgv: [] })
  const waiting = new Map<number, { readonly resolve: (s: FileScan.Scan) => void; readonly reject: (e: Error) => void }>()
  let next = 0
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }
  worker.on("message", (done: Done) => {
    const w = waiting.get(done.i)
    waiting.delete(done.i)
    if ("scan" in done) w?.resolve(done.scan)
    else w?.reject(revive(done.error))
  })
  worker.on("error", failAll)
  worker.on("exit", () => failAll(new Error("the scanning thread stopped")))
  return {
    scan: (path, resume, maxBytes) =>
      new Promise((resolve, reject) => {
        const i = next++
        waiting.set(i, { resolve, reject })
        worker.postMessage({ i, path, resume, maxBytes } satisfies Task)
      }),
    close: () => worker.terminate().then(() => undefined)
  }
}
