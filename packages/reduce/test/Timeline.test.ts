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
const apply = <L>(t: Timeline.Timeline<S, L>, c: Timeline.Cursor<S, L>, m: Move): Promise<Timeline.Cursor<S, L>> => {
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

/** Pages of the given sizes over `lines` (the last one takes the rest), counting the pages loaded. */
const pagesOfSizes = (lines: ReadonlyArray<number>, sizes: ReadonlyArray<number>) => {
  const starts: Array<number> = []
  for (let p = 0, i = 0; p < lines.length; p += sizes[i++ % sizes.length] as number) starts.push(p)
  const loads: Array<number> = []
  const pages: Timeline.Pages<number> = {
    length: lines.length,
    starts,
    load: async (k) => {
      loads.push(k)
      return lines.slice(starts[k], starts[k + 1] ?? lines.length)
    }
  }
  return { pages, loads }
}

const marksOf = (lines: ReadonlyArray<number>) => lines.flatMap((x, i) => (x === 0 ? [i + 1] : []))

describe("Timeline: any walk over the positions sees the fold of lines 1..i", () => {
  it("state at position i, reached by any sequence of moves, equals folding lines 1..i; the line shown is line i", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 70 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.array(move, { maxLength: 60 }),
        async (lines, sizes, moves) => {
          const { pages } = pagesOfSizes(lines, sizes)
          const t = Timeline.paged(pages, step, initial, marksOf(lines))
          let c = await Timeline.start(t)
          for (const m of moves) {
            c = await apply(t, c, m)
            expect(c.position).toBeGreaterThanOrEqual(0)
            expect(c.position).toBeLessThanOrEqual(lines.length)
            expect(c.state).toEqual(foldTo(lines, c.position))
            expect(Timeline.current(t, c)).toBe(c.position === 0 ? undefined : lines[c.position - 1])
            // Snapshots are kept in order and only those a move folded past: each is the fold to its page start.
            t.snapshots.forEach((snap, k) => expect(snap).toEqual(foldTo(lines, pages.starts[k] as number)))
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it("moves interleaved (as a server's requests are) keep every snapshot in its place", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 90 }),
        fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 8 }),
        async (lines, targets) => {
          const { pages } = pagesOfSizes(lines, [4, 7])
          const t = Timeline.paged(pages, step, initial, [])
          const states = await Promise.all(targets.map((p) => Timeline.stateAt(t, p)))
          states.forEach((s, i) => expect(s).toEqual(foldTo(lines, Math.min(targets[i] as number, lines.length))))
          t.snapshots.forEach((snap, k) => expect(snap).toEqual(foldTo(lines, pages.starts[k] as number)))
        }
      ),
      { numRuns: 200 }
    )
  })

  it("stepping back re-folds from the nearest snapshot, never from the start", async () => {
    let calls = 0
    const counted = (s: S, x: number) => {
      calls++
      return step(s, x)
    }
    const lines = Array.from({ length: 1000 }, (_, i) => i % 10)
    const t = Timeline.make(lines, counted, initial, { every: 16 })
    let c = await Timeline.at(t, 1000)
    for (let i = 0; i < 200; i++) {
      calls = 0
      c = await Timeline.previous(t, c)
      expect(calls).toBeLessThan(16)
    }
    expect(c.position).toBe(800)
    calls = 0
    c = await Timeline.next(t, c)
    expect(calls).toBe(1)
  })

  it("reads only the pages a move needs, a few of them cached: the session is never loaded whole", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => i % 10)
    const { pages, loads } = pagesOfSizes(lines, [256])
    // A running hash only (the list of lines seen would make this long fold quadratic).
    const hash = (h: number, x: number) => (Math.imul(h, 31) + x) | 0
    const t = Timeline.paged(pages, hash, 7, marksOf(lines))
    let c = await Timeline.start(t)
    expect(loads).toEqual([])
    for (let i = 0; i < 600; i++) c = await Timeline.next(t, c)
    // Stepping on from the start reads the pages it enters, once each, and keeps their snapshots.
    expect(loads).toEqual([0, 1, 2])
    expect(t.snapshots.length).toBe(3)
    for (let i = 0; i < 600; i++) c = await Timeline.previous(t, c)
    expect(loads).toEqual([0, 1, 2])
    expect(c.position).toBe(0)
    // A jump far ahead folds the pages before it once (their snapshots kept), then steps back cheaply.
    loads.length = 0
    c = await Timeline.seek(t, c, 50_000)
    expect(loads.length).toBe(Math.floor(50_000 / 256) + 1 - 3)
    loads.length = 0
    c = await Timeline.previous(t, c)
    c = await Timeline.nextTurn(t, await Timeline.previousTurn(t, c))
    expect(loads.length).toBeLessThanOrEqual(1)
    expect(c.state).toBe(lines.slice(0, c.position).reduce(hash, 7))
  })

  it("turn marks: next/previous turn land just after the line that starts a turn", async () => {
    const lines = [5, 0, 1, 2, 0, 3, 0, 4]
    const t = Timeline.make(lines, step, initial, { every: 3, startsTurn: (x) => x === 0 })
    expect(Array.from(t.marks)).toEqual([2, 5, 7])
    let c = await Timeline.start(t)
    c = await Timeline.nextTurn(t, c)
    expect([c.position, Timeline.turnAt(t, c.position), Timeline.current(t, c)]).toEqual([2, 1, 0])
    c = await Timeline.nextTurn(t, await Timeline.nextTurn(t, c))
    expect(c.position).toBe(7)
    expect((await Timeline.nextTurn(t, c)).position).toBe(8)
    expect((await Timeline.previousTurn(t, c)).position).toBe(5)
    expect((await Timeline.previousTurn(t, await Timeline.at(t, 2))).position).toBe(0)
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

  it("the turns at any position, reached by random moves, equal thread/read's turns of lines 1..i", async () => {
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const lines = typed(file)
      const t = Timeline.make(lines, ThreadHistory.step, ThreadHistory.empty, { every: 8 })
      const turnsOf = (s: ThreadHistory.State) => ThreadHistory.normalize(ThreadHistory.finish(s))
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: -1, max: lines.length + 1 }), { minLength: 1, maxLength: 8 }), async (targets) => {
          let c = await Timeline.start(t)
          for (const to of targets) {
            c = to === -1 ? await Timeline.previous(t, c) : await Timeline.seek(t, c, to)
            expect(turnsOf(c.state)).toEqual(ThreadHistory.turns(lines.slice(0, c.position)))
          }
        }),
        { numRuns: 15 }
      )
    }
  })
})
