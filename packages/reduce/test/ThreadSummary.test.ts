import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadSummary from "@rollout/reduce/ThreadSummary"

const decode = (json: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(json)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(d)}`)
  return d.line
}
const meta = (id: string) =>
  decode({
    timestamp: "2026-07-14T07:05:33.412Z",
    type: "session_meta",
    payload: {
      id,
      timestamp: "2026-07-14T07:05:33.398Z",
      cwd: "/p",
      originator: "o",
      cli_version: "1",
      source: { subagent: { thread_spawn: { parent_thread_id: "p", depth: 1 } } },
      model_provider: null,
      base_instructions: null
    }
  })
const event = (payload: object) => decode({ timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg", payload })

describe("ThreadSummary", () => {
  it("given a fork's copied session_meta, then the first session_meta stays the thread's", () => {
    const s = ThreadSummary.fold([meta("child"), meta("parent")])
    expect(s.id).toBe("child")
    expect(s.source).toBe("subagent:thread_spawn")
  })

  it("given turns that complete, fail and abort, then counts each outcome", () => {
    const s = ThreadSummary.fold([
      event({ type: "task_started", turn_id: "a", model_context_window: null, collaboration_mode_kind: "default" }),
      event({ type: "task_complete", turn_id: "a", last_agent_message: "ok" }),
      event({ type: "turn_started", turn_id: "b", model_context_window: null, collaboration_mode_kind: "default" }),
      event({ type: "task_complete", turn_id: "b", last_agent_message: null, error: { message: "budget", codex_error_info: "session_budget_exceeded" } }),
      event({ type: "task_started", turn_id: "c", model_context_window: null, collaboration_mode_kind: "default" }),
      event({ type: "turn_aborted", turn_id: "c", reason: "interrupted" })
    ])
    expect([s.turns, s.completedTurns, s.failedTurns, s.abortedTurns, s.lastAgentMessage]).toEqual([3, 1, 1, 1, "ok"])
  })

  it("folds incrementally: fold(a ++ b) = fold(b, fold(a))", () => {
    const lines = fc.array(Arbitrary.of(RolloutLine.RolloutLine, { maxExtraKeys: 0, maxLength: 2 }), { maxLength: 8 })
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        expect(ThreadSummary.fold(b, ThreadSummary.fold(a))).toEqual(ThreadSummary.fold([...a, ...b]))
      }),
      { numRuns: 30 }
    )
  })
})
