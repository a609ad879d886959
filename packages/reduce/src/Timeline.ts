/**
 * A timeline over a fold: positions 0..n over a session's n lines (position i is the state after
 * lines 1..i), with a snapshot of the state every `every` lines so that any position is reached by
 * folding at most `every - 1` lines from the nearest snapshot at or before it — stepping back never
 * re-folds from the start. A `Cursor` is a position and its state; moving it is pure and returns a
 * new cursor. Turn marks (the positions where turns start) serve "next/previous turn".
 *
 * It is the model behind `rollout replay --step` and `--at`; it knows nothing of terminals or of
 * which reducer it folds (any `(state, line) => state` works), and it does no I/O.
 */

export interface Timeline<S, L> {
  readonly lines: ReadonlyArray<L>
  readonly step: (state: S, line: L) => S
  /** `snapshots[k]` is the state at position `k * every`. */
  readonly snapshots: ReadonlyArray<S>
  readonly every: number
  /** Sorted positions just after each line that starts a turn (the cursor then shows that line). */
  readonly marks: ReadonlyArray<number>
}

export interface Cursor<S> {
  readonly position: number
  readonly state: S
}

export const DEFAULT_EVERY = 256

/**
 * Folds `lines` once, keeping a snapshot every `every` lines. `startsTurn(line)` marks the turns.
 * Snapshots are states the fold produced anyway: with the reducers' persistent structures they
 * share almost all their memory.
 */
export const make = <S, L>(
  lines: ReadonlyArray<L>,
  step: (state: S, line: L) => S,
  initial: S,
  options: { readonly every?: number; readonly startsTurn?: (line: L) => boolean } = {}
): Timeline<S, L> => {
  const every = Math.max(1, Math.floor(options.every ?? DEFAULT_EVERY))
  const snapshots: Array<S> = [initial]
  const marks: Array<number> = []
  let state = initial
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as L
    if (options.startsTurn?.(line) === true) marks.push(i + 1)
    state = step(state, line)
    if ((i + 1) % every === 0) snapshots.push(state)
  }
  return { lines, step, snapshots, every, marks }
}

/** The last position (the number of lines). */
export const end = <S, L>(t: Timeline<S, L>): number => t.lines.length

export const clamp = <S, L>(t: Timeline<S, L>, position: number): number => Math.min(Math.max(0, Math.floor(position)), end(t))

const foldRange = <S, L>(t: Timeline<S, L>, state: S, from: number, to: number): S => {
  let s = state
  for (let i = from; i < to; i++) s = t.step(s, t.lines[i] as L)
  return s
}

/** The state after lines 1..position, from the nearest snapshot at or before it. */
export const stateAt = <S, L>(t: Timeline<S, L>, position: number): S => {
  const p = clamp(t, position)
  const k = Math.floor(p / t.every)
  return foldRange(t, t.snapshots[k] as S, k * t.every, p)
}

export const at = <S, L>(t: Timeline<S, L>, position: number): Cursor<S> => {
  const p = clamp(t, position)
  return { position: p, state: stateAt(t, p) }
}

export const start = <S, L>(t: Timeline<S, L>): Cursor<S> => at(t, 0)

/**
 * Moves to `position`: forward within one snapshot interval folds on from the cursor's own state;
 * anything else starts from the nearest snapshot.
 */
export const seek = <S, L>(t: Timeline<S, L>, c: Cursor<S>, position: number): Cursor<S> => {
  const p = clamp(t, position)
  if (p === c.position) return c
  if (p > c.position && p - c.position < t.every) return { position: p, state: foldRange(t, c.state, c.position, p) }
  return at(t, p)
}

export const next = <S, L>(t: Timeline<S, L>, c: Cursor<S>): Cursor<S> => seek(t, c, c.position + 1)

export const previous = <S, L>(t: Timeline<S, L>, c: Cursor<S>): Cursor<S> => seek(t, c, c.position - 1)

/** The start of the next turn after the cursor (the end when there is none). */
export const nextTurn = <S, L>(t: Timeline<S, L>, c: Cursor<S>): Cursor<S> => seek(t, c, t.marks.find((m) => m > c.position) ?? end(t))

/** The start of the turn before the cursor's (the beginning when there is none). */
export const previousTurn = <S, L>(t: Timeline<S, L>, c: Cursor<S>): Cursor<S> => {
  let target = 0
  for (const m of t.marks) if (m < c.position) target = m
  return seek(t, c, target)
}

/** 1-based index of the turn the position is in (0 before the first turn starts). */
export const turnAt = <S, L>(t: Timeline<S, L>, position: number): number => {
  let n = 0
  for (const m of t.marks) if (m <= position) n++
  return n
}

/** The line the cursor just folded (line `position`, 1-based), if any. */
export const current = <S, L>(t: Timeline<S, L>, c: Cursor<S>): L | undefined => (c.position === 0 ? undefined : t.lines[c.position - 1])
