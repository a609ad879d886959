import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ForkHistory from "@rollout/reduce/ForkHistory"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as ResumeTail from "@rollout/reduce/ResumeTail"
import * as ResumeTrim from "@rollout/reduce/ResumeTrim"
import { decode } from "./support/Lines.js"

// ---------------------------------------------------------------------------------------------
// Valid turn sequences as Codex writes them, as raw lines: compactions, rollbacks, token counts,
// inline images, copied fork history (a second session_meta) and lines of unknown types.

let clock = 0
const line = (type: string, payload: object) => ({ timestamp: new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString(), type, payload })
const ev = (payload: object) => line("event_msg", payload)
const item = (payload: object) => line("response_item", payload)
const text = (role: string, t: string) => ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text: t }] })
const IMAGE = `data:image/png;base64,${"iVBORw0KGgo".repeat(40)}`
const userItem = (t: string, image: boolean) =>
  item({ type: "message", role: "user", content: [{ type: "input_text", text: t }, ...(image ? [{ type: "input_image", image_url: IMAGE }] : [])] })
const userEvent = (t: string, image: boolean) => ev({ type: "user_message", message: t, images: image ? [IMAGE] : [], local_images: [], text_elements: [] })
const started = (id: string) => ev({ type: "task_started", turn_id: id, model_context_window: null, collaboration_mode_kind: "default" })
const complete = (id: string) => ev({ type: "task_complete", turn_id: id, last_agent_message: null })
const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 })
const tokens = (n: number | null) =>
  ev({
    type: "token_count",
    info: n === null ? null : { total_token_usage: usage(n), last_token_usage: usage(n), model_context_window: 1000 },
    rate_limits: null
  })
const context = (id: string | undefined, model: string) =>
  line("turn_context", {
    ...(id === undefined ? {} : { turn_id: id }),
    cwd: "/w",
    approval_policy: "never",
    sandbox_policy: { type: "danger-full-access" },
    model,
    comp_hash: `h-${model}`,
    realtime_active: false,
    summary: "none"
  })
const meta = (id: string) =>
  line("session_meta", {
    id,
    timestamp: "2026-01-01T00:00:00.000Z",
    cwd: "/w",
    originator: "t",
    cli_version: "0.171.0",
    source: "exec",
    model_provider: "openai"
  })

type Op =
  | { readonly _tag: "turn"; readonly model: string; readonly image: boolean; readonly repeatTokens: boolean }
  | { readonly _tag: "tool"; readonly model: string }
  | { readonly _tag: "checkpoint"; readonly context: boolean; readonly image: boolean }
  | { readonly _tag: "midTurnCheckpoint"; readonly model: string; readonly image: boolean }
  | { readonly _tag: "legacy" }
  | { readonly _tag: "rollback"; readonly n: number }
  | { readonly _tag: "tokens"; readonly n: number | null }
  | { readonly _tag: "forkCopy" }
  | { readonly _tag: "unknown" }
  | { readonly _tag: "implicit" }

const model = fc.constantFrom("m1", "m2")
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ _tag: fc.constant("turn" as const), model, image: fc.boolean(), repeatTokens: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("tool" as const), model }) },
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("checkpoint" as const), context: fc.boolean(), image: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("midTurnCheckpoint" as const), model, image: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "legacy" as const }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("rollback" as const), n: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("tokens" as const), n: fc.option(fc.nat(100)) }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "forkCopy" as const }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "unknown" as const }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "implicit" as const }) }
)

/** The raw lines of `ops`. A checkpoint keeps the last real user messages, as Codex's compaction does. */
const render = (ops: ReadonlyArray<Op>): Array<object> => {
  const out: Array<object> = [meta("00000000-0000-7000-8000-000000000001"), item(text("user", "<environment_context>\n</environment_context>"))]
  const users: Array<{ t: string; image: boolean }> = []
  const kept = (image: boolean) => [
    ...users.slice(-2).map((u) => ({
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: u.t }, ...(u.image && image ? [{ type: "input_image", image_url: IMAGE }] : [])]
    })),
    text("user", `SUMMARY ${users.length}`)
  ]
  ops.forEach((o, i) => {
    const id = `t${i}`
    switch (o._tag) {
      case "turn": {
        users.push({ t: `u${i}`, image: o.image })
        const count = [tokens(i), ...(o.repeatTokens ? [tokens(i)] : [])]
        return void out.push(
          started(id),
          context(id, o.model),
          userItem(`u${i}`, o.image),
          userEvent(`u${i}`, o.image),
          item(text("assistant", `re ${i}`)),
          ...count,
          complete(id)
        )
      }
      case "tool":
        users.push({ t: `tool ${i}`, image: false })
        return void out.push(
          started(id),
          context(id, o.model),
          userItem(`tool ${i}`, false),
          item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${i}` }),
          item({ type: "function_call_output", call_id: `c${i}`, output: "x".repeat(200) }),
          complete(id)
        )
      case "checkpoint":
        return void out.push(
          started(id),
          line("compacted", { message: "s", replacement_history: kept(o.image) }),
          ...(o.context ? [context(id, "m1")] : []),
          complete(id)
        )
      case "midTurnCheckpoint":
        users.push({ t: `u${i}`, image: o.image })
        return void out.push(
          started(id),
          context(id, o.model),
          userItem(`u${i}`, o.image),
          userEvent(`u${i}`, o.image),
          item({ type: "reasoning", summary: [], encrypted_content: "e".repeat(100) }),
          line("compacted", { message: "s", replacement_history: kept(o.image) }),
          context(id, "m2"),
          item(text("assistant", `after ${i}`)),
          complete(id)
        )
      case "legacy":
        return void out.push(line("compacted", { message: `legacy ${i}` }))
      case "rollback":
        return void out.push(ev({ type: "thread_rolled_back", num_turns: o.n }))
      case "tokens":
        return void out.push(tokens(o.n))
      case "forkCopy":
        return void out.push(meta("00000000-0000-7000-8000-000000000002"))
      case "unknown":
        return void out.push(line("some_future_line", { n: i }))
      case "implicit":
        users.push({ t: `old ${i}`, image: false })
        return void out.push(userItem(`old ${i}`, false), item(text("assistant", `old re ${i}`)))
    }
  })
  return out
}

const entryOf = (raw: string): ResumeTrim.Entry => {
  try {
    return { raw, line: decode(JSON.parse(raw)) }
  } catch {
    return { raw, line: undefined }
  }
}
const entries = (json: ReadonlyArray<object>) => json.map((j) => entryOf(JSON.stringify(j)))
const typed = (es: ReadonlyArray<ResumeTrim.Entry>) => es.flatMap((e) => (e.line === undefined ? [] : [e.line]))
const forward = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => ResumeHistory.finish(ResumeHistory.fold(lines))
const fromTheEnd = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => {
  const tail = ResumeTail.make()
  for (let i = lines.length - 1; i >= 0 && tail.need() !== "nothing"; i--) tail.add(lines[i] as RolloutLine.RolloutLine)
  return tail.finish()
}

/** The trimmed thread's lines: a header of its own, then the plan's body. */
const trimmed = (es: ReadonlyArray<ResumeTrim.Entry>): Array<ResumeTrim.Entry> => {
  const plan = ResumeTrim.trim(es)
  if (plan._tag !== "Trimmed") throw new Error("not trimmed")
  return [entryOf(JSON.stringify(meta("00000000-0000-7000-8000-0000000000ff"))), ...plan.lines.map(entryOf)]
}

describe("ResumeTrim", () => {
  it("given generated threads, resuming the trimmed thread equals resuming the original, and trimming again changes nothing", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 24 }), (ops) => {
        const original = entries(render(ops))
        const once = trimmed(original)
        const expected = forward(typed(original))
        expect(forward(typed(once))).toEqual(expected)
        expect(fromTheEnd(typed(once))).toEqual(expected)
        expect(
          trimmed(once)
            .slice(1)
            .map((e) => e.raw)
        ).toEqual(once.slice(1).map((e) => e.raw))
        expect(once.reduce((n, e) => n + e.raw.length, 0)).toBeLessThanOrEqual(original.reduce((n, e) => n + e.raw.length, 0))
      }),
      { numRuns: 1000 }
    )
  })

  it("given forks of generated threads (cut before a user message, as fork --write copies them), the same laws hold", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), fc.nat(12), (ops, n) => {
        const source = entries(render(ops))
        const known = source.flatMap((e, i) => (e.line === undefined ? [] : [{ line: e.line, i }]))
        const cut = ForkHistory.cutIndex(
          known.map((k) => k.line),
          n
        )
        const fork = [
          entryOf(JSON.stringify(meta("00000000-0000-7000-8000-0000000000f0"))),
          ...(cut === null ? source : source.slice(0, known[cut]?.i ?? source.length))
        ]
        const once = trimmed(fork)
        expect(forward(typed(once))).toEqual(forward(typed(fork)))
        expect(
          trimmed(once)
            .slice(1)
            .map((e) => e.raw)
        ).toEqual(once.slice(1).map((e) => e.raw))
      }),
      { numRuns: 500 }
    )
  })

  it("given turns, a checkpoint and a turn after it, keeps only the checkpoint's turn and what follows", () => {
    const ops: Array<Op> = [
      ...Array.from({ length: 20 }, (_, i): Op => ({ _tag: "turn", model: "m1", image: i % 2 === 0, repeatTokens: true })),
      { _tag: "checkpoint", context: false, image: false },
      { _tag: "turn", model: "m2", image: false, repeatTokens: true }
    ]
    const original = entries(render(ops))
    const body = trimmed(original).slice(1)
    expect(body.map((e) => (e.line?.type === "event_msg" ? e.line.payload.type : e.line?.type))).toEqual([
      "task_started",
      "compacted",
      "task_complete",
      "task_started",
      "turn_context",
      "response_item",
      "user_message",
      "response_item",
      "token_count",
      "task_complete"
    ])
    expect(body.some((e) => e.raw.includes("data:image"))).toBe(false)
  })

  it("given a rolled-back turn after the checkpoint, drops it with its rollback but keeps its token usage", () => {
    const original = entries(
      render([
        { _tag: "turn", model: "m1", image: false, repeatTokens: false },
        { _tag: "checkpoint", context: true, image: false },
        { _tag: "turn", model: "m1", image: false, repeatTokens: false },
        { _tag: "turn", model: "m2", image: true, repeatTokens: false },
        { _tag: "rollback", n: 1 }
      ])
    )
    const body = trimmed(original).slice(1)
    expect(body.some((e) => e.raw.includes("thread_rolled_back"))).toBe(false)
    expect(body.some((e) => e.raw.includes("data:image"))).toBe(false)
    expect(body.at(-1)?.raw).toContain('"input_tokens":3')
    expect(forward(typed(body))).toEqual(forward(typed(original)))
  })

  it("given an image before a mid-turn checkpoint, replaces it with a placeholder but keeps the one the checkpoint carries", () => {
    const original = entries(
      render([
        { _tag: "turn", model: "m1", image: false, repeatTokens: false },
        { _tag: "midTurnCheckpoint", model: "m1", image: true }
      ])
    )
    const body = trimmed(original).slice(1)
    const userLine = body.find((e) => e.line?.type === "response_item")
    expect(userLine?.raw).toContain("[image omitted by rollout trim]")
    expect(body.find((e) => e.line?.type === "compacted")?.raw).toContain("data:image")
    expect(body.some((e) => e.raw.includes('"reasoning"'))).toBe(false)
  })

  it("given lines held as text until a checkpoint shows (retype), the plan is the one of lines held typed", () => {
    const plan = (es: ReadonlyArray<ResumeTrim.Entry>, limit: number, retype?: (raw: string) => RolloutLine.RolloutLine | undefined) => {
      const t = ResumeTrim.make(limit, retype)
      for (let i = es.length - 1; i >= 0 && t.need() !== "nothing"; i--) t.add(es[i] as ResumeTrim.Entry)
      return t.finish()
    }
    let trimmedSome = 0
    fc.assert(
      fc.property(fc.array(op, { maxLength: 24 }), fc.integer({ min: 200, max: 20_000 }), (ops, limit) => {
        const original = entries(render(ops))
        const held = plan(original, limit)
        expect(plan(original, limit, (raw) => entryOf(raw).line)).toEqual(held)
        if (held._tag === "Trimmed") trimmedSome++
      }),
      { numRuns: 500 }
    )
    expect(trimmedSome).toBeGreaterThan(50)
  })

  it("given no checkpoint within the byte limit, trims nothing", () => {
    const original = entries(render(Array.from({ length: 10 }, (): Op => ({ _tag: "turn", model: "m1", image: false, repeatTokens: false }))))
    expect(ResumeTrim.trim(original, 500)._tag).toBe("TooLong")
  })
})
