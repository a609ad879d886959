/**
 * A timeline over a fold: positions 0..n over a session's n lines (position i is the state after
 * lines 1..i). The lines come in pages (`Pages`), loaded on demand, and the state at each page's
 * start is kept as a snapshot once a move has folded that far, so that any position is reached by
 * folding at most one page from the nearest snapshot at or before it: stepping back never re-folds
 * from the start, and a session is never held whole (only the pages a move reads, a few of them
 * cached). A `Cursor` is a position, its state and the line it just folded; moving it returns a new
 * cursor. Turn marks (the positions where turns start) serve "next/previous turn".
 *
 * It is the model behind `rollout replay --step` and `--at`; it knows nothing of terminals, of
 * files or of which reducer it folds (any `(state, line) => state` works). It does no I/O of its
 * own: pages come from the caller's `load`. Its snapshots and page cache fill in as moves need
 * them, which changes no answer (every move's result is the fold of lines 1..position).
 */

/** A session's lines in pages: page k holds the lines at positions `starts[k]`..`starts[k + 1]` (or `length`). */
export interface Pages<L> {
  /** The number of lines. */
  readonly length: number
  /** Sorted page starts, the first one 0 (empty when there are no lines). */
  readonly starts: ArrayLike<number>
  /** The lines of page `k`. */
  readonly load: (k: number) => Promise<ReadonlyArray<L>>
}

export interface Timeline<S, L> {
  readonly pages: Pages<L>
  readonly step: (state: S, line: L) => S
  /** Sorted positions just after each line that starts a turn (the cursor then shows that line). */
  readonly marks: ArrayLike<number>
  /** `snapshots[k]` is the state at `pages.starts[k]`, for the pages folded so far. */
  readonly snapshots: Array<S>
  /** The pages loaded last, newest last. */
  readonly cache: Array<{ readonly k: number; readonly lines: Promise<ReadonlyArray<L>> }>
}

export interface Cursor<S, L = unknown> {
  readonly position: number
  readonly state: S
  /** The line the cursor just folded (line `position`, 1-based), if any. */
  readonly line: L | undefined
}

export const DEFAULT_EVERY = 256

/** How many loaded pages a timeline keeps: a step back over a page start reads no page again. */
const CACHED = 4

/** A timeline over `pages`; `marks` are the positions just after each line that starts a turn. */
export const paged = <S, L>(pages: Pages<L>, step: (state: S, line: L) => S, initial: S, marks: ArrayLike<number>): Timeline<S, L> => ({
  pages,
  step,
  marks,
  snapshots: [initial],
  cache: []
})

/** Pages of `every` lines over lines held in memory. */
export const pagesOf = <L>(lines: ReadonlyArray<L>, every = DEFAULT_EVERY): Pages<L> => {
  const size = Math.max(1, Math.floor(every))
  const starts: Array<number> = []
  for (let p = 0; p < lines.length; p += size) starts.push(p)
  return { length: lines.length, starts, load: async (k) => lines.slice(k * size, (k + 1) * size) }
}

/** A timeline over lines held in memory, a page every `every` lines; `startsTurn(line)` marks the turns. */
export const make = <S, L>(
  lines: ReadonlyArray<L>,
  step: (state: S, line: L) => S,
  initial: S,
  options: { readonly every?: number; readonly startsTurn?: (line: L) => boolean } = {}
): Timeline<S, L> => {
  const marks: Array<number> = []
  for (let i = 0; i < lines.length; i++) if (options.startsTurn?.(lines[i] as L) === true) marks.push(i + 1)
  return paged(pagesOf(lines, options.every), step, initial, marks)
}

/** The last position (the number of lines). */
export const end = <S, L>(t: Timeline<S, L>): number => t.pages.length

export const clamp = <S, L>(t: Timeline<S, L>, position: number): number => Math.min(Math.max(0, Math.floor(position)), end(t))

/** How many of the sorted `xs` are ≤ `x`. */
const countAtMost = (xs: ArrayLike<number>, x: number): number => {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] as number) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The page that holds the line at 0-based index `i` (0 ≤ i < end). */
const pageOf = <S, L>(t: Timeline<S, L>, i: number): number => countAtMost(t.pages.starts, i) - 1

const startOf = <S, L>(t: Timeline<S, L>, k: number): number => t.pages.starts[k] as number

/** The lines of page `k`, from the cache when it was loaded lately. */
export const page = <S, L>(t: Timeline<S, L>, k: number): Promise<ReadonlyArray<L>> => {
  const hit = t.cache.findIndex((c) => c.k === k)
  const entry = hit === -1 ? { k, lines: t.pages.load(k) } : (t.cache.splice(hit, 1)[0] as Timeline<S, L>["cache"][number])
  t.cache.push(entry)
  if (t.cache.length > CACHED) t.cache.shift()
  // A failed load is not kept: the next move tries again.
  if (hit === -1)
    entry.lines.catch(() => {
      const i = t.cache.indexOf(entry)
      if (i !== -1) t.cache.splice(i, 1)
    })
  return entry.lines
}

/** Keeps `state` as page `k`'s snapshot when it is the next one missing (a concurrent move may have kept it first). */
const keep = <S, L>(t: Timeline<S, L>, k: number, state: S): void => {
  if (k === t.snapshots.length && k < t.pages.starts.length) t.snapshots.push(state)
}

/** The state at page `k`'s start, folding on from the last snapshot kept when it is not one yet. */
const snapshot = async <S, L>(t: Timeline<S, L>, k: number): Promise<S> => {
  while (t.snapshots.length <= k) {
    const j = t.snapshots.length - 1
    const from = t.snapshots[j] as S
    const lines = await page(t, j)
    let s = from
    for (const line of lines) s = t.step(s, line)
    keep(t, j + 1, s)
  }
  return t.snapshots[k] as S
}

/**
 * Folds lines `from`..`to` (0-based, `to` excluded) onto `state`, page by page, keeping the
 * snapshot of each page start it passes. Returns the state and the last line folded.
 */
const foldRange = async <S, L>(t: Timeline<S, L>, state: S, from: number, to: number): Promise<{ readonly state: S; readonly line: L | undefined }> => {
  let s = state
  let line: L | undefined
  for (let i = from; i < to; ) {
    const k = pageOf(t, i)
    const start = startOf(t, k)
    if (i === start) keep(t, k, s)
    const lines = await page(t, k)
    const stop = Math.min(to, start + lines.length)
    for (; i < stop; i++) {
      line = lines[i - start] as L
      s = t.step(s, line)
    }
  }
  return { state: s, line }
}

/** The cursor at `position`, from the nearest snapshot at or before it. */
export const at = async <S, L>(t: Timeline<S, L>, position: number): Promise<Cursor<S, L>> => {
  const p = clamp(t, position)
  if (p === 0) return { position: 0, state: t.snapshots[0] as S, line: undefined }
  const k = pageOf(t, p - 1)
  if (k + 1 < t.pages.starts.length && startOf(t, k + 1) === p && k + 1 < t.snapshots.length) {
    // On a page start whose snapshot is kept: only the line before it is read.
    const lines = await page(t, k)
    return { position: p, state: t.snapshots[k + 1] as S, line: lines[lines.length - 1] }
  }
  const folded = await foldRange(t, await snapshot(t, k), startOf(t, k), p)
  return { position: p, state: folded.state, line: folded.line }
}

/** The state after lines 1..position. */
export const stateAt = async <S, L>(t: Timeline<S, L>, position: number): Promise<S> => (await at(t, position)).state

export const start = <S, L>(t: Timeline<S, L>): Promise<Cursor<S, L>> => at(t, 0)

/**
 * Moves to `position`: forward into the cursor's page or the next one folds on from the cursor's
 * own state (keeping the snapshot it passes); anything else starts from the nearest snapshot.
 */
export const seek = async <S, L>(t: Timeline<S, L>, c: Cursor<S, L>, position: number): Promise<Cursor<S, L>> => {
  const p = clamp(t, position)
  if (p === c.position) return c
  if (p > c.position && pageOf(t, p - 1) <= pageOf(t, c.position) + 1) {
    const folded = await foldRange(t, c.state, c.position, p)
    return { position: p, state: folded.state, line: folded.line }
  }
  return at(t, p)
}

export const next = <S, L>(t: Timeline<S, L>, c: Cursor<S, L>): Promise<Cursor<S, L>> => seek(t, c, c.position + 1)

export const previous = <S, L>(t: Timeline<S, L>, c: Cursor<S, L>): Promise<Cursor<S, L>> => seek(t, c, c.position - 1)

/** The start of the next turn after the cursor (the end when there is none). */
export const nextTurn = <S, L>(t: Timeline<S, L>, c: Cursor<S, L>): Promise<Cursor<S, L>> => {
  const i = countAtMost(t.marks, c.position)
  return seek(t, c, i < t.marks.length ? (t.marks[i] as number) : end(t))
}

/** The start of the turn before the cursor's (the beginning when there is none). */
export const previousTurn = <S, L>(t: Timeline<S, L>, c: Cursor<S, L>): Promise<Cursor<S, L>> => {
  const i = countAtMost(t.marks, c.position - 1)
  return seek(t, c, i === 0 ? 0 : (t.marks[i - 1] as number))
}

/** 1-based index of the turn the position is in (0 before the first turn starts). */
export const turnAt = <S, L>(t: Timeline<S, L>, position: number): number => countAtMost(t.marks, position)

/** The line the cursor just folded (line `position`, 1-based), if any. */
export const current = <S, L>(_t: Timeline<S, L>, c: Cursor<S, L>): L | undefined => c.line
