// The real-Codex fidelity matrix (fixtures/matrix/<version>/<case>/, recorded by
// test/oracle/RecordMatrix.ts with Codex 0.169.0, 0.170.0 and 0.171.0): for every recorded thread,
// `rollout history --json` equals that Codex's thread/read and `rollout turns` its
// thread/turns/list; both validate against the schema that version generates; `rollout resume` is
// what that Codex sent after `codex exec resume`; and every ThreadItem type that version's schema
// defines is either seen in a recording or listed with the reason.
// Each version's first case runs through the real bin; the others run the same command in-process
// (Bin.inProcess), which answers alike at a fraction of a spawned process's start-up.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Ajv } from "ajv"
import { describe, expect, it } from "vitest"
import { bin, inProcess, root, sampleFiles } from "./Bin.js"

const matrix = path.join(root, "fixtures/matrix")
const versions = fs
  .readdirSync(matrix)
  .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
  .sort()
const cases = versions.flatMap((v) =>
  fs
    .readdirSync(path.join(matrix, v))
    .sort()
    .map((c) => [v, c] as const)
)
const json = (...parts: Array<string>) => JSON.parse(fs.readFileSync(path.join(...parts), "utf8"))
const withoutLocation = ({ path: _path, updatedAt: _updatedAt, recencyAt: _recencyAt, createdAt: _createdAt, ...rest }: Record<string, unknown>) => rest
// A paginated thread's recencyAt comes from Codex's live clock just after task_started, so it can be
// one second past the file's timestamp (shared spec, thread-history "observed in all three versions").
// Likewise createdAt: Codex keeps the clock of the thread's creation (its UUIDv7 id's time), which
// the session_meta timestamp, read a few ms later, can pass into the next second (seen once in 54).
const recencyClose = (ours: { recencyAt: number; createdAt: number }, codex: { recencyAt: number; createdAt: number }) => {
  expect(Math.abs(ours.recencyAt - codex.recencyAt)).toBeLessThanOrEqual(1)
  expect(ours.createdAt - codex.createdAt).toBeGreaterThanOrEqual(0)
  expect(ours.createdAt - codex.createdAt).toBeLessThanOrEqual(1)
}
const rollout = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" })
/** The real bin for the first case of a version, else the same command in-process. */
const run = (first: boolean, ...args: Array<string>) => (first ? Promise.resolve(rollout(...args)) : inProcess(...args))

const validator = (version: string, file: string) => {
  const schema = json(root, "fixtures/codex-schema", version, file)
  return new Ajv({ strict: false, validateFormats: false }).compile(schema)
}

/**
 * Our answers follow the newest Codex (0.171). Fields an older version's answer lacks are removed
 * before comparing with that version, each named here: `mcpToolCall.environmentId` is new in 0.171.
 */
const asAnsweredBy = (version: string, turns: ReadonlyArray<{ items: ReadonlyArray<Record<string, unknown>> }>) =>
  version >= "0.171.0"
    ? turns
    : turns.map((t) => ({
        ...t,
        items: t.items.map((i) => {
          if (i["type"] !== "mcpToolCall") return i
          const { environmentId: _newIn0171, ...rest } = i
          return rest
        })
      }))

/** ThreadItem types no recording here can hold yet, and why. Shrink it; never grow it silently. */
const notRecorded: Readonly<Record<string, string>> = {
  functionCallOutput: "no TurnItem carries it in 0.169-0.171 (nothing writes it as item_completed), so neither history builds it",
  imageGeneration:
    "the image tool needs ChatGPT sign-in (Codex backend auth); a streamed image_generation_call stays a response item and no item (exec-hook-sleep records that; the paginated projection is held to Codex 0.171's answer in fixtures/codex-tests/paginated-history/review-mode-items)"
}

describe.each(versions)("Codex %s", (version) => {
  const readValid = validator(version, "ThreadReadResponse.json")
  const turnsValid = validator(version, "ThreadTurnsListResponse.json")
  const mine = cases.filter(([v]) => v === version).map(([, c]) => c)

  it.each(mine)("%s: history --json equals thread/read and validates", async (c) => {
    const dir = path.join(matrix, version, c)
    const r = await run(c === mine[0], "history", path.join(dir, "input.jsonl"), "--json")
    expect(r.status, r.stderr).toBe(0)
    const ours = JSON.parse(r.stdout)
    const codex = json(dir, "thread-read.json")
    expect(JSON.stringify(asAnsweredBy(version, ours.thread.turns))).toBe(JSON.stringify(codex.thread.turns))
    expect(withoutLocation({ ...ours.thread, turns: asAnsweredBy(version, ours.thread.turns) })).toEqual(withoutLocation(codex.thread))
    recencyClose(ours.thread, codex.thread)
    expect(readValid(ours), JSON.stringify(readValid.errors)).toBe(true)
  })

  it.each(mine)("%s: turns equals thread/turns/list and validates", async (c) => {
    const dir = path.join(matrix, version, c)
    const r = await run(c === mine[0], "turns", path.join(dir, "input.jsonl"), "--items-view", "full", "--sort-direction", "asc", "--limit", "100", "--json")
    expect(r.status, r.stderr).toBe(0)
    const page = JSON.parse(r.stdout)
    expect(JSON.stringify({ ...page, data: asAnsweredBy(version, page.data) })).toBe(JSON.stringify(json(dir, "turns-list.json")))
    expect(turnsValid(page), JSON.stringify(turnsValid.errors)).toBe(true)
  })

  // The input of the first model request after `codex exec resume` (test/oracle/RecordMatrixResume.ts):
  // after the base instructions it is exactly `rollout resume`'s history, the metadata passthrough
  // left in the file, and it ends with the new prompt.
  const resumed = mine.filter((c) => fs.existsSync(path.join(matrix, version, c, "resume-request.json")))
  it.each(resumed)("%s: rollout resume --json is what codex exec resume sends", async (c) => {
    const dir = path.join(matrix, version, c)
    const r = await run(c === resumed[0], "resume", path.join(dir, "input.jsonl"), "--json")
    expect(r.status, r.stderr).toBe(0)
    const history: Array<Record<string, unknown>> = JSON.parse(r.stdout).history
    const sent = history.map(({ internal_chat_message_metadata_passthrough: _kept, ...rest }) => rest)
    const input: Array<Record<string, unknown>> = json(dir, "resume-request.json")
    expect(history.length).toBeGreaterThan(2)
    expect(input.slice(1, 1 + sent.length)).toEqual(sent)
    expect(input.at(-1)).toMatchObject({ role: "user", content: [{ type: "input_text", text: "We are back: continue" }] })
  })

  it("every ThreadItem type of this version's schema is recorded, or listed with the reason it is not", () => {
    const schema = json(root, "fixtures/codex-schema", version, "ThreadReadResponse.json")
    const types: Array<string> = schema.definitions.ThreadItem.oneOf.map((o: { properties: { type: { enum: Array<string> } } }) => o.properties.type.enum[0])
    const seen = new Set(
      mine.flatMap((c) =>
        json(matrix, version, c, "thread-read.json").thread.turns.flatMap((t: { items: Array<{ type: string }> }) => t.items.map((i) => i.type))
      )
    )
    const missing = types.filter((t) => !seen.has(t) && notRecorded[t] === undefined)
    expect(missing).toEqual([])
    // A listed type that a recording now holds must leave the list.
    expect(types.filter((t) => seen.has(t) && notRecorded[t] !== undefined)).toEqual([])
  })
})

/** Every committed rollout real Codex wrote or read back: the matrix, the oracle threads, Codex's own test cases, the sample home. */
const codexWritten = (): Array<string> => {
  const inputs = (dir: string, depth: number): Array<string> =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) return depth > 0 ? inputs(p, depth - 1) : []
      return e.name === "input.jsonl" ? [p] : []
    })
  return [...inputs(matrix, 2), ...inputs(path.join(root, "fixtures/oracle"), 1), ...inputs(path.join(root, "fixtures/codex-tests"), 2), ...sampleFiles()]
}

describe("rollout validate on what real Codex writes", () => {
  it("declares every field of every line (no undeclared_field note), so the next Codex drift is the only one reported", () => {
    const files = codexWritten()
    expect(files.length).toBeGreaterThan(80)
    const r = rollout("validate", ...files, "--json")
    expect(r.status, r.stderr).toBe(0)
    const report: { files: Array<{ path: string; notes: Array<{ line: number; kind: string; message: string }> }> } = JSON.parse(r.stdout)
    expect(report.files.length).toBe(files.length)
    const undeclared = report.files.flatMap((f) =>
      f.notes.filter((n) => n.kind === "undeclared_field").map((n) => `${path.relative(root, f.path)}:${n.line} ${n.message}`)
    )
    expect(undeclared).toEqual([])
  })
})
