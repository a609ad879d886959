/**
 * What every human view shows of a turn: Codex's `thread/read` items with the work log's entries
 * (`@rollout/reduce/WorkLog`) put between them where they happened, and the turn's token use. An
 * entry that `thread/read` already has an item for (same id: a paginated command, a legacy
 * patch or web search) is left out, so nothing shows twice; so is an error the turn already
 * reports. Entries of turns that no longer exist (rolled back) are dropped. Pure.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type * as ThreadWork from "@rollout/reduce/ThreadWork"
import type * as WorkLog from "@rollout/reduce/WorkLog"

export interface Use {
  readonly tokens: StatsTokens.Tokens
  readonly model: string | null
}

/** A thread and, when it was read with it, its work log. */
export interface Input {
  readonly thread: ThreadItem.Thread
  readonly work?: ReadonlyArray<WorkLog.Entry> | undefined
  readonly usage?: ReadonlyMap<string | null, Use> | undefined
}

export type Part = { readonly _tag: "Item"; readonly item: ThreadItem.ThreadItem } | { readonly _tag: "Work"; readonly entry: WorkLog.Entry }

export interface TurnView {
  readonly turn: ThreadItem.Turn
  /** 1-based. */
  readonly n: number
  readonly parts: ReadonlyArray<Part>
  readonly usage: Use | null
}

const shown = (turn: ThreadItem.Turn, entry: WorkLog.Entry, ids: ReadonlySet<string>): boolean => {
  if (ids.has(entry.id)) return false
  return !(entry._tag === "Notice" && entry.level === "error" && turn.error !== null && turn.error.message === entry.message)
}

const merge = (turn: ThreadItem.Turn, entries: ReadonlyArray<WorkLog.Entry>): ReadonlyArray<Part> => {
  const ids = new Set(turn.items.map((i) => i.id))
  const work = entries.filter((e) => shown(turn, e, ids))
  if (work.length === 0) return turn.items.map((item) => ({ _tag: "Item", item }))
  const out: Array<Part> = []
  let w = 0
  turn.items.forEach((item, k) => {
    for (; w < work.length && (work[w] as WorkLog.Entry).anchor.after <= k; w++) out.push({ _tag: "Work", entry: work[w] as WorkLog.Entry })
    out.push({ _tag: "Item", item })
  })
  for (; w < work.length; w++) out.push({ _tag: "Work", entry: work[w] as WorkLog.Entry })
  return out
}

/** The turns with their parts in order; without a work log, just the items. */
export const turns = (input: Input): ReadonlyArray<TurnView> => ofTurns(input.thread.turns, input.work, input.usage)

/** `turns` for a list of turns (a replay's thread so far). */
export const ofTurns = (
  list: ReadonlyArray<ThreadItem.Turn>,
  work?: ReadonlyArray<WorkLog.Entry>,
  usage?: ReadonlyMap<string | null, Use>
): ReadonlyArray<TurnView> => {
  const input = { work, usage }
  const byTurn = new Map<string | null, Array<WorkLog.Entry>>()
  for (const e of input.work ?? []) {
    const list = byTurn.get(e.anchor.turnId)
    if (list === undefined) byTurn.set(e.anchor.turnId, [e])
    else list.push(e)
  }
  // Work before the first turn began (no turn yet) opens the first turn.
  const first = list[0]
  const early = byTurn.get(null) ?? []
  const seen = new Set<string>()
  return list.map((turn, i) => {
    const own = seen.has(turn.id) ? [] : (byTurn.get(turn.id) ?? [])
    seen.add(turn.id)
    const entries = turn === first && early.length > 0 ? [...early.map((e) => ({ ...e, anchor: { turnId: turn.id, after: 0 } })), ...own] : own
    const usage = input.usage?.get(turn.id) ?? (turn === first ? (input.usage?.get(null) ?? null) : null)
    return { turn, n: i + 1, parts: merge(turn, entries), usage }
  })
}

/** A turn a streamed read handed out (`ThreadWork.release`), numbered as among all the thread's turns. */
export const ofReleased = (r: ThreadWork.Released): TurnView => ({ ...(ofTurns([r.turn], r.work, r.usage)[0] as TurnView), n: r.index + 1 })

/** Every command of a turn view, from either source, in order (for counts in a table of contents). */
export const commandCount = (t: TurnView): number =>
  t.parts.filter((p) => (p._tag === "Work" ? p.entry._tag === "Command" : p.item.type === "commandExecution")).length
