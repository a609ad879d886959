/**
 * The entry of the index's scanning thread (loaded from `dist/`, never from source): it receives
 * files to scan, reads each with `FileScan.scan` on the real file system, one after another in the
 * order they came, and posts back each scan (or its error's name and message). Writing is the main
 * thread's job (`RefreshBatch`); this module only reads, so a first build parses on one core while
 * SQLite writes on the other (`ScanAhead`).
 */
import { parentPort } from "node:worker_threads"
import * as FileScan from "../FileScan.js"
import type * as ScanAhead from "./ScanAhead.js"
import * as SyncFiles from "./SyncFiles.js"

const queue: Array<ScanAhead.Task> = []
let running = false

const drain = async () => {
  running = true
  for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
    const done: ScanAhead.Done = await FileScan.scan(task.path, task.resume, SyncFiles.node, { maxBytes: task.maxBytes }).then(
      (scan) => ({ i: task.i, scan }),
      (error: unknown) => ({
        i: task.i,
        error: { name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error) }
      })
    )
    parentPort?.postMessage(done)
  }
  running = false
}

parentPort?.on("message", (task: ScanAhead.Task) => {
  queue.push(task)
  if (!running) void drain()
})
