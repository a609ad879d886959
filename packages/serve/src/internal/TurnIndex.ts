/**
 * The turn index of one legacy rollout file: where each turn of `rollout history` begins (byte
 * offset and line), the fold state just before that line (counters and stubs of the turns before,
 * see `seed`), and where the lines that shape each turn end. A page of turns is rebuilt by folding
 * only from its first turn's line to the end of its last turn (`span`), through the same fold as
 * the whole-file read. A later line that changes an earlier turn (a late completion, an output for
 * an earlier call) is a `Touch`: a page whose lines hold one starts back at the touched turn, so
 * the page still sees every line that shapes it. Built by `TurnIndexer`; plain data.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import type * as WorkLog from "@rollout/reduce/WorkLog"

/** The fold's counters just before a turn's first line. */
export interface Checkpoint {
  readonly nextItemIndex: number
  readonly rolloutIndex: number
  readonly nextRolloutIndex: number
  /** How many work-log calls came before (their ids count them). */
  readonly calls: number
  readonly total: StatsTokens.Tokens | null
  readonly model: string | null
}

export interface Use {
  readonly tokens: StatsTokens.Tokens
  readonly model: string | null
}

/** A turn of the thread, in order. */
export interface Turn {
  readonly id: string
  readonly status: ThreadItem.TurnStatus
  readonly itemCount: number
  /** Where the line that began it starts, and its line number. */
  readonly offset: number
  readonly line: number
  readonly ck: Checkpoint
  /** Items in the turns before it (what a rollback's item numbering counts). */
  readonly itemsBefore: number
  /** Where the next turn began (the end of the lines that are this turn's own). */
  readonly end: number
  /** Just after the last line that changed it (beyond `end` when a later line did). */
  readonly reach: number
  readonly usage: Use | null
}

/** A line at `at` that changed turn `target`, which began before the turn that line belongs to. */
export interface Touch {
  readonly at: number
  readonly target: number
}

export interface Index {
  readonly path: string
  readonly head: string
  /** Just after the last complete line read; the file's size when it was read. */
  readonly end: number
  readonly line: number
  readonly size: number
  readonly mtimeMs: number
  /** Finished turns, then the unfinished last one (`open`) if the thread shows it. */
  readonly turns: ReadonlyArray<Turn>
  readonly open: boolean
  readonly touches: ReadonlyArray<Touch>
  /** Token use counted before the first turn began (the first turn's, as `WorkedTurns` shows it). */
  readonly early: Use | null
  readonly metadata: ThreadMetadata.State
}

/** Totals of the thread's turns (the page header's, and what token strips are drawn against). */
export interface Sums {
  readonly largest: number
  readonly tokens: number
  readonly costUSD: number | null
}

/**
 * An index as a page reads it: its facts, and its turns fetched by range (from memory, or from
 * the store's rows when a server opens a thread it indexed before, without reading them all).
 */
export interface Paged {
  readonly path: string
  readonly mtimeMs: number
  readonly count: number
  readonly open: boolean
  readonly touches: ReadonlyArray<Touch>
  readonly metadata: ThreadMetadata.State
  readonly sums: Sums
  /** Turns `[from, to)`. */
  readonly turns: (from: number, to: number) => ReadonlyArray<Turn>
}

/** The turn id of work-log stand-ins: no turn has it, so their entries are never shown. */
export const NOWHERE = "\u0000"

type Placed = WorkLog.State["calls"]["items"][number]
type Frozen = ThreadHistory.State["turns"]["items"][number]

/** A work-log call that stands in for one made before the lines read: it keeps the count only. */
export const STAND_IN: Placed = { _tag: "Notice", id: "", level: "warning", message: "", anchor: { turnId: NOWHERE, after: 0 } }

/** A finished turn the fold only counts and finds by id; its text is never read (see `span`). */
export const stub = (t: { readonly id: string; readonly itemCount: number; readonly status: ThreadItem.TurnStatus }): Frozen => ({
  id: t.id,
  itemCount: t.itemCount,
  written: 0,
  status: t.status,
  json: "null"
})

/** The fold's state at a turn start with checkpoint `ck`, the turns before it standing as `stubs`. */
const seeded = (metadata: ThreadMetadata.State, stubs: ReadonlyArray<Frozen>, ck: Turn["ck"]): ThreadWork.State => {
  const legacy: ThreadHistory.State = {
    turns: AppendOnly.fromArray([...stubs]),
    current: null,
    nextItemIndex: ck.nextItemIndex,
    rolloutIndex: ck.rolloutIndex,
    nextRolloutIndex: ck.nextRolloutIndex,
    live: null,
    minted: 0,
    // The stubs stand for every earlier turn: none was handed out of the fold.
    released: 0,
    releasedItems: 0
  }
  const calls: Array<Placed> = new Array(ck.calls).fill(STAND_IN)
  return {
    read: { ...ThreadRead.empty, metadata, mode: "legacy", legacy },
    work: { calls: { items: calls, length: calls.length }, results: AppendOnly.empty(), usage: AppendOnly.empty(), total: ck.total, model: ck.model }
  }
}

/**
 * The fold's state just before turn `k`'s first line, as the whole-file fold has it there save
 * for what no line from there on reads: the earlier turns' contents (stubs keep their ids, item
 * counts and statuses, which ids, rollbacks and completions use) and the earlier calls (stand-ins
 * keep their count, which notice ids use).
 */
export const seed = (index: Pick<Index, "turns" | "metadata">, k: number): ThreadWork.State => {
  const turn = index.turns[k]
  if (k === 0 || turn === undefined) return ThreadWork.empty
  return seeded(index.metadata, index.turns.slice(0, k).map(stub), turn.ck)
}

/**
 * `seed` for a page starting at `turn` (undefined: the first, read from the file's start): the turns before it stand as one stub holding their item count (lines of
 * the page never name them: `span` starts where none does, and a rollback there drops only turns
 * begun after). `finish` gives it back as null, in front of the rebuilt turns.
 */
export const seedPage = (metadata: ThreadMetadata.State, turn: Turn | undefined): ThreadWork.State => {
  if (turn === undefined) return ThreadWork.empty
  return seeded(metadata, [stub({ id: NOWHERE, itemCount: turn.itemsBefore, status: "completed" })], turn.ck)
}

/** The lines to fold for turns `[a, b)`: from turn `lo`'s first line to `to` (null: the end of the file). */
export interface Span {
  readonly lo: number
  readonly from: number
  readonly line: number
  readonly to: number | null
}

const farthest = (index: Paged, turns: ReadonlyArray<Turn>, lo: number, b: number): number | null => {
  let hi = 0
  for (let k = lo; k < b; k++) {
    const t = turns[k - lo]
    if (t === undefined || (index.open && k === index.count - 1)) return null
    hi = Math.max(hi, t.end, t.reach)
  }
  return hi
}

/**
 * Which lines rebuild turns `[a, b)`: their own and every later line that changed one of them; and
 * if such a line (or any in between) changed a turn before them, from that turn on, until no line
 * read changes a turn before the first one read. Also gives the turns `[lo, b)`.
 */
export const span = (index: Paged, a: number, b: number): Span & { readonly turns: ReadonlyArray<Turn> } => {
  let lo = a
  let turns = index.turns(lo, b)
  let hi = farthest(index, turns, lo, b)
  for (;;) {
    const start = turns[0]?.offset ?? 0
    const back = index.touches.reduce((m, t) => (t.at >= start && (hi === null || t.at < hi) && t.target < m ? t.target : m), lo)
    if (back === lo) break
    lo = back
    turns = index.turns(lo, b)
    hi = farthest(index, turns, lo, b)
  }
  // The first turn's page starts at the file's first line: work before any turn belongs to it.
  if (lo === 0) return { lo, from: 0, line: 1, to: hi, turns }
  const first = turns[0] as Turn
  return { lo, from: first.offset, line: first.line, to: hi, turns }
}

/** Each turn's usage as `WorkedTurns` shows it: its own, else (the first turn) what came before any. */
export const usageOf = (index: Pick<Index, "turns" | "early">, k: number): Use | null => index.turns[k]?.usage ?? (k === 0 ? index.early : null)
