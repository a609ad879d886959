import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as FileScan from "@rollout/store/FileScan"
import * as ForkCopies from "../src/internal/ForkCopies.js"
import * as Home from "./support/Home.js"

/**
 * A fork's scan with its parent's notes (`ForkCopies`) must be the scan without them: the same
 * documents, offsets, line numbers, turns, states and tail, read whole or in slices, whatever the
 * fork copied (all of the parent, a prefix, lines left out, other timestamp lengths) and however
 * the parent changed after it was scanned.
 */

const PARENT = Home.uuid(1)
const FORK = Home.uuid(2)

const line = fc.oneof(
  { weight: 1, arbitrary: Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }).map((l) => [RolloutLine.encode(l)]) },
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.nat(20), fc.string({ maxLength: 40 }))
      .map(([n, s]) => Home.turn(`t${n}`, n * 1000, `ask ${s}`, `say ${s}`, { cmd: "ls", output: s }))
  },
  { weight: 1, arbitrary: fc.constantFrom([""], ["{broken"], ['{"timestamp":"x","type":"event_msg","payload":{"type":"user_message"']) }
)

/** How the fork copies its parent's lines. */
const how = fc.record({
  /** Lines of the parent copied (from the start); past its end means all. */
  cut: fc.oneof({ weight: 2, arbitrary: fc.constant(1e9) }, { weight: 1, arbitrary: fc.nat(120) }),
  /** A line left out of the copy (by index), or none. */
  leftOut: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(120) }),
  /** The new timestamps' form: Codex's, or longer (offsets then differ). */
  stamp: fc.oneof({ weight: 2, arbitrary: fc.constant("2026-11-22T10:00:00.000Z") }, { weight: 1, arbitrary: fc.constant("2026-11-22T10:00:00.000000Z") })
})

const scanAll = async (file: string, slice: number, copies: ForkCopies.Cache | undefined): Promise<Array<FileScan.Scan>> => {
  const options = (maxBytes: number) => (copies === undefined ? { maxBytes } : { maxBytes, copies })
  const scans = [await FileScan.scan(file, undefined, undefined, options(slice))]
  for (let last = scans[0] as FileScan.Scan; last.partial; last = scans[scans.length - 1] as FileScan.Scan)
    scans.push(await FileScan.scan(file, { offset: last.offset, headHash: last.headHash, state: last.state }, undefined, options(slice)))
  return scans
}

/**
 * What the index holds after a file's scans: every document, the last position and state. (A
 * copy is taken whole, past a slice's budget, so the slices themselves may differ.)
 */
const stored = (scans: ReadonlyArray<FileScan.Scan>) => {
  const last = scans[scans.length - 1] as FileScan.Scan
  return {
    from: scans[0]?.from,
    offset: last.offset,
    size: last.size,
    headHash: last.headHash,
    state: last.state,
    tail: last.tail,
    docs: scans.flatMap((s) => s.docs),
    diagnostics: scans.flatMap((s) => s.diagnostics)
  }
}

/**
 * A fork's scans with the copy they took written out: the parent's documents (from its scans),
 * moved to the fork's places, before the fork's own; the copy's first and last are checked too.
 */
const expanded = (scans: ReadonlyArray<FileScan.Scan>, parentScans: ReadonlyArray<FileScan.Scan>): ReadonlyArray<FileScan.Scan> => {
  const [head, ...rest] = scans
  if (head?.copy === undefined) return scans
  const { copy, ...plain } = head
  const lead = parentScans
    .flatMap((s) => s.docs)
    .slice(0, copy.docs)
    .map((d) => ({ ...d, offset: d.offset + copy.offset, line: d.line + copy.line }))
  expect(lead.length).toBe(copy.docs)
  expect(copy.first).toEqual(lead[0])
  expect(copy.last).toEqual(lead[lead.length - 1])
  return [{ ...plain, docs: [...lead, ...head.docs] }, ...rest]
}

const write = (dir: string, name: string, lines: ReadonlyArray<string>, terminated = true): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, lines.join("\n") + (terminated ? "\n" : ""))
  return file
}

const family = (
  dir: string,
  parentLines: ReadonlyArray<string>,
  own: ReadonlyArray<string>,
  h: { cut: number; leftOut: number | undefined; stamp: string }
) => {
  const parent = write(dir, `rollout-2026-11-21T00-00-00-${PARENT}.jsonl`, [Home.sessionMeta(PARENT, 0), ...parentLines])
  const all = fs.readFileSync(parent, "utf8").split("\n").slice(0, -1)
  const copiedLines = all.slice(0, h.cut).filter((_, i) => i !== h.leftOut)
  const fork = write(dir, `rollout-2026-11-22T10-00-00-${FORK}.jsonl`, [
    Home.sessionMeta(FORK, 1000, { forkedFromId: PARENT }),
    ...copiedLines.map((l) => Home.restamp(l, h.stamp)),
    ...own
  ])
  return { parent, fork }
}

describe("ForkCopies: a fork's copy taken from its parent's scan", () => {
  it("gives the scan the fork has without it, whatever the copy and the slices", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }).map((ls) => ls.flat()),
        fc.array(line, { maxLength: 4 }).map((ls) => ls.flat()),
        how,
        fc.integer({ min: 300, max: 6000 }),
        fc.integer({ min: 300, max: 6000 }),
        async (parentLines, own, h, parentSlice, forkSlice) => {
          const dir = Home.tempDir()
          const { parent, fork } = family(dir, parentLines, own, h)
          const copies = new ForkCopies.Cache()
          const parentScans = await scanAll(parent, parentSlice, copies)
          const withNotes = await scanAll(fork, forkSlice, copies)
          const without = await scanAll(fork, forkSlice, undefined)
          expect(stored(expanded(withNotes, parentScans))).toEqual(stored(without))
          fs.rmSync(dir, { recursive: true, force: true })
        }
      ),
      { numRuns: 200 }
    )
  })

  it("takes a whole copy of a parent read whole or in slices, with the fork's own lines after it", async () => {
    const dir = Home.tempDir()
    const parentLines = Array.from({ length: 30 }, (_, i) => Home.turn(`t${i}`, i * 1000, `ask ${i}`, `say ${i}`, { cmd: "ls", output: `out ${i}` })).flat()
    const own = Home.turn("own", 99_000, "ask own", "say own", { cmd: "pwd", output: "/" })
    const { parent, fork } = family(dir, parentLines, own, { cut: 1e9, leftOut: undefined, stamp: "2026-11-22T10:00:00.000Z" })
    for (const slice of [Number.POSITIVE_INFINITY, 2000]) {
      const copies = new ForkCopies.Cache()
      const parentScans = await scanAll(parent, slice, copies)
      const withNotes = await scanAll(fork, Number.POSITIVE_INFINITY, copies)
      expect(copies.taken).toBe(1)
      expect(stored(expanded(withNotes, parentScans))).toEqual(stored(await scanAll(fork, Number.POSITIVE_INFINITY, undefined)))
      // The copy stands for the parent's documents; the scan holds only the fork's own.
      expect(withNotes[0]?.copy?.docs).toBe(4 * 30)
      expect(withNotes[0]?.docs.length).toBe(4)
    }
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it("reads the fork again when the parent changed after it was scanned, or starts its turns from timestamps", async () => {
    const dir = Home.tempDir()
    const parentLines = Array.from({ length: 5 }, (_, i) => Home.turn(`t${i}`, i * 1000, `ask ${i}`, `say ${i}`, { cmd: "ls", output: `out ${i}` })).flat()
    const how = { cut: 1e9, leftOut: undefined, stamp: "2026-11-22T10:00:00.000Z" }
    const { parent } = family(dir, parentLines, [], how)
    // A whole second, which `utimes` sets back exactly (a file's own time has more digits than it keeps).
    const time = new Date("2026-11-21T00:00:00Z")
    fs.utimesSync(parent, time, time)

    // Rewritten with the same size and modification time, but another inode: not trusted. The fork
    // copies the new parent, so its bytes match and only the notes (of the old one) are stale.
    const copies = new ForkCopies.Cache()
    await scanAll(parent, Number.POSITIVE_INFINITY, copies)
    const stat = fs.statSync(parent)
    const { fork } = family(
      dir,
      parentLines.map((l) => l.replace("out 1", "OUT 1")),
      [],
      how
    )
    const expected = stored(await scanAll(fork, Number.POSITIVE_INFINITY, undefined))
    fs.copyFileSync(parent, `${parent}.new`)
    fs.utimesSync(`${parent}.new`, time, time)
    fs.renameSync(`${parent}.new`, parent)
    const now = fs.statSync(parent)
    expect([now.size, now.mtimeMs]).toEqual([stat.size, stat.mtimeMs])
    expect(now.ino).not.toBe(stat.ino)
    expect(stored(await scanAll(fork, Number.POSITIVE_INFINITY, copies))).toEqual(expected)
    expect(copies.taken).toBe(0)

    // A turn start without `started_at` takes its time from its timestamp, which the fork changed.
    const stamped = (l: string) => l.replace(/"started_at":\d+,/, "")
    const { parent: p2, fork: f2 } = family(dir, parentLines.map(stamped), [], { cut: 1e9, leftOut: undefined, stamp: "2026-11-22T10:00:00.000Z" })
    const copies2 = new ForkCopies.Cache()
    await scanAll(p2, Number.POSITIVE_INFINITY, copies2)
    const got = stored(await scanAll(f2, Number.POSITIVE_INFINITY, copies2))
    expect(copies2.taken).toBe(0)
    expect(got).toEqual(stored(await scanAll(f2, Number.POSITIVE_INFINITY, undefined)))
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
