import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as SegmentWriter from "@rollout/log/SegmentWriter"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsCorpus from "./support/StatsCorpus.js"
import * as StatsPool from "@rollout/query/StatsPool"
import * as StatsScan from "../src/internal/StatsScan.js"

const home = path.resolve("/home/test/.codex")
const dir = path.join(home, "sessions/2026/07/14")
const PARENT = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const CHILD = "0198f2a4-5b6c-7d8e-9f00-aaaaaaaaaaaa"
const T0 = Date.UTC(2026, 6, 14, 8)

const stats = async (files: Record<string, string>) => {
  const paths = Object.keys(files).sort()
  // Small read chunks, so that a fork and its parent are matched across many read batches.
  const partials = await StatsPool.run({ files: Files.memory(files, 997), paths, codexHome: home, jobs: 1 })
  return StatsReport.merge(partials, "session")
}

const summary = (r: StatsReport.Report) => ({
  tokens: r.totals.tokens,
  turns: { started: r.totals.turns.started, completed: r.totals.turns.completed, failed: r.totals.turns.failed, aborted: r.totals.turns.aborted },
  tools: Object.fromEntries(r.totals.tools.map((t) => [t.tool, { calls: t.calls, failures: t.failures, durationMs: t.durationMs }])),
  errors: Object.fromEntries(r.totals.errors.map((e) => [e.codexErrorInfo, e.count]))
})

const expected = (t: StatsCorpus.Truth) => ({
  tokens: t.tokens,
  turns: { started: t.turns.started, completed: t.turns.completed, failed: t.turns.failed, aborted: t.turns.aborted },
  tools: t.tools,
  errors: t.errors
})

const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

/** A parent session of random turns: its lines and what they add. */
const parentOf = (seed: number, turns: number) => {
  const rand = StatsCorpus.prng(seed)
  const w = new StatsCorpus.Writer(PARENT, T0)
  const lines = [StatsCorpus.sessionMeta(PARENT, T0)]
  for (let i = 0; i < turns; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
  return { lines, truth: w.truth, end: w.ms }
}

const ownTurns = (seed: number, turns: number, seedTotal: ReturnType<typeof StatsCorpus.runningAt>, from: number) => {
  const rand = StatsCorpus.prng(seed + 7)
  const w = new StatsCorpus.Writer(CHILD, from, seedTotal)
  const lines: Array<string> = []
  for (let i = 0; i < turns; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
  return { lines, truth: w.truth }
}

const parentPath = path.join(dir, StatsCorpus.fileName(PARENT, T0))
const childPath = path.join(dir, StatsCorpus.fileName(CHILD, T0 + 3_600_000))

describe("StatsScan forks", () => {
  it("forking a rollout (copying any prefix of it) never changes the totals; the fork's own turns add exactly themselves", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.integer({ min: 0, max: 3 }), async (seed, turns, at, own) => {
        const parent = parentOf(seed, turns)
        const cut = 1 + (at % parent.lines.length)
        const forkAt = parent.end + 60_000
        const mine = ownTurns(seed, own, StatsCorpus.runningAt(parent.lines, cut), forkAt + 1000)
        const child = [StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), ...StatsCorpus.copied(parent.lines, cut, forkAt), ...mine.lines]
        const alone = await stats({ [parentPath]: text(parent.lines) })
        const both = await stats({ [parentPath]: text(parent.lines), [childPath]: text(child) })
        expect(summary(alone)).toEqual(expected(parent.truth))
        expect(summary(both)).toEqual(expected(StatsCorpus.addTruth(parent.truth, mine.truth)))
        expect(both.totals.copiedLines).toBe(cut)
        expect(both.diagnostics).toEqual([])
      }),
      { numRuns: 40 }
    )
  })

  it("a paginated fork (history_base, nothing copied) adds only its own usage, though its running total starts at the parent's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.integer({ min: 1, max: 3 }), async (seed, turns, at, own) => {
        const parent = parentOf(seed, turns)
        const cut = 1 + (at % parent.lines.length)
        const offset = Buffer.byteLength(text(parent.lines.slice(0, cut)))
        const mine = ownTurns(seed, own, StatsCorpus.runningAt(parent.lines, cut), parent.end + 2000)
        const meta = StatsCorpus.sessionMeta(CHILD, parent.end + 1000, {
          forkedFromId: PARENT,
          historyBase: { threadId: PARENT, endOrdinalExclusive: cut, endByteOffset: offset }
        })
        const both = await stats({ [parentPath]: text(parent.lines), [childPath]: text([meta, ...mine.lines]) })
        expect(summary(both)).toEqual(expected(StatsCorpus.addTruth(parent.truth, mine.truth)))
      }),
      { numRuns: 25 }
    )
  })

  it("given a fork whose copy left out some of the parent's lines (a newer persistence policy), then the copy is still found", async () => {
    const parent = parentOf(11, 5)
    const extra = (i: number) => `{"timestamp":"2026-07-14T08:00:00.000Z","type":"event_msg","payload":{"type":"agent_reasoning","text":"thinking ${i}"}}`
    const written = parent.lines.flatMap((l, i) => (i > 0 && i % 5 === 0 ? [extra(i), l] : [l]))
    const mine = ownTurns(11, 2, StatsCorpus.runningAt(parent.lines, parent.lines.length), parent.end + 2000)
    const child = [
      StatsCorpus.sessionMeta(CHILD, parent.end + 1000, { forkedFromId: PARENT }),
      ...StatsCorpus.copied(parent.lines, parent.lines.length, parent.end + 1000),
      ...mine.lines
    ]
    const r = await stats({ [parentPath]: text(written), [childPath]: text(child) })
    expect(summary(r)).toEqual(expected(StatsCorpus.addTruth(parent.truth, mine.truth)))
    expect(r.totals.copiedLines).toBe(parent.lines.length)
  })

  it("given a fork of a fork, then each generation counts only its own turns", async () => {
    const parent = parentOf(3, 3)
    const GRAND = "0198f2a4-5b6c-7d8e-9f00-bbbbbbbbbbbb"
    const mine = ownTurns(3, 2, StatsCorpus.runningAt(parent.lines, parent.lines.length), parent.end + 2000)
    const child = [
      StatsCorpus.sessionMeta(CHILD, parent.end + 1000, { forkedFromId: PARENT }),
      ...StatsCorpus.copied(parent.lines, parent.lines.length, parent.end + 1000),
      ...mine.lines
    ]
    const g = new StatsCorpus.Writer(GRAND, T0 + 7_200_000, StatsCorpus.runningAt(child, child.length))
    const grandOwn = g.turn(StatsCorpus.randomTurn(StatsCorpus.prng(9)))
    const grand = [
      StatsCorpus.sessionMeta(GRAND, T0 + 7_000_000, { forkedFromId: CHILD }),
      ...StatsCorpus.copied(child, child.length, T0 + 7_000_000),
      ...grandOwn
    ]
    const r = await stats({
      [parentPath]: text(parent.lines),
      [childPath]: text(child),
      [path.join(dir, StatsCorpus.fileName(GRAND, T0 + 7_000_000))]: text(grand)
    })
    expect(summary(r)).toEqual(expected(StatsCorpus.addTruth(StatsCorpus.addTruth(parent.truth, mine.truth), g.truth)))
    expect(r.totals.forks).toBe(2)
  })

  it("given a fork whose parent was converted to a segment (.rseg), then the copy is still found", async () => {
    const parent = parentOf(13, 3)
    const mine = ownTurns(13, 2, StatsCorpus.runningAt(parent.lines, parent.lines.length), parent.end + 2000)
    const child = [
      StatsCorpus.sessionMeta(CHILD, parent.end + 1000, { forkedFromId: PARENT }),
      ...StatsCorpus.copied(parent.lines, parent.lines.length, parent.end + 1000),
      ...mine.lines
    ]
    async function* jsonl() {
      yield Buffer.from(text(parent.lines))
    }
    const segment: Array<Uint8Array> = []
    for await (const b of SegmentWriter.encode(jsonl())) segment.push(b)
    const segmentPath = parentPath.replace(/\.jsonl$/, ".rseg")
    const paths = [segmentPath, childPath]
    const partials = await StatsPool.run({
      files: Files.memory({ [segmentPath]: Buffer.concat(segment), [childPath]: text(child) }, 997),
      paths,
      codexHome: home,
      jobs: 1
    })
    const r = StatsReport.merge(partials, "session")
    expect(summary(r)).toEqual(expected(StatsCorpus.addTruth(parent.truth, mine.truth)))
    expect(r.totals.copiedLines).toBe(parent.lines.length)
  })

  it("given a fork whose parent is nowhere to be found, then it is counted whole and a diagnostic says so", async () => {
    const parent = parentOf(5, 2)
    const child = [
      StatsCorpus.sessionMeta(CHILD, parent.end + 1000, { forkedFromId: PARENT }),
      ...StatsCorpus.copied(parent.lines, parent.lines.length, parent.end + 1000)
    ]
    const r = await stats({ [childPath]: text(child) })
    expect(r.totals.tokens).toEqual(parent.truth.tokens)
    expect(r.diagnostics).toEqual([{ path: childPath, line: 1, kind: "fork_parent_missing", message: expect.stringContaining(PARENT) }])
  })
})

describe("StatsScan skimming", () => {
  // Lines of every shape a home holds: generated turns, then damage and envelopes out of Codex's order.
  const noise = fc.constantFrom(
    '{"timestamp":"2026-07-14T09:00:00.000Z","type":"event_msg","payload":{"type":"token_count","info":null}}',
    '{"type":"event_msg","timestamp":"2026-07-14T09:00:01.000Z","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":9,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":10},"last_token_usage":{"input_tokens":9,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":10},"model_context_window":null}}}',
    '{"timestamp":"2026-07-14T09:00:02.000Z","type":"event_msg","payload":{"turn_id":"t","type":"task_started"}}',
    '{"timestamp":"2026-07-14T09:00:03.000Z","ordinal":7,"type":"response_item","payload":{"type":"function_call","name":"x","arguments":"{}","call_id":"c9"}}',
    '{"timestamp":"2026-07-14T09:00:04.000Z","type":"compacted","payload":{"message":"m"}}',
    '{"timestamp":"2026-07-14T09:00:05\\u002e000Z","type":"event_msg","payload":{"type":"agent_message","message":"esc"}}',
    '{"timestamp":"2026-07-14T09:00:06.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":',
    "not json at all",
    // Lines of the shapes the generated turns have (typed from their bytes once learnt), broken or odd.
    '{"timestamp":"2026-07-14T09:00:07.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"Chunk ID: abc123\tWall time: 1.0 seconds"}}',
    '{"timestamp":"2026-07-14T09:00:08.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"Chunk ID: abc123\\qWall"}}',
    '{"timestamp":"2026-07-14T09:00:09.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":5,"output":"x"}}',
    '{"timestamp":"2026-07-14T09:00:10.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c\u00e9"","output":"Wall time: 2.5 seconds\\nProcess exited with code 3 \u00e9"}}',
    '{"timestamp":"2026-07-14T09:00:11.000Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t\\n","started_at":-1,"model_context_window":258400,"collaboration_mode_kind":"default"}}',
    '{"timestamp":"2026-07-14T09:00:12.000Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t2","started_at":12,"model_context_window":258400,"collaboration_mode_kind":"sideways"}}',
    '{"timestamp":"2026-07-14T09:00:13.000Z","type":"turn_context","payload":{"turn_id":"t2","cwd":"/home/ana/proj","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write","network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false},"model":"gpt-\u00e9","effort":"medium","summary":"none"}}'
  )
  const scan = (files: Files.Shape, p: string, skim: boolean) => StatsScan.scan(files, p, async () => [], { skim })

  it("given any file, when scanned skimming and not, then the statistics are the same (only unread broken lines go unreported)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.tuple(fc.nat(), noise), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4096 }),
        async (seed, inserts, chunk) => {
          const { lines } = parentOf(seed, 3)
          const all = [...lines]
          for (const [at, line] of inserts) all.splice(1 + (at % all.length), 0, line)
          const files = Files.memory({ [parentPath]: text(all) }, chunk)
          const [fast, slow] = [await scan(files, parentPath, true), await scan(files, parentPath, false)]
          const { diagnostics: d1, ...a } = fast
          const { diagnostics: d2, ...b } = slow
          expect(a).toEqual(b)
          // Every problem skimming reports, the full parse reports too.
          expect(d2).toEqual(expect.arrayContaining([...d1]))
        }
      ),
      { numRuns: 60 }
    )
  })

  it("given a legacy fork, when scanned skimming (its copy matched on unread lines' keys) and not, then the statistics are the same", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1000),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4096 }),
        async (seed, turns, at, own, chunk) => {
          const parent = parentOf(seed, turns)
          const cut = 1 + (at % parent.lines.length)
          const forkAt = parent.end + 60_000
          const mine = ownTurns(seed, own, StatsCorpus.runningAt(parent.lines, cut), forkAt + 1000)
          const child = [StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), ...StatsCorpus.copied(parent.lines, cut, forkAt), ...mine.lines]
          const files = Files.memory({ [parentPath]: text(parent.lines), [childPath]: text(child) }, chunk)
          const find = async (id: string) => (id === PARENT ? [parentPath] : [])
          const [fast, slow] = [await StatsScan.scan(files, childPath, find, { skim: true }), await StatsScan.scan(files, childPath, find, { skim: false })]
          expect(fast).toEqual(slow)
          expect(fast.copiedLines).toBe(cut)
        }
      ),
      { numRuns: 40 }
    )
  })
})
