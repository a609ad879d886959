// `HistoryRead.writeJson` streamed (two passes, turns written as soon as they are final) must write
// exactly the text the held answer (`jsonParts`) gives: on every rollout fixture, on the fixtures'
// lines run together (ids repeat, rollbacks reach back, turns complete late), and on generated
// turn sequences with late events and rollbacks. Files are served in small chunks so that the fold
// hands out turns between almost every line.
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as HistoryRead from "../src/HistoryRead.js"
import * as StreamedThreads from "./support/StreamedThreads.js"

const { root, home, file, run } = StreamedThreads
const fresh = { freshId: (n: number) => `fresh-${n}` }

/** Held and streamed answers (and diagnostics) for `text`, in both replay modes; `clean`: no line may be reported. */
const both = async (text: string, chunk = 97, clean = false) => {
  for (const options of [{}, { allEvents: fresh }]) {
    const held = await run(text, chunk, HistoryRead.jsonParts(file, home, options).pipe(Effect.map((parts) => [...parts].join(""))))
    let out = ""
    const streamed = await run(text, chunk, HistoryRead.writeJson(file, home, (t) => (out += t), { ...options, streamFrom: 0 }).pipe(Effect.map(() => out)))
    if (clean) expect(held.problems).toBe("")
    expect(streamed.r._tag).toBe(held.r._tag)
    if (held.r._tag === "Success" && streamed.r._tag === "Success") expect(streamed.r.success).toBe(held.r.success)
    expect(streamed.problems).toBe(held.problems)
  }
}

const all = StreamedThreads.fixtures

describe("HistoryRead.writeJson streamed", () => {
  it("given each rollout fixture, then it writes the held answer's bytes", async () => {
    expect(all.length).toBeGreaterThan(100)
    for (const f of all) await both(fs.readFileSync(f, "utf8"))
  }, 120_000)

  it("given the history fixtures' lines run together under one session_meta, then it writes the held answer's bytes", async () => {
    await both(StreamedThreads.runTogether(), 61)
  }, 60_000)

  // Turns from a pool of four ids (so ids repeat), with completions, aborts and items for any of
  // them at any time, and rollbacks of up to three turns.
  const event = (payload: Record<string, unknown>) => JSON.stringify({ timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg", payload })
  const id = (n: number) => `0198f2a5-0000-7000-8000-00000000000${n}`
  const op = fc.oneof(
    fc
      .nat(3)
      .map((n) =>
        event({ type: "task_started", turn_id: id(n), started_at: 1784012760 + n, model_context_window: 258400, collaboration_mode_kind: "default" })
      ),
    fc.nat(3).map((n) => event({ type: "task_complete", turn_id: id(n), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })),
    fc.nat(3).map((n) => event({ type: "turn_aborted", turn_id: id(n), reason: "replaced" })),
    fc.nat(3).map((n) =>
      event({
        type: "item_completed",
        thread_id: "t",
        turn_id: id(n),
        item: { type: "Sleep", id: `sleep-${n}`, duration_ms: 500 },
        started_at_ms: 1,
        completed_at_ms: 2
      })
    ),
    fc.nat(3).map((n) => event({ type: "thread_rolled_back", num_turns: n })),
    fc.string({ maxLength: 8 }).map((m) => event({ type: "user_message", message: m, local_images: [], local_audio: [], text_elements: [] })),
    fc.string({ maxLength: 8 }).map((m) => event({ type: "agent_message", message: m, phase: null, memory_citation: null })),
    fc.constant(
      JSON.stringify({
        timestamp: "2026-07-14T07:06:00.000Z",
        type: "turn_context",
        payload: { cwd: "/w", approval_policy: "never", model: "m", effort: "high", summary: "auto", sandbox_policy: { type: "danger-full-access" } }
      })
    )
  )
  const meta = fs.readFileSync(path.join(root, "fixtures/history/rollback/input.jsonl"), "utf8").split("\n")[0] as string

  it("given generated turns with late events and rollbacks, then it writes the held answer's bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.integer({ min: 16, max: 400 }), async (ops, chunk) => {
        await both(`${[meta, ...ops].join("\n")}\n`, chunk, true)
      }),
      { numRuns: 150 }
    )
  }, 120_000)
})
