// Property: for any conversation the engine runs (random user turns, tool-call chains, reasoning,
// retried failures, stop-hook continuations), the rollout validates, the thread view has one
// completed turn per user turn, and replay reproduces the file byte for byte.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as ModelScript from "@rollout/engine/ModelScript"
import { expectSound, setup } from "./EngineHarness.js"

const response = fc.record({
  reasoning: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
  calls: fc.integer({ min: 0, max: 2 }),
  flaky: fc.boolean(),
  text: fc.string({ minLength: 1, maxLength: 20 })
})
const turn = fc.record({ input: fc.string({ minLength: 1, maxLength: 16 }), steps: fc.array(response, { minLength: 1, maxLength: 2 }), hook: fc.boolean() })

type Turn = typeof turn extends fc.Arbitrary<infer T> ? T : never

const script = (turns: ReadonlyArray<Turn>): Array<ModelScript.Turn> =>
  turns.flatMap((t, ti) => {
    const out: Array<ModelScript.Turn> = []
    t.steps.forEach((step, si) => {
      if (step.flaky) out.push({ type: "http_error", status: 502 })
      const items: Array<ModelScript.Item> = []
      if (step.reasoning !== undefined) items.push({ type: "reasoning", summary: [step.reasoning] })
      items.push({ type: "message", text: step.text })
      for (let c = 0; c < step.calls; c++)
        items.push({ type: "function_call", name: "sleep", arguments: { duration_ms: 10 * (c + 1) }, callId: `call_${ti}_${si}_${c}` })
      out.push({ type: "response", items })
    })
    // The model ends the turn only with a response without calls.
    if (t.steps[t.steps.length - 1]!.calls > 0) out.push({ type: "response", items: [{ type: "message", text: "wrapping up" }] })
    if (t.hook) out.push({ type: "response", items: [{ type: "message", text: "after the hook" }] })
    return out
  })

describe("engine runs replay identically", () => {
  it("for generated conversations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 3 }), async (turns) => {
        let hookTurn = 0
        const s = await setup(script(turns), {
          stopHooks: [
            {
              kind: "function",
              name: "maybe",
              run: (input) => {
                const t = turns[hookTurn]
                if (input.stopHookActive || t?.hook !== true) {
                  hookTurn++
                  return { decision: "continue" }
                }
                return { decision: "block", reason: "one more time" }
              }
            }
          ]
        })
        try {
          const thread = s.engine.startThread()
          for (const t of turns) await thread.run(t.input)
          expect(s.server.problems).toEqual([])
          expect(thread.turns().map((x) => x.status)).toEqual(turns.map(() => "completed"))
          await expectSound(s.home, thread.path()!)
        } finally {
          await s.close()
        }
      }),
      { numRuns: 20 }
    )
  }, 60_000)
})
