import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsBuilder from "@rollout/reduce/StatsBuilder"
import * as StatsFile from "@rollout/reduce/StatsFile"

const decode = (json: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(json)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(d)}`)
  return d.line
}
let clock = Date.UTC(2026, 6, 14, 23, 59, 0)
const at = () => new Date((clock += 1000)).toISOString()
const meta = (id: string, extra: object = {}) =>
  decode({
    timestamp: at(),
    type: "session_meta",
    payload: { id, timestamp: at(), cwd: "/p", originator: "o", cli_version: "1", source: "cli", model_provider: null, base_instructions: null, ...extra }
  })
/** Tokens of a UTC day and model, whatever quarter hours they fell in. */
const dayTotal = (s: StatsFile.FileStats, day: string, model: string) =>
  Object.entries(s.buckets)
    .filter(([k]) => StatsFile.splitBucket(k).day === day && StatsFile.splitBucket(k).model === model)
    .reduce((n, [, b]) => n + b.tokens.total, 0)
const event = (payload: object) => decode({ timestamp: at(), type: "event_msg", payload })
const item = (payload: object) => decode({ timestamp: at(), type: "response_item", payload })
const context = (model: string) =>
  decode({
    timestamp: at(),
    type: "turn_context",
    payload: { cwd: "/p", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model, summary: "none" }
  })
const usage = (input: number, output: number) => ({
  input_tokens: input,
  cached_input_tokens: 0,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: input + output
})
const count = (total: [number, number], last: [number, number]) =>
  event({ type: "token_count", info: { total_token_usage: usage(...total), last_token_usage: usage(...last), model_context_window: null }, rate_limits: null })
const started = (turn_id: string) => event({ type: "task_started", turn_id, model_context_window: null, collaboration_mode_kind: "default" })
const complete = (turn_id: string, extra: object = {}) => event({ type: "task_complete", turn_id, last_agent_message: null, ...extra })

describe("StatsBuilder", () => {
  it("given cumulative token counts and a re-emitted one, then deltas are counted once per day and model", () => {
    clock = Date.UTC(2026, 6, 14, 23, 59, 50)
    const s = StatsBuilder.fold("f", [
      meta("t"),
      context("m1"),
      started("a"),
      count([100, 10], [100, 10]),
      count([100, 10], [100, 10]),
      complete("a", { duration_ms: 500 }),
      context("m2"),
      started("b"),
      count([250, 30], [150, 20]),
      complete("b")
    ])
    expect(s.tokens.total).toBe(280)
    expect(s.tokens.input).toBe(250)
    expect(dayTotal(s, "2026-07-14", "m1")).toBe(110)
    expect(dayTotal(s, "2026-07-15", "m2")).toBe(170)
    expect(s.turns).toMatchObject({ started: 2, completed: 2, failed: 0, timed: 2 })
    expect(s.thread?.id).toBe("t")
  })

  it("given copied fork lines, then they move the running total and count for nothing", () => {
    const b = new StatsBuilder.Builder("child")
    b.line(meta("child", { forked_from_id: "parent" }))
    b.copied(meta("parent"))
    b.copied(started("p1"))
    b.copied(count([1000, 100], [1000, 100]))
    b.copied(complete("p1"))
    b.line(started("c1"))
    b.line(count([1500, 150], [500, 50]))
    b.line(complete("c1"))
    const s = b.result()
    expect(s.tokens.total).toBe(550)
    expect(s.turns.started).toBe(1)
    expect(s.copiedLines).toBe(4)
    expect(s.thread?.forkedFromId).toBe("parent")
  })

  it("given a paginated fork seeded with the parent's total, then only its own usage counts", () => {
    const b = new StatsBuilder.Builder("child")
    b.line(meta("child", { history_base: { thread_id: "p", end_ordinal_exclusive: 3, end_byte_offset: 100 } }))
    b.seed({ input: 1000, cachedInput: 0, output: 100, reasoningOutput: 0, total: 1100 })
    b.line(count([1500, 150], [500, 50]))
    expect(b.result().tokens.total).toBe(550)
  })

  it("given a paginated fork whose parent is missing, then its first count adds only its last call", () => {
    const b = new StatsBuilder.Builder("child")
    b.seed(null)
    b.line(count([1500, 150], [500, 50]))
    b.line(count([1600, 160], [100, 10]))
    expect(b.result().tokens.total).toBe(660)
  })

  it("given tool calls, their outputs and end events, then each call id counts once with its failure and duration", () => {
    const s = StatsBuilder.fold("f", [
      started("a"),
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "c1" }),
      item({ type: "function_call_output", call_id: "c1", output: "Chunk ID: x\nWall time: 1.5000 seconds\nProcess exited with code 2\nOutput:\n" }),
      item({ type: "function_call", name: "shell", arguments: "{}", call_id: "c2" }),
      event({
        type: "exec_command_end",
        call_id: "c2",
        turn_id: "a",
        command: ["ls"],
        cwd: "/p",
        parsed_cmd: [],
        exit_code: 0,
        duration: { secs: 0, nanos: 250_000_000 },
        status: "completed"
      }),
      item({ type: "function_call_output", call_id: "c2", output: "ok" }),
      item({ type: "custom_tool_call", call_id: "c3", name: "apply_patch", input: "*** Begin Patch" }),
      event({ type: "patch_apply_end", call_id: "c3", stdout: "", stderr: "bad", success: false, status: "failed" }),
      complete("a")
    ])
    expect(s.tools["exec_command"]).toEqual({ calls: 1, failures: 1, timedCalls: 1, durationMs: 1500, maxMs: 1500 })
    expect(s.tools["shell"]).toEqual({ calls: 1, failures: 0, timedCalls: 1, durationMs: 250, maxMs: 250 })
    expect(s.tools["apply_patch"]).toMatchObject({ calls: 1, failures: 1, timedCalls: 0 })
  })

  it("given web searches as Codex writes them (an id-less web_search_call item and its web_search_end event), then each search counts once", () => {
    const search = (n: number) => ({ type: "search", query: `q${n}`, queries: [`q${n}`] })
    const s = StatsBuilder.fold("f", [
      started("a"),
      // Older Codex: the item first, without its id, then the end event with the call id.
      item({ type: "web_search_call", status: "completed", action: search(1) }),
      event({ type: "web_search_end", call_id: "ws_1", query: "q1", action: search(1) }),
      // The end event first, then the id-less item.
      event({ type: "web_search_end", call_id: "ws_2", query: "q2", action: search(2) }),
      item({ type: "web_search_call", status: "failed", action: search(2) }),
      // Newer Codex: the end event, then the item with the same id.
      event({ type: "web_search_end", call_id: "ws_3", query: "q3", action: search(3) }),
      item({ type: "web_search_call", id: "ws_3", status: "completed", action: search(3) }),
      // A search recorded by its event alone.
      event({ type: "web_search_end", call_id: "ws_4", query: "q4", action: search(4) }),
      complete("a"),
      started("b"),
      // An item alone in the next turn does not pair with the last turn's lone event.
      item({ type: "web_search_call", status: "completed", action: search(5) }),
      complete("b")
    ])
    expect(s.tools["web_search"]).toMatchObject({ calls: 5, failures: 1 })
  })

  it("given errors, then they count by codex_error_info, an error event and its turn's copy once, the legacy budget name normalised", () => {
    const s = StatsBuilder.fold("f", [
      started("a"),
      event({ type: "error", message: "budget", codex_error_info: "session_budget_exceeded" }),
      complete("a", { error: { message: "budget", codex_error_info: "session_budget_exceeded" } }),
      started("b"),
      complete("b", { error: { message: "old", codex_error_info: "rollout_budget_exceeded" } }),
      started("c"),
      complete("c", { error: { message: "http", codex_error_info: { http_connection_failed: { http_status_code: 502 } } } }),
      started("d"),
      event({ type: "turn_aborted", turn_id: "d", reason: "interrupted" }),
      event({ type: "stream_error", message: "retrying", codex_error_info: "server_overloaded", additional_details: null })
    ])
    expect(s.errors).toEqual({ session_budget_exceeded: 2, http_connection_failed: 1 })
    expect(s.retries).toEqual({ server_overloaded: 1 })
    expect(s.turns).toMatchObject({ started: 4, failed: 3, aborted: 1, completed: 0 })
  })

  it("given sub-agent activity and a spawned sub-agent's session_meta, then both are recorded", () => {
    const s = StatsBuilder.fold("f", [
      meta("kid", {
        source: { subagent: { thread_spawn: { parent_thread_id: "dad", depth: 1, agent_path: "/root/w", agent_nickname: null, agent_role: null } } }
      }),
      event({ type: "sub_agent_activity", event_id: "e", occurred_at_ms: 1, agent_thread_id: "x", agent_path: "/root/w", kind: "started" })
    ])
    expect(s.thread).toMatchObject({ subAgent: true, parentThreadId: "dad" })
    expect(s.subAgentActivity).toEqual({ started: 1 })
  })

  it("files every count in the bucket of its own quarter hour and model, however timestamps and models interleave", () => {
    // Timestamps as Codex writes them, with other offsets, out of range minutes and no time at all:
    // the builder keeps the last bucket key made, and must not keep it past a change of slot or model.
    const stamp = fc.oneof(
      fc.integer({ min: 0, max: 4 * 3600 }).map((s) => new Date(Date.UTC(2026, 6, 14, 22) + s * 1000).toISOString()),
      fc.constantFrom("2026-07-14T23:14:59+01:00", "2026-07-14T23:61:00.000Z", "2026-07-14T23:1x:00.000Z", "2026-07-14", "2026-07-14T23:15Z", "soon")
    )
    const step = fc.oneof(fc.record({ model: fc.constantFrom("m1", "m2") }), fc.record({ ts: stamp, input: fc.integer({ min: 1, max: 9 }) }))
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const lines: Array<RolloutLine.RolloutLine> = [meta("t")]
        const expected: Record<string, number> = {}
        let model = "unknown"
        let total = 0
        for (const s of steps) {
          if ("model" in s) {
            lines.push(context(s.model))
            model = s.model
            continue
          }
          total += s.input
          const key = StatsFile.bucketKey(StatsFile.slotOf(s.ts), model)
          expected[key] = (expected[key] ?? 0) + s.input
          const c = count([total, 0], [s.input, 0]) as Extract<RolloutLine.RolloutLine, { type: "event_msg" }>
          lines.push({ ...c, timestamp: s.ts })
        }
        const got = Object.fromEntries(Object.entries(StatsBuilder.fold("f", lines).buckets).map(([k, b]) => [k, b.tokens.input]))
        expect(got).toEqual(expected)
      }),
      { numRuns: 300 }
    )
  })
})
