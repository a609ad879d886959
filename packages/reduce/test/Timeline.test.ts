import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as Timeline from "@rollout/reduce/Timeline"

/** A fold that remembers order (so a wrong or repeated line shows): a running hash and the list. */
interface S {
  readonly hash: number
  readonly seen: ReadonlyArray<number>
}
const initial: S = { hash: 7, seen: [] }
const step = (s: S, x: number): S => ({ hash: (Math.imul(s.hash, 31) + x) | 0, seen: [...s.seen, x] })
const foldTo = (lines: ReadonlyArray<number>, i: number): S => lines.slice(0, i).reduce(step, initial)

type Move = { readonly _tag: "next" | "previous" | "nextTurn" | "previousTurn" } | { readonly _tag: "seek"; readonly to: number }
const move: fc.Arbitrary<Move> = fc.oneof(
  fc.constantFrom<Move>({ _tag: "next" }, { _tag: "previous" }, { _tag: "nextTurn" }, { _tag: "previousTurn" }),
  fc.integer({ min: -3, max: 80 }).map((to): Move => ({ _tag: "seek", to }))
)
const apply = <L>(t: Timeline.Timeline<S, L>, c: Timeline.Cursor<S>, m: Move): Timeline.Cursor<S> => {
  switch (m._tag) {
    case "next":
      return Timeline.next(t, c)
    case "previous":
      return Timeline.previous(t, c)
    case "nextTurn":
      return Timeline.nextTurn(t, c)
    case "previousTurn":
      return Timeline.previousTurn(t, c)
    case "seek":
      return Timeline.seek(t, c, m.to)
    default: {
      const never: never = m
      return never
    }
  }
}

describe("Timeline: any walk over the positions sees the fold of lines 1..i", () => {
  it("state at position i, reached by any sequence of moves, equals folding lines 1..i", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 70 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(move, { maxLength: 60 }),
        (lines, every, moves) => {
          const t = Timeline.make(lines, step, initial, { every, startsTurn: (x) => x === 0 })
          let c = Timeline.start(t)
          for (const m of moves) {
            c = apply(t, c, m)
            expect(c.position).toBeGreaterThanOrEqual(0)
            expect(c.position).toBeLessThanOrEqual(lines.length)
            expect(c.state).toEqual(foldTo(lines, c.position))
            expect(Timeline.current(t, c)).toBe(c.position === 0 ? undefined : lines[c.position - 1])
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it("stepping back re-folds from the nearest snapshot, never from the start", () => {
    let calls = 0
    const counted = (s: S, x: number) => {
      calls++
      return step(s, x)
    }
    const lines = Array.from({ length: 1000 }, (_, i) => i % 10)
    const t = Timeline.make(lines, counted, initial, { every: 16 })
    let c = Timeline.at(t, 1000)
    for (let i = 0; i < 200; i++) {
      calls = 0
      c = Timeline.previous(t, c)
      expect(calls).toBeLessThan(16)
    }
    expect(c.position).toBe(800)
    calls = 0
    c = Timeline.next(t, c)
    expect(calls).toBe(1)
  })

  it("turn marks: next/previous turn land just after the line that starts a turn", () => {
    const lines = [5, 0, 1, 2, 0, 3, 0, 4]
    const t = Timeline.make(lines, step, initial, { every: 3, startsTurn: (x) => x === 0 })
    expect(t.marks).toEqual([2, 5, 7])
    let c = Timeline.start(t)
    c = Timeline.nextTurn(t, c)
    expect([c.position, Timeline.turnAt(t, c.position), Timeline.current(t, c)]).toEqual([2, 1, 0])
    c = Timeline.nextTurn(t, Timeline.nextTurn(t, c))
    expect(c.position).toBe(7)
    expect(Timeline.nextTurn(t, c).position).toBe(8)
    expect(Timeline.previousTurn(t, c).position).toBe(5)
    expect(Timeline.previousTurn(t, Timeline.at(t, 2)).position).toBe(0)
  })
})

describe("Timeline over ThreadHistory on the real rollouts", () => {
  const root = fileURLToPath(new URL("../../../rollouts/sessions", import.meta.url))
  const files = (readdirSync(root, { recursive: true }) as Array<string>).filter((f) => f.endsWith(".jsonl")).map((f) => join(root, f))
  const typed = (path: string) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .flatMap((l) => {
        const d = RolloutLine.decode(JSON.parse(l))
        return d._tag === "Known" ? [d.line] : []
      })

  it("the turns at any position, reached by random moves, equal thread/read's turns of lines 1..i", () => {
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const lines = typed(file)
      const t = Timeline.make(lines, ThreadHistory.step, ThreadHistory.empty, { every: 8 })
      const turnsOf = (s: ThreadHistory.State) => ThreadHistory.normalize(ThreadHistory.finish(s))
      fc.assert(
        fc.property(fc.array(fc.integer({ min: -1, max: lines.length + 1 }), { minLength: 1, maxLength: 8 }), (targets) => {
          let c = Timeline.start(t)
          for (const to of targets) {
            c = to === -1 ? Timeline.previous(t, c) : Timeline.seek(t, c, to)
            expect(turnsOf(c.state)).toEqual(ThreadHistory.turns(lines.slice(0, c.position)))
          }
        }),
        { numRuns: 15 }
      )
    }
  })
})
