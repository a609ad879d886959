/**
 * The calls of `WorkLog`, one variant per kind a person tells apart: a command, a patch, a web
 * search, a plan, a sub-agent call, a message between agents, an error or warning, any other tool
 * (MCP tools included: Codex writes them as function calls named after server and tool). Read
 * from one response item each; the tool names are Codex's own.
 */
import type * as InterAgentCommunication from "@rollout/protocol/InterAgentCommunication"
import type * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as CommandText from "./CommandText.js"

export type Call =
  | { readonly _tag: "Command"; readonly id: string; readonly command: string; readonly cwd: string | null }
  | { readonly _tag: "Patch"; readonly id: string; readonly patch: string }
  | { readonly _tag: "WebSearch"; readonly id: string; readonly query: string }
  | { readonly _tag: "Plan"; readonly id: string; readonly explanation: string | null; readonly steps: ReadonlyArray<PlanStep> }
  | { readonly _tag: "Agent"; readonly id: string; readonly tool: string; readonly input: string }
  | { readonly _tag: "Message"; readonly id: string; readonly author: string; readonly recipient: string; readonly content: string }
  | { readonly _tag: "Tool"; readonly id: string; readonly name: string; readonly input: string }
  | { readonly _tag: "Notice"; readonly id: string; readonly level: "error" | "warning" | "retry"; readonly message: string }

export interface PlanStep {
  readonly step: string
  readonly status: string
}

/** A call with the place it goes (see `WorkLog.Anchor`). */
export type Placed = Call & { readonly anchor: { readonly turnId: string | null; readonly after: number } }

const COMMAND_TOOLS = new Set(["exec_command", "shell", "shell_command", "container.exec", "local_shell"])
const AGENT_TOOLS = new Set([
  "spawn_agent",
  "send_input",
  "send_message",
  "wait",
  "wait_agent",
  "close_agent",
  "resume_agent",
  "followup_task",
  "interrupt_agent"
])

const parseArgs = (text: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null)

/** `bash -lc SCRIPT` reads best as the script; any other argv as Codex joins it. */
const argvText = (argv: ReadonlyArray<string>): string => {
  const [shell, flag, script] = argv
  if (argv.length === 3 && shell !== undefined && /(^|\/)(ba|z|da)?sh$/.test(shell) && (flag === "-lc" || flag === "-c") && script !== undefined) return script
  return CommandText.join(argv)
}

const commandOf = (args: Record<string, unknown>): string | null => {
  const c = args["cmd"] ?? args["command"]
  if (typeof c === "string") return c
  return Array.isArray(c) && c.every((x) => typeof x === "string") ? argvText(c as ReadonlyArray<string>) : null
}

const planOf = (id: string, args: Record<string, unknown>): Call => {
  const raw = Array.isArray(args["plan"]) ? (args["plan"] as ReadonlyArray<Record<string, unknown>>) : []
  const steps = raw.map((p) => ({ step: str(p?.["step"]) ?? "", status: str(p?.["status"]) ?? "" }))
  return { _tag: "Plan", id, explanation: str(args["explanation"]), steps }
}

const functionCall = (i: Extract<ResponseItem.ResponseItem, { type: "function_call" }>): Call => {
  const name = i.namespace === undefined ? i.name : `${i.namespace}.${i.name}`
  const args = parseArgs(i.arguments)
  if (COMMAND_TOOLS.has(i.name)) {
    const command = commandOf(args)
    if (command !== null) return { _tag: "Command", id: i.call_id, command, cwd: str(args["workdir"]) }
  }
  if (i.name === "apply_patch") return { _tag: "Patch", id: i.call_id, patch: str(args["input"]) ?? str(args["patch"]) ?? i.arguments }
  if (i.name === "update_plan") return planOf(i.call_id, args)
  if (AGENT_TOOLS.has(i.name)) return { _tag: "Agent", id: i.call_id, tool: name, input: i.arguments }
  return { _tag: "Tool", id: i.call_id, name, input: i.arguments }
}

const webQuery = (a: ResponseItem.WebSearchAction | undefined): string => {
  if (a === undefined) return ""
  const o = a as { type: string; query?: string; queries?: ReadonlyArray<string>; url?: string; pattern?: string }
  if (o.query !== undefined) return o.query
  if (o.queries !== undefined) return o.queries.join(" · ")
  if (o.pattern !== undefined) return `${o.pattern} in ${o.url ?? ""}`
  return o.url ?? o.type
}

type WorkItem = Extract<
  ResponseItem.ResponseItem,
  { type: "function_call" | "custom_tool_call" | "local_shell_call" | "tool_search_call" | "web_search_call" | "image_generation_call" }
>

/** The call a response item makes; undefined when it names no call id to join a result to. */
export const fromItem = (i: WorkItem): Call | undefined => {
  switch (i.type) {
    case "function_call":
      return functionCall(i)
    case "custom_tool_call":
      return i.name === "apply_patch" ? { _tag: "Patch", id: i.call_id, patch: i.input } : { _tag: "Tool", id: i.call_id, name: i.name, input: i.input }
    case "local_shell_call": {
      const id = i.call_id ?? i.id
      return id === undefined || id === null ? undefined : { _tag: "Command", id, command: argvText(i.action.command), cwd: i.action.working_directory }
    }
    case "tool_search_call": {
      const id = i.call_id ?? i.id
      return id === undefined || id === null ? undefined : { _tag: "Tool", id, name: "tool_search", input: JSON.stringify(i.arguments) }
    }
    case "web_search_call":
      return i.id === undefined || i.id === null ? undefined : { _tag: "WebSearch", id: i.id, query: webQuery(i.action) }
    case "image_generation_call":
      return i.id === undefined || i.id === null ? undefined : { _tag: "Tool", id: i.id, name: "image_generation", input: i.revised_prompt ?? "" }
    default: {
      const unreachable: never = i
      return unreachable
    }
  }
}

/** A message one agent sent another (`n` makes an id for one that has none). */
export const message = (m: InterAgentCommunication.InterAgentCommunication, n: number): Call => ({
  _tag: "Message",
  id: m.id ?? `message-${n}`,
  author: m.author,
  recipient: m.recipient,
  content: m.content
})

/** The text of a tool output payload: a string, the text parts of content items, or the 2025 object. */
export const outputText = (output: unknown): string => {
  if (typeof output === "string") return output
  if (Array.isArray(output))
    return output
      .map((c: { type?: unknown; text?: unknown }) => (typeof c?.text === "string" ? c.text : c?.type === "input_image" ? "[image]" : ""))
      .filter((t) => t !== "")
      .join("\n")
  if (typeof output === "object" && output !== null) {
    const content = (output as { content?: unknown }).content
    return typeof content === "string" ? content : ""
  }
  return ""
}
