import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as fc from "fast-check"
import { afterAll, describe, expect, it, vi } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/query/StatsPool"
import * as StatsFastScan from "../src/internal/StatsFastScan.js"
import * as StatsScan from "../src/internal/StatsScan.js"
import * as StatsCorpus from "./support/StatsCorpus.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "stats-fast-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const PARENT = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const CHILD = "0198f2a4-5b6c-7d8e-9f00-aaaaaaaaaaaa"
const PAGED = "0198f2a4-5b6c-7d8e-9f00-bbbbbbbbbbbb"
const T0 = Date.UTC(2026, 6, 14, 8)
const TS = "2026-07-14T09:00:00.000Z"

/** Lines a rollout may hold that the readers treat each in their own way (reported, skimmed, parsed). */
const HOSTILE: ReadonlyArray<string> = [
  `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","role":"user","content":[`,
  `{"timestamp":"${TS}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1`,
  `{"timestamp":"${TS}","type":"event_msg","payload":{"type":"task_started","turn_id":5}}`,
  `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","type":"function_call","name":"x"}}`,
  `{"timestamp":"${TS}","type":"mystery","payload":{}}`,
  `{"type":"event_msg","timestamp":"${TS}","payload":{"type":"token_count","info":null,"rate_limits":null}}`,
  `{"timestamp":"${TS}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":9,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":10},"last_token_usage":{"input_tokens":9,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":10},"model_context_window":1,"extra":true},"rate_limits":null}}`,
  `{"timestamp":"${TS}","type":"event_msg","payload":{"type":"error","message":"boom","codex_error_info":"context_window_exceeded"}}`,
  `{"timestamp":"${TS}","type":"turn_context","payload":{"model":7}}`,
  StatsCorpus.sessionMeta(CHILD, T0),
  "",
  "   ",
  "[1,2]",
  `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","role":"user","content":[]}}\r`
]

type Mutation = { readonly at: number; readonly what: number }

const fillers = ["", "", " lorem ipsum", "x".repeat(3000), "y".repeat(40000)]

/** A session of random turns, its lines padded so that files cross the reader's batch and chunk boundaries. */
const session = (id: string, seed: number, turns: number, meta: string, from = T0) => {
  const rand = StatsCorpus.prng(seed)
  const w = new StatsCorpus.Writer(id, from)
  const lines = [meta]
  for (let i = 0; i < turns; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand), fillers[Math.floor(rand() * fillers.length)]))
  return { lines, end: w.ms }
}

/** The file's bytes: its lines, the mutations spliced in, and byte-level damage (BOM, bad UTF-8, a torn end). */
const bytesOf = (lines: ReadonlyArray<string>, mutations: ReadonlyArray<Mutation>, damage: number): Buffer => {
  const out = [...lines]
  for (const m of mutations) out.splice(1 + (m.at % out.length), 0, HOSTILE[m.what % HOSTILE.length] as string)
  let buf = Buffer.from(out.map((l) => `${l}\n`).join(""))
  if (damage === 1) buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf])
  if (damage === 2) {
    const at = buf.indexOf("ok", Math.floor(buf.length / 2))
    if (at >= 0) buf[at] = 0xff
  }
  if (damage === 3) buf = buf.subarray(0, buf.length - 7)
  return buf
}

let n = 0
const write = (dir: string, name: string, bytes: Buffer): string => {
  const file = path.join(dir, "sessions/2026/07/14", name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, bytes)
  return file
}

/** A home of a parent, a legacy fork of it and a paginated fork, each possibly mutated. */
const home = fc.record({
  seed: fc.nat(10_000),
  turns: fc.integer({ min: 1, max: 30 }),
  cut: fc.nat(),
  mutations: fc.array(fc.array(fc.record({ at: fc.nat(), what: fc.nat() }), { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
  damage: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 3 })
})

describe("StatsFastScan", () => {
  it("folds every file, generated or damaged, exactly as StatsScan does, and vouches for every undamaged one", async () => {
    await fc.assert(
      fc.asyncProperty(home, async (h) => {
        const dir = path.join(root, String(n++))
        const parent = session(PARENT, h.seed, h.turns, StatsCorpus.sessionMeta(PARENT, T0))
        const cut = 1 + (h.cut % parent.lines.length)
        const forkAt = parent.end + 60_000
        const child = session(CHILD, h.seed + 1, 2, StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), forkAt + 1000)
        const childLines = [child.lines[0] as string, ...StatsCorpus.copied(parent.lines, cut, forkAt), ...child.lines.slice(1)]
        const paged = session(
          PAGED,
          h.seed + 2,
          2,
          StatsCorpus.sessionMeta(PAGED, forkAt, { historyBase: { threadId: PARENT, endOrdinalExclusive: cut, endByteOffset: 500 } })
        )
        const specs = [
          { id: PARENT, ms: T0, lines: parent.lines },
          { id: CHILD, ms: forkAt, lines: childLines },
          { id: PAGED, ms: forkAt, lines: paged.lines }
        ]
        const paths = specs.map((s, i) => write(dir, StatsCorpus.fileName(s.id, s.ms), bytesOf(s.lines, h.mutations[i] ?? [], h.damage[i] ?? 0)))
        const find = StatsPool.threadFinder(Files.nodeBlocking, StatsPool.indexOf(paths), dir)
        for (const [i, p] of paths.entries()) {
          const slow = await StatsScan.scan(Files.nodeBlocking, p, find)
          expect(await StatsFastScan.scan(Files.nodeBlocking, p, find, true)).toEqual(slow)
          const clean = (h.mutations[i] ?? []).length === 0 && (h.damage[i] ?? 0) === 0
          if (clean) expect(await StatsFastScan.read(Files.nodeBlocking, p, find)).toEqual(slow)
        }
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 40 }
    )
  }, 120_000)

  it("parses a fork's copied line again only when its parent was not read whole, unchanged and as its envelopes say", async () => {
    const usage = `{"input_tokens":5,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":6}`
    // Lines whose envelope names something else than what they parse to: a parent holding one is vouched for to nobody.
    const misnamed = [
      `{"timestamp":"${TS}","type":"event_msg","payload":{"type":"task_started","type":"token_count","info":{"total_token_usage":${usage},"last_token_usage":${usage},"model_context_window":1},"rate_limits":null}}`,
      `{"timestamp":"${TS}","type":"response_item","payload":{"type":"function_call","name":"x","arguments":"{}","call_id":"c"},"type":"turn_context"}`
    ]
    const trustCase = fc.record({
      seed: fc.nat(10_000),
      turns: fc.integer({ min: 1, max: 12 }),
      cut: fc.nat(),
      misnamed: fc.array(fc.record({ at: fc.nat(), what: fc.nat() }), { maxLength: 1 }),
      /** Copied lines given an ordinal (`01` is no JSON number) after the fork's timestamp. */
      ordinals: fc.array(fc.record({ at: fc.nat(), digits: fc.constantFrom("1", "01", "01") }), { maxLength: 2 }),
      /** The parent rewritten after it was read (same size, its first tool call broken), the fork with it. */
      stale: fc.nat(3).map((k) => k === 0),
      parentFirst: fc.nat(3).map((k) => k > 0)
    })
    await fc.assert(
      fc.asyncProperty(trustCase, async (c) => {
        const dir = path.join(root, `trust-${n++}`)
        const parentLines = [...session(PARENT, c.seed, c.turns, StatsCorpus.sessionMeta(PARENT, T0)).lines]
        for (const m of c.misnamed) parentLines.splice(1 + (m.at % parentLines.length), 0, misnamed[m.what % misnamed.length] as string)
        const cut = 1 + (c.cut % parentLines.length)
        const forkAt = T0 + 86_400_000
        const copy = StatsCorpus.copied(parentLines, cut, forkAt)
        for (const o of c.ordinals) {
          const k = o.at % copy.length
          copy[k] = (copy[k] as string).replace(/^(\{"timestamp":"[^"]*",)/, `$1"ordinal":${o.digits},`)
        }
        const childLines = [StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), ...copy, ...session(CHILD, c.seed + 1, 2, "").lines.slice(1)]
        const parentPath = write(dir, StatsCorpus.fileName(PARENT, T0), bytesOf(parentLines, [], 0))
        const childPath = write(dir, StatsCorpus.fileName(CHILD, forkAt), bytesOf(childLines, [], 0))
        const find = StatsPool.threadFinder(Files.nodeBlocking, StatsPool.indexOf([parentPath, childPath]), dir)
        StatsFastScan.forget()
        if (c.parentFirst) await StatsFastScan.read(Files.nodeBlocking, parentPath, find)
        if (c.stale) {
          const broken = (b: Buffer) => Buffer.from(b.toString("latin1").replace('"call_id":"', '"call_id"!"'), "latin1")
          fs.writeFileSync(parentPath, broken(fs.readFileSync(parentPath)))
          fs.writeFileSync(childPath, broken(fs.readFileSync(childPath)))
          // A rewrite within the clock's tick keeps the time: the test moves it on, as a later write would.
          const later = new Date(Date.now() + 5000)
          fs.utimesSync(parentPath, later, later)
        }
        const slow = await StatsScan.scan(Files.nodeBlocking, childPath, find)
        expect(await StatsFastScan.scan(Files.nodeBlocking, childPath, find, true)).toEqual(slow)
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 100 }
    )
  }, 120_000)

  it("does not parse a fork's copied tool calls and turn events again after reading its parent", async () => {
    const dir = path.join(root, "trusted")
    const parentLines = session(PARENT, 11, 20, StatsCorpus.sessionMeta(PARENT, T0)).lines
    const forkAt = T0 + 86_400_000
    const childLines = [StatsCorpus.sessionMeta(CHILD, forkAt, { forkedFromId: PARENT }), ...StatsCorpus.copied(parentLines, parentLines.length, forkAt)]
    const parentPath = write(dir, StatsCorpus.fileName(PARENT, T0), bytesOf(parentLines, [], 0))
    const childPath = write(dir, StatsCorpus.fileName(CHILD, forkAt), bytesOf(childLines, [], 0))
    const find = StatsPool.threadFinder(Files.nodeBlocking, StatsPool.indexOf([parentPath, childPath]), dir)
    const parses = async (): Promise<number> => {
      const spy = vi.spyOn(JSON, "parse")
      let fast: unknown
      let calls = 0
      try {
        fast = await StatsFastScan.read(Files.nodeBlocking, childPath, find)
        calls = spy.mock.calls.length
      } finally {
        spy.mockRestore()
      }
      expect(fast).toEqual(await StatsScan.scan(Files.nodeBlocking, childPath, find))
      return calls
    }
    StatsFastScan.forget()
    const alone = await parses()
    await StatsFastScan.read(Files.nodeBlocking, parentPath, find)
    const after = await parses()
    expect(after).toBeLessThan(alone / 2)
  })

  it("reads hostile lines after the first batch itself, where the general reader skims them too", async () => {
    const dir = path.join(root, "late")
    const { lines } = session(PARENT, 7, 12, StatsCorpus.sessionMeta(PARENT, T0))
    // Far past the first 64 KiB: judged as skimmed lines there, not reported by either reader.
    const padded = [
      lines[0] as string,
      ...Array.from(
        { length: 400 },
        () =>
          `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"${"z".repeat(300)}"}]}}`
      ),
      ...lines.slice(1)
    ]
    const p = write(
      dir,
      StatsCorpus.fileName(PARENT, T0),
      bytesOf(
        padded,
        [
          { at: 300, what: 0 },
          { at: 301, what: 3 }
        ],
        0
      )
    )
    const find = StatsPool.threadFinder(Files.nodeBlocking, StatsPool.indexOf([p]), dir)
    const fast = await StatsFastScan.read(Files.nodeBlocking, p, find)
    expect(fast).toBeDefined()
    expect(fast).toEqual(await StatsScan.scan(Files.nodeBlocking, p, find))
  })

  it("gives the thread a turn after each buffer it reads, when asked to, so that messages are answered meanwhile", async () => {
    const dir = path.join(root, "turns")
    const { lines } = session(PARENT, 3, 40, StatsCorpus.sessionMeta(PARENT, T0))
    const filler = `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"${"q".repeat(4000)}"}]}}`
    // Over 12 MiB: three buffers or more at the reader's starting size.
    const p = write(dir, StatsCorpus.fileName(PARENT, T0), bytesOf([...lines, ...Array.from({ length: 3200 }, () => filler)], [], 0))
    const find = StatsPool.threadFinder(Files.nodeBlocking, StatsPool.indexOf([p]), dir)
    const events: Array<string> = []
    setImmediate(() => events.push("message"))
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve)).then(() => void events.push("pause"))
    const fast = await StatsFastScan.read(Files.nodeBlocking, p, find, pause)
    events.push("read")
    expect(fast).toEqual(await StatsScan.scan(Files.nodeBlocking, p, find))
    expect(events.filter((e) => e === "pause").length).toBeGreaterThanOrEqual(3)
    expect(events.indexOf("message")).toBeLessThan(events.indexOf("read"))
  })
})
