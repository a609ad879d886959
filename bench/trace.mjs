// Trace benchmark: `rollout trace` on a generated rollout-trace bundle of one long session (each
// HTTP inference request carries the whole history, as Codex's do, so payloads grow with the
// session: ~2,400 items in the last request; --quick: ~600). Figures: reading the bundle
// (TraceBundle.read) and reducing it (RolloutTrace.reduce), each as a ratio to the bare loop that
// reads and JSON.parses every event line and every payload file of the same bundle.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Result } from "effect"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"
import { TraceWriter } from "@rollout/log/TraceWriter"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { best, mb, report } from "./report.mjs"

const T0 = "019d0000-0000-7000-8000-0000000000aa"
const user = (text) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] })
const say = (text) => ({ type: "message", role: "assistant", content: [{ type: "output_text", text }], phase: "final_answer" })
const call = (id) => ({ type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: `ls ${id}` }), call_id: id })
const out = (id, text) => ({ type: "function_call_output", call_id: id, output: text })

/** Writes the bundle (reused when already generated) and returns its directory. */
const bundle = (calls) => {
  const dir = path.join(os.tmpdir(), "rollout-bench", `trace-${calls}`)
  if (fs.existsSync(path.join(dir, ".done"))) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  let now = 1767225600000
  const w = TraceWriter.create(dir, { trace_id: "bench", rollout_id: T0, root_thread_id: T0 }, { clock: () => now++ })
  const at = { thread_id: T0, codex_turn_id: null }
  w.append({ type: "rollout_started", trace_id: "bench", root_thread_id: T0 })
  w.append({
    type: "thread_started",
    thread_id: T0,
    agent_path: "/root",
    metadata_payload: w.writeJsonPayload("session_metadata", { agent_path: "/root", model: "gpt-x" })
  })
  const filler = " lorem ipsum dolor".repeat(20)
  let history = [{ type: "message", role: "developer", content: [{ type: "input_text", text: `rules${filler}` }] }]
  for (let n = 0; n < calls; n++) {
    const turn = `turn-${Math.floor(n / 10)}`
    const ctx = { ...at, codex_turn_id: turn }
    if (n % 10 === 0) w.appendWithContext(ctx, { type: "codex_turn_started", codex_turn_id: turn, thread_id: T0 })
    history = [...history, user(`step ${n}${filler}`)]
    const id = `inf-${n}`
    w.appendWithContext(ctx, {
      type: "inference_started",
      inference_call_id: id,
      thread_id: T0,
      codex_turn_id: turn,
      model: "gpt-x",
      provider_name: "openai",
      request_payload: w.writeJsonPayload("inference_request", { model: "gpt-x", input: history })
    })
    const tool = `call-${n}`
    const output = [
      { type: "reasoning", summary: [{ type: "summary_text", text: `why ${n}` }], encrypted_content: `enc-${n}` },
      say(`answer ${n}${filler}`),
      call(tool)
    ]
    const usage = { input_tokens: 100 * n, cached_input_tokens: 50 * n, output_tokens: 20, reasoning_output_tokens: 5, total_tokens: 100 * n + 20 }
    w.appendWithContext(ctx, {
      type: "inference_completed",
      inference_call_id: id,
      response_id: `resp-${n}`,
      upstream_request_id: null,
      response_payload: w.writeJsonPayload("inference_response", {
        response_id: `resp-${n}`,
        upstream_request_id: null,
        token_usage: usage,
        output_items: output
      })
    })
    const invocation = w.writeJsonPayload("tool_invocation", {
      tool_name: "exec_command",
      tool_namespace: null,
      payload: { type: "function", arguments: JSON.stringify({ cmd: `ls ${tool}` }) }
    })
    w.appendWithContext(ctx, {
      type: "tool_call_started",
      tool_call_id: tool,
      model_visible_call_id: tool,
      requester: { type: "model" },
      kind: { type: "exec_command" },
      summary: { type: "generic", label: "exec_command" },
      invocation_payload: invocation
    })
    w.appendWithContext(ctx, {
      type: "tool_call_runtime_started",
      tool_call_id: tool,
      runtime_payload: w.writeJsonPayload("tool_runtime_event", { process_id: String(n), command: ["bash", "-lc", "ls"], cwd: "/w" })
    })
    w.appendWithContext(ctx, {
      type: "tool_call_runtime_ended",
      tool_call_id: tool,
      status: "completed",
      runtime_payload: w.writeJsonPayload("tool_runtime_event", { process_id: String(n), stdout: filler, stderr: "", exit_code: 0, formatted_output: filler })
    })
    w.appendWithContext(ctx, {
      type: "tool_call_ended",
      tool_call_id: tool,
      status: "completed",
      result_payload: w.writeJsonPayload("tool_result", { type: "direct_response", response_item: out(tool, filler) })
    })
    history = [...history, ...output, out(tool, filler)]
    if (n % 10 === 9) w.appendWithContext(ctx, { type: "codex_turn_ended", codex_turn_id: turn, status: "completed" })
  }
  w.append({ type: "thread_ended", thread_id: T0, status: "completed" })
  w.append({ type: "rollout_ended", status: "completed" })
  w.close()
  fs.writeFileSync(path.join(dir, ".done"), "")
  return dir
}

const bare = (dir) => {
  let n = 0
  for (const line of fs.readFileSync(path.join(dir, "trace.jsonl"), "utf8").split("\n")) if (line.length > 0) n += JSON.parse(line) === null ? 0 : 1
  for (const f of fs.readdirSync(path.join(dir, "payloads"))) n += JSON.parse(fs.readFileSync(path.join(dir, "payloads", f), "utf8")) === null ? 0 : 1
  return n
}

const read = async (dir) => {
  const r = await TraceBundle.read(Files.node, dir)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const reduce = (b) => {
  const r = RolloutTrace.reduce({ manifest: b.manifest, lines: b.lines, payload: TraceBundle.payloadSource(b) })
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

export const run = async ({ quick }) => {
  const calls = quick ? 100 : 400
  const dir = bundle(calls)
  const bytes = fs
    .readdirSync(path.join(dir, "payloads"))
    .reduce((n, f) => n + fs.statSync(path.join(dir, "payloads", f)).size, fs.statSync(path.join(dir, "trace.jsonl")).size)
  const loaded = await read(dir)
  const graph = reduce(loaded)
  const times = await best(quick ? 2 : 3, {
    bare: () => bare(dir),
    read: () => read(dir),
    reduce: () => reduce(loaded),
    "read + reduce": async () => reduce(await read(dir))
  })
  const rows = Object.entries(times).map(([name, s]) => [name, s.toFixed(3), (s / times.bare).toFixed(2)])
  report(
    `trace: ${calls} inference calls, ${graph.conversation_items.size} conversation items, ${mb(bytes)} MB bundle (seconds; ratio to the bare read + JSON.parse of every file)`,
    ["case", "s", "× bare"],
    rows
  )
}
