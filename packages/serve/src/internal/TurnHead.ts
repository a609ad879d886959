/**
 * The first turns of a legacy rollout from a forward read of its beginning, for a thread whose
 * turn index is still being built: the fold state at the file's first line is empty, so turns
 * `[0, b)` are the whole-file fold's as soon as turn `b` has begun (a later line that reaches back
 * into them is rare; the page is drawn again from the index once it is built). The read stops
 * there, or after `budget` bytes, so its memory and time do not grow with the file.
 */
import * as fs from "node:fs"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import * as LineRange from "./LineRange.js"

export interface Head {
  readonly thread: ThreadItem.Thread
  /** Turns `[from, b)` as `WorkedTurns` shows them (fewer when the file ends first). */
  readonly views: ReadonlyArray<WorkedTurns.TurnView>
  /** Turns seen to have finished so far. */
  readonly finished: number
}

/** Thrown out of the fold once enough turns have finished: the read stops there. */
class Enough {
  constructor(readonly state: ThreadWork.State) {}
}

/**
 * Turns `[from, from + limit)` of the legacy rollout at `path`, or undefined when they are not all
 * finished within the first `budget` bytes (or the thread is not legacy).
 */
export const read = async (path: string, name: string | undefined, from: number, limit: number, budget: number): Promise<Head | undefined> => {
  const { mtimeMs } = await fs.promises.stat(path)
  const b = from + limit
  const reader: LineRange.Reader<ThreadWork.State> = {
    triage: ThreadWork.triage,
    count: ThreadWork.count,
    step: (s, line) => {
      const next = ThreadWork.step(s, line)
      // A finished turn's own lines go on until the next turn begins (its token count comes after).
      if (next.read.legacy.turns.length >= b && next.read.legacy.current !== null) throw new Enough(next)
      return next
    }
  }
  let state: ThreadWork.State
  try {
    // Read to the end of the budget without finishing the turns asked for: the index must answer.
    await LineRange.fold(path, { from: 0, to: budget, line: 1, whole: false }, ThreadWork.empty, reader)
    return undefined
  } catch (e) {
    if (!(e instanceof Enough)) throw e
    state = e.state
  }
  const thread = ThreadMetadata.thread(state.read.metadata, { path, mtimeMs, ...(name === undefined ? {} : { name }) })
  if (state.read.mode !== "legacy" || thread === undefined) return undefined
  const turns = ThreadHistory.normalize(ThreadHistory.finish(state.read.legacy).slice(0, b))
  const shown = WorkedTurns.ofTurns(turns, WorkLog.finish(state.work), WorkLog.usageByTurn(state.work))
  return { thread, views: shown.slice(from), finished: state.read.legacy.turns.length }
}
