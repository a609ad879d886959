import { existsSync, readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Ajv } from "ajv"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as HotLines from "@rollout/reduce/HotLines"
import * as LineTriage from "@rollout/reduce/LineTriage"
import * as ThreadRead from "@rollout/reduce/ThreadRead"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const history = join(root, "fixtures/history")
const oracle = join(root, "fixtures/oracle")

/** Parsed JSON lines of a file, as a reader hands them over (bad JSON skipped). */
const values = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, "utf8")
    .split("\n")
    .flatMap((text) => {
      try {
        const v: unknown = JSON.parse(text)
        return typeof v === "object" && v !== null && !Array.isArray(v) ? [v as Record<string, unknown>] : []
      } catch {
        return []
      }
    })

const typed = (v: unknown): RolloutLine.RolloutLine | undefined => {
  const d = RolloutLine.decode(v)
  return d._tag === "Known" ? d.line : undefined
}

/** Every line decoded and stepped: the reference fold. */
const foldAll = (vs: ReadonlyArray<unknown>, start: ThreadRead.State) =>
  vs.reduce<ThreadRead.State>((s, v) => {
    const line = typed(v)
    return line === undefined ? s : ThreadRead.step(s, line)
  }, start)

/** The streaming fold the CLI runs: triage first, fast view, decoder last. */
const foldStreaming = (vs: ReadonlyArray<Record<string, unknown>>, start: ThreadRead.State) =>
  vs.reduce<ThreadRead.State>((s, v) => {
    const what = ThreadRead.triage(s, v)
    if (what === "count") return ThreadRead.count(s)
    if (what === "skip") return s
    const line = HotLines.view(v) ?? typed(v)
    return line === undefined ? s : ThreadRead.step(s, line)
  }, start)

const cases = readdirSync(history).filter((c) => existsSync(join(history, c, "expected.json")))
const schema = JSON.parse(readFileSync(join(root, "fixtures/codex-schema/ThreadReadResponse.json"), "utf8"))
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema)
const located = ({ path: _p, updatedAt: _u, recencyAt: _r, turns: _t, ...rest }: Record<string, unknown>) => rest

describe("ThreadRead on fixtures/history (Codex 0.171's answers, one case from the spec)", () => {
  it.each(cases)("%s", (c) => {
    const options = existsSync(join(history, c, "options.json")) ? JSON.parse(readFileSync(join(history, c, "options.json"), "utf8")) : {}
    const start = options.allEvents === true ? ThreadRead.live((n) => `fresh-${n}`) : ThreadRead.empty
    const vs = values(join(history, c, "input.jsonl"))
    const state = foldStreaming(vs, start)
    const thread = ThreadRead.thread(state, { path: "/x", mtimeMs: 0 })
    const expected = JSON.parse(readFileSync(join(history, c, "expected.json"), "utf8"))
    expect(JSON.stringify(thread?.turns)).toBe(JSON.stringify(expected.thread.turns))
    // What `history --json` prints is assembled from each turn's text: the same bytes.
    expect(ThreadRead.threadJson(state, { path: "/x", mtimeMs: 0 })).toBe(JSON.stringify(thread))
    expect(located(thread as unknown as Record<string, unknown>)).toEqual(located(expected.thread))
    expect(validate(expected), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ thread }), JSON.stringify(validate.errors)).toBe(true)
  })
})

describe("ThreadRead streaming", () => {
  const files = [
    ...cases.map((c) => join(history, c, "input.jsonl")),
    ...readdirSync(oracle)
      .filter((c) => existsSync(join(oracle, c, "input.jsonl")))
      .map((c) => join(oracle, c, "input.jsonl"))
  ]

  it.each(files.map((f) => [f.slice(root.length)]))("%s: triage, count and the fast view give the full fold's turns", (f) => {
    const vs = values(join(root, f))
    const start = f.includes("exec-fork")
      ? ThreadRead.inherit(foldAll(values(join(oracle, "exec-tools-resumed", "input.jsonl")), ThreadRead.empty))
      : ThreadRead.empty
    const full = foldAll(vs, start)
    const streamed = foldStreaming(vs, start)
    expect(ThreadRead.turns(streamed)).toEqual(ThreadRead.turns(full))
    expect(streamed.metadata).toEqual(full.metadata)
    expect(ThreadRead.anchors(streamed)).toEqual(ThreadRead.anchors(full))
  })

  it("property: the stateless prefilter agrees with triage in every replay state it does not leave to the fold", () => {
    // The states a replay passes through: every prefix of every fixture, folded the streaming way.
    const states: Array<ThreadRead.State> = []
    const lines: Array<Record<string, unknown>> = []
    for (const f of files) {
      const vs = values(f)
      lines.push(...vs)
      let s = ThreadRead.empty
      for (const v of vs) {
        states.push(s)
        s = foldStreaming([v], s)
      }
    }
    const payloadType = fc.constantFrom("token_count", "agent_message", "user_message", "exec_command_end", "message", "reasoning", "function_call", "x")
    const generated = fc.record({
      type: fc.constantFrom("event_msg", "response_item", "turn_context", "session_meta", "compacted", "world_state", "other"),
      payload: fc.oneof(
        fc.record(
          {
            type: payloadType,
            role: fc.constantFrom("user", "assistant"),
            content: fc.constant([{ type: "input_text", text: "<hook_prompt>x</hook_prompt>" }])
          },
          { requiredKeys: ["type"] }
        ),
        fc.constant(null)
      ),
      ordinal: fc.option(fc.nat(), { nil: undefined })
    })
    const decoded = { n: 0 }
    fc.assert(
      fc.property(fc.nat(states.length - 1), fc.oneof(fc.constantFrom(...lines), generated), (i, v) => {
        const s = states[i] as ThreadRead.State
        const pre = LineTriage.prefilter(v)
        if (pre === "decode") decoded.n++
        else expect(ThreadRead.triage(s, v)).toBe(pre)
      }),
      { numRuns: 3000 }
    )
    // Not vacuous: lines are counted as well as left to the fold.
    expect(decoded.n).toBeGreaterThan(0)
    expect(decoded.n).toBeLessThan(3000)
  })

  it("the fast view gives exactly what the decoder gives, or nothing", () => {
    let viewed = 0
    for (const f of files) {
      for (const v of values(f)) {
        const fast = HotLines.view(v)
        if (fast !== undefined) expect(fast).toEqual(typed(v))
        if (fast !== undefined) viewed++
      }
    }
    // Not vacuous: the fixtures' hot lines do take the fast path.
    expect(viewed).toBeGreaterThan(0)
  })

  it("the fast view never accepts a line the decoder rejects (mutated hot lines)", () => {
    let viewed = 0
    const base = { timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg" }
    const payload = fc.oneof(
      fc.record(
        {
          type: fc.constant("task_started"),
          turn_id: fc.oneof(fc.string(), fc.integer()),
          model_context_window: fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string())
        },
        { requiredKeys: ["type"] }
      ),
      fc.record(
        {
          type: fc.constant("task_complete"),
          turn_id: fc.string(),
          last_agent_message: fc.oneof(fc.constant(null), fc.string(), fc.integer()),
          duration_ms: fc.oneof(fc.integer(), fc.double(), fc.constant(null))
        },
        { requiredKeys: ["type"] }
      ),
      fc.record(
        {
          type: fc.constant("user_message"),
          message: fc.oneof(fc.string(), fc.constant(null)),
          images: fc.oneof(fc.constant(null), fc.array(fc.oneof(fc.string(), fc.integer()))),
          image_details: fc.array(fc.oneof(fc.constantFrom("auto", "low", "high", "original", "huge"), fc.constant(null))),
          text_elements: fc.array(fc.constant({ byte_range: { start: 0, end: 1 } }))
        },
        { requiredKeys: ["type"] }
      ),
      fc.record(
        {
          type: fc.constant("agent_message"),
          message: fc.string(),
          phase: fc.oneof(fc.constantFrom("commentary", "final_answer", "partial_answer", "other"), fc.constant(null)),
          memory_citation: fc.constant(null)
        },
        { requiredKeys: ["type"] }
      )
    )
    fc.assert(
      fc.property(payload, fc.option(fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 })), { nil: undefined }), (p, ordinal) => {
        const v = { ...base, ...(ordinal === undefined ? {} : { ordinal }), payload: p }
        const fast = HotLines.view(v)
        if (fast !== undefined) expect(fast).toEqual(typed(v))
        if (fast !== undefined) viewed++
      })
    )
    // Not vacuous: some generated lines are valid and take the fast path.
    expect(viewed).toBeGreaterThan(0)
  })

  it("a field or type named after an Object.prototype key gets the decoder's answer, not a crash", () => {
    const base = { timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg" }
    for (const payload of [
      { type: "task_started", turn_id: "t", constructor: 1 },
      { type: "agent_message", message: "m", toString: "x" },
      { type: "constructor" },
      { type: "hasOwnProperty", turn_id: "t" }
    ]) {
      const v = { ...base, payload }
      expect(() => HotLines.view(v)).not.toThrow()
      expect(HotLines.view(v)).toBeUndefined()
    }
  })

  it("is incremental: folding a rollout in two parts equals folding it whole", () => {
    const vs = values(join(history, "rollback", "input.jsonl"))
    const lines = vs.map(typed).filter((l): l is RolloutLine.RolloutLine => l !== undefined)
    fc.assert(
      fc.property(fc.nat(lines.length), (cut) => {
        const whole = ThreadRead.fold(lines)
        const split = ThreadRead.fold(lines.slice(cut), ThreadRead.fold(lines.slice(0, cut)))
        expect(ThreadRead.turns(split)).toEqual(ThreadRead.turns(whole))
        expect(split.metadata).toEqual(whole.metadata)
      })
    )
  })
})
