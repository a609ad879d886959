/**
 * The events only a live thread feeds the history builder (thread-history spec §3.6, §3.9): exec
 * commands, guardian assessments, patch begin/approval, dynamic tool calls, MCP/web search/image
 * generation begins, image views and the multi-agent `collab_*` pairs. The persisted replay filters
 * them out (§2.3); `rollout history --all-events` and the live builder do not. Each maps to one
 * item and where it goes; the reducer (`ThreadHistory`) does the placing.
 */
import * as Duration from "@rollout/protocol/Duration"
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as CommandText from "./CommandText.js"
import type * as EventRoles from "../EventRoles.js"
import * as Items from "./ThreadHistoryItems.js"

type Item = ThreadItem.ThreadItem
type Collab = ThreadItem.Of<"collabAgentToolCall">
type AgentState = Collab["agentsStates"][string]

/** Where an item goes: upsert-current, upsert-by-turn(tid), or upsert-by-turn-or-current(tid). */
export type Placement =
  | { readonly _tag: "Current" }
  | { readonly _tag: "ByTurn"; readonly turnId: string }
  | { readonly _tag: "ByTurnOrCurrent"; readonly turnId: string | undefined }

export interface Placed {
  readonly placement: Placement
  readonly item: Item
}

const current: Placement = { _tag: "Current" }
const noTiming = { startedAtMs: null, completedAtMs: null } as const

export const agentState = (status: unknown): AgentState => {
  if (typeof status === "object" && status !== null) {
    if ("completed" in status) return { status: "completed", message: (status as { completed: string | null }).completed }
    if ("errored" in status) return { status: "errored", message: (status as { errored: string }).errored }
  }
  switch (status) {
    case "pending_init":
      return { status: "pendingInit", message: null }
    case "running":
      return { status: "running", message: null }
    case "interrupted":
      return { status: "interrupted", message: null }
    case "shutdown":
      return { status: "shutdown", message: null }
    default:
      return { status: "notFound", message: null }
  }
}

const failedState = (s: AgentState): boolean => s.status === "errored" || s.status === "notFound"

const collab = (e: { readonly call_id: string; readonly sender_thread_id: string }, tool: Collab["tool"], fields: Partial<Collab>): Collab => ({
  type: "collabAgentToolCall",
  id: e.call_id,
  tool,
  status: "inProgress",
  senderThreadId: e.sender_thread_id,
  receiverThreadIds: [],
  prompt: null,
  model: null,
  reasoningEffort: null,
  agentsStates: {},
  ...noTiming,
  ...fields
})

/** Begin/end of close, resume and interaction calls: one receiver, status from its state. */
const single = (
  e: { readonly call_id: string; readonly sender_thread_id: string; readonly receiver_thread_id: string; readonly status?: unknown },
  tool: Collab["tool"],
  prompt: string | null
): Collab => {
  const state = e.status === undefined ? undefined : agentState(e.status)
  return collab(e, tool, {
    receiverThreadIds: [e.receiver_thread_id],
    prompt,
    ...(state === undefined ? {} : { status: failedState(state) ? "failed" : "completed", agentsStates: { [e.receiver_thread_id]: state } })
  })
}

const fileChanges = (e: { readonly call_id: string; readonly changes: EventMsg.Of<"patch_apply_begin">["changes"] }, status: "inProgress"): Item => {
  return { type: "fileChange", id: e.call_id, changes: Items.fileChangeList(e.changes), status, ...noTiming }
}

const guardianStatus: Record<string, ThreadItem.Of<"commandExecution">["status"] | undefined> = {
  in_progress: "inProgress",
  denied: "declined",
  aborted: "declined",
  timed_out: "failed"
}

const guardian = (e: EventMsg.Of<"guardian_assessment">): Placed | undefined => {
  const raw = e as unknown as Record<string, unknown>
  const status = guardianStatus[String(raw["status"])]
  const target = e.target_item_id
  const action = raw["action"] as Record<string, unknown> | undefined
  if (status === undefined || target === undefined || target === null || action === undefined) return undefined
  let command: string
  let commandActions: ThreadItem.Of<"commandExecution">["commandActions"]
  const cwd = CommandText.filePath(String(action["cwd"] ?? ""))
  if (action["type"] === "command") {
    command = String(action["command"] ?? "")
    commandActions = [{ type: "unknown", command }]
  } else if (action["type"] === "execve") {
    const argv = ((action["argv"] as ReadonlyArray<string> | undefined) ?? []).slice()
    const program = String(action["program"] ?? "")
    if (argv.length === 0) argv.push(program)
    else argv[0] = program
    command = CommandText.join(argv)
    commandActions = [{ type: "unknown", command }]
  } else return undefined
  const turnId = typeof raw["turn_id"] === "string" ? (raw["turn_id"] as string) : undefined
  return {
    placement: { _tag: "ByTurnOrCurrent", turnId },
    item: {
      type: "commandExecution",
      id: target,
      pluginId: typeof raw["plugin_id"] === "string" ? (raw["plugin_id"] as string) : null,
      scriptPath: typeof raw["script_path"] === "string" ? (raw["script_path"] as string) : null,
      command,
      cwd,
      processId: null,
      source: "agent",
      status,
      commandActions,
      aggregatedOutput: null,
      exitCode: null,
      durationMs: null,
      ...noTiming
    }
  }
}

const dynamicRequest = (e: EventMsg.Of<"dynamic_tool_call_request">): Item => ({
  type: "dynamicToolCall",
  id: e.callId,
  namespace: e.namespace ?? null,
  tool: e.tool,
  arguments: e.arguments,
  status: "inProgress",
  contentItems: null,
  success: null,
  durationMs: null,
  ...noTiming
})

const dynamicResponse = (e: EventMsg.Of<"dynamic_tool_call_response">): Item => ({
  type: "dynamicToolCall",
  id: e.call_id,
  namespace: e.namespace ?? null,
  tool: e.tool,
  arguments: e.arguments,
  status: e.success ? "completed" : "failed",
  contentItems: e.content_items,
  success: e.success,
  durationMs: Duration.toMillis(e.duration),
  ...noTiming
})

const mcpBegin = (e: EventMsg.Of<"mcp_tool_call_begin">): Item =>
  Items.mcpToolCallItem(e, { status: "inProgress", result: null, error: null, durationMs: null })

const spawnEnd = (e: EventMsg.Of<"collab_agent_spawn_end">): Collab => {
  const state = agentState(e.status)
  const id = e.new_thread_id
  return collab(e, "spawnAgent", {
    status: failedState(state) || id === null ? "failed" : "completed",
    receiverThreadIds: id === null ? [] : [id],
    agentsStates: id === null ? {} : { [id]: state },
    prompt: e.prompt,
    model: e.model,
    reasoningEffort: e.reasoning_effort
  })
}

const waitEnd = (e: EventMsg.Of<"collab_waiting_end">): Collab => {
  const ids = Object.keys(e.statuses).sort()
  const states = Object.fromEntries(ids.map((id) => [id, agentState(e.statuses[id])]))
  return collab(e, "wait", { status: Object.values(states).some(failedState) ? "failed" : "completed", receiverThreadIds: ids, agentsStates: states })
}

/** The item a live-only event makes and where it goes (`undefined`: a guardian assessment it cannot place). */
export const placed = (e: EventMsg.Of<EventRoles.Where<"history", "live">>): Placed | undefined => {
  switch (e.type) {
    case "exec_command_begin":
    case "exec_command_end":
      return {
        placement: { _tag: "ByTurn", turnId: e.turn_id },
        item: CommandText.commandExecution({ ...(e as unknown as Record<string, unknown>), id: e.call_id })
      }
    case "guardian_assessment":
      return guardian(e)
    case "patch_apply_begin":
      return { placement: { _tag: "ByTurnOrCurrent", turnId: e.turn_id }, item: fileChanges(e, "inProgress") }
    case "apply_patch_approval_request": {
      const raw = e as unknown as { call_id: string; turn_id?: string | null; changes?: EventMsg.Of<"patch_apply_begin">["changes"] }
      return {
        placement: { _tag: "ByTurnOrCurrent", turnId: raw.turn_id ?? undefined },
        item: fileChanges({ call_id: raw.call_id, changes: raw.changes ?? {} }, "inProgress")
      }
    }
    case "dynamic_tool_call_request":
      return { placement: { _tag: "ByTurnOrCurrent", turnId: e.turnId }, item: dynamicRequest(e) }
    case "dynamic_tool_call_response":
      return { placement: { _tag: "ByTurnOrCurrent", turnId: e.turn_id }, item: dynamicResponse(e) }
    case "mcp_tool_call_begin":
      return { placement: current, item: mcpBegin(e) }
    case "web_search_begin":
      return { placement: current, item: { type: "webSearch", id: e.call_id, query: "", action: null, results: null, ...noTiming } }
    case "image_generation_begin":
      return {
        placement: current,
        item: {
          type: "imageGeneration",
          id: e.call_id,
          status: "",
          revisedPrompt: null,
          result: "",
          transparentBackground: null,
          ...Items.imageGenerationTail(null, undefined, null)
        }
      }
    case "view_image_tool_call":
      return { placement: current, item: { type: "imageView", id: e.call_id, path: CommandText.filePath(e.path), ...noTiming } }
    case "collab_agent_spawn_begin":
      return { placement: current, item: collab(e, "spawnAgent", { prompt: e.prompt, model: e.model, reasoningEffort: e.reasoning_effort }) }
    case "collab_agent_spawn_end":
      return { placement: current, item: spawnEnd(e) }
    case "collab_agent_interaction_begin":
    case "collab_agent_interaction_end":
      return { placement: current, item: single(e, "sendInput", e.prompt) }
    case "collab_waiting_begin":
      return { placement: current, item: collab(e, "wait", { receiverThreadIds: e.receiver_thread_ids }) }
    case "collab_waiting_end":
      return { placement: current, item: waitEnd(e) }
    case "collab_close_begin":
    case "collab_close_end":
      return { placement: current, item: single(e, "closeAgent", null) }
    case "collab_resume_begin":
    case "collab_resume_end":
      return { placement: current, item: single(e, "resumeAgent", null) }
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}
