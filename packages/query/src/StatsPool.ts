/**
 * Runs `StatsScan.scan` over many files: in worker threads (one per core, each folding whole files
 * and returning small partials) when the compiled worker is available and the files are on disk,
 * else one file after another in this thread (tests, in-memory files, a single file). Results come
 * back in input order whatever order workers finish in, so the merged report is deterministic.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as v8 from "node:v8"
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import type * as StatsFastScan from "./internal/StatsFastScan.js"
import type * as StatsScan from "./internal/StatsScan.js"

/** What every worker starts with: the inputs' thread ids (from file names) and the Codex home. */
export interface WorkerInit {
  readonly index: Readonly<Record<string, ReadonlyArray<string>>>
  readonly codexHome: string
}
export interface Task {
  readonly i: number
  readonly path: string
}
/** What a worker posts: that it has loaded and takes tasks, then one answer per task. */
export type Done = { readonly ready: true } | { readonly i: number; readonly stats: StatsFile.FileStats } | { readonly i: number; readonly error: string }

export const defaultJobs = (): number => os.availableParallelism()

/** The reader and fold, loaded only when a file is to be read (not when every answer is kept from an earlier run). */
let loaded: Promise<typeof StatsFastScan> | undefined
/** The reader, for one run: what this thread vouched for in an earlier run is forgotten. */
const scanner = async (): Promise<typeof StatsFastScan.scan> => {
  loaded ??= import("./internal/StatsFastScan.js")
  const m = await loaded
  m.forget()
  return m.scan
}

/** The thread ids of rollout file names, to find a fork's parent among the inputs. */
export const indexOf = (paths: ReadonlyArray<string>): Record<string, Array<string>> => {
  const index: Record<string, Array<string>> = {}
  for (const p of paths) {
    const id = CodexHome.parseName(nodePath.basename(p))?.id
    if (id !== undefined) (index[id] ??= []).push(p)
  }
  return index
}

/** Finds a thread's files among the inputs first, then in the Codex home (memoised). */
export const threadFinder = (files: Files.Shape, index: WorkerInit["index"], codexHome: string): StatsScan.FindThread => {
  const found = new Map<string, Promise<ReadonlyArray<string>>>()
  return (id) => {
    const key = id.toLowerCase()
    const own = index[key]
    if (own !== undefined) return Promise.resolve(own)
    let p = found.get(key)
    if (p === undefined) {
      p = CodexHome.findThread(files, codexHome, key).then(
        (fs) => fs.map((f) => f.path),
        () => []
      )
      found.set(key, p)
    }
    return p
  }
}

/** The compiled worker next to this module, or undefined when running from TypeScript sources. */
const workerFile = (): URL | undefined => {
  const url = new URL("./internal/StatsWorker.js", import.meta.url)
  return url.protocol === "file:" && fs.existsSync(fileURLToPath(url)) ? url : undefined
}

export interface Options {
  readonly files: Files.Shape
  readonly paths: ReadonlyArray<string>
  readonly codexHome: string
  /** Worker threads; `auto` is one per core, but none for inputs too small to repay starting them. */
  readonly jobs: number | "auto"
  readonly onProgress?: (done: number, total: number) => void
  /** Files whose statistics are already known (kept from an earlier run): not read again. */
  readonly known?: ReadonlyMap<string, StatsFile.FileStats>
}

/**
 * Below this many bytes in all, starting workers (each loads the reader and schemas, about 0.3 s of
 * CPU) costs more than it saves: measured whole-process on a 2-vCPU machine, two lanes over a
 * 102 MB home took 1.05x the wall time of one lane (and 1.45x its CPU). On a 2 GB home two lanes
 * did 1.3x one lane (`npm run bench -- stats`), so they should pay from a few hundred MB; the
 * crossover itself is estimated, not measured.
 */
export const AUTO_MIN_BYTES = 256 << 20

/** Each file's size (0 when it cannot be read: the scan reports why). */
const sizes = (files: Files.Shape, paths: ReadonlyArray<string>): Promise<Array<number>> =>
  Promise.all(
    paths.map((p) =>
      files.stat(p).then(
        (s) => s.size,
        () => 0
      )
    )
  )

const totalBytes = async (files: Files.Shape, paths: ReadonlyArray<string>): Promise<number> => (await sizes(files, paths)).reduce((a, b) => a + b, 0)

/** The inputs whose statistics are not known already, in input order. */
const unknown = (o: Options): Array<number> => o.paths.map((_, i) => i).filter((i) => !o.known?.has(o.paths[i] as string))

/**
 * The order lanes take files in, as families (`StatsFamilies`: a fork after its parent, in one
 * lane, so that its copy is matched against lines that lane has read): largest first, so that
 * the lanes finish together rather than one of them starting a big file when the others are done
 * (longest-processing-time-first). Files not on disk are taken one by one, in input order.
 */
const familiesOf = async (o: Options, index: WorkerInit["index"]): Promise<Array<Array<number>>> => {
  const order = unknown(o)
  if (order.length === 0 || !Files.isNode(o.files)) return order.map((i) => [i])
  const size = await sizes(o.files, o.paths)
  order.sort((a, b) => (size[b] as number) - (size[a] as number) || a - b)
  const { families } = await import("./internal/StatsFamilies.js")
  return families(o.paths, order, index, size)
}

/** The paths `run` reads: those whose statistics are not known already. */
const toRead = (o: Options): ReadonlyArray<string> => (o.known === undefined ? o.paths : o.paths.filter((p) => !o.known?.has(p)))

/** How many worker threads `run` uses for these options (0: it folds in this thread). */
export const workerCount = async (o: Options): Promise<number> => {
  const paths = toRead(o)
  if (paths.length < 2 || !Files.isNode(o.files) || workerFile() === undefined) return 0
  if (o.jobs !== "auto") return o.jobs > 1 ? Math.min(o.jobs, paths.length) : 0
  const cores = defaultJobs()
  return cores > 1 && (await totalBytes(o.files, paths)) >= AUTO_MIN_BYTES ? Math.min(cores, paths.length) : 0
}

/** The files a lane reads with: a lane only reads and folds, so real files are read by blocking calls. */
const laneFiles = (files: Files.Shape): Files.Shape => (Files.isNode(files) ? Files.nodeBlocking : files)

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * `files`, giving the event loop a turn after each chunk: blocking reads never do, and this
 * thread's lane must not keep the workers' answers (and their next tasks) waiting for a whole file.
 */
const turnTaking = (files: Files.Shape): Files.Shape => ({
  ...files,
  chunks: async function* (path) {
    for await (const chunk of files.chunks(path)) {
      yield chunk
      await turn()
    }
  }
})

/**
 * V8's own inlining budget (`--max-inlined-bytecode-size-cumulative`, 920 in Node 20's V8), put
 * back for a run in worker lanes: the launcher lowers it for `rollout stats`, whose one-lane runs
 * are mostly a cold start (0.97 of the CPU on a 100 MB home), but a run over gigabytes is mostly
 * optimised code, which it slowed by up to a few per cent (docs/performance.md, stats round 12).
 */
const DEFAULT_INLINING = "--max-inlined-bytecode-size-cumulative=920"

export const run = async (o: Options): Promise<Array<StatsFile.FileStats>> => {
  const index = indexOf(o.paths)
  const files = laneFiles(o.files)
  const url = workerFile()
  const workers = await workerCount(o)
  if (workers === 0 || url === undefined) {
    const find = threadFinder(files, index, o.codexHome)
    const out: Array<StatsFile.FileStats | undefined> = o.paths.map((p) => o.known?.get(p))
    let done = o.paths.length - o.paths.filter((p) => !o.known?.has(p)).length
    // One lane takes the inputs as listed: a home lists by name, so by time, and a parent before its
    // forks already; the families' order cost this lane 12% more CPU on a 102 MiB home (10 pairs).
    const read = unknown(o)
    const scan = read.length > 0 ? await scanner() : undefined
    for (const i of read) {
      out[i] = await (scan as typeof StatsFastScan.scan)(files, o.paths[i] as string, find, Files.isNode(o.files))
      o.onProgress?.(++done, o.paths.length)
    }
    return out as Array<StatsFile.FileStats>
  }
  v8.setFlagsFromString(DEFAULT_INLINING)
  return inWorkers(url, workers, o, { index, codexHome: o.codexHome }, await familiesOf(o, index))
}

/**
 * Spreads the files over `count` lanes: `count - 1` worker threads and this thread, which has the
 * code loaded already and would otherwise only wait (a worker costs half a second to start).
 */
const inWorkers = (url: URL, count: number, o: Options, init: WorkerInit, order: ReadonlyArray<ReadonlyArray<number>>): Promise<Array<StatsFile.FileStats>> =>
  new Promise((resolve, reject) => {
    const results: Array<StatsFile.FileStats | undefined> = o.paths.map((p) => o.known?.get(p))
    const workers = Array.from({ length: count - 1 }, () => new Worker(url, { workerData: init }))
    /** Tasks posted to each worker and not answered yet. */
    const queued = new Map<Worker, number>(workers.map((w) => [w, 0]))
    let next = 0
    let done = o.paths.length - order.reduce((n, f) => n + f.length, 0)
    let failed = false
    const stop = () => Promise.all(workers.map((w) => w.terminate()))
    const fail = (e: unknown) => {
      if (failed) return
      failed = true
      void stop().then(() => reject(e))
    }
    const take = (): ReadonlyArray<number> | undefined => order[next++]
    const finish = (i: number, stats: StatsFile.FileStats) => {
      results[i] = stats
      done++
      o.onProgress?.(done, o.paths.length)
      if (done === o.paths.length) void stop().then(() => resolve(results as Array<StatsFile.FileStats>))
    }
    // A family at a time, until two tasks wait: the worker then always has the next one queued (see StatsWorker).
    const feed = (w: Worker) => {
      while ((queued.get(w) as number) < 2) {
        const family = take()
        if (family === undefined) return
        for (const i of family) w.postMessage({ i, path: o.paths[i] as string } satisfies Task)
        queued.set(w, (queued.get(w) as number) + family.length)
      }
    }
    for (const w of workers) {
      w.on("message", (m: Done) => {
        if (failed) return
        if ("ready" in m) return feed(w)
        if ("error" in m) return fail(new Error(`stats worker failed on ${o.paths[m.i]}: ${m.error}`))
        queued.set(w, (queued.get(w) as number) - 1)
        finish(m.i, m.stats)
        feed(w)
      })
      w.on("error", fail)
      // Fed once it says it is ready: this thread starts on the largest file at once, a worker
      // takes a few hundred milliseconds to load, and a task queued for it meanwhile would wait.
    }
    const files = turnTaking(laneFiles(o.files))
    const find = threadFinder(files, init.index, init.codexHome)
    const here = async () => {
      const scan = await scanner()
      // The workers run only on disk (`workerCount`): so do the lanes' reads.
      // Its reads block: it yields after each buffer, so that a worker's message (ready, or done and
      // wanting its next file) is answered within milliseconds, not after this lane's whole file.
      for (let family = take(); family !== undefined && !failed; family = take())
        for (const i of family) if (!failed) finish(i, await scan(files, o.paths[i] as string, find, true, turn))
    }
    here().catch(fail)
  })
