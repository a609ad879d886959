import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as ResumeTail from "@rollout/reduce/ResumeTail"
import {
  aborted,
  assistant,
  at,
  compacted,
  complete,
  decode,
  envContext,
  item,
  msg,
  rolledBack,
  started,
  tokenCount,
  user,
  userEvent
} from "./support/Lines.js"

// ---------------------------------------------------------------------------------------------
// Valid turn sequences, as Codex writes them

const context = (turnId: string | undefined, model: string) =>
  decode({
    timestamp: at(),
    type: "turn_context",
    payload: {
      ...(turnId === undefined ? {} : { turn_id: turnId }),
      cwd: "/w",
      approval_policy: "never",
      sandbox_policy: { type: "danger-full-access" },
      model,
      comp_hash: `h-${model}`,
      realtime_active: false,
      summary: "none"
    }
  })

export type Op =
  | { readonly _tag: "turn"; readonly model: string; readonly context: boolean }
  | { readonly _tag: "aborted"; readonly model: string }
  | { readonly _tag: "checkpoint"; readonly context: boolean }
  | { readonly _tag: "midTurnCheckpoint"; readonly model: string }
  | { readonly _tag: "legacy" }
  | { readonly _tag: "rollback"; readonly n: number }
  | { readonly _tag: "tokens"; readonly n: number | null }
  | { readonly _tag: "tool"; readonly model: string }
  | { readonly _tag: "implicit" }
  | { readonly _tag: "looseContext"; readonly model: string }

const model = fc.constantFrom("m1", "m2", "m3")
export const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ _tag: fc.constant("turn" as const), model, context: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("aborted" as const), model }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("checkpoint" as const), context: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("midTurnCheckpoint" as const), model }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "legacy" as const }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("rollback" as const), n: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("tokens" as const), n: fc.option(fc.nat(100)) }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("tool" as const), model }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "implicit" as const }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("looseContext" as const), model }) }
)

/** The lines of `ops`. A checkpoint keeps the real user messages so far, as Codex's compaction does. */
export const render = (ops: ReadonlyArray<Op>): Array<RolloutLine.RolloutLine> => {
  const out: Array<RolloutLine.RolloutLine> = [envContext()]
  const users: Array<string> = []
  const said = (text: string) => (users.push(text), text)
  const kept = () => [...users.slice(-3).map((u) => msg("user", u)), msg("user", `SUMMARY ${users.length}`)]
  ops.forEach((o, i) => {
    const id = `t${i}`
    switch (o._tag) {
      case "turn": {
        const text = said(`u${i}`)
        return void out.push(
          started(id),
          ...(o.context ? [context(id, o.model)] : []),
          user(text),
          userEvent(text),
          assistant(`re ${i}`),
          tokenCount(i),
          complete(id)
        )
      }
      case "aborted": {
        const text = said(`u${i}`)
        return void out.push(
          started(id),
          context(id, o.model),
          user(text),
          userEvent(text),
          assistant(`partial ${i}`),
          user("<turn_aborted>\nThe user interrupted.\n</turn_aborted>"),
          aborted(id)
        )
      }
      case "checkpoint":
        return void out.push(started(id), compacted("s", kept()), ...(o.context ? [context(id, "m1")] : []), complete(id))
      case "midTurnCheckpoint": {
        const text = said(`u${i}`)
        return void out.push(
          started(id),
          context(id, o.model),
          user(text),
          userEvent(text),
          compacted("s", kept()),
          context(id, "m3"),
          assistant(`after ${i}`),
          complete(id)
        )
      }
      case "legacy":
        return void out.push(compacted(`legacy ${i}`))
      case "rollback":
        return void out.push(rolledBack(o.n))
      case "tokens":
        return void out.push(tokenCount(o.n))
      case "tool": {
        const text = said(`tool ${i}`)
        return void out.push(
          started(id),
          context(id, o.model),
          user(text),
          item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${i}` }),
          item({ type: "function_call_output", call_id: `c${i}`, output: "ok" }),
          complete(id)
        )
      }
      case "implicit":
        return void out.push(user(said(`old ${i}`)), assistant(`old re ${i}`))
      case "looseContext":
        return void out.push(context(undefined, o.model))
    }
  })
  return out
}

/** Feeds lines newest first, as the backward reader would, and stops when told. */
const fromTheEnd = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => {
  const tail = ResumeTail.make()
  let read = 0
  for (let i = lines.length - 1; i >= 0; i--) {
    read++
    if (tail.add(lines[i] as RolloutLine.RolloutLine) === "nothing") break
  }
  return { output: tail.finish(), read }
}

const forward = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => ResumeHistory.finish(ResumeHistory.fold(lines))

describe("ResumeTail", () => {
  it("given random valid turn sequences, reading from the end gives the forward fold of the whole rollout", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 24 }), (ops) => {
        const lines = render(ops)
        expect(fromTheEnd(lines).output).toEqual(forward(lines))
      }),
      { numRuns: 1500 }
    )
  })

  it("given a checkpoint followed by a user turn, stops right before the checkpoint's turn", () => {
    const ops: Array<Op> = [
      ...Array.from({ length: 50 }, () => ({ _tag: "turn" as const, model: "m1", context: true })),
      { _tag: "checkpoint", context: false },
      { _tag: "turn", model: "m2", context: true }
    ]
    const lines = render(ops)
    const { output, read } = fromTheEnd(lines)
    expect(output).toEqual(forward(lines))
    // The user turn (7 lines), the compaction turn (3), and the line that closed the turn before.
    expect(read).toBe(11)
  })

  it("given a rollback past the newest checkpoint, keeps reading until an older state survives", () => {
    const ops: Array<Op> = [
      ...Array.from({ length: 20 }, () => ({ _tag: "turn" as const, model: "m1", context: true })),
      { _tag: "checkpoint", context: false },
      ...Array.from({ length: 5 }, () => ({ _tag: "turn" as const, model: "m2", context: true })),
      { _tag: "midTurnCheckpoint", model: "m2" },
      { _tag: "rollback", n: 1 }
    ]
    const lines = render(ops)
    const { output, read } = fromTheEnd(lines)
    expect(output).toEqual(forward(lines))
    expect(read).toBeGreaterThan(9)
    expect(read).toBeLessThan(lines.length)
  })

  it("given no checkpoint, reads the whole rollout", () => {
    const lines = render(Array.from({ length: 10 }, () => ({ _tag: "turn" as const, model: "m1", context: true })))
    expect(fromTheEnd(lines)).toEqual({ output: forward(lines), read: lines.length })
  })

  it("given no token count after the checkpoint, keeps looking for the newest one", () => {
    const lines = render([
      { _tag: "turn", model: "m1", context: true },
      { _tag: "tokens", n: 42 },
      { _tag: "tokens", n: null },
      { _tag: "checkpoint", context: true }
    ])
    const { output } = fromTheEnd(lines)
    expect(output).toEqual(forward(lines))
    expect(output.tokenUsage).toMatchObject({ total_token_usage: { input_tokens: 42 } })
  })

  it("settle: a tail whose settings come from before it is not settled", () => {
    const lines = render([
      { _tag: "turn", model: "m1", context: true },
      { _tag: "checkpoint", context: false }
    ])
    expect(ResumeTail.settle(lines.slice(-3).reverse())).toBeUndefined()
  })
})
