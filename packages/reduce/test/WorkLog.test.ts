import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as ItemRoles from "@rollout/reduce/ItemRoles"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"

const t = "2026-07-14T07:06:00.000Z"
const raw = (type: string, payload: object) => ({ timestamp: t, type, payload })
const typed = (v: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(v)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(v)}`)
  return d.line
}

const meta = raw("session_meta", {
  id: "th",
  timestamp: t,
  cwd: "/p",
  originator: "codex_cli_rs",
  cli_version: "0.169.0",
  source: "cli",
  history_mode: "legacy"
})

/** One command the model ran: the tool it used, its exit code, and whether its output was written. */
interface Cmd {
  readonly tool: "exec_command" | "shell"
  readonly exit: number
  readonly answered: boolean
}

const call = (id: string, c: Cmd) =>
  raw("response_item", {
    type: "function_call",
    name: c.tool,
    arguments: JSON.stringify(c.tool === "shell" ? { command: ["bash", "-lc", `run ${id}`] } : { cmd: `run ${id}` }),
    call_id: id
  })

const output = (id: string, c: Cmd) =>
  raw("response_item", {
    type: "function_call_output",
    call_id: id,
    output:
      c.tool === "shell"
        ? JSON.stringify({ output: `out ${id}\n`, metadata: { exit_code: c.exit, duration_seconds: 0.5 } })
        : `Chunk ID: x\nWall time: 0.5 seconds\nProcess exited with code ${c.exit}\nOriginal token count: 1\nOutput:\nout ${id}\n`
  })

/** Legacy turns, each a user message, its commands (outputs after all calls or right after each), an answer. */
const rollout = (turns: ReadonlyArray<{ readonly cmds: ReadonlyArray<Cmd>; readonly batched: boolean }>) => {
  const lines: Array<unknown> = [meta]
  turns.forEach((turn, n) => {
    const tid = `t${n}`
    lines.push(raw("event_msg", { type: "task_started", turn_id: tid, model_context_window: null }))
    lines.push(raw("event_msg", { type: "user_message", message: `ask ${n}` }))
    const ids = turn.cmds.map((_, k) => `c${n}-${k}`)
    turn.cmds.forEach((c, k) => {
      lines.push(call(ids[k] as string, c))
      if (!turn.batched && c.answered) lines.push(output(ids[k] as string, c))
    })
    if (turn.batched) turn.cmds.forEach((c, k) => c.answered && lines.push(output(ids[k] as string, c)))
    lines.push(raw("event_msg", { type: "agent_message", message: `done ${n}` }))
    lines.push(raw("event_msg", { type: "task_complete", turn_id: tid, last_agent_message: null }))
  })
  return lines.map(typed)
}

const cmd = fc.record({ tool: fc.constantFrom("exec_command" as const, "shell" as const), exit: fc.integer({ min: 0, max: 3 }), answered: fc.boolean() })
const turnsArb = fc.array(fc.record({ cmds: fc.array(cmd, { maxLength: 5 }), batched: fc.boolean() }), { maxLength: 6 })

describe("WorkLog", () => {
  it("given each event and item tag, then the raw triage decodes it for the work log exactly when its row says work", () => {
    for (const tag of EventMsg.EventMsg.tags)
      expect([tag, ThreadWork.readsRaw({ type: "event_msg", payload: { type: tag } })]).toEqual([tag, EventRoles.table[tag as EventRoles.Tag].work])
    for (const tag of ResponseItem.ResponseItem.tags)
      expect([tag, ThreadWork.readsRaw({ type: "response_item", payload: { type: tag } })]).toEqual([tag, ItemRoles.table[tag as ItemRoles.Tag].work])
  })

  it("given legacy turns with commands, when folded beside thread/read, then every call appears once, in order, in its turn, with its exit code", () => {
    fc.assert(
      fc.property(turnsArb, (turns) => {
        const s = ThreadWork.fold(rollout(turns))
        const commands = WorkLog.finish(s.work).filter((e) => e._tag === "Command")
        const expected = turns.flatMap((turn, n) => turn.cmds.map((c, k) => ({ id: `c${n}-${k}`, turnId: `t${n}`, exit: c.answered ? c.exit : null })))
        expect(commands.map((e) => ({ id: e.id, turnId: e.anchor.turnId, exit: e.result?.exitCode ?? null }))).toEqual(expected)
        // Each command sits after the turn's user message and before its answer.
        for (const e of commands) expect(e.anchor.after).toBe(1)
      })
    )
  })

  it("given any split of a rollout, then folding the rest onto the first part's state equals folding it whole", () => {
    fc.assert(
      fc.property(turnsArb, fc.nat(), (turns, cut) => {
        const lines = rollout(turns)
        const k = cut % (lines.length + 1)
        const whole = ThreadWork.fold(lines)
        const resumed = ThreadWork.fold(lines.slice(k), ThreadWork.fold(lines.slice(0, k)))
        expect(WorkLog.finish(resumed.work)).toEqual(WorkLog.finish(whole.work))
        expect(ThreadRead.turns(resumed.read)).toEqual(ThreadRead.turns(whole.read))
      })
    )
  })

  it("given the work log beside it, then thread/read is exactly what it is alone", () => {
    fc.assert(
      fc.property(turnsArb, (turns) => {
        const lines = rollout(turns)
        expect(ThreadRead.turns(ThreadWork.fold(lines).read)).toEqual(ThreadRead.turns(ThreadRead.fold(lines)))
      })
    )
  })

  it("given token counts, then each turn gets what its counts added, a repeated count adding nothing", () => {
    const usage = (total: number) => ({ input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total })
    const count = (total: number) =>
      raw("event_msg", { type: "token_count", info: { total_token_usage: usage(total), last_token_usage: usage(total), model_context_window: null } })
    const lines = [
      meta,
      raw("event_msg", { type: "task_started", turn_id: "a", model_context_window: null }),
      raw("turn_context", { cwd: "/p", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model: "gpt-5.5", summary: "auto" }),
      count(100),
      count(100),
      raw("event_msg", { type: "task_complete", turn_id: "a", last_agent_message: null }),
      raw("event_msg", { type: "task_started", turn_id: "b", model_context_window: null }),
      count(250),
      raw("event_msg", { type: "task_complete", turn_id: "b", last_agent_message: null })
    ].map(typed)
    const byTurn = WorkLog.usageByTurn(ThreadWork.fold(lines).work)
    expect(byTurn.get("a")).toEqual({ tokens: { input: 100, cachedInput: 0, output: 0, reasoningOutput: 0, total: 100 }, model: "gpt-5.5" })
    expect(byTurn.get("b")?.tokens.total).toBe(150)
  })

  it("given a patch, a plan, a web search and an error, then each is one entry of its kind", () => {
    const lines = [
      meta,
      raw("event_msg", { type: "task_started", turn_id: "a", model_context_window: null }),
      raw("response_item", {
        type: "custom_tool_call",
        call_id: "p",
        name: "apply_patch",
        input: "*** Begin Patch\n*** Add File: a.md\n+# A\n*** End Patch\n"
      }),
      raw("response_item", {
        type: "function_call",
        name: "update_plan",
        arguments: JSON.stringify({ plan: [{ step: "Do", status: "completed" }] }),
        call_id: "plan"
      }),
      raw("response_item", { type: "web_search_call", id: "ws", status: "completed", action: { type: "search", query: "q" } }),
      raw("event_msg", { type: "error", message: "boom", codex_error_info: null })
    ].map(typed)
    const entries = WorkLog.finish(ThreadWork.fold(lines).work)
    expect(entries.map((e) => e._tag)).toEqual(["Patch", "Plan", "WebSearch", "Notice"])
    expect(entries.map((e) => e.anchor.turnId)).toEqual(["a", "a", "a", "a"])
  })
})
