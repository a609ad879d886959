import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { LineFramer } from "@rollout/log/LineFramer"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as FileScan from "@rollout/store/FileScan"
import * as SearchDoc from "@rollout/store/SearchDoc"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"
import * as Home from "./support/Home.js"

/**
 * The slow path the index's scan must agree with: every line framed by `LineFramer`, decoded by
 * the full `RolloutLine.decode` and folded, in file order. What search answers comes from the
 * documents (text, kind, offset, line, turn) and the state, so equal scans give equal answers.
 */
const reference = (bytes: Uint8Array) => {
  const framer = new LineFramer("f")
  let metadata = ThreadMetadata.empty
  let turn = SearchDoc.start
  let facts = ThreadFacts.empty
  const docs: Array<FileScan.IndexedDoc> = []
  for (const e of [...framer.push(bytes), ...framer.end()]) {
    if (e._tag !== "Line") continue
    const decoded = RolloutLine.decode(e.value)
    if (decoded._tag !== "Known") continue
    turn = SearchDoc.step(turn, decoded.line)
    metadata = ThreadMetadata.step(metadata, decoded.line)
    facts = ThreadFacts.step(facts, decoded.line)
    for (const d of SearchDoc.extract(decoded.line))
      docs.push({ ...d, offset: e.offset, line: e.line, turnIndex: turn.index < 0 ? null : turn.index, turnId: turn.id })
  }
  return { docs, state: { model: metadata.model, effort: metadata.reasoningEffort, preview: metadata.preview, lastTurnAt: metadata.lastTurnAt, turn, facts } }
}

const ofScans = (scans: ReadonlyArray<FileScan.Scan>) => {
  const { metadata, turn, facts } = FileScan.latest(scans[scans.length - 1] as FileScan.Scan)
  return {
    docs: scans.flatMap((s) => s.docs.map((d) => ({ ...d }))),
    state: { model: metadata.model, effort: metadata.reasoningEffort, preview: metadata.preview, lastTurnAt: metadata.lastTurnAt, turn, facts }
  }
}

const resumeOf = (s: FileScan.Scan): FileScan.Resume => ({ offset: s.offset, headHash: s.headHash, state: s.state })

const line = fc.oneof(
  { weight: 6, arbitrary: Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }).map((l) => RolloutLine.encode(l)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(20), fc.string({ maxLength: 40 }))
      .map(([n, s]) => Home.turn(`t${n}`, n * 1000, `ask ${s}`, `say ${s}`, { cmd: "ls", output: s }))
  },
  { weight: 1, arbitrary: fc.constantFrom("", "  ", "{broken", "[1]", '{"timestamp":"x","type":"event_msg","payload":{"type":"user_message"') }
)

describe("FileScan against the slow path (LineFramer, full decode, plain fold)", () => {
  it("gives the same documents and state on generated rollouts, read whole or in slices", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), fc.integer({ min: 200, max: 5000 }), async (lines, terminated, slice) => {
        const dir = Home.tempDir()
        const file = path.join(dir, "rollout-2026-11-21T00-00-00-0198f2a4-0000-7000-8000-000000000001.jsonl")
        const text = [Home.sessionMeta(Home.uuid(1), 0), ...lines.flat()].join("\n") + (terminated ? "\n" : "")
        fs.writeFileSync(file, text)
        const expected = reference(Buffer.from(text))
        expect(ofScans([await FileScan.scan(file)])).toEqual(expected)
        const scans = [await FileScan.scan(file, undefined, undefined, { maxBytes: slice })]
        while (scans[scans.length - 1]?.partial === true)
          scans.push(await FileScan.scan(file, resumeOf(scans[scans.length - 1] as FileScan.Scan), undefined, { maxBytes: slice }))
        expect(ofScans(scans)).toEqual(expected)
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 150 }
    )
  })
})
