import * as fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { assistant, call, output, T0, T1, TraceScript, user } from "./support/TraceScript.js"

const reduce = (script: TraceScript, order?: (paths: Array<string>) => Array<string>) => {
  const result = RolloutTrace.reduce(script.input(order))
  if (Result.isFailure(result)) throw new Error(`reduction failed: ${result.failure.message}`)
  return result.success
}

const failure = (script: TraceScript): string => {
  const result = RolloutTrace.reduce(script.input())
  return Result.isFailure(result) ? result.failure.message : "(no error)"
}

/** Every id a graph object points at, with where it points from, that has no object (§3.12). */
const danglingLinks = (t: TraceGraph.RolloutTrace): Array<string> => {
  const out: Array<string> = []
  const need = (m: ReadonlyMap<string, unknown>, id: string | null, from: string) => {
    if (id !== null && !m.has(id)) out.push(`${from} → ${id}`)
  }
  const items = (ids: ReadonlyArray<string>, from: string) => ids.forEach((id) => need(t.conversation_items, id, from))
  const tools = (ids: ReadonlyArray<string>, from: string) => ids.forEach((id) => need(t.tool_calls, id, from))
  const payloads = (ids: ReadonlyArray<string | null>, from: string) => ids.forEach((id) => need(t.raw_payloads, id, from))
  const anchor = (a: TraceGraph.TraceAnchor, from: string) =>
    a.type === "thread"
      ? need(t.threads, a.thread_id, from)
      : a.type === "tool_call"
        ? need(t.tool_calls, a.tool_call_id, from)
        : need(t.conversation_items, a.item_id, from)
  for (const [id, th] of t.threads) items(th.conversation_item_ids, `thread ${id}`)
  for (const [id, u] of t.codex_turns) need(t.threads, u.thread_id, `turn ${id}`)
  for (const [id, i] of t.conversation_items) {
    need(t.threads, i.thread_id, `item ${id}`)
    if (!(t.threads.get(i.thread_id)?.conversation_item_ids ?? []).includes(id)) out.push(`item ${id} not listed by its thread`)
    for (const p of i.produced_by) {
      if (p.type === "inference") need(t.inference_calls, p.inference_call_id, `item ${id}`)
      if (p.type === "tool") need(t.tool_calls, p.tool_call_id, `item ${id}`)
      if (p.type === "code_cell") need(t.code_cells, p.code_cell_id, `item ${id}`)
      if (p.type === "compaction") need(t.compactions, p.compaction_id, `item ${id}`)
    }
    for (const part of i.body.parts) if (part.type === "json" || part.type === "payload_ref") payloads([part.raw_payload_id], `item ${id}`)
  }
  for (const [id, c] of t.inference_calls) {
    items([...c.request_item_ids, ...c.response_item_ids], `inference ${id}`)
    tools(c.tool_call_ids_started_by_response, `inference ${id}`)
    payloads([c.raw_request_payload_id, c.raw_response_payload_id], `inference ${id}`)
  }
  for (const [id, c] of t.tool_calls) {
    items([...c.model_visible_call_item_ids, ...c.model_visible_output_item_ids], `tool ${id}`)
    need(t.terminal_operations, c.terminal_operation_id, `tool ${id}`)
    if (c.requester.type === "code_cell") need(t.code_cells, c.requester.code_cell_id, `tool ${id}`)
    payloads([c.raw_invocation_payload_id, c.raw_result_payload_id, ...c.raw_runtime_payload_ids], `tool ${id}`)
  }
  for (const [id, o] of t.terminal_operations) {
    need(t.tool_calls, o.tool_call_id, `operation ${id}`)
    need(t.terminal_sessions, o.terminal_id, `operation ${id}`)
    payloads(o.raw_payload_ids, `operation ${id}`)
  }
  for (const [id, s] of t.terminal_sessions) s.operation_ids.forEach((op) => need(t.terminal_operations, op, `session ${id}`))
  for (const [id, c] of t.code_cells) {
    items([c.source_item_id, ...c.output_item_ids], `cell ${id}`)
    tools([...c.nested_tool_call_ids, ...c.wait_tool_call_ids], `cell ${id}`)
  }
  for (const [id, c] of t.compactions) {
    items([c.marker_item_id, ...c.input_item_ids, ...c.replacement_item_ids], `compaction ${id}`)
    c.request_ids.forEach((r) => need(t.compaction_requests, r, `compaction ${id}`))
  }
  for (const [id, e] of t.interaction_edges) {
    anchor(e.source, `edge ${id}`)
    anchor(e.target, `edge ${id}`)
    items(e.carried_item_ids, `edge ${id}`)
    payloads(e.carried_raw_payload_ids, `edge ${id}`)
  }
  return out
}

describe("RolloutTrace.reduce", () => {
  it("given a turn whose tool starts while its response streams, when reduced, then the inference link waits for the next request (§4.7.4)", () => {
    const s = new TraceScript().root().turn(T0, "u1")
    s.infer(T0, "u1", "inf-1", { input: [user("ls")] })
    s.tool(T0, "u1", "c1", "exec_command", { cmd: "ls" }, { type: "exec_command" })
    s.complete(T0, "u1", "inf-1", "r1", [call("c1", { cmd: "ls" })])
    s.toolEnd(T0, "u1", "c1", "a b")
    const before = reduce(s)
    expect(before.inference_calls.get("inf-1")?.tool_call_ids_started_by_response).toEqual([])
    expect(before.tool_calls.get("c1")?.model_visible_call_item_ids).toEqual(["conversation_item:2"])
    // An incremental request would not re-sight the call item (it is in the prefix); a full one does.
    s.infer(T0, "u1", "inf-2", { input: [user("ls"), call("c1", { cmd: "ls" }), output("c1", "a b")] })
    const after = reduce(s)
    expect(after.inference_calls.get("inf-1")?.tool_call_ids_started_by_response).toEqual(["c1"])
    expect(after.inference_calls.get("inf-2")?.request_item_ids).toEqual(["conversation_item:1", "conversation_item:2", "conversation_item:3"])
    expect(after.conversation_items.get("conversation_item:3")?.produced_by).toEqual([{ type: "tool", tool_call_id: "c1" }])
  })

  it("given a bundle with rollout_started, when reduced, then trace and root ids come from the event, the rest from the manifest", () => {
    const t = reduce(new TraceScript().root())
    expect([t.trace_id, t.rollout_id, t.root_thread_id, t.status, t.ended_at_unix_ms]).toEqual(["trace-1", T0, T0, "running", null])
  })

  it("given a spawned child thread, when reduced, then its origin names the parent and the spawn edge id, and the edge falls back to the thread", () => {
    const s = new TraceScript().root().turn(T0, "u1")
    s.tool(T0, "u1", "sp", "spawn_agent", { message: "go" }, { type: "spawn_agent" })
    s.child(T1, T0, "/root/w")
    s.runtime(T0, "u1", "sp", "ended", { event_id: "sp", occurred_at_ms: 1, agent_thread_id: T1, agent_path: "/root/w", kind: "started" })
    const t = reduce(s)
    expect(t.threads.get(T1)?.origin).toEqual({
      type: "spawned",
      parent_thread_id: T0,
      spawn_edge_id: `edge:spawn:${T0}:${T1}`,
      task_name: "w",
      agent_role: "worker"
    })
    expect(t.interaction_edges.get(`edge:spawn:${T0}:${T1}`)?.target).toEqual({ type: "thread", thread_id: T1 })
  })

  it("given an error on one line and a bad line after it, when reduced, then the first one in file order is reported", () => {
    const s = new TraceScript().root()
    s.ev({ type: "thread_ended", thread_id: "nope", status: "completed" })
    s.lines.push({ _tag: "Unparsable", line: 99, reason: "x" })
    expect(failure(s)).toBe("trace event referenced unknown thread nope")
  })

  it("given a missing payload that no rule reads, when reduced, then it is not an error (payloads are read lazily)", () => {
    const s = new TraceScript().root()
    s.ev({
      type: "protocol_event_observed",
      event_type: "warning",
      event_payload: { raw_payload_id: "raw_payload:9", kind: { type: "protocol_event" }, path: "payloads/9.json" }
    })
    expect(reduce(s).raw_payloads.has("raw_payload:9")).toBe(true)
  })
})

/** A valid session: turns of inference calls whose responses ask for exec tools, and spawned children. */
const session = fc.array(
  fc.record({
    steps: fc.array(
      fc.record({
        incremental: fc.boolean(),
        outputs: fc.array(fc.constantFrom("say", "call"), { minLength: 1, maxLength: 3 }),
        toolEarly: fc.boolean(),
        complete: fc.boolean()
      }),
      { minLength: 1, maxLength: 3 }
    ),
    spawn: fc.boolean(),
    status: fc.constantFrom("completed", "cancelled", "failed", "aborted") as fc.Arbitrary<"completed" | "cancelled" | "failed" | "aborted">
  }),
  { minLength: 1, maxLength: 3 }
)

const build = (plan: typeof session extends fc.Arbitrary<infer P> ? P : never): TraceScript => {
  const s = new TraceScript().root()
  let history: Array<unknown> = []
  let last: { id: string; request: Array<unknown>; response: Array<unknown> } | undefined
  let pending: Array<unknown> = []
  let n = 0
  plan.forEach((turnPlan, u) => {
    const turn = `turn-${u + 1}`
    s.turn(T0, turn)
    for (const step of turnPlan.steps) {
      const id = `inf-${++n}`
      const delta = [...pending, user(`message ${n}`)]
      pending = []
      const incremental = step.incremental && last !== undefined
      s.infer(T0, turn, id, incremental && last !== undefined ? { previous_response_id: last.id, input: delta } : { input: [...history, ...delta] })
      history = [...history, ...delta]
      const out = step.outputs.map((o, k) => (o === "say" ? assistant(`answer ${n}.${k}`) : call(`call-${n}-${k}`, { cmd: `ls ${n} ${k}` })))
      const calls = out.flatMap((item) => ("call_id" in item ? [item.call_id] : []))
      const runTools = () => {
        for (const c of calls) {
          s.tool(T0, turn, c, "exec_command", { cmd: c }, { type: "exec_command" })
          s.runtime(T0, turn, c, "started", { process_id: c, command: ["ls"], cwd: "/w" })
          s.runtime(T0, turn, c, "ended", { process_id: c, stdout: c, stderr: "", exit_code: 0, formatted_output: c })
          s.toolEnd(T0, turn, c, c)
          pending.push(output(c, c))
        }
      }
      if (step.toolEarly) runTools()
      if (step.complete) {
        s.complete(T0, turn, id, `resp-${n}`, out)
        history = [...history, ...out]
        last = { id: `resp-${n}`, request: history, response: out }
      } else {
        // The call never completed: its tools' outputs (and items) are not part of history.
        last = undefined
        if (step.toolEarly) pending = []
        continue
      }
      if (!step.toolEarly) runTools()
    }
    if (turnPlan.spawn) {
      const child = `019d0000-0000-7000-8000-0000000001${String(u).padStart(2, "0")}`
      const path = `/root/worker_${u}`
      s.tool(T0, turn, `spawn-${u}`, "spawn_agent", { message: `task ${u}` }, { type: "spawn_agent" })
      s.child(child, T0, path)
      s.runtime(T0, turn, `spawn-${u}`, "ended", { event_id: `spawn-${u}`, occurred_at_ms: 1, agent_thread_id: child, agent_path: path, kind: "started" })
      s.turn(child, `child-${u}`)
      s.infer(child, `child-${u}`, `child-inf-${u}`, {
        input: [{ type: "agent_message", author: "/root", recipient: path, content: [{ type: "input_text", text: `task ${u}` }] }]
      })
    }
    s.endTurn(T0, turn, turnPlan.status)
  })
  return s
}

describe("RolloutTrace.reduce laws", () => {
  it("given any valid session, when reduced, then every link names an object that exists", () => {
    fc.assert(
      fc.property(session, (plan) => {
        expect(danglingLinks(reduce(build(plan)))).toEqual([])
      }),
      { numRuns: 60 }
    )
  })

  it("given any valid session, when reduced twice with payload files in different orders, then the graphs are identical", () => {
    fc.assert(
      fc.property(session, fc.integer(), (plan, seed) => {
        const s = build(plan)
        const shuffle = (paths: Array<string>) => [...paths].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 17 + seed) % 5) || b.localeCompare(a))
        expect(TraceGraph.toJson(reduce(s, shuffle))).toBe(TraceGraph.toJson(reduce(s)))
      }),
      { numRuns: 40 }
    )
  })

  it("given any valid session with spawns, when reduced, then each spawn edge targets the child's delivered task item", () => {
    fc.assert(
      fc.property(session, (plan) => {
        const t = reduce(build(plan))
        plan.forEach((turn, u) => {
          if (!turn.spawn) return
          const child = `019d0000-0000-7000-8000-0000000001${String(u).padStart(2, "0")}`
          const edge = t.interaction_edges.get(`edge:spawn:${T0}:${child}`)
          expect(edge?.target.type).toBe("conversation_item")
          expect(edge?.carried_item_ids).toEqual(t.threads.get(child)?.conversation_item_ids)
        })
      }),
      { numRuns: 40 }
    )
  })
})
