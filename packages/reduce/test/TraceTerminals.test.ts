import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { call, T0, TraceScript, user } from "./support/TraceScript.js"

// Terminal operations on an existing session (write_stdin). Schema 2 (Codex 0.169) resolves the
// target with `stdin_target_resolved` and names the session after the exec operation; schema 1
// names it by process id. Real bundles: test/oracle/TraceCodex.test.ts (exec-write-stdin).

const json = (script: TraceScript) => {
  const result = RolloutTrace.reduce(script.input())
  if (Result.isFailure(result)) throw new Error(`reduction failed: ${result.failure.message}`)
  return JSON.parse(TraceGraph.toJson(result.success))
}

const exec = { call_id: "c1", process_id: "7125", command: ["/bin/bash", "-lc", "read line"], cwd: "/w" }

/** A shell left running (exec_command), then a write_stdin to its process, as Codex 0.169 orders the events. */
const session = (version: number, resolved: boolean) => {
  const s = new TraceScript(version).root().turn(T0, "u1")
  s.infer(T0, "u1", "inf-1", { input: [user("run")] })
  s.complete(T0, "u1", "inf-1", "resp_1", [call("c1", { cmd: "read line" })])
  s.tool(T0, "u1", "c1", "exec_command", { cmd: "read line" }, { type: "exec_command" })
  s.runtime(T0, "u1", "c1", "started", exec)
  s.toolEnd(T0, "u1", "c1", "Process running with session ID 7125")
  s.tool(T0, "u1", "c2", "write_stdin", { session_id: 7125, chars: "hi\n" }, { type: "write_stdin" })
  if (resolved) s.ev({ type: "stdin_target_resolved", tool_call_id: "c2", exec_tool_call_id: "c1" }, T0, "u1")
  s.toolEnd(T0, "u1", "c2", "got hi")
  const end =
    version >= 2
      ? { ...exec, aggregated_output: "hi\ngot hi\n", exit_code: 0, status: "completed" }
      : { ...exec, stdout: "got hi\n", stderr: "", exit_code: 0, formatted_output: "got hi\n" }
  s.runtime(T0, "u1", "c1", "ended", end)
  return s
}

describe("TraceTerminals", () => {
  it("given a schema 2 write_stdin resolved to a running exec_command, when reduced, then it joins the exec's session and no process-id session appears", () => {
    const graph = json(session(2, true))
    const sessionId = "terminal_session:terminal_operation:1"
    expect(Object.keys(graph.terminal_sessions)).toEqual([sessionId])
    expect(graph.terminal_sessions[sessionId].operation_ids).toEqual(["terminal_operation:1", "terminal_operation:2"])
    expect(graph.terminal_sessions[sessionId].execution.status).toBe("running")
    const write = graph.terminal_operations["terminal_operation:2"]
    expect(write).toMatchObject({ terminal_id: sessionId, tool_call_id: "c2", kind: "write_stdin" })
    expect(write.request).toEqual({ type: "write_stdin", stdin: "hi\n", yield_time_ms: null, max_output_tokens: null })
    expect(write.result.stdout).toBe("got hi")
    expect(graph.tool_calls.c2.summary).toEqual({ type: "terminal", operation_id: "terminal_operation:2" })
  })

  it("given a schema 2 write_stdin whose target was never resolved, when reduced, then its operation names no session", () => {
    const graph = json(session(2, false))
    expect(graph.terminal_operations["terminal_operation:2"].terminal_id).toBeNull()
    expect(Object.keys(graph.terminal_sessions)).toEqual(["terminal_session:terminal_operation:1"])
  })

  it("given the same session as a schema 1 bundle, when reduced, then the write_stdin names the session by process id", () => {
    const graph = json(session(1, false))
    expect(graph.terminal_operations["terminal_operation:2"].terminal_id).toBe("7125")
    expect(graph.terminal_sessions["7125"].operation_ids).toEqual(["terminal_operation:1", "terminal_operation:2"])
  })

  it("given a stdin resolution naming an unknown tool call, when reduced, then the reduction fails with the tool call named", () => {
    const s = session(2, false)
    s.ev({ type: "stdin_target_resolved", tool_call_id: "nope", exec_tool_call_id: "c1" }, T0, "u1")
    const result = RolloutTrace.reduce(s.input())
    expect(Result.isFailure(result) && result.failure.message).toBe("stdin target resolution referenced unknown tool call nope")
  })
})
