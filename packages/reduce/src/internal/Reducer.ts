/**
 * What every reducer here shares: a pure `step(state, line)` and the left fold built from it, so
 * folding from a snapshot (`fold(b, fold(a))`) and from scratch (`fold(a ++ b)`) are one code path.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"

export type Step<S> = (state: S, line: RolloutLine.RolloutLine) => S

/** The fold of `step`, starting from `empty` unless a state is given. */
export const foldWith =
  <S>(step: Step<S>, empty: S) =>
  (lines: Iterable<RolloutLine.RolloutLine>, from: S = empty): S => {
    let s = from
    for (const line of lines) s = step(s, line)
    return s
  }
