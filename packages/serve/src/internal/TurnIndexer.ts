/**
 * Builds a `TurnIndex` in one streaming pass: it runs the fold `rollout history` runs
 * (`ThreadWork`: `thread/read` and the work log) and watches it line by line, noting where each
 * turn begins with the fold's counters there, when a line changes a turn that is not the one being
 * built (a `Touch`), each turn's token use, and rollbacks (which drop turns from the index too).
 * Memory stays flat: finished turns older than the last `KEEP` become stubs (id, item count,
 * status) and the work log keeps only what the index needs. A line that would change a stub's
 * content, or anything else the index cannot follow, stops the pass with `Unindexable`; the
 * caller then reads the thread whole. It can also go on from a stored index (`extend`), re-reading
 * from a few turns before its end.
 */
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as LineRange from "./LineRange.js"
import * as TurnIndex from "./TurnIndex.js"

/** The pass cannot index this file (it is read whole instead); `why` is for the log. */
export class Unindexable extends Error {}

/** A line changed a turn this pass had made a stub of. */
class Stubbed extends Unindexable {}

/** Finished turns kept whole: a late line usually changes one of the last few. */
const KEEP = 64
/** An extension re-reads from this many turns before the end. */
const BACK = 8

interface Start {
  readonly offset: number
  readonly line: number
  readonly ck: TurnIndex.Checkpoint
}

type Legacy = ThreadHistory.State
type Frozen = Legacy["turns"]["items"][number]

const checkpoint = (s: ThreadWork.State): TurnIndex.Checkpoint => ({
  nextItemIndex: s.read.legacy.nextItemIndex,
  rolloutIndex: s.read.legacy.rolloutIndex,
  nextRolloutIndex: s.read.legacy.nextRolloutIndex,
  calls: s.work.calls.length,
  total: s.work.total,
  model: s.work.model
})

class Builder {
  fold: ThreadWork.State
  readonly turns: Array<TurnIndex.Turn>
  readonly frozen: Array<Frozen>
  readonly touches: Array<TurnIndex.Touch>
  readonly usage = new Map<string | null, TurnIndex.Use>()
  readonly callTurn = new Map<string, string | null>()
  readonly ids = new Map<string, number>()
  start: Start | null = null

  /** Turns before `floor` are another pass's: a line that changes one sends the caller back to the start. */
  constructor(
    index: Pick<TurnIndex.Index, "turns" | "metadata" | "touches" | "early"> | null,
    readonly floor: number,
    readonly keep: number = KEEP
  ) {
    const kept = index?.turns.slice(0, floor) ?? []
    this.fold = index === null ? ThreadWork.empty : TurnIndex.seed(index, floor)
    this.turns = kept.slice()
    this.frozen = this.fold.read.legacy.turns.items.slice(0, floor) as Array<Frozen>
    const from = index?.turns[floor]?.offset ?? Number.POSITIVE_INFINITY
    this.touches = index?.touches.filter((t) => t.at < from) ?? []
    kept.forEach((t, i) => {
      this.ids.set(t.id, i)
      if (t.usage !== null) this.usage.set(t.id, t.usage)
    })
    if (index?.early) this.usage.set(null, index.early)
  }

  step(line: RolloutLine.RolloutLine, at: LineRange.Position): void {
    const s0 = this.fold
    let s1: ThreadWork.State
    try {
      s1 = ThreadWork.step(s0, line)
    } catch (e) {
      // A stub's text is "null": a line that changes a stubbed turn fails here.
      if (e instanceof TypeError) throw new Stubbed()
      throw e
    }
    if (s1 === s0) return
    if (s1.read.mode === "paginated") throw new Unindexable("a paginated thread")
    this.history(s0, s1.read.legacy, at)
    this.fold = this.work(s0.work, s1, at)
  }

  private history(s0: ThreadWork.State, l1: Legacy, at: LineRange.Position): void {
    const l0 = s0.read.legacy
    if (l1.turns !== l0.turns) this.finished(l0, l1, at)
    const c0 = l0.current
    const c1 = l1.current
    if (c1 !== null && c1 !== c0 && (c0 === null || c1.turn.id !== c0.turn.id || l1.turns !== l0.turns)) {
      for (let i = this.turns.length - 1; i >= 0 && (this.turns[i] as TurnIndex.Turn).end === 0; i--) this.patch(i, { end: at.offset })
      this.start = { offset: at.offset, line: at.line, ck: checkpoint(s0) }
    }
  }

  /** Reconciles the index's turns with the fold's finished turns after a line changed them. */
  private finished(l0: Legacy, l1: Legacy, at: LineRange.Position): void {
    const items = l1.turns.items as Array<Frozen>
    const len = l1.turns.length
    if (items !== l0.turns.items) {
      const common = Math.min(len, this.turns.length)
      for (let i = 0; i < common; i++) if (items[i] !== this.frozen[i]) this.changed(i, items[i] as Frozen, l1, at)
    }
    if (len < this.turns.length) {
      for (const t of this.turns.splice(len)) if ((this.ids.get(t.id) ?? -1) >= len) this.ids.delete(t.id)
      this.frozen.length = len
      if (len < this.floor) throw new Unindexable("a rollback past where the pass began")
    }
    if (len > this.turns.length + 1) throw new Unindexable("several turns finished by one line")
    if (len === this.turns.length + 1) {
      const f = items[len - 1] as Frozen
      const start = this.start
      if (start === null) throw new Unindexable("a turn finished that the pass did not see begin")
      if (this.ids.has(f.id)) throw new Unindexable(`turn id ${f.id} used twice`)
      this.ids.set(f.id, len - 1)
      this.turns.push({
        id: f.id,
        status: f.status,
        itemCount: f.itemCount,
        offset: start.offset,
        line: start.line,
        ck: start.ck,
        itemsBefore: 0,
        end: 0,
        reach: at.end,
        usage: null
      })
      this.frozen.push(f)
      this.start = null
      // Older turns become stubs, in place: the fold's earlier states, which share the array, are gone.
      const old = len - 1 - this.keep
      if (old >= 0) items[old] = this.frozen[old] = TurnIndex.stub(this.turns[old] as TurnIndex.Turn)
    }
  }

  private changed(i: number, f: Frozen, l1: Legacy, at: LineRange.Position): void {
    const t = this.turns[i] as TurnIndex.Turn
    if (i < this.floor) throw new Unindexable("a line changed a turn before where the pass began")
    if (this.frozen[i]?.json === "null") throw new Stubbed()
    this.frozen[i] = f
    this.patch(i, { status: f.status, itemCount: f.itemCount, reach: Math.max(t.reach, at.end) })
    this.touched(i, l1, at)
  }

  /** Notes a far touch of turn `i` (one that does not belong to the lines being read now). */
  private touched(i: number, l1: Legacy, at: LineRange.Position): void {
    if (i < this.floor) throw new Unindexable("a line changed a turn before where the pass began")
    // The last finished turn's own lines go on until another turn begins (a rollback can make an
    // older turn the last one again: lines then are far from its own).
    const local = l1.current === null && i === this.turns.length - 1 && (this.turns[i] as TurnIndex.Turn).end === 0
    if (!local) this.touches.push({ at: at.offset, target: i })
    const t = this.turns[i] as TurnIndex.Turn
    if (t.reach < at.end) this.patch(i, { reach: at.end })
  }

  /** Work for the turn `turnId` (null: before any turn, shown in the first) came at `at`. */
  private anchored(turnId: string | null, l1: Legacy, at: LineRange.Position): void {
    if (turnId !== null && turnId === l1.current?.turn.id) return
    const i = turnId === null ? (this.turns.length > 0 ? 0 : undefined) : this.ids.get(turnId)
    if (i !== undefined) this.touched(i, l1, at)
  }

  private patch(i: number, p: Partial<TurnIndex.Turn>): void {
    this.turns[i] = { ...(this.turns[i] as TurnIndex.Turn), ...p }
  }

  /** Takes what the index needs from the work log's new entries, and keeps the log small. */
  private work(w0: WorkLog.State, s1: ThreadWork.State, at: LineRange.Position): ThreadWork.State {
    const w1 = s1.work
    if (w1 === w0) return s1
    const calls = w1.calls.items as Array<WorkLog.State["calls"]["items"][number]>
    for (let i = w0.calls.length; i < w1.calls.length; i++) {
      const c = calls[i] as WorkLog.State["calls"]["items"][number]
      this.callTurn.set(c.id, c.anchor.turnId)
      this.anchored(c.anchor.turnId, s1.read.legacy, at)
      calls[i] = STAND_IN
    }
    for (const r of AppendOnly.toArray(w1.results)) {
      const turn = this.callTurn.get(r.callId)
      if (turn !== undefined) this.anchored(turn, s1.read.legacy, at)
      else if (this.floor > 0) throw new Unindexable("an output for a call made before where the pass began")
    }
    for (const u of AppendOnly.toArray(w1.usage)) {
      this.anchored(u.turnId, s1.read.legacy, at)
      const old = this.usage.get(u.turnId)
      this.usage.set(u.turnId, { tokens: old === undefined ? u.tokens : StatsTokens.add(old.tokens, u.tokens), model: u.model ?? old?.model ?? null })
    }
    if (w1.results.length === 0 && w1.usage.length === 0) return s1
    return { read: s1.read, work: { ...w1, results: AppendOnly.empty(), usage: AppendOnly.empty() } }
  }

  /** The index after reading to `end` (`size` bytes were there). */
  done(base: { path: string; head: string; end: number; line: number; size: number; mtimeMs: number }): TurnIndex.Index {
    const legacy = this.fold.read.legacy
    const c = legacy.current
    const turns = this.turns.map((t) => ({ ...t, end: t.end === 0 ? base.end : t.end, usage: this.usage.get(t.id) ?? null }))
    const open = c !== null && (ThreadHistory.itemCount(c) > 0 || c.explicit || c.sawCompaction)
    if (open && this.start !== null) {
      if (this.ids.has(c.turn.id)) throw new Unindexable(`turn id ${c.turn.id} used twice`)
      const s = this.start
      turns.push({
        itemsBefore: 0,
        id: c.turn.id,
        status: c.turn.status,
        itemCount: ThreadHistory.itemCount(c),
        offset: s.offset,
        line: s.line,
        ck: s.ck,
        end: base.end,
        reach: base.end,
        usage: this.usage.get(c.turn.id) ?? null
      })
    } else if (open) throw new Unindexable("an unfinished turn the pass did not see begin")
    if (this.fold.read.mode !== "legacy" && turns.length > 0) throw new Unindexable("not a legacy thread")
    let items = 0
    const counted = turns.map((t) => {
      const before = items
      items += t.itemCount
      return t.itemsBefore === before ? t : { ...t, itemsBefore: before }
    })
    return { ...base, turns: counted, open, touches: this.touches, early: this.usage.get(null) ?? null, metadata: this.fold.read.metadata }
  }
}

const STAND_IN = TurnIndex.STAND_IN

const reader: LineRange.Reader<Builder> = {
  triage: (b, value) => ThreadWork.triage(b.fold, value),
  count: (b, n) => {
    b.fold = ThreadWork.count(b.fold, n)
    return b
  },
  step: (b, line, at) => {
    b.step(line, at)
    return b
  }
}

export interface File {
  readonly path: string
  readonly head: string
  readonly size: number
  readonly mtimeMs: number
}

/** How far a pass has read (bytes), for a caller showing its progress; `cancelled` stops it. */
export interface Progress {
  read: number
  cancelled?: boolean
}

/** The pass was stopped through its `Progress` (the server is closing). */
export class Cancelled extends Error {}

const whole = async (file: File, keep: number, progress?: Progress): Promise<TurnIndex.Index> => {
  const b = new Builder(null, 0, keep)
  const r = await LineRange.fold(file.path, { from: 0, to: file.size, line: 1, whole: false }, b, progress === undefined ? reader : tracked(progress))
  return b.done({ ...file, end: r.end, line: r.line })
}

const tracked = (progress: Progress): LineRange.Reader<Builder> => ({
  ...reader,
  step: (b, line, at) => {
    if (progress.cancelled === true) throw new Cancelled("the turn index pass was stopped")
    progress.read = at.end
    return reader.step(b, line, at)
  }
})

/** How many finished turns a pass keeps whole, and how far back an extension starts (tests make them small). */
export interface Tuning {
  readonly keep?: number
  readonly back?: number
}

/** Indexes the whole file; when a line reaches far back into a stubbed turn, again holding every turn. */
export const build = (file: File, tuning: Tuning = {}, progress?: Progress): Promise<TurnIndex.Index> =>
  whole(file, tuning.keep ?? KEEP, progress).catch((e) => {
    if (e instanceof Stubbed) return whole(file, Number.POSITIVE_INFINITY, progress)
    throw e
  })

/**
 * The index of a file that grew: `index`'s turns up to a few before its end are kept, the rest
 * read again from there to the new end (`from`: the first turn read again); a file that cannot be
 * followed so is indexed again whole (`from` 0).
 */
export const extend = async (index: TurnIndex.Index, file: File, tuning: Tuning = {}): Promise<{ readonly index: TurnIndex.Index; readonly from: number }> => {
  const finished = index.turns.length - (index.open ? 1 : 0)
  const floor = Math.max(0, finished - (tuning.back ?? BACK))
  const from = index.turns[floor]
  if (floor === 0 || from === undefined) return { index: await build(file, tuning), from: 0 }
  const b = new Builder(index, floor, tuning.keep ?? KEEP)
  try {
    const r = await LineRange.fold(file.path, { from: from.offset, to: file.size, line: from.line, whole: false }, b, reader)
    return { index: b.done({ ...file, end: r.end, line: r.line }), from: floor }
  } catch (e) {
    if (e instanceof Unindexable) return { index: await build(file, tuning), from: 0 }
    throw e
  }
}
