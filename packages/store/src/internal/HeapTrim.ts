/**
 * A full garbage collection between a refresh's batches once the heap has grown past a bound. A
 * batch's search documents live until the batch is written, so they outlast the young generation
 * and are promoted; they are garbage right after the write, but V8 lets the old generation grow to
 * several times its live size before it collects it, and that growth was most of a cold index's
 * peak memory. Collecting here, where nearly everything is garbage, keeps the peak near the live
 * set plus one batch whatever the size of the home. It is a hint, not a correctness matter: when
 * the collector cannot be reached it does nothing.
 */
import * as v8 from "node:v8"
import * as vm from "node:vm"

/** Heap in use past which a batch's end collects (the live set of a refresh is about 20-30 MB). */
export const BOUND = 40 << 20

let collect: (() => void) | null | undefined

/** The collector, exposed on first use through V8's own flag (undefined: not reachable here). */
const collector = (): (() => void) | null => {
  if (collect !== undefined) return collect
  try {
    v8.setFlagsFromString("--expose-gc")
    const gc: unknown = vm.runInNewContext("gc")
    collect = typeof gc === "function" ? (gc as () => void) : null
  } catch {
    collect = null
  }
  return collect
}

/** Collects when the heap in use exceeds `bound`; returns whether it did. */
export const afterBatch = (bound: number = BOUND): boolean => {
  if (v8.getHeapStatistics().used_heap_size <= bound) return false
  const gc = collector()
  if (gc === null) return false
  gc()
  return true
}
