import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Ajv } from "ajv"
import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as Uuid7 from "@rollout/reduce/Uuid7"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import { decode, readLines } from "./support/Lines.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const oracle = join(root, "fixtures/oracle")

const legacyCases = readdirSync(oracle).filter((c) => c.startsWith("legacy-"))
const expected = (c: string) => JSON.parse(readFileSync(join(oracle, c, "thread-read.json"), "utf8"))

const t0 = "2026-07-14T07:06:00.000Z"
const event = (payload: object) => decode({ timestamp: t0, type: "event_msg", payload })
const meta = decode({
  timestamp: t0,
  type: "session_meta",
  payload: { id: "th", timestamp: t0, cwd: "/p", originator: "o", cli_version: "1", source: "cli", model_provider: null, base_instructions: null }
})
const started = (turn_id: string) => event({ type: "task_started", turn_id, model_context_window: null, started_at: 10 })
const completed = (turn_id: string, extra: object = {}) =>
  event({ type: "task_complete", turn_id, last_agent_message: null, completed_at: 12, duration_ms: 2000, ...extra })
const user = (message: string) => event({ type: "user_message", message })
const agent = (message: string) => event({ type: "agent_message", message })
const userResponse = (text: string, id?: string) =>
  decode({
    timestamp: t0,
    type: "response_item",
    payload: { type: "message", ...(id === undefined ? {} : { id }), role: "user", content: [{ type: "input_text", text }] }
  })

describe("ThreadHistory on recorded Codex 0.169 legacy threads", () => {
  it.each(legacyCases)("%s: turns equal thread/read's, byte for byte", (c) => {
    const turns = ThreadHistory.turns(readLines(join(oracle, c, "input.jsonl")))
    const want = expected(c).thread.turns
    expect(turns).toEqual(want)
    expect(JSON.stringify(turns)).toBe(JSON.stringify(want))
    // Our Turn schema accepts Codex's answer and encodes it back unchanged, key order included.
    const decoded = Schema.decodeUnknownSync(Schema.Array(ThreadItem.Turn))(want)
    expect(JSON.stringify(Schema.encodeSync(Schema.Array(ThreadItem.Turn))(decoded))).toBe(JSON.stringify(want))
  })

  it("validates against Codex's ThreadReadResponse schema", () => {
    const schemaPath = join(root, "fixtures/codex-schema/ThreadReadResponse.json")
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"))
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
    const validate = ajv.compile(schema)
    for (const c of legacyCases) {
      const answer = expected(c)
      const doc = { ...answer, thread: { ...answer.thread, turns: ThreadHistory.turns(readLines(join(oracle, c, "input.jsonl"))) } }
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
    }
  })
})

describe("ThreadHistory rules", () => {
  it("given user messages without task_started, then each opens an implicit turn rollout-N", () => {
    const turns = ThreadHistory.turns([meta, user("a"), agent("b"), user("c")])
    expect(turns.map((t) => [t.id, t.status, t.items.map((i) => i.id)])).toEqual([
      ["rollout-1", "completed", ["item-1", "item-2"]],
      ["rollout-3", "completed", ["item-3"]]
    ])
  })

  it("given lines the persistence filter drops, then they do not count for rollout-N", () => {
    const dropped = event({ type: "exec_command_begin", call_id: "c", turn_id: "t", command: ["ls"], cwd: "file:///p", parsed_cmd: [] })
    const turns = ThreadHistory.turns([meta, dropped, user("a")])
    expect(turns.map((t) => t.id)).toEqual(["rollout-1"])
  })

  it("given a rollback of one turn, then the last turn is dropped and item ids restart after the rest", () => {
    const turns = ThreadHistory.turns([
      meta,
      started("t1"),
      user("a"),
      completed("t1"),
      started("t2"),
      user("b"),
      agent("c"),
      completed("t2"),
      event({ type: "thread_rolled_back", num_turns: 1 }),
      started("t3"),
      user("d"),
      completed("t3")
    ])
    expect(turns.map((t) => [t.id, t.items.map((i) => i.id)])).toEqual([
      ["t1", ["item-1"]],
      ["t3", ["item-2"]]
    ])
  })

  it("given an aborted turn, then it is interrupted with times, no error, and a later message joins it", () => {
    const turns = ThreadHistory.turns([
      meta,
      started("t1"),
      user("a"),
      event({ type: "turn_aborted", turn_id: "t1", reason: "interrupted", completed_at: 11, duration_ms: 5 }),
      user("b")
    ])
    expect(turns).toHaveLength(1)
    expect(turns[0]).toMatchObject({ id: "t1", status: "interrupted", error: null, startedAt: 10, completedAt: 11, durationMs: 5 })
    expect(turns[0]?.items).toHaveLength(2)
  })

  it("given a turn that never completes, then a cold read reports it interrupted", () => {
    expect(ThreadHistory.turns([meta, started("t1"), user("a")])[0]?.status).toBe("interrupted")
    expect(ThreadHistory.finish(ThreadHistory.fold([meta, started("t1"), user("a")]))[0]?.status).toBe("inProgress")
  })

  it("given task_complete with a session budget error, then the turn fails with camelCase codexErrorInfo", () => {
    const turns = ThreadHistory.turns([
      meta,
      started("t1"),
      user("a"),
      completed("t1", { error: { message: "budget", codex_error_info: "session_budget_exceeded" } })
    ])
    expect(turns[0]).toMatchObject({
      status: "failed",
      error: { message: "budget", codexErrorInfo: "sessionBudgetExceeded", additionalDetails: null, misalignment: null }
    })
  })

  it("given a struct CodexErrorInfo, then its key and fields become camelCase", () => {
    const turns = ThreadHistory.turns([
      meta,
      started("t1"),
      completed("t1", { error: { message: "x", codex_error_info: { response_stream_disconnected: { http_status_code: 502 } } } })
    ])
    expect(turns[0]?.error?.codexErrorInfo).toEqual({ responseStreamDisconnected: { httpStatusCode: 502 } })
  })

  it("given a <hook_prompt> user message, then it becomes a hookPrompt item; a plain one adds nothing", () => {
    const turns = ThreadHistory.turns([
      meta,
      started("t1"),
      userResponse("plain"),
      userResponse('<hook_prompt hook_run_id="run-1">Keep going &amp; finish</hook_prompt>', "msg-1"),
      completed("t1")
    ])
    expect(turns[0]?.items).toEqual([
      { type: "hookPrompt", id: "msg-1", fragments: [{ text: "Keep going & finish", hookRunId: "run-1" }], startedAtMs: null, completedAtMs: null }
    ])
  })

  it.each([
    ["Extension clock.sleep", { type: "Extension", kind: "clock.sleep", id: "s1", durationMs: 1500 }],
    ["legacy Sleep", { type: "Sleep", id: "s1", duration_ms: 1500 }]
  ])("given an item_completed %s, then a sleep item carries both times", (_, item) => {
    const done = event({ type: "item_completed", thread_id: "th", turn_id: "t1", item, started_at_ms: 1000, completed_at_ms: 2500 })
    const turns = ThreadHistory.turns([meta, started("t1"), done, completed("t1")])
    const sleeps = turns[0]?.items ?? []
    // The legacy persistence filter keeps only the clock.sleep extension.
    if (item.type === "Extension") expect(sleeps).toEqual([{ type: "sleep", id: "s1", durationMs: 1500, startedAtMs: 1000, completedAtMs: 2500 }])
    else expect(sleeps).toEqual([])
  })

  it("given a compaction in its own turn, then the compaction-only turn is kept", () => {
    const compacted = decode({ timestamp: t0, type: "compacted", payload: { message: "", replacement_history: [] } })
    const turns = ThreadHistory.turns([meta, compacted, user("a")])
    expect(turns.map((t) => [t.id, t.items.length])).toEqual([["rollout-1", 1]])
  })

  it("given sub-agent activity, then it lands in the current turn with its occurrence time", () => {
    const activity = event({
      type: "sub_agent_activity",
      event_id: "ev1",
      occurred_at_ms: 77,
      agent_thread_id: "a1",
      agent_path: "/root/worker",
      kind: "started"
    })
    const turns = ThreadHistory.turns([meta, started("t1"), activity, completed("t1")])
    expect(turns[0]?.items[0]).toMatchObject({ type: "subAgentActivity", id: "ev1", kind: "started", agentThreadId: "a1", completedAtMs: 77 })
  })
})

describe("ThreadHistory tool and review items", () => {
  it("given an mcp_tool_call_end with isError, then the call failed but keeps its result", () => {
    const end = event({
      type: "mcp_tool_call_end",
      call_id: "m1",
      invocation: { server: "s", tool: "t" },
      duration: { secs: 1, nanos: 2_500_000 },
      result: { Ok: { content: [], isError: true } }
    })
    const item = ThreadHistory.turns([meta, started("t1"), end, completed("t1")])[0]?.items[0]
    expect(item).toEqual({
      type: "mcpToolCall",
      id: "m1",
      server: "s",
      environmentId: null,
      tool: "t",
      status: "failed",
      arguments: null,
      appContext: null,
      mcpAppUi: null,
      pluginId: null,
      readOnlyHint: null,
      result: { content: [], structuredContent: null, _meta: null },
      error: null,
      durationMs: 1002,
      startedAtMs: null,
      completedAtMs: null
    })
  })

  it("given a patch with several files, then changes are sorted by path and a move is appended to the diff", () => {
    const end = event({
      type: "patch_apply_end",
      call_id: "p1",
      turn_id: "t1",
      stdout: "",
      stderr: "",
      success: true,
      status: "completed",
      changes: { "b.txt": { type: "update", unified_diff: "@@", move_path: "c.txt" }, "a.txt": { type: "delete", content: "x" } }
    })
    const item = ThreadHistory.turns([meta, started("t1"), end, completed("t1")])[0]?.items[0]
    expect(item).toMatchObject({
      changes: [
        { path: "a.txt", kind: { type: "delete" }, diff: "x" },
        { path: "b.txt", kind: { type: "update", move_path: "c.txt" }, diff: "@@\n\nMoved to: c.txt" }
      ]
    })
  })

  it("given a finished review with two findings, then the exited item renders them", () => {
    const finding = (title: string) => ({
      title,
      body: "line1\nline2",
      confidence_score: 0.5,
      priority: 1,
      code_location: { absolute_file_path: "/a.ts", line_range: { start: 1, end: 2 } }
    })
    const exited = event({
      type: "exited_review_mode",
      review_output: { findings: [finding("A"), finding("B")], overall_correctness: "ok", overall_explanation: " Looks fine. ", overall_confidence_score: 0.9 }
    })
    const item = ThreadHistory.turns([meta, started("t1"), exited, completed("t1")])[0]?.items[0]
    expect(item).toMatchObject({
      type: "exitedReviewMode",
      id: "item-1",
      review: "Looks fine.\n\nFull review comments:\n\n- A — /a.ts:1-2\n  line1\n  line2\n\n- B — /a.ts:1-2\n  line1\n  line2"
    })
  })

  it("given a late task_complete for an old turn, then it updates that turn and not the current one", () => {
    const turns = ThreadHistory.turns([meta, started("t1"), started("t2"), completed("t1"), user("x")])
    expect(turns.map((t) => [t.id, t.status])).toEqual([
      ["t1", "completed"],
      ["t2", "interrupted"]
    ])
  })
})

const turnBreaks = fc.oneof(
  fc.constantFrom("t1", "t2").map(started),
  fc.constantFrom("t1", "t2").map((t) => completed(t)),
  fc.constant(event({ type: "turn_aborted", reason: "interrupted" })),
  fc.nat(2).map((num_turns) => event({ type: "thread_rolled_back", num_turns }))
)

describe("ThreadHistory folding", () => {
  const turnLines = fc.oneof(
    fc.constantFrom("t1", "t2", "t3").map(started),
    fc.constantFrom("t1", "t2", "t3").map((t) => completed(t)),
    fc.string({ maxLength: 3 }).map(user),
    fc.string({ maxLength: 3 }).map(agent),
    fc.string({ maxLength: 3 }).map((text) => event({ type: "agent_reasoning", text })),
    fc.constant(event({ type: "context_compacted" })),
    fc.constant(event({ type: "turn_aborted", reason: "interrupted" })),
    fc.nat(3).map((num_turns) => event({ type: "thread_rolled_back", num_turns }))
  )
  it("is incremental: fold(a ++ b) = fold(b, fold(a))", () => {
    const history = fc.array(turnLines, { maxLength: 12 })
    fc.assert(
      fc.property(history, history, (a, b) => {
        // States compare by their finished turns (a shared backing array may hold dropped tails).
        const view = (s: ThreadHistory.State) => ({ ...s, turns: AppendOnly.toArray(s.turns) })
        expect(view(ThreadHistory.fold(b, ThreadHistory.fold([meta, ...a])))).toEqual(view(ThreadHistory.fold([meta, ...a, ...b])))
      })
    )
  })
})

describe("ThreadHistory's long turns", () => {
  // Items a turn's lines make or update, with ids repeating so that updates replace items in place.
  const itemLines = fc.oneof(
    fc.string({ maxLength: 3 }).map(user),
    fc.string({ maxLength: 3 }).map(agent),
    fc.string({ maxLength: 3 }).map((text) => event({ type: "agent_reasoning", text })),
    fc.string({ maxLength: 3 }).map((text) => event({ type: "agent_reasoning_raw_content", text })),
    fc.constant(event({ type: "context_compacted" })),
    fc.nat(5).map((n) =>
      event({
        type: "item_completed",
        thread_id: "x",
        turn_id: "t1",
        item: { type: "Sleep", id: `sleep-${n}`, duration_ms: n },
        started_at_ms: 1,
        completed_at_ms: 2
      })
    ),
    fc.nat(5).map((n) => event({ type: "web_search_end", call_id: `ws-${n}`, query: `q${n}`, action: { type: "search", query: `q${n}` } }))
  )
  const fold = (lines: ReadonlyArray<RolloutLine.RolloutLine>, longTurn: number) =>
    ThreadHistory.finishedJson(ThreadHistory.fold([meta, ...lines], { ...ThreadHistory.empty, longTurn })).join("\n")
  it("a turn's items kept in a list (as a long turn's are) give the same turns as items copied per change", () => {
    fc.assert(
      fc.property(fc.array(itemLines, { minLength: 1, maxLength: 80 }), fc.array(turnBreaks, { maxLength: 3 }), (items, breaks) => {
        const lines = [started("t1"), ...items, ...breaks, ...items.slice(0, 20), completed("t1")]
        const copied = fold(lines, Number.POSITIVE_INFINITY)
        expect(fold(lines, 0)).toBe(copied)
        expect(fold(lines, 7)).toBe(copied)
      }),
      { numRuns: 300 }
    )
  })

  // A streaming writer hands out a long turn's first items while no later line puts an item of
  // their id in place (`upsertedId`, judged here from the lines themselves); the turn's head, those
  // items and its finished text's rest (`normalJson`) are the turn's whole text.
  it("a long turn's items handed out as they become final, then its rest, make the turn's text", () => {
    fc.assert(
      fc.property(fc.array(itemLines, { minLength: 1, maxLength: 80 }), fc.constantFrom(0, 3), fc.boolean(), (items, longTurn, ends) => {
        // A rollback of no turn renumbers the next items from the turns' counts, those handed out included.
        const lines = [started("t1"), ...items, ...(ends ? [completed("t1"), event({ type: "thread_rolled_back", num_turns: 0 }), user("next")] : [])]
        const later = (i: number) => new Set(lines.slice(i + 1).map((l) => (l.type === "event_msg" ? ThreadHistory.upsertedId(l.payload, false) : undefined)))
        let s = ThreadHistory.fold([meta], { ...ThreadHistory.empty, longTurn })
        let out = ""
        lines.forEach((line, i) => {
          s = ThreadHistory.step(s, line)
          const names = later(i)
          const r = ThreadHistory.releaseItems(s, Number.POSITIVE_INFINITY, (item) => !names.has(item.id) && !names.has(null))
          out += r.json.join("")
          s = r.state
        })
        const whole = ThreadHistory.fold([meta, ...lines])
        expect(out + ThreadHistory.finishedJson(s).join("\n")).toBe(ThreadHistory.finishedJson(whole).join("\n"))
        // Counted with the items handed out: a rollback numbers the next items from the same place.
        if (s.current !== null && whole.current !== null) expect(ThreadHistory.itemCount(s.current)).toBe(ThreadHistory.itemCount(whole.current))
      }),
      { numRuns: 300 }
    )
  })
})

describe("ThreadHistory.rawUpsertedIds", () => {
  // Every rollout fixture's event lines: the ids read raw hold the id the decoded event puts in place.
  const fixtures = fileURLToPath(new URL("../../../fixtures", import.meta.url))
  it("given every fixture's events, then the raw ids hold upsertedId's, and its type is among UPSERTS", () => {
    let checked = 0
    for (const f of readdirSync(fixtures, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".jsonl"))) {
      for (const text of readFileSync(join(fixtures, f), "utf8").split("\n")) {
        let raw: unknown
        try {
          raw = JSON.parse(text)
        } catch {
          continue
        }
        const d = RolloutLine.decode(raw)
        if (d._tag !== "Known" || d.line.type !== "event_msg") continue
        const id = ThreadHistory.upsertedId(d.line.payload, false)
        if (id === undefined) continue
        expect(ThreadHistory.rawUpsertedIds((raw as { payload: Record<string, unknown> }).payload)).toContain(id)
        expect(ThreadHistory.UPSERTS.has(d.line.payload.type)).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(50)
  })
})

describe("ThreadMetadata on recorded Codex 0.169 threads", () => {
  it.each(readdirSync(oracle).filter((c) => !c.startsWith(".") && !c.endsWith(".md")))("%s: thread fields equal thread/read's", (c) => {
    const want = expected(c).thread
    // updatedAt is the file's mtime (git does not keep it) and name lives in session_index.jsonl: both injected.
    // exec-fork's history starts in exec-tools-resumed's rollout (session_meta.history_base).
    const start =
      c === "exec-fork" ? ThreadMetadata.inherit(ThreadMetadata.fold(readLines(join(oracle, "exec-tools-resumed", "input.jsonl")))) : ThreadMetadata.empty
    const got = ThreadMetadata.thread(ThreadMetadata.fold(readLines(join(oracle, c, "input.jsonl")), start), {
      path: want.path,
      mtimeMs: want.updatedAt * 1000 + 999,
      name: want.name
    })
    expect(JSON.stringify(got)).toBe(JSON.stringify({ ...want, turns: [] }))
  })
})

describe("PaginatedHistory on recorded Codex 0.169 paginated threads", () => {
  const cases: ReadonlyArray<[string, ReadonlyArray<string>]> = [
    ["paginated-compact-interrupted", ["paginated-compact-interrupted"]],
    ["exec-tools-resumed", ["exec-tools-resumed"]],
    // The fork's earlier turns live in its history_base, the parent's rollout.
    ["exec-fork", ["exec-tools-resumed", "exec-fork"]]
  ]
  it.each(cases)("%s: turns equal thread/read's, byte for byte", (c, files) => {
    const lines = files.flatMap((f) => readLines(join(oracle, f, "input.jsonl")))
    const turns = PaginatedHistory.turns(PaginatedHistory.fold(lines))
    expect(JSON.stringify(turns, null, 1)).toBe(JSON.stringify(expected(c).thread.turns, null, 1))
  })
})

describe("PaginatedHistory items completed before their turn exists", () => {
  const itemCompleted = (turn_id: string, item: object) =>
    event({ type: "item_completed", thread_id: "th", turn_id, item, started_at_ms: 1, completed_at_ms: 2 })
  const entered = itemCompleted("review", { type: "EnteredReviewMode", id: "e1", target: { type: "custom", instructions: "look" }, user_facing_hint: "look" })
  const exited = itemCompleted("review", { type: "ExitedReviewMode", id: "x1", review_output: null })

  it("given review items before a task_complete with no task_started (Codex 0.171 review/start), then the turn shows them", () => {
    const turns = PaginatedHistory.turns(PaginatedHistory.fold([meta, entered, started("other"), exited, completed("review")]))
    expect(turns.map((t) => [t.id, t.items.map((i) => i.id)])).toEqual([
      ["other", []],
      ["review", ["e1", "x1"]]
    ])
  })

  it("given items for a turn no lifecycle event ever creates, then no turn shows them", () => {
    expect(PaginatedHistory.turns(PaginatedHistory.fold([meta, entered, exited]))).toEqual([])
  })
})

describe("ThreadHistory live builder (--all-events)", () => {
  const ids = (n: number) => `fresh-${n}`
  const live = (lines: ReadonlyArray<RolloutLine.RolloutLine>) =>
    ThreadHistory.normalize(ThreadHistory.finish(ThreadHistory.fold(lines, ThreadHistory.live(ids))))
  const exec = (type: string, extra: object) =>
    event({
      type,
      call_id: "c1",
      turn_id: "t1",
      command: ["echo", "hello world"],
      cwd: "file:///tmp",
      parsed_cmd: [{ type: "unknown", cmd: "echo 'hello world'" }],
      ...extra
    })

  it("given implicit turns, then their ids come from the injected source, in order", () => {
    const turns = live([meta, user("a"), agent("b"), user("c")])
    expect(turns.map((t) => [t.id, t.items.map((i) => i.id)])).toEqual([
      ["fresh-0", ["item-1", "item-2"]],
      ["fresh-1", ["item-3"]]
    ])
  })

  it("given exec begin/end and an error event, then a commandExecution item and a failed turn (both filtered in the replay)", () => {
    const lines = [
      meta,
      started("t1"),
      user("run"),
      exec("exec_command_begin", {}),
      exec("exec_command_end", { aggregated_output: "hello world\n", exit_code: 0, duration: { secs: 1, nanos: 5_000_000 }, status: "completed" }),
      event({ type: "error", message: "boom", codex_error_info: "internal_server_error" })
    ]
    const [t] = live(lines)
    expect(t?.items[1]).toMatchObject({
      type: "commandExecution",
      id: "c1",
      command: "echo 'hello world'",
      cwd: "/tmp",
      status: "completed",
      commandActions: [{ type: "unknown", command: "echo 'hello world'" }],
      aggregatedOutput: "hello world\n",
      exitCode: 0,
      durationMs: 1005
    })
    expect(t).toMatchObject({ status: "failed", error: { message: "boom", codexErrorInfo: "internalServerError" } })
    const replayed = ThreadHistory.turns(lines)
    expect(replayed[0]?.items.map((i) => i.type)).toEqual(["userMessage"])
    expect(replayed[0]?.status).toBe("interrupted")
  })

  it("given collab wait begin/end, then one wait call with sorted receivers and mapped states", () => {
    const [t] = live([
      meta,
      started("t1"),
      event({ type: "collab_waiting_begin", sender_thread_id: "s", receiver_thread_ids: ["b", "a"], call_id: "w1" }),
      event({ type: "collab_waiting_end", sender_thread_id: "s", call_id: "w1", statuses: { b: { completed: "done" }, a: "running" } })
    ])
    expect(t?.items).toEqual([
      {
        type: "collabAgentToolCall",
        id: "w1",
        tool: "wait",
        status: "completed",
        senderThreadId: "s",
        receiverThreadIds: ["a", "b"],
        prompt: null,
        model: null,
        reasoningEffort: null,
        agentsStates: { a: { status: "running", message: null }, b: { status: "completed", message: "done" } },
        startedAtMs: null,
        completedAtMs: null
      }
    ])
  })

  it("given a dynamic tool call and an image view, then both are items of the turn", () => {
    const [t] = live([
      meta,
      started("t1"),
      event({ type: "dynamic_tool_call_request", callId: "d1", turnId: "t1", namespace: null, tool: "lookup", arguments: { q: 1 } }),
      event({
        type: "dynamic_tool_call_response",
        call_id: "d1",
        turn_id: "t1",
        tool: "lookup",
        arguments: { q: 1 },
        content_items: [{ type: "inputText", text: "42" }],
        success: true,
        duration: { secs: 0, nanos: 2_000_000 }
      }),
      event({ type: "view_image_tool_call", call_id: "v1", path: "file:///tmp/cat.png" })
    ])
    expect(t?.items.map((i) => [i.type, i.id, "status" in i ? i.status : null])).toEqual([
      ["dynamicToolCall", "d1", "completed"],
      ["imageView", "v1", null]
    ])
    expect(t?.items[1]).toMatchObject({ path: "/tmp/cat.png" })
  })
})

describe("Uuid7", () => {
  it("gives distinct, ordered, well-formed UUIDv7s carrying the time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.bigInt({ min: 0n, max: (1n << 74n) - 1n }), (ms, random) => {
        const next = Uuid7.sequence(ms, random)
        const a = next(0)
        const b = next(1)
        expect(Uuid7.isUuid7(a) && Uuid7.isUuid7(b)).toBe(true)
        expect(parseInt(a.replace(/-/g, "").slice(0, 12), 16)).toBe(ms)
        if (random < (1n << 74n) - 1n) expect(a < b).toBe(true)
        expect(next(0)).toBe(a)
      })
    )
  })

  it("fromBytes keeps the random bytes under the version and variant bits, as RFC 9562 lays them out", () => {
    const bytes = Uint8Array.from([0xff, 0x12, 0xff, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0])
    expect(Uuid7.fromBytes(0x0123456789ab, bytes)).toBe("01234567-89ab-7f12-bf34-56789abcdef0")
    expect(Uuid7.fromBytes(0, new Uint8Array(10))).toBe("00000000-0000-7000-8000-000000000000")
  })
})

describe("ThreadHistory with legacy image details", () => {
  // A valid turn: task_started, the user's message (text, images, local images with details, also
  // as the model-visible response item), optional reasoning, the answer, then complete or abort.
  const legacyDetail = fc.constantFrom("auto" as const, "low" as const)
  const image = fc.record({
    url: fc.constantFrom("data:image/png;base64,iVBORw0KGgo=", "https://example.com/a.png"),
    detail: fc.option(legacyDetail, { nil: null })
  })
  const local = fc.record({ path: fc.constantFrom("/tmp/a.png", "/tmp/b.jpg"), detail: fc.option(legacyDetail, { nil: null }) })
  const turnShape = fc.record({
    text: fc.string({ maxLength: 8 }),
    images: fc.array(image, { maxLength: 3 }),
    locals: fc.array(local, { maxLength: 2 }),
    reasoning: fc.boolean(),
    answer: fc.string({ maxLength: 8 }),
    end: fc.constantFrom("complete" as const, "abort" as const, "none" as const)
  })
  const modern = { auto: "high", low: "original" } as const
  const legacyOf = { high: "auto", original: "low" } as const

  const lines = (turns: ReadonlyArray<typeof turnShape extends fc.Arbitrary<infer T> ? T : never>, map: (d: "auto" | "low" | null) => string | null) => [
    meta,
    ...turns.flatMap((t, n) => {
      const id = `turn-${n}`
      return [
        started(id),
        decode({
          timestamp: t0,
          type: "response_item",
          payload: {
            type: "message",
            role: "user",
            content: [
              { type: "input_text", text: t.text },
              ...t.images.map((i) => ({ type: "input_image", image_url: i.url, ...(i.detail === null ? {} : { detail: map(i.detail) }) }))
            ]
          }
        }),
        event({
          type: "user_message",
          message: t.text,
          images: t.images.map((i) => i.url),
          image_details: t.images.map((i) => map(i.detail)),
          local_images: t.locals.map((l) => l.path),
          local_image_details: t.locals.map((l) => map(l.detail))
        }),
        ...(t.reasoning ? [event({ type: "agent_reasoning", text: "thinking" })] : []),
        agent(t.answer),
        ...(t.end === "complete" ? [completed(id)] : t.end === "abort" ? [event({ type: "turn_aborted", turn_id: id, reason: "interrupted" })] : [])
      ]
    })
  ]

  it("reduces to the same turns as the modern equivalent, except the preserved detail values", () => {
    fc.assert(
      fc.property(fc.array(turnShape, { maxLength: 5 }), (shapes) => {
        const legacy = ThreadHistory.turns(lines(shapes, (d) => d))
        const current = ThreadHistory.turns(lines(shapes, (d) => (d === null ? null : modern[d])))
        const back = (turns: ReadonlyArray<ThreadItem.Turn>) =>
          JSON.parse(JSON.stringify(turns), (key, value) =>
            key === "detail" && (value === "high" || value === "original") ? legacyOf[value as "high" | "original"] : value
          )
        expect(back(current)).toEqual(legacy)
        // The legacy values are kept, in order, exactly where they were written.
        const details = legacy.flatMap((t) =>
          t.items.flatMap((i) => (i.type === "userMessage" ? i.content.flatMap((c) => ("detail" in c ? [c.detail] : [])) : []))
        )
        expect(details).toEqual(shapes.flatMap((s) => [...s.images.map((i) => i.detail), ...s.locals.map((l) => l.detail)]))
      })
    )
  })
})

describe("folds never write into the shared empty state", () => {
  it("a second fold from `empty` is equal to the first and the first's turns are not kept by `empty`", () => {
    const t = "2026-07-14T07:06:00.000Z"
    const lines = ["a", "b", "c"].map((text) => decode({ timestamp: t, type: "event_msg", payload: { type: "user_message", message: text } }))
    const first = ThreadHistory.finish(ThreadHistory.fold(lines))
    expect(first).toHaveLength(3)
    // `empty`'s list has no elements; its backing array must not hold the fold's turns either.
    expect(ThreadHistory.empty.turns.items).toHaveLength(0)
    expect(ThreadHistory.finish(ThreadHistory.fold(lines))).toEqual(first)
  })
})
