/**
 * TraceAgentActivity: the runtime payloads that tell the trace reducer one agent acted on another
 * (rollout-trace spec §4.11.2–§4.11.4): multi-agent v1 collab begin/end events (spawn, interaction,
 * close) and multi-agent v2 sub-agent activity, read into delivery proposals and close edges for
 * `TraceEdges`. Thread ids in these payloads are UUIDs and are re-printed in canonical form.
 */
import { isAgentPath } from "@rollout/protocol/AgentPath"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { closeEdge, queueOrResolve, toolProposal } from "./TraceEdges.js"
import { fail } from "./TraceError.js"
import { type Event, isRecord, type Mutable, readPayload, type State } from "./TraceState.js"

type Tool = Mutable<TraceGraph.ToolCall>

const HEX32 = /^[0-9a-fA-F]{32}$/
/** Thread ids in collab / sub-agent payloads are UUIDs, re-printed lowercase hyphenated (§4.12). */
const uuid = (v: unknown, what: string, P: string): string => {
  if (typeof v !== "string") return fail(`parse ${what} payload ${P}: missing thread id`)
  let hex = v
  if (hex.startsWith("urn:uuid:")) hex = hex.slice(9)
  if (hex.startsWith("{") && hex.endsWith("}")) hex = hex.slice(1, -1)
  const hyphenated = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(hex)
  const plain = hyphenated ? hex.replace(/-/g, "") : hex
  if (!HEX32.test(plain)) return fail(`parse ${what} payload ${P}: invalid UUID ${v}`)
  const h = plain.toLowerCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const requireFields = (p: unknown, what: string, P: string, strings: ReadonlyArray<string>, present: ReadonlyArray<string> = []): Record<string, unknown> => {
  if (!isRecord(p)) return fail(`parse ${what} payload ${P}: not an object`)
  for (const k of strings) if (typeof p[k] !== "string") fail(`parse ${what} payload ${P}: missing field ${k}`)
  for (const k of present) if (!(k in p)) fail(`parse ${what} payload ${P}: missing field ${k}`)
  return p
}

/** §4.11.2: collab interaction / close begin payloads. */
export const runtimeStarted = (s: State, tool: Tool, ref: TraceEvent.RawPayloadRef): void => {
  const P = ref.raw_payload_id
  const kind = tool.kind.type
  if (kind === "assign_agent_task" || kind === "send_message") {
    const p = requireFields(readPayload(s, ref), "collab interaction begin", P, ["call_id", "prompt"])
    uuid(p.sender_thread_id, "collab interaction begin", P)
    const receiver = uuid(p.receiver_thread_id, "collab interaction begin", P)
    queueOrResolve(s, toolProposal(s, tool, `edge:tool:${tool.tool_call_id}`, kind, receiver, p.prompt as string, null, null))
  } else if (kind === "close_agent") {
    const p = requireFields(readPayload(s, ref), "collab close begin", P, [])
    closeEdge(s, tool, uuid(p.receiver_thread_id, "collab close begin", P), null)
  }
}

/** §4.11.3: collab end payloads, and multi-agent v2 sub-agent activity (any tool kind). */
export const runtimeEnded = (s: State, tool: Tool, ref: TraceEvent.RawPayloadRef, e: Event): void => {
  const P = ref.raw_payload_id
  const payload = readPayload(s, ref)
  if (isRecord(payload) && "agent_thread_id" in payload) return subAgentActivity(s, tool, payload, P, e)
  const kind = tool.kind.type
  const at = e.wall_time_unix_ms
  if (kind === "spawn_agent") {
    const p = requireFields(payload, "collab spawn end", P, ["call_id", "prompt", "model", "reasoning_effort"], ["status"])
    const sender = uuid(p.sender_thread_id, "collab spawn end", P)
    if (p.new_thread_id === null || p.new_thread_id === undefined) return
    const child = uuid(p.new_thread_id, "collab spawn end", P)
    queueOrResolve(s, toolProposal(s, tool, `edge:spawn:${sender}:${child}`, "spawn_agent", child, p.prompt as string, at, child))
  } else if (kind === "assign_agent_task" || kind === "send_message") {
    const p = requireFields(payload, "collab interaction end", P, ["prompt"], ["status"])
    const receiver = uuid(p.receiver_thread_id, "collab interaction end", P)
    queueOrResolve(s, toolProposal(s, tool, `edge:tool:${tool.tool_call_id}`, kind, receiver, p.prompt as string, at, null))
  } else if (kind === "close_agent") {
    const p = requireFields(payload, "collab close end", P, [], ["status"])
    closeEdge(s, tool, uuid(p.receiver_thread_id, "collab close end", P), at)
  }
}

const ACTIVITY: Readonly<Record<string, string>> = { started: "Started", interacted: "Interacted", interrupted: "Interrupted" }

/** Rust's `Debug` spelling of a tool call kind, for the mismatch message. */
const debugKind = (k: TraceGraph.ToolCall["kind"]): string => {
  const camel = k.type.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())
  if (k.type === "mcp") return `Mcp { server: ${JSON.stringify(k.server)}, tool: ${JSON.stringify(k.tool)} }`
  if (k.type === "other") return `Other { name: ${JSON.stringify(k.name)} }`
  return camel
}

/** §4.11.4 */
const subAgentActivity = (s: State, tool: Tool, p: Record<string, unknown>, P: string, e: Event): void => {
  requireFields(p, "sub-agent activity", P, ["event_id", "agent_path", "kind"])
  if (!Number.isInteger(p.occurred_at_ms)) fail(`parse sub-agent activity payload ${P}: missing field occurred_at_ms`)
  const target = uuid(p.agent_thread_id, "sub-agent activity", P)
  if (!isAgentPath(p.agent_path as string)) fail(`parse sub-agent activity payload ${P}: invalid agent path ${String(p.agent_path)}`)
  const activity = ACTIVITY[p.kind as string] ?? fail(`parse sub-agent activity payload ${P}: unknown kind ${String(p.kind)}`)
  const kind = tool.kind.type
  const at = e.wall_time_unix_ms
  const pair = `${activity}/${kind}`
  if (pair === "Interrupted/close_agent") return closeEdge(s, tool, target, at)
  if (pair !== "Started/spawn_agent" && pair !== "Interacted/assign_agent_task" && pair !== "Interacted/send_message") {
    return fail(`sub-agent activity ${activity} does not match tool call kind ${debugKind(tool.kind)}`)
  }
  const content = invocationMessage(s, tool)
  const id = kind === "spawn_agent" ? `edge:spawn:${tool.thread_id}:${target}` : `edge:tool:${tool.tool_call_id}`
  queueOrResolve(s, toolProposal(s, tool, id, kind as TraceGraph.EdgeKind, target, content, at, kind === "spawn_agent" ? target : null))
}

/** The `message` argument of the tool's function invocation (what the delivery carries). */
const invocationMessage = (s: State, tool: Tool): string => {
  const id = tool.tool_call_id
  const P = tool.raw_invocation_payload_id ?? fail(`agent activity tool call ${id} missing invocation payload`)
  const ref = s.graph.raw_payloads.get(P) ?? fail(`agent activity tool call ${id} referenced missing invocation payload ${P}`)
  const inv = readPayload(s, ref)
  const args = isRecord(inv) && isRecord(inv.payload) ? inv.payload.arguments : undefined
  if (typeof args !== "string") return fail(`agent activity tool call ${id} missing function arguments`)
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    return fail(`parse agent activity tool call ${id} arguments`)
  }
  if (!isRecord(parsed) || typeof parsed.message !== "string") return fail(`parse agent activity tool call ${id} arguments`)
  return parsed.message
}
