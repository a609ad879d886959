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

// A long turn's items are written as they become final, before the turn ends: the same bytes, for
// turns of pushed items (messages, reasoning that merges into the last one, hook prompts) and items
// put in place by id (ids that repeat, that look like the replay's minted `item-N`, that a hook
// prompt carries), with completions, aborts and rollbacks; turns long from 0, 2 or 5 items, epochs
// from 1 byte, and a filter small enough to say "seen" of almost every id.
describe("HistoryRead.writeJson streamed, a long turn's items", () => {
  const event = (payload: Record<string, unknown>) => JSON.stringify({ timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg", payload })
  const id = (n: number) => `0198f2a5-0000-7000-8000-00000000000${n}`
  const itemId = fc.oneof(
    fc.nat(2).map((k) => `sleep-${k}`),
    fc.integer({ min: 1, max: 8 }).map((k) => `item-${k}`),
    fc.nat(1).map((k) => `msg_hook_${k}`),
    fc.nat(1).map((k) => `hook-prompt-${k}`),
    fc.nat(60).map((k) => `call-${k}`)
  )
  const text = fc.string({ maxLength: 6 })
  const started = (n: number) => event({ type: "task_started", turn_id: id(n), started_at: 1784012760 + n, model_context_window: 258400 })
  const ending = fc.oneof(
    fc.nat(3).map((n) => event({ type: "task_complete", turn_id: id(n), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })),
    fc.nat(3).map((n) => event({ type: "turn_aborted", turn_id: id(n), reason: "replaced" })),
    fc.constant(undefined)
  )
  /** What a turn started with id `n` holds: pushed items, and items put in place by id (mostly its own). */
  const body = (n: number) =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(fc.oneof(fc.constant(n), fc.nat(3)), itemId, fc.nat(900)).map(([t, i, ms]) =>
          event({
            type: "item_completed",
            thread_id: "t",
            turn_id: id(t),
            item: { type: "Sleep", id: i, duration_ms: ms },
            started_at_ms: 1,
            completed_at_ms: 2
          })
        )
      },
      {
        weight: 6,
        arbitrary: text.map((m) => event({ type: "user_message", message: m, local_images: [], local_audio: [], text_elements: [] }))
      },
      {
        weight: 4,
        arbitrary: fc
          .tuple(itemId, fc.nat(900))
          .map(([i, ms]) =>
            event({ type: "sub_agent_activity", event_id: i, occurred_at_ms: ms, agent_thread_id: "t2", agent_path: "/root/helper", kind: "started" })
          )
      },
      // A command's begin and end: the live builder places the end over the begin's item (same call id).
      {
        weight: 3,
        arbitrary: fc.tuple(fc.nat(2), fc.boolean()).map(([k, end]) => {
          const begin = { call_id: `exec-${k}`, turn_id: "t", command: ["ls"], cwd: "/w", parsed_cmd: [], source: "agent" }
          return event(
            end
              ? {
                  type: "exec_command_end",
                  ...begin,
                  stdout: "",
                  stderr: "",
                  aggregated_output: "ok",
                  exit_code: 0,
                  duration: { secs: 0, nanos: 1 },
                  formatted_output: "",
                  status: "completed"
                }
              : { type: "exec_command_begin", ...begin }
          )
        })
      },
      { weight: 3, arbitrary: text.map((m) => event({ type: "agent_message", message: m, phase: null, memory_citation: null })) },
      { weight: 3, arbitrary: text.map((t) => event({ type: "agent_reasoning", text: t })) },
      // A line that adds no item: the read moves on while the last item stays last.
      {
        weight: 3,
        arbitrary: fc.constant(
          JSON.stringify({
            timestamp: "2026-07-14T07:06:00.000Z",
            type: "turn_context",
            payload: { cwd: "/w", approval_policy: "never", model: "m", effort: "high", summary: "auto", sandbox_policy: { type: "danger-full-access" } }
          })
        )
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.option(fc.nat(1)), text).map(([k, t]) =>
          JSON.stringify({
            timestamp: "2026-07-14T07:06:00.000Z",
            type: "response_item",
            payload: {
              type: "message",
              ...(k === null ? {} : { id: `msg_hook_${k}` }),
              role: "user",
              content: [{ type: "input_text", text: `<hook_prompt hook_run_id="run-1">${t.replace(/[<>&"]/g, "")}</hook_prompt>` }]
            }
          })
        )
      }
    )
  const turn = fc
    .nat(3)
    .chain((n) => fc.tuple(fc.constant(n), fc.array(body(n), { maxLength: 60 }), ending))
    .map(([n, items, end]) => [started(n), ...items, ...(end === undefined ? [] : [end])])
  const ops = fc.array(turn, { maxLength: 4 }).map((turns) => turns.flat())
  const meta = fs.readFileSync(path.join(root, "fixtures/history/rollback/input.jsonl"), "utf8").split("\n")[0] as string

  /** The held answer, and the streamed one with `options`; how many pieces the streamed one was written in. */
  const compare = async (text: string, chunk: number, options: HistoryRead.Streaming & HistoryRead.ReadOptions) => {
    const held = await run(text, StreamedThreads.whole, HistoryRead.jsonParts(file, home, options).pipe(Effect.map((parts) => [...parts].join(""))))
    let out = ""
    let pieces = 0
    const streamed = await run(
      text,
      chunk,
      HistoryRead.writeJson(
        file,
        home,
        (t) => {
          out += t
          pieces++
        },
        { ...options, streamFrom: 0 }
      ).pipe(Effect.map(() => out))
    )
    expect(streamed.r._tag).toBe(held.r._tag)
    if (held.r._tag === "Success" && streamed.r._tag === "Success") expect(streamed.r.success).toBe(held.r.success)
    expect(streamed.problems).toBe(held.problems)
    return pieces
  }

  it("given generated long turns, then it writes the held answer's bytes", async () => {
    await fc.assert(
      fc.asyncProperty(
        ops,
        // Any later rollback holds a turn in flight to its end: most runs have none.
        fc.array(fc.tuple(fc.nat(), fc.nat(2)), { maxLength: 2 }).chain((r) => fc.constantFrom([], r)),
        fc.integer({ min: 16, max: 400 }),
        fc.constantFrom(0, 2, 5),
        fc.constantFrom(1, 64, 300, 2000),
        fc.constantFrom(3, 16),
        fc.boolean(),
        async (ops, rollbacks, chunk, longTurn, epochBytes, seenBitsLog2, live) => {
          const options = { longTurn, epochBytes, seenBitsLog2, ...(live ? { allEvents: fresh } : {}) }
          const lines = [...ops]
          for (const [at, n] of rollbacks) lines.splice(at % (lines.length + 1), 0, event({ type: "thread_rolled_back", num_turns: n }))
          await compare(`${[meta, ...lines].join("\n")}\n`, chunk, options)
        }
      ),
      { numRuns: 600 }
    )
  }, 240_000)

  it("given one long turn of messages, then its items are written before it ends, and the same bytes", async () => {
    const messages = Array.from({ length: 300 }, (_, i) =>
      event({ type: "user_message", message: `m${i}`, local_images: [], local_audio: [], text_elements: [] })
    )
    const turn = [
      event({ type: "task_started", turn_id: id(1), started_at: 1784012760, model_context_window: 258400 }),
      ...messages,
      event({ type: "task_complete", turn_id: id(1), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })
    ]
    const text = `${[meta, ...turn].join("\n")}\n`
    // Held whole (as before), it goes out in a piece per turn and the thread's head and end.
    expect(await compare(text, 97, { longTurn: Number.POSITIVE_INFINITY })).toBe(3)
    expect(await compare(text, 97, { epochBytes: 256, longTurn: 0 })).toBeGreaterThan(250)
    // A rollback after it could reach it: then it is held to its end.
    const rolled = `${text}${event({ type: "thread_rolled_back", num_turns: 1 })}\n`
    expect(await compare(rolled, 97, { epochBytes: 256, longTurn: 0 })).toBe(2)
  }, 60_000)
})

// `replay --at N --json` of a large legacy thread: the streamed answer of its first N lines must be
// the held answer of a copy cut after line N (which `replay`'s held path is held to elsewhere).
describe("HistoryRead.writeJsonUntil", () => {
  const cut = (text: string, n: number) => `${text.split("\n").slice(0, n).join("\n")}\n`
  const until = async (text: string, n: number, chunk: number) => {
    let out = ""
    const r = await run(
      text,
      chunk,
      HistoryRead.writeJsonUntil([file], home, n, (t) => (out += t), { streamFrom: 0 })
    )
    return { ...r, out }
  }
  const held = (text: string) => run(text, StreamedThreads.whole, HistoryRead.jsonParts(file, home).pipe(Effect.map((parts) => [...parts].join(""))))

  it("given a fixture and any line of it, then it writes the held answer of the file cut after that line", async () => {
    const texts = [StreamedThreads.runTogether(), ...all.slice(0, 40).map((f) => fs.readFileSync(f, "utf8"))]
    let compared = 0
    await fc.assert(
      fc.asyncProperty(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 16, max: 400 }), async (t, at, chunk) => {
        const text = texts[t] as string
        const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0)
        const n = Math.max(1, Math.ceil(at * lines))
        const streamed = await until(text, n, chunk)
        const expected = await held(cut(text, n))
        if (streamed.r._tag === "Success" && streamed.r.success) {
          expect(expected.r._tag).toBe("Success")
          if (expected.r._tag === "Success") expect(streamed.out).toBe(expected.r.success)
          compared++
        } else expect(streamed.out).toBe("")
      }),
      { numRuns: 120 }
    )
    expect(compared).toBeGreaterThan(80)
  }, 120_000)

  it("given a line past the end or a small file, then it writes nothing and leaves the answer to the held path", async () => {
    const text = fs.readFileSync(all[0] as string, "utf8")
    const lines = text.split("\n").length - 1
    const past = await until(text, lines + 1, 97)
    expect(past.r._tag === "Success" && past.r.success).toBe(false)
    expect(past.out).toBe("")
    let out = ""
    const small = await run(
      text,
      97,
      HistoryRead.writeJsonUntil([file], home, 1, (t) => (out += t))
    )
    expect(small.r._tag === "Success" && small.r.success).toBe(false)
    expect(out).toBe("")
    const whole = await until(text, lines, 97)
    expect(whole.r._tag === "Success" && whole.r.success).toBe(true)
  })
})
