import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ForkHistory from "@rollout/reduce/ForkHistory"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import { assistant, at, compacted, complete, decode, envContext, item, msg, rolledBack, started, tokenCount, usage, user, userEvent } from "./support/Lines.js"

const ORACLE = path.resolve(__dirname, "../../../fixtures/oracle")

const known = (texts: ReadonlyArray<string>): Array<RolloutLine.RolloutLine> =>
  texts.flatMap((t) => {
    const d = RolloutLine.decode(JSON.parse(t))
    return d._tag === "Known" ? [d.line] : []
  })

const wire = (value: unknown): unknown => JSON.parse(Json.stringify(value))

/** Request-time preparation: Codex does not send the metadata passthrough to the model. */
const asSent = (items: ReadonlyArray<unknown>): unknown =>
  (wire(items) as Array<Record<string, unknown>>).map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)

describe("ResumeHistory oracle", () => {
  const cases = fs.readdirSync(ORACLE).filter((c) => fs.existsSync(path.join(ORACLE, c, "resume-request.json")))
  it.each(cases)("%s", (c) => {
    const request = JSON.parse(fs.readFileSync(path.join(ORACLE, c, "resume-request.json"), "utf8"))
    const texts = fs
      .readFileSync(path.join(ORACLE, c, "input.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
    const out = ResumeHistory.finish(ResumeHistory.fold(known(texts.slice(0, request.linesBeforeResume))))
    expect(asSent(out.history)).toEqual(request.input.slice(1, -1))
    // Metadata: the last user turn's turn_context and the last non-null token_count, as written.
    const raw = texts.slice(0, request.linesBeforeResume).map((t) => JSON.parse(t))
    const lastContext = raw.filter((l) => l.type === "turn_context").at(-1)
    const lastUsage = raw.filter((l) => l.type === "event_msg" && l.payload.type === "token_count" && l.payload.info != null).at(-1)
    expect(wire(out.referenceContextItem)).toEqual(lastContext.payload)
    expect(out.previousTurnSettings).toEqual({
      model: lastContext.payload.model,
      comp_hash: lastContext.payload.comp_hash ?? null,
      realtime_active: lastContext.payload.realtime_active ?? null
    })
    expect(wire(out.tokenUsage)).toEqual(lastUsage.payload.info)
  })
})

// ---------------------------------------------------------------------------------------------
// Given/when/then rules (spec resume-and-store.md A2–A5)

const context = (turnId: string, model = "gpt-5.5", extra: object = {}) =>
  decode({
    timestamp: at(),
    type: "turn_context",
    payload: {
      turn_id: turnId,
      cwd: "/w",
      approval_policy: "never",
      sandbox_policy: { type: "danger-full-access" },
      model,
      comp_hash: "h1",
      realtime_active: false,
      summary: "none",
      ...extra
    }
  })

/** A user turn as Codex writes it: started, context, user message (item + event), answer, complete. */
const turn = (id: string, text: string, model = "gpt-5.5") => [
  started(id),
  context(id, model),
  user(text),
  userEvent(text),
  assistant(`re: ${text}`),
  complete(id)
]

const texts = (out: { readonly history: ReadonlyArray<unknown> }): Array<string> =>
  (wire(out.history) as Array<{ content?: Array<{ text?: string }> }>).map((i) => (i.content ?? []).map((c) => c.text ?? "").join(""))
const resume = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => ResumeHistory.finish(ResumeHistory.fold(lines))

describe("ResumeHistory rules", () => {
  it("given a checkpoint with replacement_history, when folded, then it replaces the history and clears the reference", () => {
    const out = resume([...turn("t1", "a"), started("c"), compacted("sum", [msg("user", "a"), msg("user", "SUMMARY")]), complete("c")])
    expect(texts(out)).toEqual(["a", "SUMMARY"])
    expect(out.referenceContextItem).toBeNull()
    expect(out.previousTurnSettings).toEqual({ model: "gpt-5.5", comp_hash: "h1", realtime_active: false })
  })

  it("given a turn_context after the checkpoint in the same turn, then the reference is the last user turn's", () => {
    const out = resume([...turn("t1", "a"), started("t2"), context("t2"), user("b"), compacted("s", [msg("user", "b")]), context("t2", "m2"), complete("t2")])
    expect((out.referenceContextItem as { model: string }).model).toBe("m2")
    expect(out.previousTurnSettings?.model).toBe("gpt-5.5")
  })

  it("given a legacy compaction without replacement_history, then user messages are kept and the summary follows", () => {
    const out = resume([user("A"), assistant("B"), compacted("legacy summary")])
    expect(wire(out.history)).toEqual([msg("user", "A"), msg("user", "legacy summary")])
    expect(out.referenceContextItem).toBeNull()
  })

  it("given a legacy compaction with an empty summary and context messages, then only real user messages are kept", () => {
    const out = resume([envContext(), ...turn("t1", "A"), compacted("")])
    expect(texts(out)).toEqual(["A", "(no summary available)"])
  })

  it("given user messages over the budget, then the newest are kept whole and the first that does not fit is truncated", () => {
    const big = "x".repeat(60_000) // 15,000 tokens
    const out = resume([user(`old ${big}`), user(big), user("new"), compacted("s")])
    const kept = texts(out)
    expect(kept).toHaveLength(4)
    expect(kept[0]).toContain("tokens truncated")
    expect(kept.slice(1)).toEqual([big, "new", "s"])
  })

  it("given a rollback of one turn, then the last user turn and its settings are gone", () => {
    const out = resume([...turn("t1", "a"), ...turn("t2", "b", "m2"), rolledBack(1)])
    expect(texts(out)).toEqual(["a", "re: a"])
    expect(out.previousTurnSettings?.model).toBe("gpt-5.5")
  })

  it("given rollbacks, then only user turns are counted (a standalone compaction turn is not)", () => {
    const lines = [
      ...turn("t1", "a"),
      ...turn("t2", "b"),
      started("c"),
      compacted("s", [msg("user", "a"), msg("user", "b"), msg("user", "S")]),
      complete("c"),
      rolledBack(1)
    ]
    // The rolled-back turn is t2 (the compaction turn after it goes too, being newer).
    expect(texts(resume(lines))).toEqual(["a", "re: a"])
  })

  it("given a rollback past a compaction, then the history before the checkpoint is restored", () => {
    const lines = [
      ...turn("t1", "a"),
      started("t2"),
      context("t2"),
      user("b"),
      compacted("s", [msg("user", "a"), msg("user", "b"), msg("user", "S")]),
      assistant("after"),
      complete("t2"),
      rolledBack(1)
    ]
    expect(texts(resume(lines))).toEqual(["a", "re: a"])
  })

  it("given a rollback of more turns than exist, then the session prefix before the first user turn stays", () => {
    const out = resume([envContext(), ...turn("t1", "a"), ...turn("t2", "b"), rolledBack(5)])
    expect(texts(out)).toEqual(["<environment_context>\n  <cwd>/w</cwd>\n</environment_context>"])
    expect(out.previousTurnSettings).toBeNull()
  })

  it("given rollbacks, then they are cumulative and a zero rollback is a no-op", () => {
    const lines = [...turn("t1", "a"), ...turn("t2", "b"), ...turn("t3", "c"), rolledBack(1), rolledBack(0), rolledBack(1)]
    expect(texts(resume(lines))).toEqual(["a", "re: a"])
  })

  it("given token counts, then the last non-null info wins and rollbacks do not affect it", () => {
    const out = resume([...turn("t1", "a"), tokenCount(5), ...turn("t2", "b"), tokenCount(7), tokenCount(null), rolledBack(1)])
    expect(out.tokenUsage).toEqual({ total_token_usage: usage(7), last_token_usage: usage(7), model_context_window: 1000 })
  })

  it("given previous turn settings without comp_hash, then nulls are kept", () => {
    const line = decode({
      timestamp: at(),
      type: "turn_context",
      payload: { cwd: "/w", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model: "m" }
    })
    const out = resume([started("t"), line, user("x"), complete("t")])
    expect(out.previousTurnSettings).toEqual({ model: "m", comp_hash: null, realtime_active: null })
  })

  it("given bad and unknown lines around a checkpoint, when read, then they are skipped and the checkpoint holds", () => {
    const raw = [
      JSON.stringify({ timestamp: at(), type: "response_item", payload: msg("user", "a") }),
      "{not json",
      JSON.stringify({ timestamp: at(), type: "mystery_line", payload: {} }),
      JSON.stringify({ timestamp: at(), type: "response_item", payload: { type: "future_item", x: 1 } }),
      JSON.stringify({
        timestamp: at(),
        type: "compacted",
        payload: { message: "s", replacement_history: [msg("user", "a"), { type: "future_item", x: 1 }, msg("user", "S")] }
      }),
      JSON.stringify({ timestamp: at(), type: "event_msg", payload: { type: "thread_rolled_back" } })
    ]
    const lines = raw.flatMap((t) => {
      try {
        const d = RolloutLine.decode(JSON.parse(t))
        return d._tag === "Known" ? [d.line] : []
      } catch {
        return []
      }
    })
    expect(wire(resume(lines).history)).toEqual([msg("user", "a"), { type: "future_item", x: 1 }, msg("user", "S")])
  })

  it("given legacy image details auto/low and the legacy compaction_summary tag in a checkpoint, then they are kept verbatim", () => {
    const image = (detail: string) => ({ type: "message", role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,AA", detail }] })
    const summary = { type: "compaction_summary", encrypted_content: "enc" }
    const out = resume([...turn("t1", "a"), compacted("s", [image("auto"), image("low"), summary]), user("next")])
    expect(wire(out.history)).toEqual([image("auto"), image("low"), summary, msg("user", "next")])
  })
})

describe("ForkHistory", () => {
  const lines = [envContext(), ...turn("t1", "a"), ...turn("t2", "b"), ...turn("t3", "c")]

  it("given three user turns, when forking before user message 1, then only the first turn is kept", () => {
    expect(texts(ForkHistory.fork(lines, 1))).toEqual([texts(resume([envContext()]))[0], "a", "re: a"])
  })

  it("given n = 0, then only what precedes the first user message is kept", () => {
    expect(texts(ForkHistory.fork(lines, 0))).toHaveLength(1)
  })

  it("given n past the last user message (or MAX_SAFE_INTEGER), then the whole rollout is kept", () => {
    expect(ForkHistory.cutIndex(lines, 3)).toBeNull()
    expect(ForkHistory.fork(lines, 3)).toEqual({ history: resume(lines).history })
    expect(ForkHistory.fork(lines, Number.MAX_SAFE_INTEGER)).toEqual({ history: resume(lines).history })
  })

  it("given a rollback, then n indexes the post-rollback user messages", () => {
    const rolled = [...turn("t1", "a"), ...turn("t2", "b"), rolledBack(1), ...turn("t3", "c"), ...turn("t4", "d")]
    // Post-rollback user messages: a, c, d. Before message 2 (d): a, then c (b rolled back).
    expect(texts(ForkHistory.fork(rolled, 2))).toEqual(["a", "re: a", "c", "re: c"])
  })
})

// ---------------------------------------------------------------------------------------------
// Incremental folding over generated valid turn sequences

type Op =
  | { readonly _tag: "turn"; readonly text: string; readonly model: string }
  | { readonly _tag: "checkpoint" }
  | { readonly _tag: "legacy"; readonly summary: string }
  | { readonly _tag: "rollback"; readonly n: number }
  | { readonly _tag: "tokens"; readonly n: number | null }
  | { readonly _tag: "tool" }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant("turn" as const), text: fc.string({ maxLength: 6 }), model: fc.constantFrom("m1", "m2") }) },
  fc.constant({ _tag: "checkpoint" as const }),
  fc.record({ _tag: fc.constant("legacy" as const), summary: fc.string({ maxLength: 4 }) }),
  fc.record({ _tag: fc.constant("rollback" as const), n: fc.nat(3) }),
  fc.record({ _tag: fc.constant("tokens" as const), n: fc.option(fc.nat(100)) }),
  fc.constant({ _tag: "tool" as const })
)

/** Lines for ops; checkpoints replace history with the real user messages so far plus a summary. */
const render = (ops: ReadonlyArray<Op>): Array<RolloutLine.RolloutLine> => {
  const out: Array<RolloutLine.RolloutLine> = [envContext()]
  ops.forEach((o, i) => {
    const id = `t${i}`
    switch (o._tag) {
      case "turn":
        return void out.push(...turn(id, `u${i}${o.text}`, o.model))
      case "checkpoint":
        return void out.push(started(id), compacted("s", [msg("user", `kept${i}`), msg("user", "SUMMARY")]), context(id), complete(id))
      case "legacy":
        return void out.push(compacted(o.summary))
      case "rollback":
        return void out.push(rolledBack(o.n))
      case "tokens":
        return void out.push(tokenCount(o.n))
      case "tool":
        return void out.push(
          started(id),
          context(id),
          user(`tool ${i}`),
          item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${i}` }),
          item({ type: "function_call_output", call_id: `c${i}`, output: "ok" }),
          complete(id)
        )
    }
  })
  return out
}

describe("ResumeHistory folds incrementally", () => {
  it("resuming from a snapshot equals folding from scratch: fold(a ++ b) = continue(fold(a), b)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.nat(), (ops, k) => {
        const lines = render(ops)
        const cut = k % (lines.length + 1)
        // structuredClone: the state is plain data and survives being stored.
        const snapshot = structuredClone(ResumeHistory.fold(lines.slice(0, cut)))
        const resumed = ResumeHistory.fold(lines.slice(cut), snapshot)
        expect(ResumeHistory.finish(resumed)).toEqual(ResumeHistory.finish(ResumeHistory.fold(lines)))
        expect(resumed).toEqual(ResumeHistory.fold(lines))
      }),
      { numRuns: 200 }
    )
  })

  it("a fork past the last user message equals a resume of the whole rollout", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        const lines = render(ops)
        expect(ForkHistory.fork(lines, Number.MAX_SAFE_INTEGER).history).toEqual(resume(lines).history)
      }),
      { numRuns: 50 }
    )
  })
})
