import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as UndeclaredFields from "@rollout/protocol/UndeclaredFields"

type Obj = Record<string, unknown>

const wrong = fc.constantFrom<unknown>("x", 1, -1, 1.5, null, true, [], ["x"], {}, { type: "x" }, { extra: 1 })

/** A generated line as parsed from a file: with or without unknown fields, sometimes one field damaged (at depth 1 or 2). */
const line = fc
  .tuple(
    fc.oneof(Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2 }), Arbitrary.of(RolloutLine.RolloutLine, { maxLength: 2, maxExtraKeys: 0 })),
    fc.option(fc.tuple(fc.nat(), fc.nat(), wrong), { nil: undefined })
  )
  .map(([typed, damage]) => {
    const value = JSON.parse(RolloutLine.encode(typed)) as Obj
    if (damage !== undefined) {
      const payload = value["payload"]
      const target = typeof payload === "object" && payload !== null && damage[0] % 2 === 0 ? (payload as Obj) : value
      const keys = Object.keys(target)
      if (keys.length > 0) target[keys[damage[1] % keys.length] as string] = damage[2]
    }
    return value
  })

/** What validation reports of one line (not the first), by the full schema decode and field walk alone. */
const reference = (value: Obj, n: number): { problems: Array<unknown>; notes: Array<unknown> } => {
  const decoded = RolloutLine.decode(value)
  switch (decoded._tag) {
    case "Known": {
      const undeclared = UndeclaredFields.find(RolloutLine.RolloutLine, value)
      return {
        problems: [],
        notes:
          undeclared.length === 0
            ? []
            : [{ line: n, kind: "undeclared_field", message: `fields the schema does not declare (kept as written): ${undeclared.join(", ")}` }]
      }
    }
    case "Unknown":
      return { problems: [], notes: [{ line: n, kind: "unknown_type", message: `unknown type ${decoded.what} (kept as written)` }] }
    case "Invalid":
      return {
        problems: [
          {
            line: n,
            kind: decoded.what === "envelope" ? "invalid_envelope" : "invalid_payload",
            message: `${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}`
          }
        ],
        notes: []
      }
  }
}

const meta = '{"timestamp":"2026-07-14T07:06:00.000Z","type":"session_meta","payload":{"id":"t","timestamp":"2026-07-14T07:06:00.000Z","cwd":"/"}}'

describe("Validation.validateFile", () => {
  it("given generated lines, some with unknown or damaged fields, then it reports exactly what the full decode and field walk find", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (values) => {
        const text = `${[meta, ...values.map((v) => JSON.stringify(v))].join("\n")}\n`
        const report = await Validation.validateFile(Files.memory({ "x.jsonl": text }), "x.jsonl")
        const first = await Validation.validateFile(Files.memory({ "x.jsonl": `${meta}\n` }), "x.jsonl")
        const expected = values.map((v, i) => reference(v, i + 2))
        expect(report.problems).toEqual([...first.problems, ...expected.flatMap((e) => e.problems)])
        expect(report.notes).toEqual([...first.notes, ...expected.flatMap((e) => e.notes)])
        expect(report.lines).toBe(values.length + 1)
      }),
      { numRuns: 300 }
    )
  })
})
