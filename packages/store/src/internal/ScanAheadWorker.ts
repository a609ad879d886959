/**
 * The worker thread of `ScanAhead` (loaded from `dist/`, never from source): reads the queue it is
 * given in `RefreshBatch.read`'s batches (the same file and byte budgets, a file cut at the budget
 * continued from its slice's end in the next batch, resumed from the row that slice will have
 * written) and posts each scan with its key, at most `window` file bytes ahead of what the other
 * side has taken. A read it cannot do is posted without a scan, for the other side to do and report.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as FileScan from "../FileScan.js"
import * as ForkCopies from "./ForkCopies.js"
import * as HeapTrim from "./HeapTrim.js"
import type * as ScanAhead from "./ScanAhead.js"
import { key } from "./ScanAhead.js"
import * as ScanWire from "./ScanWire.js"
import * as SyncFiles from "./SyncFiles.js"

const init = workerData as ScanAhead.Init
/** The notes of the files this thread scanned, for the forks it scans after them: one run's. */
const copies = new ForkCopies.Cache()

let inFlight = 0
let resume: (() => void) | undefined
parentPort?.on("message", (taken: number) => {
  inFlight -= taken
  const r = resume
  resume = undefined
  r?.()
})

const post = (m: ScanAhead.Message): void => {
  inFlight += m.bytes
  parentPort?.postMessage(m, m.wire === undefined ? [] : [m.wire.numbers.buffer as ArrayBuffer])
}

const resumeOf = (base: ScanAhead.Base | undefined): FileScan.Resume | undefined =>
  base === undefined ? undefined : { offset: base.offset, headHash: base.head_hash, state: JSON.parse(base.state) as FileScan.State }

const serialise = (scan: FileScan.Scan): ScanWire.Json | undefined => {
  try {
    return { state: JSON.stringify(scan.state), tail: scan.tail === null ? null : JSON.stringify(scan.tail) }
  } catch {
    return undefined
  }
}

/** One batch of `queue`, as `RefreshBatch.read` takes it; returns the slices to go on with and how many files it took. */
const batch = async (queue: ReadonlyArray<ScanAhead.Item>): Promise<{ readonly slices: Array<ScanAhead.Item>; readonly taken: number }> => {
  const slices: Array<ScanAhead.Item> = []
  let bytes = 0
  let taken = 0
  for (const item of queue) {
    if (taken >= init.maxFiles || bytes >= init.maxBytes) break
    taken++
    while (inFlight >= init.window) await new Promise<void>((r) => (resume = r))
    const budget = init.maxBytes - bytes
    const k = key(item.path, item.base, budget)
    const scan = await FileScan.scan(item.path, resumeOf(item.base), SyncFiles.node, { maxBytes: budget, copies }).catch(() => undefined)
    if (scan === undefined) {
      post({ key: k, wire: undefined, bytes: 0 })
      continue
    }
    const covered = scan.offset - scan.from
    bytes += covered
    const json = serialise(scan)
    if (json === undefined) {
      post({ key: k, wire: undefined, bytes: covered })
      continue
    }
    post({ key: k, wire: ScanWire.encode(scan, json), bytes: covered })
    // The scan's documents were promoted while it ran and are garbage now that they are posted.
    HeapTrim.afterBatch(HeapTrim.BOUND + copies.held)
    if (scan.partial) slices.push({ path: item.path, base: { offset: scan.offset, head_hash: scan.headHash, state: json.state } })
  }
  return { slices, taken }
}

const run = async (): Promise<void> => {
  let queue: ReadonlyArray<ScanAhead.Item> = init.items
  while (queue.length > 0) {
    const { slices, taken } = await batch(queue)
    queue = [...slices, ...queue.slice(taken)]
  }
}

void run()
