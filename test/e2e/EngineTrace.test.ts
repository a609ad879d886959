// Rollout-trace bundles written by the engine (issue 7): with a trace root the engine records one
// schema 2 bundle per root thread family (manifest, trace.jsonl, payloads/) as Codex 0.169 writes
// them — every history item accepted under a Responses id, `recording_completed` last — and `RolloutTrace` reduces it
// without error to exactly the threads, turns, inference calls, tool calls, compactions and agent
// edges (spawn, message, task, close, and each child result delivered to its parent) the session had. The bundle's clock and ids come from the engine's services, so a scripted
// run writes the same bundle twice.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Thread from "@rollout/engine/Thread"
import { expectSound, payloads, reduceBundle, reduceTrace, type Setup, setup } from "./EngineHarness.js"

let current: Setup | undefined
const roots: Array<string> = []
afterEach(async () => {
  await current?.close()
  current = undefined
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true })
})

const traceRoot = (): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-trace-"))
  roots.push(root)
  return root
}

/**
 * The schema 2 shape of a reduced engine bundle: schema 2 everywhere, `recording_completed` right
 * after `rollout_ended`, the graph complete, every conversation item a request, response or
 * compaction showed the model carrying its Responses id, and accepted by the
 * `history_item_accepted` event its `accepted_seq` names (same thread, same id).
 */
const expectSchema2 = (dir: string, t: any): void => {
  expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).schema_version).toBe(2)
  const events = fs
    .readFileSync(path.join(dir, "trace.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l))
  expect(new Set(events.map((e) => e.schema_version))).toEqual(new Set([2]))
  expect(events.slice(-2).map((e) => e.payload.type)).toEqual(["rollout_ended", "recording_completed"])
  expect(t.recording_complete).toBe(true)
  const bySeq = new Map(events.map((e) => [e.seq, e]))
  const seen = new Set<string>()
  for (const call of Object.values(t.inference_calls as Record<string, any>))
    [...call.request_item_ids, ...call.response_item_ids].forEach((id: string) => seen.add(id))
  for (const c of Object.values(t.compactions as Record<string, any>)) [...c.input_item_ids, ...c.replacement_item_ids].forEach((id: string) => seen.add(id))
  expect(seen.size).toBeGreaterThan(0)
  for (const id of seen) {
    const item = t.conversation_items[id]
    expect(item.responses_item_id, id).toEqual(expect.any(String))
    expect(item.accepted_seq, id).toEqual(expect.any(Number))
    expect(bySeq.get(item.accepted_seq)).toMatchObject({
      thread_id: item.thread_id,
      wall_time_unix_ms: item.accepted_at_unix_ms,
      payload: { type: "history_item_accepted", item_id: item.responses_item_id }
    })
  }
}

const usage = (total: number): ModelScript.Usage => ({ inputTokens: total - 10, cachedInputTokens: 0, outputTokens: 10, reasoningOutputTokens: 0 })
const sorted = (o: Record<string, unknown>) => Object.keys(o).sort()

/** Every file of a bundle, with the Codex home's temp path taken out. */
const bundleFiles = (dir: string, home: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of ["manifest.json", "trace.jsonl", ...fs.readdirSync(path.join(dir, "payloads")).map((p) => `payloads/${p}`)]) {
    out[name] = fs.readFileSync(path.join(dir, name), "utf8").split(home).join("<home>")
  }
  return out
}

const runToolTurn = async () => {
  const root = traceRoot()
  current = await setup([ModelScript.call("sleep", { duration_ms: 5 }, "call_sleep"), ModelScript.reply("Rested.")], { traceRoot: root })
  const thread = current.engine.startThread()
  await thread.run("Take a short nap")
  await current.engine.close()
  const reduced = await reduceTrace(root)
  const files = bundleFiles(reduced.dir, current.home)
  return { thread, reduced, files, home: current.home }
}

describe("trace bundles", () => {
  it("record a turn with a tool call: thread, turn, two inference calls, the tool call", async () => {
    const { thread, reduced, files } = await runToolTurn()
    const t = reduced.json
    expectSchema2(reduced.dir, t)
    expect(path.basename(reduced.dir)).toBe(`trace-${t.trace_id}-${thread.id}`)
    expect(t).toMatchObject({ rollout_id: thread.id, root_thread_id: thread.id, status: "completed" })
    expect(t.trace_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(sorted(t.threads)).toEqual([thread.id])
    expect(t.threads[thread.id]).toMatchObject({ agent_path: "/root", origin: { type: "root" }, default_model: "gpt-5.5", execution: { status: "completed" } })
    const turnId = thread.turns()[0]!.id
    expect(sorted(t.codex_turns)).toEqual([turnId])
    expect(t.codex_turns[turnId]).toMatchObject({ thread_id: thread.id, execution: { status: "completed" } })

    const calls = Object.values(t.inference_calls as Record<string, any>).sort((a, b) => a.execution.started_seq - b.execution.started_seq)
    expect(calls.map((c) => [c.thread_id, c.codex_turn_id, c.execution.status, c.response_id, c.tool_call_ids_started_by_response])).toEqual([
      [thread.id, turnId, "completed", "resp_1", ["call_sleep"]],
      [thread.id, turnId, "completed", "resp_2", []]
    ])
    const kinds = (ids: ReadonlyArray<string>) => ids.map((id) => `${t.conversation_items[id].role}/${t.conversation_items[id].kind}`)
    expect(kinds(calls[0].request_item_ids)).toEqual(["user/message"])
    expect(kinds(calls[1].request_item_ids)).toEqual(["user/message", "assistant/function_call", "tool/function_call_output"])
    expect(kinds(calls[1].response_item_ids)).toEqual(["assistant/message"])

    expect(sorted(t.tool_calls)).toEqual(["call_sleep"])
    expect(t.tool_calls["call_sleep"]).toMatchObject({
      thread_id: thread.id,
      started_by_codex_turn_id: turnId,
      model_visible_call_id: "call_sleep",
      requester: { type: "model" },
      kind: { type: "other", name: "sleep" },
      execution: { status: "completed" },
      summary: { type: "generic", label: "sleep", input_preview: '{"duration_ms":5}', output_preview: null }
    })
    expect(t.tool_calls["call_sleep"].model_visible_output_item_ids).toHaveLength(1)
    expect(t.interaction_edges).toEqual({})

    // The event log: lifecycle first and last, payloads written before the events naming them.
    const events = files["trace.jsonl"]!.trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    // Codex 0.169's order (fixtures/trace-codex/exec-shell): the user message accepted before the
    // first request; each response's items after its `inference_completed`; the tool output after
    // `tool_call_ended`; `recording_completed` last.
    const accepted = (id: string) => `history_item_accepted ${id}`
    expect(events.map((e) => (e.payload.type === "history_item_accepted" ? accepted(e.payload.item_id) : e.payload.type))).toEqual([
      "rollout_started",
      "thread_started",
      "codex_turn_started",
      accepted(events[3].payload.item_id),
      "inference_started",
      "inference_completed",
      accepted("fc_1_0"),
      "tool_call_started",
      "tool_call_ended",
      accepted(events[9].payload.item_id),
      "inference_started",
      "inference_completed",
      accepted("msg_2_0"),
      "codex_turn_ended",
      "thread_ended",
      "rollout_ended",
      "recording_completed"
    ])
    expect(events[3].payload.item_id).toMatch(/^msg_[0-9a-f-]{36}$/)
    expect(events[9].payload.item_id).toMatch(/^fco_[0-9a-f-]{36}$/)
    // The traced requests show each history item under the id it was accepted as.
    const request = JSON.parse(files["payloads/2.json"]!)
    expect(request).toMatchObject({ model: "gpt-5.5", stream: true, store: false })
    expect(request.input).toEqual([
      { type: "message", id: events[3].payload.item_id, role: "user", content: [{ type: "input_text", text: "Take a short nap" }] }
    ])
    const second = JSON.parse(files["payloads/6.json"]!)
    expect(second.input.map((i: any) => i.id)).toEqual([events[3].payload.item_id, "fc_1_0", events[9].payload.item_id])
    const items = Object.values(t.conversation_items as Record<string, any>)
    expect(items.map((i) => [`${i.role}/${i.kind}`, i.responses_item_id])).toEqual([
      ["user/message", events[3].payload.item_id],
      ["assistant/function_call", "fc_1_0"],
      ["tool/function_call_output", events[9].payload.item_id],
      ["assistant/message", "msg_2_0"]
    ])
    expect(JSON.parse(files["payloads/1.json"]!)).toMatchObject({
      thread_id: thread.id,
      agent_path: "/root",
      session_source: "exec",
      model: "gpt-5.5",
      rollout_path: thread.path()!.split(current!.home).join("<home>")
    })
  })

  it("are reproducible: the same scripted session writes the same bundle", async () => {
    const first = (await runToolTurn()).files
    await current?.close()
    current = undefined
    const second = (await runToolTurn()).files
    expect(second).toEqual(first)
  })

  it("record a failed turn as Codex 0.169 does: the request's items accepted, the turn ended failed", async () => {
    const root = traceRoot()
    current = await setup([ModelScript.httpError(400, "bad input")], { traceRoot: root })
    const thread = current.engine.startThread()
    await thread.run("Fail please")
    await current.engine.close()
    const reduced = await reduceTrace(root)
    expectSchema2(reduced.dir, reduced.json)
    const events = fs
      .readFileSync(path.join(reduced.dir, "trace.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(events.map((e) => e.payload.type)).toEqual([
      "rollout_started",
      "thread_started",
      "codex_turn_started",
      "history_item_accepted",
      "inference_started",
      "inference_failed",
      "codex_turn_ended",
      "thread_ended",
      "rollout_ended",
      "recording_completed"
    ])
    expect(events[6].payload.status).toBe("failed")
    expect(Object.values(reduced.json.codex_turns as Record<string, any>).map((turn) => turn.execution.status)).toEqual(["failed"])
  })

  it("record a compaction: its request and the installed checkpoint", async () => {
    const root = traceRoot()
    current = await setup(
      [
        { type: "response", items: [{ type: "function_call", name: "sleep", arguments: { duration_ms: 5 }, callId: "call_a" }], usage: usage(150) },
        { type: "response", items: [{ type: "message", text: "The user asked for a nap; it was taken." }], usage: usage(40) },
        { type: "response", items: [{ type: "message", text: "Done." }], usage: usage(60) }
      ],
      { traceRoot: root, config: { autoCompactTokenLimit: 100 } }
    )
    const thread = current.engine.startThread()
    await thread.run("Nap, then report")
    await current.engine.close()
    const reduced = await reduceTrace(root)
    const t = reduced.json
    expectSchema2(reduced.dir, t)
    const turnId = thread.turns()[0]!.id
    const compactions = Object.values(t.compactions as Record<string, any>)
    expect(compactions).toHaveLength(1)
    expect(compactions[0]).toMatchObject({ thread_id: thread.id, codex_turn_id: turnId, request_ids: ["compaction_request:1"] })
    const kinds = (ids: ReadonlyArray<string>) => ids.map((id) => `${t.conversation_items[id].role}/${t.conversation_items[id].kind}`)
    expect(kinds(compactions[0].input_item_ids)).toEqual(["user/message", "assistant/function_call", "tool/function_call_output"])
    expect(kinds(compactions[0].replacement_item_ids)).toEqual(["user/message", "user/message"])
    expect(t.compaction_requests["compaction_request:1"]).toMatchObject({
      compaction_id: compactions[0].compaction_id,
      thread_id: thread.id,
      codex_turn_id: turnId,
      execution: { status: "completed" }
    })
    // The compaction's own model call is a compaction request, not an inference call.
    expect(
      Object.values(t.inference_calls as Record<string, any>)
        .map((c) => c.response_id)
        .sort()
    ).toEqual(["resp_1", "resp_3"])
  })

  it("record a multi-agent session: spawn, send, close, task and result edges between the threads", async () => {
    const root = traceRoot()
    let rootId = ""
    let release: () => void = () => undefined
    const sent = new Promise<void>((resolve) => (release = resolve))
    const parentScript: Array<() => Promise<ModelScript.Turn>> = [
      async () => ModelScript.call("spawn_agent", { task_name: "worker", message: "Count to three", agent_type: "explorer" }, "call_spawn"),
      async () => ModelScript.call("send_message", { target: "worker", message: "Count to five instead" }, "call_send"),
      async () => {
        // The message is in the worker's mailbox before its first model response: it is delivered mid-turn.
        release()
        await Thread.idle([...current!.engine.threads.values()].find((t) => t.id !== rootId)!)
        return ModelScript.call("interrupt_agent", { target: "worker" }, "call_stop")
      },
      // The worker is idle: the follow-up starts its next turn with the inter-agent message.
      async () => ModelScript.call("followup_task", { target: "worker", message: "Now say done" }, "call_followup"),
      async () => {
        // Its completion reaches the parent's mailbox while this request runs: the next one carries it.
        await Thread.idle([...current!.engine.threads.values()].find((t) => t.id !== rootId)!)
        return ModelScript.call("sleep", { duration_ms: 1 }, "call_wait")
      },
      async () => ModelScript.reply("The worker is done.")
    ]
    const childScript: Array<() => Promise<ModelScript.Turn>> = [
      async () => {
        await sent
        return ModelScript.call("sleep", { duration_ms: 1 }, "call_nap")
      },
      async () => ModelScript.reply("1 2 3 4 5"),
      async () => ModelScript.reply("Done.")
    ]
    current = await setup([], { traceRoot: root }, (request) => (request.headers["session_id"] === rootId ? parentScript.shift()?.() : childScript.shift()?.()))
    const { engine, home } = current
    const thread = engine.startThread()
    rootId = thread.id
    await thread.run("Delegate counting")
    await engine.close()
    const child = [...engine.threads.values()].find((t) => t.id !== rootId)!

    // The mail entered the worker's history at its first model-call boundary after arriving.
    const childLines = payloads(child.recorder!.path)
    const mail = childLines.findIndex((l) => l.type === "response_item" && l.payload.role === "assistant" && l.payload.content[0].text.startsWith("{"))
    expect(JSON.parse(childLines[mail].payload.content[0].text)).toEqual({
      author: "/root",
      recipient: "/root/worker",
      other_recipients: [],
      content: "Count to five instead",
      trigger_turn: true
    })
    expect(childLines.slice(0, mail).filter((l) => l.payload.type === "token_count")).toHaveLength(1)

    const reduced = await reduceTrace(root)
    const t = reduced.json
    expectSchema2(reduced.dir, t)
    expect(sorted(t.threads)).toEqual([rootId, child.id].sort())
    expect(t.threads[child.id]).toMatchObject({
      agent_path: "/root/worker",
      origin: { type: "spawned", parent_thread_id: rootId, spawn_edge_id: `edge:spawn:${rootId}:${child.id}`, task_name: "worker", agent_role: "explorer" }
    })
    expect(
      Object.values(t.codex_turns as Record<string, any>)
        .map((turn) => turn.thread_id)
        .sort()
    ).toEqual([rootId, child.id, child.id].sort())
    expect(Object.values(t.inference_calls as Record<string, any>).filter((c) => c.thread_id === rootId)).toHaveLength(6)
    expect(Object.values(t.inference_calls as Record<string, any>).filter((c) => c.thread_id === child.id)).toHaveLength(3)
    expect(Object.fromEntries(Object.values(t.tool_calls as Record<string, any>).map((c) => [c.tool_call_id, [c.thread_id, c.kind.type]]))).toEqual({
      call_spawn: [rootId, "spawn_agent"],
      call_send: [rootId, "send_message"],
      call_stop: [rootId, "close_agent"],
      call_followup: [rootId, "assign_agent_task"],
      call_wait: [rootId, "other"],
      call_nap: [child.id, "other"]
    })

    // Every edge, exactly: spawn (no spawn message item: the child's first turn starts with a user
    // message, so the edge falls back to the thread), the mid-turn message, the interrupt, the
    // follow-up (the inter-agent message that started the worker's second turn), and each of the
    // worker's two completions delivered to the parent's mailbox.
    const spawnEdge = `edge:spawn:${rootId}:${child.id}`
    const childTurns = payloads(child.recorder!.path)
      .filter((l) => l.payload.type === "task_complete")
      .map((l) => l.payload.turn_id as string)
    expect(childTurns).toHaveLength(2)
    const resultEdges = childTurns.map((turn) => `edge:agent_result:${child.id}:${turn}:${rootId}`)
    const edges = t.interaction_edges as Record<string, any>
    const items = t.conversation_items as Record<string, any>
    const payloadKinds = (ids: ReadonlyArray<string>) => ids.map((id) => t.raw_payloads[id].kind.type)
    const tool = (id: string) => ({ type: "tool_call", tool_call_id: id })
    const item = (id: string) => ({ type: "conversation_item", item_id: id })
    const edge = (id: string, kind: string, source: unknown, target: { type: string; item_id?: string; thread_id?: string }) => ({
      edge_id: id,
      kind,
      source,
      target,
      started_at_unix_ms: expect.any(Number),
      ended_at_unix_ms: expect.any(Number),
      carried_item_ids: target.item_id === undefined ? [] : [target.item_id],
      carried_raw_payload_ids: edges[id]?.carried_raw_payload_ids
    })
    const targetOf = (id: string) => edges[id]?.target.item_id as string
    const sourceOf = (id: string) => edges[id]?.source.item_id as string
    expect(edges).toEqual({
      [spawnEdge]: edge(spawnEdge, "spawn_agent", tool("call_spawn"), { type: "thread", thread_id: child.id }),
      "edge:tool:call_send": edge("edge:tool:call_send", "send_message", tool("call_send"), item(targetOf("edge:tool:call_send"))),
      "edge:tool:call_stop": edge("edge:tool:call_stop", "close_agent", tool("call_stop"), { type: "thread", thread_id: child.id }),
      "edge:tool:call_followup": edge("edge:tool:call_followup", "assign_agent_task", tool("call_followup"), item(targetOf("edge:tool:call_followup"))),
      [resultEdges[0]!]: edge(resultEdges[0]!, "agent_result", item(sourceOf(resultEdges[0]!)), item(targetOf(resultEdges[0]!))),
      [resultEdges[1]!]: edge(resultEdges[1]!, "agent_result", item(sourceOf(resultEdges[1]!)), item(targetOf(resultEdges[1]!)))
    })
    for (const id of [spawnEdge, "edge:tool:call_send", "edge:tool:call_stop", "edge:tool:call_followup"]) {
      expect(payloadKinds(edges[id].carried_raw_payload_ids)).toEqual(["tool_invocation", "tool_runtime_event", "tool_result"])
    }
    // Delivery targets: the worker's inter-agent items (mid-turn mail; the item that started its second turn).
    const body = (id: string) => JSON.stringify(items[id].body)
    expect(items[targetOf("edge:tool:call_send")]).toMatchObject({ thread_id: child.id, codex_turn_id: childTurns[0], role: "assistant", kind: "message" })
    expect(body(targetOf("edge:tool:call_send"))).toContain("Count to five instead")
    expect(items[targetOf("edge:tool:call_followup")]).toMatchObject({ thread_id: child.id, codex_turn_id: childTurns[1], role: "assistant", kind: "message" })
    expect(body(targetOf("edge:tool:call_followup"))).toContain("Now say done")
    // Results: from the worker's final answer of each turn to the notification a parent request carried.
    const notice = (answer: string) => `<subagent_notification>\n{"agent_id":"/root/worker","status":{"completed":"${answer}"}}\n</subagent_notification>`
    ;["1 2 3 4 5", "Done."].forEach((answer, i) => {
      const id = resultEdges[i]!
      expect(items[sourceOf(id)]).toMatchObject({ thread_id: child.id, codex_turn_id: childTurns[i], role: "assistant", kind: "message" })
      expect(body(sourceOf(id))).toContain(answer)
      expect(items[targetOf(id)]).toMatchObject({ thread_id: rootId, role: "assistant", kind: "message" })
      expect(payloadKinds(edges[id].carried_raw_payload_ids)).toEqual(["agent_result"])
      const carried = t.raw_payloads[edges[id].carried_raw_payload_ids[0]].path
      expect(JSON.parse(fs.readFileSync(path.join(reduced.dir, carried), "utf8"))).toEqual({
        child_agent_path: "/root/worker",
        message: notice(answer),
        status: { completed: answer }
      })
    })

    // In the parent's rollout each notification is mail that does not trigger a turn.
    const rootLines = payloads(thread.path()!)
    const delivered = rootLines.filter((l) => l.type === "response_item" && l.payload.role === "assistant" && l.payload.content[0].text.startsWith("{"))
    expect(delivered.map((l) => JSON.parse(l.payload.content[0].text))).toEqual(
      ["1 2 3 4 5", "Done."].map((answer) => ({
        author: "/root/worker",
        recipient: "/root",
        other_recipients: [],
        content: notice(answer),
        trigger_turn: false
      }))
    )
    // In the worker's rollout the follow-up turn starts with the inter-agent message, not a user message.
    const second = childLines.findIndex((l) => l.payload.type === "task_started" && l.payload.turn_id === childTurns[1])
    const opening = childLines.slice(second).filter((l) => l.type === "response_item" || l.payload.type === "user_message")[0]
    expect(JSON.parse(opening.payload.content[0].text)).toEqual({
      author: "/root",
      recipient: "/root/worker",
      other_recipients: [],
      content: "Now say done",
      trigger_turn: true
    })
    expect(childLines.slice(second).some((l) => l.payload.type === "user_message")).toBe(false)
    // The raw events: each in the worker's turn, after that turn's end.
    const events = fs
      .readFileSync(path.join(reduced.dir, "trace.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    childTurns.forEach((turn, i) => {
      const observed = events.findIndex((e) => e.payload.type === "agent_result_observed" && e.payload.child_codex_turn_id === turn)
      expect(events[observed]).toMatchObject({
        thread_id: child.id,
        codex_turn_id: turn,
        payload: { edge_id: resultEdges[i], child_thread_id: child.id, parent_thread_id: rootId, message: notice(["1 2 3 4 5", "Done."][i]!) }
      })
      expect(events.findIndex((e) => e.payload.type === "codex_turn_ended" && e.payload.codex_turn_id === turn)).toBeLessThan(observed)
    })

    // Both rollouts still validate, and the mid-turn delivery replays identically.
    await expectSound(home, thread.path()!)
    await expectSound(home, child.recorder!.path)
  })
})

describe("rollout run --demo with CODEX_ROLLOUT_TRACE_ROOT", () => {
  it("records one bundle per scenario (read by the built bin from the environment), each reducing without error", async () => {
    const repo = path.resolve(import.meta.dirname, "../..")
    const root = traceRoot()
    const home = traceRoot()
    const run = spawnSync(process.execPath, [path.join(repo, "packages/cli/bin/rollout.js"), "run", "--demo", "--json", "--codex-home", home], {
      encoding: "utf8",
      env: { ...process.env, CODEX_ROLLOUT_TRACE_ROOT: root }
    })
    expect(run.status).toBe(0)
    const threads = JSON.parse(run.stdout).threads as Array<{ trace: string }>
    const dirs = fs.readdirSync(root).sort()
    expect([...new Set(threads.map((t) => path.basename(t.trace)))].sort()).toEqual(dirs)
    expect(dirs).toHaveLength(new Set((threads as Array<{ scenario?: string }>).map((t) => t.scenario)).size)
    const edges: Array<string> = []
    for (const dir of dirs) {
      const t = (await reduceBundle(path.join(root, dir))).json
      expect(t.status).toBe("completed")
      expectSchema2(path.join(root, dir), t)
      edges.push(...Object.values(t.interaction_edges as Record<string, any>).map((e) => e.kind))
    }
    // `rollout trace` reads what the engine wrote.
    const multi = threads.find((t) => (t as { agentPath?: string }).agentPath === "/root/worker")!.trace
    const trace = spawnSync(process.execPath, [path.join(repo, "packages/cli/bin/rollout.js"), "trace", multi], { encoding: "utf8" })
    expect(trace.stderr).toBe("")
    expect(trace.status).toBe(0)
    expect(trace.stdout).toContain("spawn_agent       /root tool call_spawn → /root/worker")
    // The demo's multi-agent scenario messages an idle worker and gives it a follow-up (each a new
    // turn started by the inter-agent message): spawn, close, message and task edges, and the result
    // of the turn the message started, which the parent's last model request carries (the
    // follow-up's result may land before that request too, or after it: then it is no edge).
    expect([...new Set(edges)].sort()).toEqual(["agent_result", "assign_agent_task", "close_agent", "send_message", "spawn_agent"])
    expect(edges.filter((k) => k !== "agent_result").sort()).toEqual(["assign_agent_task", "close_agent", "send_message", "spawn_agent"])
  }, 60_000)
})
