/**
 * The entry of one `rollout stats` worker thread (loaded from `dist/`, never from source): it
 * receives file paths, folds each whole file with `StatsScan.scan` on the real file system (read
 * by blocking calls: the thread does nothing else), one after another in the order they came, and
 * posts back each file's small `StatsFile.FileStats` partial. Merging is the main thread's job
 * (`StatsReport.merge`); this module only runs scans.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Files from "@rollout/log/Files"
import * as StatsFastScan from "./StatsFastScan.js"
import * as StatsPool from "../StatsPool.js"

const init = workerData as StatsPool.WorkerInit
const findThread = StatsPool.threadFinder(Files.nodeBlocking, init.index, init.codexHome)

// The pool keeps a task queued here ahead of the one running, so this thread never waits for the
// main thread (busy with its own file) to hand it the next.
const queue: Array<StatsPool.Task> = []
let running = false

const drain = async () => {
  running = true
  for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
    const done: StatsPool.Done = await StatsFastScan.scan(Files.nodeBlocking, task.path, findThread, true).then(
      (stats) => ({ i: task.i, stats }),
      (error: unknown) => ({ i: task.i, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    )
    parentPort?.postMessage(done)
  }
  running = false
}

parentPort?.on("message", (task: StatsPool.Task) => {
  queue.push(task)
  if (!running) void drain()
})
parentPort?.postMessage({ ready: true } satisfies StatsPool.Done)
