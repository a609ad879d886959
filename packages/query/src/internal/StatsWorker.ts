/**
 * The entry of one `rollout stats` worker thread (loaded from `dist/`, never from source): it
 * receives file paths one at a time, folds each whole file with `StatsScan.scan` on the real file
 * system (read by blocking calls: the thread does nothing else), and posts back that file's small
 * `StatsFile.FileStats` partial. Merging is the main thread's job (`StatsReport.merge`); this module
 * only runs scans.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Files from "@rollout/log/Files"
import * as StatsScan from "./StatsScan.js"
import * as StatsPool from "../StatsPool.js"

const init = workerData as StatsPool.WorkerInit
const findThread = StatsPool.threadFinder(Files.nodeBlocking, init.index, init.codexHome)

parentPort?.on("message", (task: StatsPool.Task) => {
  void StatsScan.scan(Files.nodeBlocking, task.path, findThread).then(
    (stats) => parentPort?.postMessage({ i: task.i, stats } satisfies StatsPool.Done),
    (error: unknown) =>
      parentPort?.postMessage({ i: task.i, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies StatsPool.Done)
  )
})
