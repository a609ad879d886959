import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as LinePrefix from "@rollout/log/LinePrefix"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as FileScan from "@rollout/store/FileScan"
import * as SearchDoc from "@rollout/store/SearchDoc"
import * as IndexDecode from "../src/internal/IndexDecode.js"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"
import * as Home from "./support/Home.js"

const setup = () => {
  const file = path.join(Home.tempDir(), "rollout-2026-11-21T00-00-00-0198f2a4-0000-7000-8000-000000000001.jsonl")
  const t0 = Date.UTC(2026, 10, 21)
  const meta = Home.sessionMeta(Home.uuid(1), t0)
  const turn1 = Home.turn("t1", t0, "first prompt", "first answer", { cmd: "ls", output: "notes.md" })
  const turn2 = Home.turn("t2", t0 + 5, "second prompt", "second answer")
  return { file, meta, turn1, turn2 }
}

const resumeOf = (s: FileScan.Scan): FileScan.Resume => ({ offset: s.offset, headHash: s.headHash, state: s.state })

describe("FileScan", () => {
  it("given a grown file, when resumed from the stored offset, then only the new lines are read and the result equals a full read", async () => {
    const { file, meta, turn1, turn2 } = setup()
    Home.write(file, [meta, ...turn1])
    const first = await FileScan.scan(file)
    expect(first.docs.map((d) => [d.kind, d.turnIndex, d.turnId])).toEqual([
      ["user", 0, "t1"],
      ["tool_call", 0, "t1"],
      ["tool_output", 0, "t1"],
      ["agent", 0, "t1"]
    ])
    Home.append(file, turn2.map((l) => `${l}\n`).join(""))
    const grown = await FileScan.scan(file, resumeOf(first))
    expect(grown.from).toBe(first.offset)
    expect(grown.docs.map((d) => [d.kind, d.text, d.turnIndex, d.turnId])).toEqual([
      ["user", "second prompt", 1, "t2"],
      ["agent", "second answer", 1, "t2"]
    ])
    const whole = await FileScan.scan(file)
    expect(grown.state).toEqual(whole.state)
    expect(grown.offset).toBe(fs.statSync(file).size)
    expect(whole.docs.slice(4)).toEqual(grown.docs)
  })

  it("given a last line without its newline, then it is read as a tail and the offset stays before it", async () => {
    const { file, meta, turn1 } = setup()
    const text = [meta, ...turn1.slice(0, 4)].join("\n")
    fs.writeFileSync(file, text)
    const s = await FileScan.scan(file)
    expect(s.offset).toBe(Buffer.byteLength(text) - Buffer.byteLength(turn1[3] ?? ""))
    expect(s.tail?.metadata.preview).toBe("first prompt")
    expect(s.state.metadata.preview).toBeNull()
    expect(s.docs.map((d) => d.kind)).toEqual(["user"])
  })

  it("given a file rewritten in place, then the stored offset is not trusted and the file is read from the start", async () => {
    const { file, meta, turn1, turn2 } = setup()
    Home.write(file, [meta, ...turn1])
    const first = await FileScan.scan(file)
    Home.write(file, [Home.sessionMeta(Home.uuid(2), 5), ...turn1, ...turn2])
    const again = await FileScan.scan(file, resumeOf(first))
    expect(again.from).toBe(0)
    expect(again.state.metadata.meta?.id).toBe(Home.uuid(2))
  })

  it("keeps the session_meta without its bulky fields", async () => {
    const { file, meta } = setup()
    Home.write(file, [meta])
    const s = await FileScan.scan(file)
    expect(s.state.metadata.meta?.base_instructions).toBeNull()
    expect(JSON.stringify(s.state)).not.toContain("You are Codex")
  })
})

/** A line the pre-filter skips must be one the folds ignore: same state back, no documents. */
const ignored = (line: RolloutLine.RolloutLine): void => {
  for (const preview of [null, "set"]) {
    const meta = { ...ThreadMetadata.empty, preview }
    expect(ThreadMetadata.step(meta, line)).toBe(meta)
  }
  for (const turn of [SearchDoc.start, { index: 2, id: "t", explicit: true }]) expect(SearchDoc.step(turn, line)).toBe(turn)
  expect(SearchDoc.extract(line)).toEqual([])
  for (const facts of [ThreadFacts.empty, { turns: 3, tokens: null }]) expect(ThreadFacts.step(facts, line)).toBe(facts)
}

describe("FileScan.relevant (the pre-filter before the schema decode)", () => {
  it("skips only lines that leave ThreadMetadata, SearchDoc and ThreadFacts unchanged (any line of the schema)", () => {
    fc.assert(
      fc.property(Arbitrary.of(RolloutLine.RolloutLine, { maxExtraKeys: 0, maxLength: 2 }), (line) => {
        if (!FileScan.relevant(line as unknown as { readonly [k: string]: unknown })) ignored(line)
      }),
      { numRuns: 2000 }
    )
  })

  it("on the Codex 0.169 sample home: skipped lines are ignored by the folds, and most lines are skipped", async () => {
    let skipped = 0
    let all = 0
    for (const f of await CodexHome.rollouts(Files.node, Home.sampleHome)) {
      for (const raw of fs.readFileSync(f.path, "utf8").split("\n")) {
        if (raw.trim() === "") continue
        all++
        const value = JSON.parse(raw) as { readonly [k: string]: unknown }
        if (FileScan.relevant(value)) continue
        skipped++
        const decoded = RolloutLine.decode(value)
        if (decoded._tag === "Known") ignored(decoded.line)
      }
    }
    expect(skipped).toBeGreaterThan(all / 3)
  })
})

describe("FileScan.relevantPrefix and IndexDecode (the fast paths of the index)", () => {
  /** The envelope of a line as the framer sees it, or undefined when LinePrefix cannot read it. */
  const prefixOf = (raw: string) => {
    const buf = Buffer.from(raw)
    return LinePrefix.read(buf, 0, buf.length)
  }

  it("the envelope test never refuses a line the parsed test reads (generated lines, as encoded)", () => {
    let judged = 0
    fc.assert(
      fc.property(Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }), (line) => {
        const raw = RolloutLine.encode(line)
        const prefix = prefixOf(raw)
        if (prefix === undefined) return
        judged++
        if (FileScan.relevant(JSON.parse(raw) as { readonly [k: string]: unknown })) expect(FileScan.relevantPrefix(prefix)).toBe(true)
      }),
      { numRuns: 2000 }
    )
    expect(judged).toBeGreaterThan(500)
  })

  it("on real Codex rollouts: the envelope test agrees with the parsed one, and lines the index reads decode as the full decoder decodes them, most on the fast path", async () => {
    let fast = 0
    let read = 0
    let skimmed = 0
    for (const f of await CodexHome.rollouts(Files.node, Home.sampleHome)) {
      for (const raw of fs.readFileSync(f.path, "utf8").split("\n")) {
        if (raw.trim() === "") continue
        const value = JSON.parse(raw) as Record<string, unknown>
        const prefix = prefixOf(raw)
        if (prefix !== undefined && !FileScan.relevantPrefix(prefix)) {
          skimmed++
          expect(FileScan.relevant(value)).toBe(false)
          continue
        }
        if (!FileScan.relevant(value)) continue
        read++
        expect(IndexDecode.decode(value)).toEqual(RolloutLine.decode(value))
        if (IndexDecode.view(value) !== undefined) fast++
      }
    }
    expect(skimmed).toBeGreaterThan(0)
    expect(fast).toBeGreaterThan(read / 3)
  })
})

describe("FileScan: token counts and turn contexts folded from the last ones back (LastLines)", () => {
  /** The state of a plain fold of every line, each decoded by the full decoder. */
  const plainFold = (text: string) => {
    let metadata = ThreadMetadata.empty
    let turn = SearchDoc.start
    let facts = ThreadFacts.empty
    for (const raw of text.split("\n")) {
      if (raw.trim() === "") continue
      let value: unknown
      try {
        value = JSON.parse(raw)
      } catch {
        continue
      }
      const decoded = RolloutLine.decode(value as Record<string, unknown>)
      if (decoded._tag !== "Known") continue
      metadata = ThreadMetadata.step(metadata, decoded.line)
      turn = SearchDoc.step(turn, decoded.line)
      facts = ThreadFacts.step(facts, decoded.line)
    }
    return { model: metadata.model, effort: metadata.reasoningEffort, preview: metadata.preview, lastTurnAt: metadata.lastTurnAt, turn, facts }
  }
  const ofScan = (s: FileScan.Scan) => {
    const { metadata, turn, facts } = FileScan.latest(s)
    return { model: metadata.model, effort: metadata.reasoningEffort, preview: metadata.preview, lastTurnAt: metadata.lastTurnAt, turn, facts }
  }
  const ts = (ms: number) => new Date(ms).toISOString()
  const tokenCount = (ms: number, n: number | null, pad: number) =>
    JSON.stringify({
      timestamp: ts(ms),
      type: "event_msg",
      payload: {
        type: "token_count",
        info:
          n === null
            ? null
            : { total_token_usage: { input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 } },
        rate_limits: { pad: "x".repeat(pad) }
      }
    })
  const context = (ms: number, model: string | null, effort: string | null, pad: number) =>
    JSON.stringify({
      timestamp: ts(ms),
      type: "turn_context",
      payload: {
        cwd: "/p",
        approval_policy: "never",
        sandbox_policy: { type: "danger-full-access" },
        ...(model === null ? {} : { model }),
        ...(effort === null ? {} : { effort }),
        summary: "auto",
        pad: "y".repeat(pad)
      }
    })
  const entry = fc.oneof(
    fc.record({ k: fc.constant("tokens" as const), n: fc.option(fc.nat(1e6)), pad: fc.nat(300_000) }),
    fc.record({
      k: fc.constant("context" as const),
      model: fc.option(fc.constantFrom("m1", "m2")),
      effort: fc.option(fc.constantFrom("low", "high")),
      pad: fc.nat(300_000)
    }),
    fc.record({ k: fc.constant("turn" as const), n: fc.nat(50) }),
    fc.constant({ k: "broken" as const })
  )

  it("equals the plain fold of every line, across chunk boundaries, for a file read whole, in slices or resumed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 40 }), fc.boolean(), async (entries, tornTail) => {
        const dir = Home.tempDir()
        const file = path.join(dir, "rollout-2026-11-21T00-00-00-0198f2a4-0000-7000-8000-000000000001.jsonl")
        const lines = [Home.sessionMeta(Home.uuid(1), 0)]
        entries.forEach((e, i) => {
          if (e.k === "tokens") lines.push(tokenCount(i, e.n, e.pad))
          else if (e.k === "context") lines.push(context(i, e.model, e.effort, e.pad))
          else if (e.k === "turn") lines.push(...Home.turn(`t${i}`, i * 1000, `prompt ${e.n}`, `answer ${e.n}`))
          else lines.push('{"timestamp":"2026-01-01T00:00:00.000Z","type":"event_msg","payload":{"type":"token_count","info":')
        })
        const text = tornTail && lines.length > 1 ? `${lines.join("\n")}` : `${lines.join("\n")}\n`
        fs.writeFileSync(file, text)
        const expected = plainFold(text)
        expect(ofScan(await FileScan.scan(file))).toEqual(expected)
        // In slices of about 400 KB, each resumed from the last.
        let s = await FileScan.scan(file, undefined, undefined, { maxBytes: 400_000 })
        while (s.partial) s = await FileScan.scan(file, resumeOf(s), undefined, { maxBytes: 400_000 })
        expect(ofScan(s)).toEqual(expected)
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 40 }
    )
  })
})
