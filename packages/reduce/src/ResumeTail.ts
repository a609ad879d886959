/**
 * Resume from the end of a rollout: fed lines newest first, it says as soon as the older lines can
 * no longer change `ResumeHistory`'s answer, and gives that answer from the tail alone. The result
 * always equals the forward fold of the whole rollout (`ResumeHistory.finish(fold(all))`); only the
 * amount read differs. A pure builder over typed lines: reading the file backward is the caller's
 * business (`@rollout/log/BackwardReader`), and so is falling back to a forward read.
 *
 * How it knows it may stop. Right after a turn-closing line (`turn_complete`, `task_complete`,
 * an id-less `turn_aborted`, `thread_rolled_back`) the forward fold has no open turn, so its state there is
 * only {view, user-turn stack, token usage}. The tail after that point is folded from a state whose
 * view and stack are *holes*: sentinel values the fold only passes around. If the result never
 * reaches a hole (a replacement-history checkpoint replaced the history, a surviving user turn set
 * the settings, a turn_context or compaction set the reference, no rollback popped a user turn
 * older than the tail, no legacy compaction rebuilt from an unknown history), it is the answer.
 * Otherwise more lines are read and it tries again, only once the tail has doubled (so the work
 * stays linear in the lines read). Token usage is simpler: the newest non-null `token_count.info`
 * in the file wins, whatever the rollbacks.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as TokenUsage from "@rollout/protocol/TokenUsage"
import * as ResumeHistory from "./ResumeHistory.js"

// Holes: unique objects standing for the unknown state before the tail.
const HOLE_ITEM = { type: "__hole__" } as unknown as ResumeHistory.Item
const HOLE_HISTORY: ResumeHistory.Stack<ResumeHistory.Item> = { head: HOLE_ITEM, tail: null }
const HOLE_SETTINGS: ResumeHistory.Settings = { model: "__hole__", comp_hash: null, realtime_active: null }
const HOLE_REFERENCE: ResumeHistory.Reference = { _tag: "Cleared" }
const HOLE_VIEW: ResumeHistory.View = { history: HOLE_HISTORY, settings: HOLE_SETTINGS, reference: HOLE_REFERENCE, legacyCompaction: false }
const HOLE_TURNS: ResumeHistory.Stack<ResumeHistory.View> = { head: HOLE_VIEW, tail: null }
const HOLE_STATE: ResumeHistory.State = { view: HOLE_VIEW, turn: null, userTurns: HOLE_TURNS, tokenUsage: null }

const hasHole = (history: ResumeHistory.Stack<ResumeHistory.Item> | null): boolean => {
  let s = history
  while (s !== null && s.tail !== null) s = s.tail
  return s !== null && s.head === HOLE_ITEM
}

/**
 * After this line the forward fold has no open turn. An abort naming a turn closes only the turn
 * of that id, which the tail alone cannot tell, so it is not a stopping point.
 */
export const closesTurn = (line: RolloutLine.RolloutLine): boolean =>
  line.type === "event_msg" &&
  (line.payload.type === "turn_complete" ||
    line.payload.type === "task_complete" ||
    (line.payload.type === "turn_aborted" && (line.payload.turn_id === undefined || line.payload.turn_id === null)) ||
    line.payload.type === "thread_rolled_back")

/** A compaction that carries the whole replacement history: nothing before it is needed. */
export const isCheckpoint = (line: RolloutLine.RolloutLine): boolean => line.type === "compacted" && line.payload.replacement_history !== undefined

const tokenInfo = (line: RolloutLine.RolloutLine): TokenUsage.TokenUsageInfo | undefined =>
  line.type === "event_msg" && line.payload.type === "token_count" && line.payload.info !== undefined && line.payload.info !== null
    ? line.payload.info
    : undefined

/**
 * The fold of `tail` (newest first) from the hole state, or undefined when the answer depends on
 * what came before it. Token usage is left to the caller.
 */
export const settle = (tail: ReadonlyArray<RolloutLine.RolloutLine>): ResumeHistory.State | undefined => {
  let s = HOLE_STATE
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i] as RolloutLine.RolloutLine
    // A legacy compaction rebuilds from the history so far: it must be known.
    if (line.type === "compacted" && line.payload.replacement_history === undefined && hasHole(s.view.history)) return undefined
    s = ResumeHistory.step(s, line)
    // The rollback popped a user turn older than the tail (or the turn that started from the hole).
    if (line.type === "event_msg" && line.payload.type === "thread_rolled_back" && s.view === HOLE_VIEW) return undefined
  }
  const view = ResumeHistory.current(s)
  if (view.settings === HOLE_SETTINGS || hasHole(view.history)) return undefined
  if (view.reference === HOLE_REFERENCE && !view.legacyCompaction) return undefined
  return s
}

export type Need = "lines" | "token_usage" | "nothing"

/** The lines seen so far (newest first) and, once settled, the answer but for token usage. */
export class ResumeTail {
  private tail: Array<RolloutLine.RolloutLine> = []
  private checkpoint = false
  private triedAt = 0
  private settled: ResumeHistory.State | undefined
  private tokenUsage: TokenUsage.TokenUsageInfo | undefined

  /** What older lines are still needed for: every line, only `token_count` events, or none. */
  need(): Need {
    if (this.settled === undefined) return "lines"
    return this.tokenUsage === undefined ? "token_usage" : "nothing"
  }

  /** Feeds the next older line; returns what is still needed. */
  add(line: RolloutLine.RolloutLine): Need {
    if (this.tokenUsage === undefined) this.tokenUsage = tokenInfo(line)
    if (this.settled !== undefined) return this.need()
    if (this.checkpoint && closesTurn(line) && this.tail.length >= 2 * this.triedAt) {
      this.settled = settle(this.tail)
      if (this.settled !== undefined) {
        this.tail = []
        return this.need()
      }
      this.triedAt = this.tail.length
    }
    this.tail.push(line)
    if (isCheckpoint(line)) this.checkpoint = true
    return "lines"
  }

  /** The answer; `add` has been given every line it asked for (the start of the file was reached otherwise). */
  finish(): ResumeHistory.Output {
    if (this.settled === undefined) {
      // Everything was read: the plain forward fold of the whole rollout.
      let s = ResumeHistory.empty
      for (let i = this.tail.length - 1; i >= 0; i--) s = ResumeHistory.step(s, this.tail[i] as RolloutLine.RolloutLine)
      return ResumeHistory.finish(s)
    }
    return ResumeHistory.finish({ ...this.settled, tokenUsage: this.tokenUsage ?? null })
  }
}

export const make = (): ResumeTail => new ResumeTail()
