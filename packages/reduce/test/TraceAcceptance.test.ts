import * as fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { assistant, call, output, T0, T1, TraceScript, user } from "./support/TraceScript.js"

// The schema 2 (Codex 0.169) rules: Responses ids, history acceptance, accepted agent messages,
// recording completion, the aggregated exec end and source-ordered JSON summaries. Codex's own
// reductions of real bundles are checked in test/oracle/TraceCodex.test.ts.

const reduce = (script: TraceScript) => {
  const result = RolloutTrace.reduce(script.input())
  if (Result.isFailure(result)) throw new Error(`reduction failed: ${result.failure.message}`)
  return result.success
}

/** The graph as the CLI prints it, parsed back (omitted keys are absent, key order is Codex's). */
const json = (script: TraceScript) => JSON.parse(TraceGraph.toJson(reduce(script)))

const withId = <T extends object>(id: string, item: T) => ({ ...item, id })

/** One turn: a request with two ids, a function call answered, a final answer; acceptance as Codex writes it. */
const session = (version: number) => {
  const s = new TraceScript(version).root().turn(T0, "u1")
  s.accept(T0, "u1", "msg_u")
  s.infer(T0, "u1", "inf-1", { input: [withId("msg_sys", user("system")), withId("msg_u", user("go"))] })
  s.complete(T0, "u1", "inf-1", "resp_1", [withId("fc_1_0", call("c1", { z: 1, a: 2 }))])
  s.accept(T0, "u1", "fc_1_0")
  s.tool(T0, "u1", "c1", "exec_command", { z: 1, a: 2 }, { type: "other", name: "exec_command" })
  s.toolEnd(T0, "u1", "c1", "done")
  // The tool output is accepted before the next request shows it (and gives it its id).
  s.accept(T0, "u1", "fco_1")
  s.infer(T0, "u1", "inf-2", {
    input: [withId("msg_sys", user("system")), withId("msg_u", user("go")), withId("fc_1_0", call("c1", { z: 1, a: 2 })), withId("fco_1", output("c1", "done"))]
  })
  s.complete(T0, "u1", "inf-2", "resp_2", [withId("msg_2_0", assistant("ok"))])
  s.accept(T0, "u1", "msg_2_0")
  s.endTurn(T0, "u1")
  return s
}

describe("TraceAcceptance (schema 2)", () => {
  it("given a schema 2 bundle, when reduced, then the graph is schema 2 and says whether recording_completed was written", () => {
    const open = json(session(2))
    expect(open.schema_version).toBe(2)
    expect(open.recording_complete).toBe(false)
    const closed = json(session(2).recordingCompleted())
    expect(closed.recording_complete).toBe(true)
    expect(Object.keys(closed).slice(4, 8)).toEqual(["ended_at_unix_ms", "status", "recording_complete", "root_thread_id"])
  })

  it("given items sent under Responses ids, when reduced, then each item carries its id and the acceptance that named it, before or after it was first seen", () => {
    const s = session(2)
    const items = json(s).conversation_items
    const acceptSeq = (id: string) =>
      s.lines.flatMap((l) => (l._tag === "Event" && l.event.payload.type === "history_item_accepted" && l.event.payload.item_id === id ? [l.event.seq] : []))[0]
    const byId = new Map(Object.values(items).map((i: any) => [i.responses_item_id, i]))
    expect([...byId.keys()]).toEqual(["msg_sys", "msg_u", "fc_1_0", "fco_1", "msg_2_0"])
    // Never accepted: no acceptance fields at all.
    expect(Object.keys(byId.get("msg_sys"))).toEqual([
      "item_id",
      "responses_item_id",
      "thread_id",
      "codex_turn_id",
      "first_seen_at_unix_ms",
      "role",
      "channel",
      "kind",
      "body",
      "call_id",
      "produced_by"
    ])
    for (const id of ["msg_u", "fc_1_0", "fco_1", "msg_2_0"]) {
      const item = byId.get(id)
      expect(Object.keys(item).slice(0, 5)).toEqual(["item_id", "responses_item_id", "accepted_at_unix_ms", "accepted_seq", "thread_id"])
      expect(item.accepted_seq).toBe(acceptSeq(id))
    }
    // Accepted before the request that first showed it: the acceptance is earlier than the sighting.
    const fco = byId.get("fco_1")
    expect(fco.accepted_at_unix_ms).toBeLessThan(fco.first_seen_at_unix_ms)
  })

  it("given the same session as a schema 1 bundle, when reduced, then nothing of schema 2 appears", () => {
    const graph = json(session(1))
    expect(graph.schema_version).toBe(1)
    expect("recording_complete" in graph).toBe(false)
    for (const item of Object.values(graph.conversation_items) as Array<any>) {
      expect(Object.keys(item).filter((k) => k.startsWith("accepted") || k === "responses_item_id")).toEqual([])
    }
  })

  it("given an accepted agent message, when reduced, then it is an item from its acceptance on, and the request showing it later reuses it", () => {
    const message = {
      type: "agent_message",
      id: "amsg_1",
      author: "/root",
      recipient: "/root/helper",
      content: [{ type: "input_text", text: "Message Type: NEW_TASK\n" }],
      internal_chat_message_metadata_passthrough: { turn_id: "c1" }
    }
    const s = new TraceScript(2).root().child(T1, T0, "/root/helper").turn(T1, "c1")
    s.accept(T1, "c1", "amsg_1", message)
    const { internal_chat_message_metadata_passthrough: _, ...visible } = message
    s.infer(T1, "c1", "inf-c", { input: [withId("msg_sys", user("system")), visible] })
    const graph = json(s)
    const items = Object.values(graph.conversation_items) as Array<any>
    expect(items.map((i) => [i.item_id, i.responses_item_id])).toEqual([
      ["conversation_item:1", "amsg_1"],
      ["conversation_item:2", "msg_sys"]
    ])
    const amsg = items[0]
    expect(amsg.agent_message).toEqual({ author: "/root", recipient: "/root/helper" })
    expect(amsg.codex_turn_id).toBe("c1")
    expect(amsg.first_seen_at_unix_ms).toBe(amsg.accepted_at_unix_ms)
    expect(graph.threads[T1].conversation_item_ids).toEqual(["conversation_item:1", "conversation_item:2"])
    expect(graph.inference_calls["inf-c"].request_item_ids).toEqual(["conversation_item:2", "conversation_item:1"])
    expect(graph.raw_payloads["raw_payload:3"].kind).toEqual({ type: "protocol_event" })
  })

  it("given a schema 2 exec end (aggregated output, no stdout / stderr), when reduced, then stdout is the aggregate and the session is named after the operation", () => {
    const s = new TraceScript(2).root().turn(T0, "u1")
    s.infer(T0, "u1", "inf-1", { input: [user("run")] })
    s.complete(T0, "u1", "inf-1", "resp_1", [call("c1", { cmd: "echo hi" })])
    s.tool(T0, "u1", "c1", "exec_command", { cmd: "echo hi" }, { type: "exec_command" })
    s.runtime(T0, "u1", "c1", "started", { call_id: "c1", process_id: "7125", command: ["/bin/bash", "-lc", "echo hi"], cwd: "/w" })
    s.runtime(T0, "u1", "c1", "ended", {
      call_id: "c1",
      process_id: "7125",
      command: ["/bin/bash", "-lc", "echo hi"],
      cwd: "/w",
      aggregated_output: "hi\n",
      exit_code: 0,
      status: "completed"
    })
    s.toolEnd(T0, "u1", "c1", "Output:\nhi\n")
    const graph = json(s)
    const op = graph.terminal_operations["terminal_operation:1"]
    expect(op.terminal_id).toBe("terminal_session:terminal_operation:1")
    expect(op.result).toEqual({ exit_code: 0, stdout: "hi\n", stderr: "", formatted_output: null, original_token_count: null, chunk_id: null })
    expect(Object.keys(graph.terminal_sessions)).toEqual(["terminal_session:terminal_operation:1"])
    expect(graph.terminal_sessions["terminal_session:terminal_operation:1"].execution.status).toBe("running")
  })

  it("given function-call arguments, when reduced, then schema 2 summarizes them in source key order and schema 1 sorts them", () => {
    const summary = (version: number) => {
      const s = new TraceScript(version).root().turn(T0, "u1")
      s.infer(T0, "u1", "inf-1", { input: [user("go")] })
      s.complete(T0, "u1", "inf-1", "resp_1", [call("c1", { task_name: "helper", message: "hi", fork_turns: "none" })])
      return (Object.values(json(s).conversation_items) as Array<any>)[1].body.parts[0].summary
    }
    expect(summary(2)).toBe('{"task_name":"helper","message":"hi","fork_turns":"none"}')
    expect(summary(1)).toBe('{"fork_turns":"none","message":"hi","task_name":"helper"}')
  })

  it("given a full request re-sending context under fresh Responses ids (after a compaction), when reduced, then only items with the same id are reused", () => {
    const resent = (version: number) => {
      const s = new TraceScript(version).root().turn(T0, "u1")
      s.infer(T0, "u1", "inf-1", { input: [withId("msg_base", user("base")), withId("msg_env_1", user("env")), withId("msg_u", user("remember 42"))] })
      s.complete(T0, "u1", "inf-1", "resp_1", [withId("msg_1_0", assistant("noted"))])
      s.endTurn(T0, "u1").turn(T0, "u2")
      // The compacted history: the same base, the environment under a fresh id, the user message, a summary.
      s.infer(T0, "u2", "inf-2", {
        input: [withId("msg_base", user("base")), withId("msg_env_2", user("env")), withId("msg_u", user("remember 42")), withId("msg_sum", user("summary"))]
      })
      return json(s)
    }
    const v2 = resent(2)
    expect(v2.inference_calls["inf-1"].request_item_ids).toEqual(["conversation_item:1", "conversation_item:2", "conversation_item:3"])
    expect(v2.inference_calls["inf-2"].request_item_ids).toEqual(["conversation_item:1", "conversation_item:5", "conversation_item:3", "conversation_item:6"])
    expect(v2.conversation_items["conversation_item:5"].responses_item_id).toBe("msg_env_2")
    // Schema 1 has no Responses ids: the same content is the same item.
    expect(resent(1).inference_calls["inf-2"].request_item_ids).toEqual([
      "conversation_item:1",
      "conversation_item:2",
      "conversation_item:3",
      "conversation_item:5"
    ])
  })

  it("law: in a schema 2 full request, an item is reused exactly when an earlier item had its Responses id", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), (same) => {
        const s = new TraceScript(2).root().turn(T0, "u1")
        s.infer(T0, "u1", "inf-1", { input: same.map((_, i) => withId(`msg_a${i}`, user(`m${i}`))) })
        s.infer(T0, "u1", "inf-2", { input: same.map((keep, i) => withId(keep ? `msg_a${i}` : `msg_b${i}`, user(`m${i}`))) })
        const graph = json(s)
        const first: Array<string> = graph.inference_calls["inf-1"].request_item_ids
        const second: Array<string> = graph.inference_calls["inf-2"].request_item_ids
        same.forEach((keep, i) => expect(second[i] === first[i]).toBe(keep))
        expect(new Set(second).size).toBe(same.length)
      })
    )
  })

  it("law: wherever acceptances fall around the sightings, every item is stamped by the first acceptance of its id and nothing else", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), (early, twice) => {
        const n = early.length
        const ids = early.map((_, i) => `msg_${i}`)
        const input = ids.map((id, i) => withId(id, user(`m${i}`)))
        const s = new TraceScript(2).root().turn(T0, "u1")
        ids.forEach((id, i) => early[i] && s.accept(T0, "u1", id))
        s.infer(T0, "u1", "inf-1", { input })
        ids.forEach((id, i) => {
          if (!early[i]) s.accept(T0, "u1", id)
          if (twice[i % twice.length]) s.accept(T0, "u1", id)
        })
        const firstSeq = new Map<string, number>()
        for (const l of s.lines) {
          if (l._tag === "Event" && l.event.payload.type === "history_item_accepted" && !firstSeq.has(l.event.payload.item_id))
            firstSeq.set(l.event.payload.item_id, l.event.seq)
        }
        const items = Object.values(json(s).conversation_items) as Array<any>
        expect(items).toHaveLength(n)
        for (const item of items) expect(item.accepted_seq).toBe(firstSeq.get(item.responses_item_id))
      })
    )
  })
})
