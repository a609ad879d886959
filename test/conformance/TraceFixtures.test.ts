/**
 * Every rollout-trace fixture (`fixtures/trace/<case>/`, found anew on each run): `bundle/` is a
 * trace bundle written by hand from the rules of the rollout-trace spec, `expected.json` either the
 * reduced graph exactly as Codex writes `state.json` (compared as text: key order is part of the
 * contract) or `{"error": "<message>"}`, a message the replay must fail with (`<bundle>` stands for
 * the bundle's path). `UPDATE_TRACE_FIXTURES=1` writes missing graph expectations, for review.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"
import { TraceWriter } from "@rollout/log/TraceWriter"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"

const root = fileURLToPath(new URL("../../fixtures/trace/", import.meta.url))
const cases = fs.existsSync(root)
  ? fs
      .readdirSync(root)
      .filter((name) => fs.statSync(path.join(root, name)).isDirectory())
      .sort()
  : []

/** The reduced graph as text, or the message the bundle fails with. */
const replay = async (dir: string): Promise<{ readonly json: string } | { readonly error: string }> => {
  const read = await TraceBundle.read(Files.node, dir)
  if (Result.isFailure(read)) return { error: read.failure.message }
  const b = read.success
  const reduced = RolloutTrace.reduce({ manifest: b.manifest, lines: b.lines, payload: TraceBundle.payloadSource(b) })
  return Result.isFailure(reduced) ? { error: reduced.failure.message } : { json: `${TraceGraph.toJson(reduced.success)}\n` }
}

describe("rollout-trace fixtures", () => {
  it("given the fixtures folder, then there are cases, each with a bundle", () => {
    expect(cases.length).toBeGreaterThan(0)
    for (const name of cases) expect(fs.existsSync(path.join(root, name, "bundle")), name).toBe(true)
  })

  it.each(cases)("given the bundle of %s, when it is reduced, then the graph or the error is the expected one", async (name) => {
    const dir = path.join(root, name, "bundle")
    const expectedPath = path.join(root, name, "expected.json")
    const got = await replay(dir)
    if (!fs.existsSync(expectedPath) && process.env["UPDATE_TRACE_FIXTURES"] === "1" && "json" in got) fs.writeFileSync(expectedPath, got.json)
    const expectedText = fs.readFileSync(expectedPath, "utf8")
    const expected = JSON.parse(expectedText) as { readonly error?: string }
    if (expected.error !== undefined) {
      expect("error" in got ? got.error : "(reduced without error)").toContain(expected.error.replace("<bundle>", dir))
    } else {
      expect("json" in got ? got.json : `error: ${got.error}`).toBe(expectedText)
    }
  })
})

describe("a bundle written by TraceWriter", () => {
  it("given a root and a spawned child written through the writer, when the bundle is reduced, then the graph has both threads and the spawn edge", async () => {
    const T0 = "019d0000-0000-7000-8000-0000000000aa"
    const T1 = "019d0000-0000-7000-8000-0000000000bb"
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trace-fixtures-"))
    try {
      const dir = path.join(tmp, `trace-t-${T0}`)
      let now = 1767225600000
      const w = TraceWriter.create(dir, { trace_id: "t", rollout_id: T0, root_thread_id: T0 }, { clock: () => now++ })
      const at = { thread_id: T0, codex_turn_id: "u1" }
      w.append({ type: "rollout_started", trace_id: "t", root_thread_id: T0 })
      w.append({
        type: "thread_started",
        thread_id: T0,
        agent_path: "/root",
        metadata_payload: w.writeJsonPayload("session_metadata", { agent_path: "/root", model: "gpt-x" })
      })
      w.appendWithContext(at, { type: "codex_turn_started", codex_turn_id: "u1", thread_id: T0 })
      const invocation = w.writeJsonPayload("tool_invocation", {
        tool_name: "spawn_agent",
        tool_namespace: null,
        payload: { type: "function", arguments: '{"message":"go"}' }
      })
      w.appendWithContext(at, {
        type: "tool_call_started",
        tool_call_id: "sp",
        model_visible_call_id: "sp",
        requester: { type: "model" },
        kind: { type: "spawn_agent" },
        summary: { type: "generic", label: "spawn_agent", input_preview: '{"message":"go"}' },
        invocation_payload: invocation
      })
      const spawn = { subagent: { thread_spawn: { parent_thread_id: T0, depth: 1, agent_path: "/root/w", agent_nickname: null, agent_role: null } } }
      w.append({
        type: "thread_started",
        thread_id: T1,
        agent_path: "/root/w",
        metadata_payload: w.writeJsonPayload("session_metadata", { agent_path: "/root/w", session_source: spawn })
      })
      const activity = w.writeJsonPayload("tool_runtime_event", {
        event_id: "sp",
        occurred_at_ms: 1,
        agent_thread_id: T1,
        agent_path: "/root/w",
        kind: "started"
      })
      w.appendWithContext(at, { type: "tool_call_runtime_ended", tool_call_id: "sp", status: "completed", runtime_payload: activity })
      w.appendWithContext(at, { type: "tool_call_ended", tool_call_id: "sp", status: "completed", result_payload: null })
      w.appendWithContext(at, { type: "codex_turn_ended", codex_turn_id: "u1", status: "completed" })
      w.append({ type: "thread_ended", thread_id: T0, status: "completed" })
      w.append({ type: "rollout_ended", status: "completed" })
      w.close()
      const got = await replay(dir)
      if ("error" in got) throw new Error(got.error)
      const graph = JSON.parse(got.json) as {
        status: string
        threads: Record<string, unknown>
        interaction_edges: Record<string, { kind: string; target: unknown }>
      }
      expect(graph.status).toBe("completed")
      expect(Object.keys(graph.threads)).toEqual([T0, T1])
      expect(graph.interaction_edges[`edge:spawn:${T0}:${T1}`]).toMatchObject({ kind: "spawn_agent", target: { type: "thread", thread_id: T1 } })
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
