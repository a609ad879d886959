/**
 * Multi-agent v2 tools: `spawn_agent`, `send_message`, `followup_task`, `interrupt_agent`. Each
 * child is its own thread and rollout (`session_meta.source` = `subagent.thread_spawn` with the
 * canonical agent path `/root/<name>`), sharing the parent's model client and session budget. Each
 * successful call records one `sub_agent_activity` event in the parent (`event_id` = the call id,
 * kind `started` / `interacted` / `interrupted`). An interrupted agent is not final: a later
 * message or follow-up starts a new turn in it.
 *
 * For a reproducible order of lines across threads, `spawn_agent` returns once the child's turn has
 * started (its first lines are written), `followup_task` waits for the agent to be idle and returns
 * once its new turn has started, and `interrupt_agent` returns once the child's turn has ended.
 * `send_message` to a running agent goes to its mailbox, which the agent takes in only at a
 * model-call boundary, at the same point on replay (`Mailbox`).
 */
import * as AgentPath from "@rollout/protocol/AgentPath"
import type * as Thread from "../Thread.js"
import * as ThreadTrace from "./ThreadTrace.js"
import type * as Tool from "./Tool.js"

export interface Agents {
  /** Creates a child thread of `parent` (its id is the parent's next id) and starts its first turn. */
  readonly spawn: (parent: Thread.Thread, name: string, role: string | null, message: string) => Promise<Thread.Thread>
  /** The child thread at `path`, if it exists. */
  readonly find: (path: string) => Thread.Thread | undefined
  /** Posts `text` from `sender` to the agent's mailbox (running turn), or starts a new turn with it when it is idle. */
  readonly send: (sender: Thread.Thread, thread: Thread.Thread, text: string) => Promise<void>
  /** Waits until the agent is idle, then starts a new turn with `text` from `sender` (returns once it started). */
  readonly followup: (sender: Thread.Thread, thread: Thread.Thread, text: string) => Promise<void>
  readonly interrupt: (thread: Thread.Thread) => Promise<void>
}

const NAME = /^[a-z0-9_]+$/

/** Records the parent's `sub_agent_activity` line, and the same event as the tool's runtime end in the trace. */
const activity = async (parent: Thread.Thread, context: Tool.Context, child: Thread.Thread, kind: "started" | "interacted" | "interrupted") => {
  let payload: { readonly event_id: string; readonly [key: string]: unknown } | undefined
  await context.record((stamp) => {
    payload = { event_id: context.callId, occurred_at_ms: stamp, agent_thread_id: child.id, agent_path: child.agentPath, kind }
    return { type: "event_msg", payload: { type: "sub_agent_activity", ...payload } }
  })
  if (payload !== undefined) ThreadTrace.subAgentActivity(parent.trace, context.turnId, payload)
}

const resolve = (agents: Agents, parent: Thread.Thread, target: unknown): Thread.Thread | string => {
  if (typeof target !== "string" || target === "") return "target must be an agent path or name"
  const path = target.startsWith("/") ? target : `${parent.agentPath}/${target}`
  return agents.find(path) ?? `no agent at ${path}`
}

const spawnAgent = (agents: Agents, parent: Thread.Thread): Tool.Tool => ({
  name: "spawn_agent",
  description: "Start a sub-agent with its own thread. task_name becomes its agent path segment ([a-z0-9_]).",
  parameters: {
    type: "object",
    properties: { task_name: { type: "string" }, message: { type: "string" }, agent_type: { type: "string" } },
    required: ["task_name", "message"]
  },
  run: async (args, context) => {
    const name = args["task_name"]
    const message = args["message"]
    if (typeof name !== "string" || !NAME.test(name) || name === "root") return "spawn_agent: task_name must match [a-z0-9_]+ and not be root"
    if (typeof message !== "string" || message === "") return "spawn_agent: message must be a non-empty string"
    const path = `${parent.agentPath}/${name}`
    if (!AgentPath.isAgentPath(path)) return `spawn_agent: invalid agent path ${path}`
    if (agents.find(path) !== undefined) return `spawn_agent: an agent already exists at ${path}`
    const role = typeof args["agent_type"] === "string" ? args["agent_type"] : null
    const child = await agents.spawn(parent, name, role, message)
    await activity(parent, context, child, "started")
    return JSON.stringify({ agent_id: child.id, agent_path: child.agentPath })
  }
})

const sendMessage = (agents: Agents, parent: Thread.Thread): Tool.Tool => ({
  name: "send_message",
  description: "Send a message to a sub-agent (delivered into its running turn before its next model call, or starting a new turn).",
  parameters: { type: "object", properties: { target: { type: "string" }, message: { type: "string" } }, required: ["target", "message"] },
  run: async (args, context) => {
    const child = resolve(agents, parent, args["target"])
    if (typeof child === "string") return `send_message: ${child}`
    if (typeof args["message"] !== "string" || args["message"] === "") return "send_message: message must be a non-empty string"
    await agents.send(parent, child, args["message"])
    await activity(parent, context, child, "interacted")
    return JSON.stringify({ delivered: true })
  }
})

const followupTask = (agents: Agents, parent: Thread.Thread): Tool.Tool => ({
  name: "followup_task",
  description: "Give a sub-agent a follow-up task (a new turn once it is idle).",
  parameters: { type: "object", properties: { target: { type: "string" }, message: { type: "string" } }, required: ["target", "message"] },
  run: async (args, context) => {
    const child = resolve(agents, parent, args["target"])
    if (typeof child === "string") return `followup_task: ${child}`
    if (typeof args["message"] !== "string" || args["message"] === "") return "followup_task: message must be a non-empty string"
    await agents.followup(parent, child, args["message"])
    await activity(parent, context, child, "interacted")
    return JSON.stringify({ started: true })
  }
})

const interruptAgent = (agents: Agents, parent: Thread.Thread): Tool.Tool => ({
  name: "interrupt_agent",
  description: "Interrupt a sub-agent's running turn. The agent stays available for later messages.",
  parameters: { type: "object", properties: { target: { type: "string" } }, required: ["target"] },
  run: async (args, context) => {
    const child = resolve(agents, parent, args["target"])
    if (typeof child === "string") return `interrupt_agent: ${child}`
    await agents.interrupt(child)
    await activity(parent, context, child, "interrupted")
    return JSON.stringify({ interrupted: true })
  }
})

export const tools = (agents: Agents, parent: Thread.Thread): ReadonlyArray<Tool.Tool> => [
  spawnAgent(agents, parent),
  sendMessage(agents, parent),
  followupTask(agents, parent),
  interruptAgent(agents, parent)
]
