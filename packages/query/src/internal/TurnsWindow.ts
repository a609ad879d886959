/**
 * The few turns a `thread/turns/list` page can need, picked from a thread's turns as they stream
 * by, so a page of a long thread is answered without holding the thread. `TurnsPage.page` over the
 * kept turns gives the page it gives over all of them (the same data and cursors): the window keeps
 * the page's turns, one more on each side that decides `nextCursor`, and the cursor's anchor (the
 * first turn with its id, as `TurnsPage` finds it). Without an anchor to find it keeps one turn, so
 * an unknown cursor is still refused and an empty thread still answers an empty page.
 */
import * as TurnsPage from "@rollout/reduce/TurnsPage"

export interface Window<T> {
  /** The next turn, in thread order. */
  readonly push: (id: string, turn: T) => void
  /** The kept turns, in thread order. */
  readonly kept: () => ReadonlyArray<T>
}

/** The first `n` turns pushed. */
const first = <T>(n: number): Window<T> => {
  const kept: Array<T> = []
  return {
    push: (_, turn) => {
      if (kept.length < n) kept.push(turn)
    },
    kept: () => kept
  }
}

/** The last `n` turns pushed, in a ring; `stopAt` ends the window after the first turn with that id. */
const last = <T>(n: number, stopAt?: string): Window<T> => {
  const ring: Array<T> = []
  let next = 0
  let stopped = false
  return {
    push: (id, turn) => {
      if (stopped) return
      if (ring.length < n) ring.push(turn)
      else ring[next] = turn
      next = (next + 1) % n
      stopped = id === stopAt
    },
    kept: () => (ring.length < n ? ring : [...ring.slice(next), ...ring.slice(0, next)])
  }
}

/** From the first turn with id `anchor`, `n` turns; before it, only the thread's first turn. */
const from = <T>(anchor: string, n: number): Window<T> => {
  let kept: Array<T> = []
  let found = false
  return {
    push: (id, turn) => {
      if (!found && id === anchor) {
        found = true
        kept = []
      }
      if (found ? kept.length < n : kept.length === 0) kept.push(turn)
    },
    kept: () => kept
  }
}

/** The window for a page request (legacy threads: cursors anchor on turn ids). */
export const make = <T>(params: TurnsPage.Params): Window<T> => {
  const size = TurnsPage.pageSize(params.limit)
  const asc = (params.sortDirection ?? TurnsPage.defaultSortDirection) === "asc"
  if (params.cursor === undefined || params.cursor === null) return asc ? first(size + 1) : last(size + 1)
  const cursor = TurnsPage.decodeCursor(params.cursor)
  // An unreadable cursor is refused whatever the turns; one turn keeps the thread non-empty.
  if (cursor === undefined) return first(1)
  // The anchor, the page, and one turn past it even when the anchor itself is left out.
  return asc ? from(cursor.turnId, size + 2) : last(size + 2, cursor.turnId)
}
