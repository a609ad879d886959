import * as fc from "fast-check"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as TrimWrite from "@rollout/query/TrimWrite"

// The law of trim on paginated forks: a fork whose history lives in its parent (`history_base`,
// which may name a fork in turn) trims into one self-contained thread that resumes exactly as the
// fork does (history, settings, token usage), with every parent gone; trimming that again changes
// nothing. Threads are generated as Codex writes them in paginated mode (ordinals on every line):
// turns, tool calls, compactions (between turns and mid-turn), rollbacks, token counts, unknown
// lines; each fork is cut at any line of its parent, and the parent goes on after the fork.

const HOME = "/h"
const PARENT = "00000000-0000-7000-8000-00000000000a"
const FORK = "00000000-0000-7000-8000-00000000000b"
const GRAND = "00000000-0000-7000-8000-00000000000c"
const TRIMMED = "00000000-0000-7000-8000-0000000000ff"
const pathOf = (id: string) => `${HOME}/sessions/2026/01/01/rollout-2026-01-01T00-00-00-${id}.jsonl`

type Op =
  | { readonly _tag: "turn"; readonly model: string; readonly repeatTokens: boolean }
  | { readonly _tag: "tool" }
  | { readonly _tag: "checkpoint" }
  | { readonly _tag: "midTurnCheckpoint" }
  | { readonly _tag: "rollback"; readonly n: number }
  | { readonly _tag: "tokens"; readonly n: number | null }
  | { readonly _tag: "unknown" }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ _tag: fc.constant("turn" as const), model: fc.constantFrom("m1", "m2"), repeatTokens: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ _tag: "tool" as const }) },
  { weight: 3, arbitrary: fc.constant({ _tag: "checkpoint" as const }) },
  { weight: 2, arbitrary: fc.constant({ _tag: "midTurnCheckpoint" as const }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("rollback" as const), n: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("tokens" as const), n: fc.option(fc.nat(100)) }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "unknown" as const }) }
)

const text = (role: string, t: string) => ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text: t }] })
const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 })
const tokens = (n: number | null) => ({
  type: "token_count",
  info: n === null ? null : { total_token_usage: usage(n), last_token_usage: usage(n), model_context_window: 1000 },
  rate_limits: null
})
const context = (id: string, model: string) => ({
  turn_id: id,
  cwd: "/w",
  approval_policy: "never",
  sandbox_policy: { type: "danger-full-access" },
  model,
  comp_hash: `h-${model}`,
  realtime_active: false,
  summary: "none"
})

/** The `[type, payload]` pairs of `ops` (ids prefixed with `tag`); a checkpoint keeps the last two user messages. */
const render = (tag: string, ops: ReadonlyArray<Op>): Array<[string, object]> => {
  const out: Array<[string, object]> = []
  const users: Array<string> = []
  const ev = (payload: object): [string, object] => ["event_msg", payload]
  const item = (payload: object): [string, object] => ["response_item", payload]
  const kept = () => ({ message: "s", replacement_history: [...users.slice(-2).map((u) => text("user", u)), text("user", `SUMMARY ${tag} ${users.length}`)] })
  ops.forEach((o, i) => {
    const id = `${tag}${i}`
    const started = ev({ type: "task_started", turn_id: id, model_context_window: null, collaboration_mode_kind: "default" })
    const complete = ev({ type: "task_complete", turn_id: id, last_agent_message: null })
    const user = (t: string): Array<[string, object]> => {
      users.push(t)
      return [item(text("user", t)), ev({ type: "user_message", message: t, images: [], local_images: [], text_elements: [] })]
    }
    switch (o._tag) {
      case "turn":
        return void out.push(
          started,
          ["turn_context", context(id, o.model)],
          ...user(`u ${id}`),
          item(text("assistant", `re ${id}`)),
          ev(tokens(i)),
          ...(o.repeatTokens ? [ev(tokens(i))] : []),
          complete
        )
      case "tool":
        return void out.push(
          started,
          ["turn_context", context(id, "m1")],
          ...user(`tool ${id}`),
          item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${id}` }),
          item({ type: "function_call_output", call_id: `c${id}`, output: "x".repeat(200) }),
          complete
        )
      case "checkpoint":
        return void out.push(started, ["compacted", kept()], complete)
      case "midTurnCheckpoint":
        return void out.push(
          started,
          ["turn_context", context(id, "m1")],
          ...user(`u ${id}`),
          ["compacted", kept()],
          ["turn_context", context(id, "m2")],
          complete
        )
      case "rollback":
        return void out.push(ev({ type: "thread_rolled_back", num_turns: o.n }))
      case "tokens":
        return void out.push(ev(tokens(o.n)))
      case "unknown":
        return void out.push(["some_future_line", { n: i }])
      default:
        return o satisfies never
    }
  })
  return out
}

const meta = (id: string) => ({
  id,
  timestamp: "2026-01-01T00:00:00.000Z",
  cwd: "/w",
  originator: "t",
  cli_version: "0.171.0",
  source: "exec",
  model_provider: "openai"
})

/** A paginated rollout: `session_meta` at `first`, then `body`, every line numbered on from it. */
const rollout = (id: string, first: number, body: ReadonlyArray<[string, object]>, base?: { thread: string; ordinal: number; offset: number }): string =>
  [
    [
      "session_meta",
      {
        ...meta(id),
        history_mode: "paginated",
        ...(base === undefined ? {} : { history_base: { thread_id: base.thread, end_ordinal_exclusive: base.ordinal, end_byte_offset: base.offset } })
      }
    ] as [string, object],
    ...body
  ]
    .map(
      ([type, payload], i) =>
        `${JSON.stringify({ timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}.000Z`, ordinal: first + i, type, payload })}\n`
    )
    .join("")

/** Where a fork before line `at` of `text` (a rollout starting at ordinal `first`) ends: that line's ordinal and byte offset. */
const cutAt = (thread: string, text: string, first: number, at: number) => {
  const lines = text.split("\n").slice(0, -1)
  const i = Math.min(Math.max(1, at), lines.length)
  return { thread, ordinal: first + i, offset: lines.slice(0, i).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) }
}

const resume = (files: Files.Shape, id: string) => ResumeRead.read(files, [pathOf(id)], () => {}, { home: HOME }).then((r) => r.output)
const body = async (files: Files.Shape, id: string): Promise<ReadonlyArray<string>> => {
  const m = await Effect.runPromise(TrimWrite.measurePaths(files, [pathOf(id)], HOME))
  if (m.plan._tag !== "Trimmed") throw new Error("not trimmed")
  return m.plan.lines
}
/** The trimmed copy of `id`, alone in a home of its own: no parent is there to read. */
const alone = async (files: Files.Shape, id: string): Promise<Files.Shape> =>
  Files.memory({
    [pathOf(TRIMMED)]: [TrimWrite.header({ ...meta(id), history_mode: "paginated" }, TRIMMED, 0, true), ...(await body(files, id))]
      .map((l) => `${l}\n`)
      .join("")
  })

const threads = fc.record({
  parent: fc.array(op, { maxLength: 16 }),
  afterFork: fc.array(op, { maxLength: 4 }),
  fork: fc.array(op, { maxLength: 8 }),
  grand: fc.array(op, { maxLength: 6 }),
  at: fc.nat(200),
  grandAt: fc.nat(60)
})

describe("TrimWrite on paginated forks", () => {
  it("given generated forks and forks of forks, the trimmed copy resumes as the fork, parents gone, and trims to itself", async () => {
    await fc.assert(
      fc.asyncProperty(threads, async (t) => {
        const before = rollout(PARENT, 0, render("p", t.parent))
        const cut = cutAt(PARENT, before, 0, t.at)
        const parent = rollout(PARENT, 0, [...render("p", t.parent), ...render("q", t.afterFork)])
        const fork = rollout(FORK, cut.ordinal, render("f", t.fork), cut)
        const grandCut = cutAt(FORK, fork, cut.ordinal, t.grandAt)
        const grand = rollout(GRAND, grandCut.ordinal, render("g", t.grand), grandCut)
        const files = Files.memory({ [pathOf(PARENT)]: parent, [pathOf(FORK)]: fork, [pathOf(GRAND)]: grand })
        for (const id of [FORK, GRAND]) {
          const trimmed = await alone(files, id)
          expect(await resume(trimmed, TRIMMED)).toEqual(await resume(files, id))
          expect(await body(trimmed, TRIMMED)).toEqual(await body(files, id))
        }
      }),
      { numRuns: 200 }
    )
  })

  it("given a fork of a parent with no checkpoint, the copy holds the parent's turns before the fork and none after", async () => {
    const ops: Array<Op> = [{ _tag: "turn", model: "m1", repeatTokens: false }]
    const before = rollout(PARENT, 0, render("p", ops))
    const cut = cutAt(PARENT, before, 0, 99)
    const files = Files.memory({
      [pathOf(PARENT)]: rollout(PARENT, 0, [...render("p", ops), ...render("q", ops)]),
      [pathOf(FORK)]: rollout(FORK, cut.ordinal, render("f", ops), cut)
    })
    const lines = (await body(files, FORK)).join("\n")
    expect(lines).toContain('"u p0"')
    expect(lines).toContain('"u f0"')
    expect(lines).not.toContain('"u q0"')
    expect((await resume(files, FORK)).history).toHaveLength(4)
    expect(await resume(await alone(files, FORK), TRIMMED)).toEqual(await resume(files, FORK))
  })

  it("given a fork whose needed parent file is compressed, refuses it: that file cannot be read from its end", async () => {
    const ops: Array<Op> = [{ _tag: "turn", model: "m1", repeatTokens: false }]
    const parent = rollout(PARENT, 0, render("p", ops))
    const cut = cutAt(PARENT, parent, 0, 99)
    const files = Files.memory({
      [`${pathOf(PARENT)}.zst`]: parent,
      [pathOf(FORK)]: rollout(FORK, cut.ordinal, render("f", ops), cut)
    })
    const exit = await Effect.runPromiseExit(TrimWrite.measurePaths(files, [pathOf(FORK)], HOME))
    expect(exit._tag).toBe("Failure")
    expect(String(exit._tag === "Failure" ? exit.cause : "")).toContain(`${pathOf(PARENT)}.zst: this fork's history goes on in that parent file`)
  })
})
