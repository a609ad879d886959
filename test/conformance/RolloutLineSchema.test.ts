/**
 * Conformance with Codex's own JSON Schema of the older generation (G2, `RolloutLine.json` @
 * 7569622e, copied byte for byte into fixtures/codex-schema/): every line we write for G2 shapes,
 * generated from our schemas (G2Lines.ts), validates against it.
 */
import * as fs from "node:fs"
import { Ajv, type ErrorObject } from "ajv"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as G2Lines from "./G2Lines.js"

type JsonSchema = { definitions: Record<string, { oneOf?: Array<{ properties: { type: { enum: Array<string> } } }> } & Record<string, unknown>> }

const reference = JSON.parse(fs.readFileSync(new URL("../../fixtures/codex-schema/RolloutLine.json", import.meta.url), "utf8")) as JsonSchema

/**
 * Two corrections to the reference, both schemars artifacts where the generated schema describes
 * the Rust struct and not what serde writes (the wire form the G2 recorder produced):
 *
 * 1. `FunctionCallOutputPayload` is described as `{body, success}`, but its Serialize impl writes
 *    the body alone (a string or an array of content items); its own description says so ("`body`
 *    serializes directly as the wire value"). It is replaced by `FunctionCallOutputBody`.
 * 2. `reasoning.id` is listed as required although it is `writeOnly`: the field was
 *    `#[serde(default, skip_serializing)]`, so G2 never wrote it and read it with a default.
 */
const corrected = (schema: JsonSchema): JsonSchema => {
  const copy = structuredClone(schema)
  copy.definitions["FunctionCallOutputPayload"] = { $ref: "#/definitions/FunctionCallOutputBody" }
  const reasoning = copy.definitions["ResponseItem"]?.oneOf?.find((v) => v.properties.type.enum[0] === "reasoning") as { required: Array<string> } | undefined
  if (reasoning === undefined) throw new Error("the reference has no reasoning response item")
  reasoning.required = reasoning.required.filter((k) => k !== "id")
  return copy
}

const ajv = new Ajv({ strict: false, allErrors: false })
// The integer formats schemars emits: checked, so that a value a Rust integer cannot hold fails.
const integer = (min: number, max: number) => ({ type: "number" as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max })
ajv.addFormat("int32", integer(-(2 ** 31), 2 ** 31 - 1))
ajv.addFormat("uint16", integer(0, 2 ** 16 - 1))
ajv.addFormat("uint32", integer(0, 2 ** 32 - 1))
ajv.addFormat("int64", integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))
ajv.addFormat("uint64", integer(0, Number.MAX_SAFE_INTEGER))
ajv.addFormat("uint", integer(0, Number.MAX_SAFE_INTEGER))
ajv.addFormat("double", { type: "number", validate: Number.isFinite })
ajv.addFormat("float", { type: "number", validate: Number.isFinite })
ajv.addSchema(corrected(reference), "rollout")
const validate = ajv.compile({ $ref: "rollout" })

const payloadDefinitions: Record<string, string> = {
  session_meta: "SessionMetaLine",
  response_item: "ResponseItem",
  compacted: "CompactedItem",
  turn_context: "TurnContextItem",
  event_msg: "EventMsg"
}

/**
 * Why a line failed, from the definition of its payload (the errors of the whole line are those of
 * every branch of the top-level `oneOf`); for a tagged family, from the variant of its tag.
 */
const explain = (line: { readonly type: string; readonly payload: unknown }): string => {
  const definition = payloadDefinitions[line.type]
  if (definition === undefined) return `not a G2 line type: ${line.type}`
  const tag = (line.payload as { readonly type?: unknown }).type
  const index = reference.definitions[definition]?.oneOf?.findIndex((v) => v.properties.type.enum[0] === tag) ?? -1
  const check = ajv.compile({ $ref: `rollout#/definitions/${definition}${index < 0 ? "" : `/oneOf/${index}`}` })
  check(line.payload)
  const errors: ReadonlyArray<ErrorObject> = check.errors ?? []
  return errors.map((e) => `payload${e.instancePath} ${e.message ?? ""} (${e.schemaPath})`).join("\n")
}

describe("the reference validator", () => {
  const literal = ajv.compile(reference)
  const reasoning = String.raw`{"timestamp":"2026-03-02T10:00:06.000Z","type":"response_item","payload":{"type":"reasoning","summary":[],"content":null,"encrypted_content":"gAAA"}}`
  const output = String.raw`{"timestamp":"2026-03-02T10:00:07.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"ok"}}`

  it.each([
    [
      "an unknown approval policy",
      String.raw`{"timestamp":"2026-03-02T10:00:00.000Z","type":"turn_context","payload":{"cwd":"/","approval_policy":"sometimes","sandbox_policy":{"type":"read-only"},"model":"m","summary":"auto"}}`
    ],
    [
      "a G3 file_id image",
      String.raw`{"timestamp":"2026-03-02T10:00:00.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_image","file_id":"file_1"}]}}`
    ],
    ["a line type G2 did not have", String.raw`{"timestamp":"2026-03-02T10:00:00.000Z","type":"world_state","payload":{"full":true,"state":{}}}`]
  ])("given a line with %s, when validated, then it is rejected", (_, text) => {
    expect(validate(JSON.parse(text))).toBe(false)
  })

  it.each([
    ["a G2 reasoning item (no id written)", reasoning],
    ["a G2 tool output (the body alone)", output]
  ])("given %s, when validated, then the corrected reference accepts it and the literal one does not", (_, text) => {
    expect(validate(JSON.parse(text))).toBe(true)
    expect(literal(JSON.parse(text))).toBe(false)
  })
})

describe("G2 lines validate against Codex's RolloutLine.json", () => {
  it("given the reference, then every persisted G2 event we generate is one of its EventMsg variants and one of ours", () => {
    const g2 = new Set(reference.definitions["EventMsg"]?.oneOf?.map((v) => v.properties.type.enum[0]))
    for (const tag of G2Lines.eventTags) {
      expect(g2.has(tag), tag).toBe(true)
      expect(EventMsg.EventMsg.tags.has(tag), tag).toBe(true)
    }
  })

  it.each(G2Lines.lines)("given any generated G2 %s line, when written, then the reference schema accepts it", (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (line) => {
        const text = RolloutLine.encode(line)
        const json: unknown = JSON.parse(text)
        expect(RolloutLine.decode(json)._tag).toBe("Known")
        if (!validate(json)) expect.fail(`${text}\n${explain(line)}`)
      }),
      { numRuns: 40 }
    )
  })
})
