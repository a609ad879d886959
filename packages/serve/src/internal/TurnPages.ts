/**
 * A page of a thread's turns rebuilt from the turn index: the lines `TurnIndex.span` names are
 * folded from the state `TurnIndex.seed` gives, through the fold `rollout history` runs, and the
 * turns asked for are taken from the result with their work and token use (`WorkedTurns`). The
 * rebuilt turns' ids are checked against the index; a page that does not match is an error the
 * caller answers by reading the thread whole. Reading the file is this module's only effect.
 */
import * as fs from "node:fs"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import * as LineRange from "./LineRange.js"
import * as TurnIndex from "./TurnIndex.js"
import * as WebTurn from "./WebTurn.js"

/** The rebuilt page does not match the index (the file changed under it, or a case the index misses). */
export class Mismatch extends Error {}

const reader: LineRange.Reader<ThreadWork.State> = {
  triage: ThreadWork.triage,
  count: ThreadWork.count,
  step: (s, line) => ThreadWork.step(s, line)
}

/** Turns `[from, from + limit)` of the thread (clamped), as `WorkedTurns` shows them, numbered in the thread. */
export const views = async (index: TurnIndex.Paged, from: number, limit: number): Promise<ReadonlyArray<WorkedTurns.TurnView>> => {
  const a = Math.max(0, Math.min(from, index.count))
  const b = Math.min(index.count, a + limit)
  if (a >= b) return []
  const span = TurnIndex.span(index, a, b)
  const to = span.to ?? (await fs.promises.stat(index.path)).size
  const seed = TurnIndex.seedPage(index.metadata, span.lo === 0 ? undefined : span.turns[0])
  const { state } = await LineRange.fold(index.path, { from: span.from, to, line: span.line, whole: span.to === null }, seed, reader)
  // The turns before `lo` come out as one null (see `seedPage`); only the rebuilt ones are read.
  const rebuilt = ThreadHistory.finish(state.read.legacy).slice(span.lo === 0 ? 0 : 1)
  for (let k = span.lo; k < b; k++)
    if (rebuilt[k - span.lo]?.id !== span.turns[k - span.lo]?.id) throw new Mismatch(`turn ${k + 1} of ${index.path} is not the indexed one`)
  const work = WorkLog.finish(state.work).filter((e) => e.anchor.turnId !== TurnIndex.NOWHERE)
  const shown = WorkedTurns.ofTurns(ThreadHistory.normalize(rebuilt.slice(0, b - span.lo)), work, WorkLog.usageByTurn(state.work))
  return shown.slice(a - span.lo).map((v) => ({ ...v, n: v.n + span.lo }))
}

/** The largest turn in tokens and the thread's totals, from the index's per-turn use. */
export const sums = (index: Pick<TurnIndex.Index, "turns" | "early">): TurnIndex.Sums => {
  let largest = 0
  let tokens = 0
  let cost: number | null = 0
  index.turns.forEach((_, k) => {
    const u = TurnIndex.usageOf(index, k)
    if (u === null) return
    largest = Math.max(largest, u.tokens.total)
    tokens += u.tokens.total
    const c = WebTurn.costOf(u)
    cost = cost === null || c === null ? null : cost + c
  })
  return { largest, tokens, costUSD: cost }
}

/** An index held in memory, as pages read it. */
export const inMemory = (index: TurnIndex.Index): TurnIndex.Paged => ({
  path: index.path,
  mtimeMs: index.mtimeMs,
  count: index.turns.length,
  open: index.open,
  touches: index.touches,
  metadata: index.metadata,
  sums: sums(index),
  turns: (from, to) => index.turns.slice(from, to)
})

/** The thread's metadata as `thread/read` has it (without turns). */
export const thread = (index: TurnIndex.Paged, name: string | undefined) =>
  ThreadMetadata.thread(index.metadata, { path: index.path, mtimeMs: index.mtimeMs, ...(name === undefined ? {} : { name }) })
