// `history` without `--json` on a large legacy thread: `TranscriptRead.stream` hands turns out with
// their work as they become final, and the text written from them (`Transcript.released`, then
// the rest) must be the held transcript's bytes (`Transcript.render`): on every rollout fixture,
// on the fixtures' lines run together (ids repeat, rollbacks reach back, turns complete late), and
// on generated turns with calls, results, token counts, late events and rollbacks. Files are served
// in small chunks so that the fold hands out turns between almost every line.
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as Transcript from "@rollout/view/Transcript"
import * as StreamedThreads from "@rollout/query/test/support/StreamedThreads"

const { root, home, file, run } = StreamedThreads
const fresh = { freshId: (n: number) => `fresh-${n}` }
const zone = "UTC"

/** The text `history` writes, from `stream` with a threshold of `streamFrom` bytes; `released` counts the turns handed out early. */
const streamed = (options: TranscriptRead.StreamOptions) => {
  let out = ""
  let released = 0
  const sink: TranscriptRead.Sink = {
    head: (thread) => (out += Transcript.head(thread)),
    turn: (t) => {
      released++
      out += Transcript.released(t, zone)
    }
  }
  return TranscriptRead.stream(file, home, sink, options).pipe(
    Effect.map((rest) => ({ text: `${out}${Transcript.turns(rest, rest.offset, zone)}${Transcript.tail(rest.offset + rest.thread.turns.length)}`, released }))
  )
}

let releasedTotal = 0

/** Held and streamed transcripts (and diagnostics) for `text`, in both replay modes. */
const both = async (text: string, chunk = 97, clean = false) => {
  for (const options of [{}, { allEvents: fresh }]) {
    const held = await run(text, StreamedThreads.whole, TranscriptRead.read(file, home, options).pipe(Effect.map((t) => Transcript.render(t, zone))))
    const small = await run(text, chunk, streamed(options))
    const big = await run(text, chunk, streamed({ ...options, streamFrom: 0, seenBitsLog2: StreamedThreads.seenBitsLog2 }))
    // A filter of 8 bits says "maybe seen" of almost every id: the first pass notes nearly all of them.
    const noted = await run(text, chunk, streamed({ ...options, streamFrom: 0, seenBitsLog2: 3 }))
    if (clean) expect(held.problems).toBe("")
    for (const s of [small, big, noted]) {
      expect(s.r._tag).toBe(held.r._tag)
      if (held.r._tag === "Success" && s.r._tag === "Success") expect(s.r.success.text).toBe(held.r.success)
      expect(s.problems).toBe(held.problems)
    }
    if (small.r._tag === "Success") expect(small.r.success.released).toBe(0)
    if (big.r._tag === "Success") releasedTotal += big.r.success.released
  }
}

const all = StreamedThreads.fixtures

const stamp = "2026-07-14T07:06:00.000Z"
const event = (payload: Record<string, unknown>) => JSON.stringify({ timestamp: stamp, type: "event_msg", payload })
const item = (payload: Record<string, unknown>) => JSON.stringify({ timestamp: stamp, type: "response_item", payload })
const id = (n: number) => `0198f2a5-0000-7000-8000-0000000000${String(n).padStart(2, "0")}`
const call = (n: number) => `call_${n}`

// Whole turns and loose lines: turns from a pool of twelve ids (so ids repeat), completions, aborts and items for any of them at
// any time, rollbacks of up to three turns, and the work log's lines: calls and their results (a
// result may come long after its call, or twice), token counts and errors.
const start = fc
  .nat(11)
  .map((n) => event({ type: "task_started", turn_id: id(n), started_at: 1784012760 + n, model_context_window: 258400, collaboration_mode_kind: "default" }))
const complete = fc.nat(11).map((n) => event({ type: "task_complete", turn_id: id(n), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 }))
const rollback = fc.nat(3).map((n) => event({ type: "thread_rolled_back", num_turns: n }))
const op = fc.oneof(
  // Turns start and end often and rollbacks are rare, so that turns become final and are handed out.
  { arbitrary: start, weight: 4 },
  { arbitrary: complete, weight: 4 },
  { arbitrary: rollback, weight: 1 },
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
  fc.string({ maxLength: 8 }).map((m) => event({ type: "user_message", message: m, local_images: [], local_audio: [], text_elements: [] })),
  fc.string({ maxLength: 8 }).map((m) => event({ type: "agent_message", message: m, phase: null, memory_citation: null })),
  fc.nat(5).map((n) => item({ type: "function_call", name: "shell", arguments: JSON.stringify({ command: ["ls", `d${n}`] }), call_id: call(n) })),
  fc.nat(5).map((n) => item({ type: "function_call", name: "lookup", arguments: `{"q":${n}}`, call_id: call(n) })),
  fc.tuple(fc.nat(5), fc.string({ maxLength: 6 })).map(([n, o]) => item({ type: "function_call_output", call_id: call(n), output: o })),
  fc.tuple(fc.nat(5), fc.nat(2)).map(([n, code]) =>
    event({
      type: "exec_command_end",
      call_id: call(n),
      turn_id: id(n),
      command: ["ls", `d${n}`],
      cwd: "/w",
      parsed_cmd: [],
      source: "agent",
      stdout: "",
      stderr: "",
      aggregated_output: `out ${n}`,
      exit_code: code,
      duration: { secs: 1, nanos: 0 },
      formatted_output: "",
      status: "completed"
    })
  ),
  fc.nat(1000).map((t) =>
    event({
      type: "token_count",
      info: {
        total_token_usage: { input_tokens: t, cached_input_tokens: 0, output_tokens: t, reasoning_output_tokens: 0, total_tokens: 2 * t },
        last_token_usage: { input_tokens: t, cached_input_tokens: 0, output_tokens: t, reasoning_output_tokens: 0, total_tokens: 2 * t },
        model_context_window: 258400
      },
      rate_limits: null
    })
  ),
  fc.string({ maxLength: 6 }).map((m) => event({ type: "error", message: m })),
  fc.string({ maxLength: 6 }).map((m) => event({ type: "warning", message: m })),
  fc.constant(
    JSON.stringify({
      timestamp: stamp,
      type: "turn_context",
      payload: { cwd: "/w", approval_policy: "never", model: "m", effort: "high", summary: "auto", sandbox_policy: { type: "danger-full-access" } }
    })
  )
)

/** A whole turn: its start, some lines, its completion (most turns are like this). */
const whole = fc
  .tuple(fc.nat(11), fc.array(op, { maxLength: 6 }))
  .map(([n, body]) =>
    [
      event({ type: "task_started", turn_id: id(n), started_at: 1784012760 + n, model_context_window: 258400, collaboration_mode_kind: "default" }),
      ...body,
      event({ type: "task_complete", turn_id: id(n), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })
    ].join("\n")
  )

describe("TranscriptRead.stream", () => {
  it("given each rollout fixture, then the streamed transcript is the held one's bytes", async () => {
    expect(all.length).toBeGreaterThan(100)
    releasedTotal = 0
    for (const f of all) await both(fs.readFileSync(f, "utf8"))
    // The streamed path must really hand turns out early, or this test proves nothing.
    expect(releasedTotal).toBeGreaterThan(100)
  }, 240_000)

  it("given the history fixtures' lines run together under one session_meta, then the streamed transcript is the held one's bytes", async () => {
    await both(StreamedThreads.runTogether(), 61)
  }, 60_000)

  const meta = fs.readFileSync(path.join(root, "fixtures/history/rollback/input.jsonl"), "utf8").split("\n")[0] as string

  it("given a call made between turns whose result comes after the next turn finished, then the streamed transcript is the held one's bytes", async () => {
    // The call is anchored to the finished turn before it; the implicit turn after it finishes at
    // a completion naming another turn, and only then comes the result: the first pass must have
    // noted it, or the first turn is handed out without it.
    const lines = [
      meta,
      event({ type: "task_started", turn_id: id(1), started_at: 1784012760, model_context_window: 258400 }),
      event({ type: "task_complete", turn_id: id(1), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 }),
      item({ type: "function_call", name: "lookup", arguments: '{"q":1}', call_id: call(1) }),
      event({ type: "agent_message", message: "between", phase: null, memory_citation: null }),
      event({ type: "task_complete", turn_id: id(2), last_agent_message: null, completed_at: 1784012762, duration_ms: 1000 }),
      item({ type: "function_call_output", call_id: call(1), output: "late result" }),
      event({ type: "task_started", turn_id: id(3), started_at: 1784012763, model_context_window: 258400 }),
      event({ type: "task_complete", turn_id: id(3), last_agent_message: null, completed_at: 1784012764, duration_ms: 1000 })
    ]
    for (const chunk of [16, 64, 200]) await both(`${lines.join("\n")}\n`, chunk)
  }, 60_000)

  it("given generated turns with work, late events and rollbacks, then the streamed transcript is the held one's bytes", async () => {
    releasedTotal = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(op, whole), { maxLength: 40 }), fc.integer({ min: 16, max: 400 }), async (ops, chunk) => {
        await both(`${[meta, ...ops].join("\n")}\n`, chunk)
      }),
      { numRuns: 150 }
    )
    expect(releasedTotal).toBeGreaterThan(100)
  }, 240_000)
})
