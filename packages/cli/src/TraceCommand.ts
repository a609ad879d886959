/**
 * `rollout trace BUNDLE_DIR [--json]`: replays a Codex rollout-trace bundle (`manifest.json`,
 * `trace.jsonl`, `payloads/`) into the reduced graph Codex's `codex debug trace-reduce` writes as
 * `state.json`. With --json it prints that graph (pretty, keys in Codex's order); without, a
 * readable summary: the agent tree, what each thread ran, and the edges between threads. A
 * missing directory is unreadable input (exit 2); a bundle that cannot be replayed is invalid
 * input (exit 1) with Codex's message.
 */
import * as nodePath from "node:path"
import { Effect, Result } from "effect"
import { Argument, Command } from "effect/cli"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { InvalidInput, UnreadableInput } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"

const bundle = Argument.String("BUNDLE_DIR").pipe(
  Argument.withDescription("A rollout-trace bundle directory (trace-<trace_id>-<thread_id> under $CODEX_ROLLOUT_TRACE_ROOT).")
)

export const command = Command.make("trace", { bundle, json: Flags.json }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    const files = yield* Files.Files
    const dir = nodePath.resolve(args.bundle)
    // A folder with neither a manifest nor an event log is no bundle at all (nothing to read, exit
    // 2): say what one holds. A bundle missing one of them is damaged and gets Codex's message.
    const has = (name: string) =>
      Effect.promise(() =>
        files.stat(nodePath.join(dir, name)).then(
          () => true,
          () => false
        )
      )
    const isDir = yield* Effect.promise(() =>
      files.stat(dir).then(
        (s) => s.kind === "directory",
        () => false
      )
    )
    if (isDir && !(yield* has(TraceBundle.MANIFEST)) && !(yield* has(TraceBundle.EVENT_LOG)))
      return yield* new UnreadableInput({
        message: `${args.bundle} is not a rollout-trace bundle: no ${TraceBundle.MANIFEST} in it (a bundle holds manifest.json, trace.jsonl and payloads/)`
      })
    const read = yield* Effect.promise(() => TraceBundle.read(files, dir))
    if (Result.isFailure(read)) {
      const e = read.failure
      return yield* e._tag === "BundleNotFound" ? new UnreadableInput({ message: e.message }) : new InvalidInput({ message: e.message })
    }
    const b = read.success
    const reduced = RolloutTrace.reduce({ manifest: b.manifest, lines: b.lines, payload: TraceBundle.payloadSource(b) })
    if (Result.isFailure(reduced)) return yield* new InvalidInput({ message: `${args.bundle}: ${reduced.failure.message}` })
    output.stdout(args.json ? `${TraceGraph.toJson(reduced.success)}\n` : summary(reduced.success))
  })
).pipe(
  Command.withShortDescription("Reduce a rollout-trace bundle as Codex writes state.json"),
  Command.withDescription(
    "Replay a rollout-trace bundle (manifest.json, trace.jsonl, payloads/) into the reduced graph Codex writes as state.json: threads, turns, conversation items, inference and tool calls, code cells, terminals, compactions and spawn / task / message / result / close edges between agents. With --json: that graph; without, a summary."
  ),
  Command.withExamples([{ command: "rollout trace /tmp/traces/trace-6f1c…-019d… --json", description: "the reduced trace as JSON" }])
)

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const anchor = (t: TraceGraph.RolloutTrace, a: TraceGraph.TraceAnchor): string => {
  switch (a.type) {
    case "thread":
      return t.threads.get(a.thread_id)?.agent_path ?? a.thread_id
    case "tool_call": {
      const tool = t.tool_calls.get(a.tool_call_id)
      const who = tool === undefined ? "" : `${t.threads.get(tool.thread_id)?.agent_path ?? tool.thread_id} `
      return `${who}tool ${a.tool_call_id}`
    }
    case "conversation_item": {
      const item = t.conversation_items.get(a.item_id)
      const where = item === undefined ? "" : `${t.threads.get(item.thread_id)?.agent_path ?? item.thread_id} `
      return `${where}${a.item_id}`
    }
    default: {
      const never: never = a
      return never
    }
  }
}

const summary = (t: TraceGraph.RolloutTrace): string => {
  // Schema 2 graphs say whether the recorder finished (wrote `recording_completed`).
  const incomplete = t.recording_complete === false ? "  (recording incomplete)" : ""
  const out: Array<string> = [`trace ${t.trace_id}  rollout ${t.rollout_id}  ${t.status}${incomplete}`, ""]
  for (const id of TraceGraph.sortedKeys(t.threads)) {
    const th = t.threads.get(id)
    if (th === undefined) continue
    const of = <V extends { readonly thread_id: string }>(m: ReadonlyMap<string, V>) => [...m.values()].filter((v) => v.thread_id === id)
    const calls = of(t.inference_calls)
    const tokens = calls.reduce((n, c) => n + (c.usage === null ? 0 : c.usage.input_tokens + c.usage.output_tokens), 0)
    const tools = new Map<string, number>()
    for (const tool of of(t.tool_calls)) {
      const k = tool.kind.type === "other" ? tool.kind.name : tool.kind.type
      tools.set(k, (tools.get(k) ?? 0) + 1)
    }
    const nick = th.nickname === null ? "" : ` (${th.nickname})`
    const origin = th.origin.type === "spawned" ? `  spawned by ${t.threads.get(th.origin.parent_thread_id)?.agent_path ?? th.origin.parent_thread_id}` : ""
    out.push(`${th.agent_path}${nick}  ${id}  ${th.execution.status}${origin}`)
    out.push(
      `  ${plural(of(t.codex_turns).length, "turn")}, ${plural(calls.length, "inference call")} (${tokens} tokens), ${plural(th.conversation_item_ids.length, "conversation item")}, ${plural(of(t.compactions).length, "compaction")}, ${plural(of(t.code_cells).length, "code cell")}`
    )
    if (tools.size > 0) out.push(`  tools: ${[...tools].map(([k, n]) => `${k} ×${n}`).join(", ")}`)
  }
  if (t.interaction_edges.size > 0) {
    out.push("", "edges:")
    for (const id of TraceGraph.sortedKeys(t.interaction_edges)) {
      const e = t.interaction_edges.get(id)
      if (e !== undefined) out.push(`  ${e.kind.padEnd(17)} ${anchor(t, e.source)} → ${anchor(t, e.target)}`)
    }
  }
  out.push(
    "",
    `${plural(t.threads.size, "thread")}, ${plural(t.tool_calls.size, "tool call")}, ${plural(t.terminal_operations.size, "terminal operation")}, ${plural(t.raw_payloads.size, "payload")}`
  )
  return `${out.join("\n")}\n`
}
