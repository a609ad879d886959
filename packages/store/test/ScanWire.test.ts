import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as FileScan from "../src/FileScan.js"
import * as ScanWire from "../src/internal/ScanWire.js"

const doc: fc.Arbitrary<FileScan.IndexedDoc> = fc.record({
  kind: fc.constantFrom("user", "agent", "tool_call", "tool_output"),
  text: fc.string({ unit: "grapheme" }),
  offset: fc.maxSafeNat(),
  line: fc.nat(),
  turnIndex: fc.option(fc.nat(), { nil: null }),
  // Few ids, so that runs of one id and ids coming back both occur.
  turnId: fc.option(fc.constantFrom("t1", "t2", "t3", ""), { nil: null })
})

const scan: fc.Arbitrary<FileScan.Scan> = fc.record({
  path: fc.string(),
  size: fc.maxSafeNat(),
  mtimeMs: fc.maxSafeNat(),
  from: fc.maxSafeNat(),
  offset: fc.maxSafeNat(),
  headHash: fc.string(),
  partial: fc.boolean(),
  state: fc.constant({ ...FileScan.empty, line: 7 }),
  tail: fc.option(fc.constant(FileScan.empty), { nil: null }),
  docs: fc.array(doc, { maxLength: 40 }),
  diagnostics: fc.array(fc.record({ path: fc.string(), line: fc.nat(), kind: fc.constant("invalid_payload" as const), message: fc.string() }), { maxLength: 2 })
})

describe("ScanWire (a scan between the read-ahead thread and the writer)", () => {
  it("given any scan, when encoded, cloned as a message and decoded, then it is the same scan with its states read from their JSON", () => {
    fc.assert(
      fc.property(scan, (s) => {
        const json = { state: JSON.stringify(s.state), tail: s.tail === null ? null : JSON.stringify(s.tail) }
        const wire = structuredClone(ScanWire.encode(s, json))
        const back = ScanWire.decode(wire)
        expect(back.json).toEqual(json)
        expect(back.scan).toEqual({ ...s, state: JSON.parse(json.state), tail: json.tail === null ? null : JSON.parse(json.tail) })
        // Documents keep their order and exact fields (null stays null, not undefined or -1).
        expect(back.scan.docs.map((d) => [d.turnIndex, d.turnId])).toStrictEqual(s.docs.map((d) => [d.turnIndex, d.turnId]))
      })
    )
  })
})
