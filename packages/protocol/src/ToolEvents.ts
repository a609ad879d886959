/**
 * Tool-call events of the EventMsg family: shell commands (`exec_command_*`, `terminal_interaction`),
 * `apply_patch` (`patch_apply_*`, `turn_diff`), MCP calls, web search, image generation and viewing,
 * and client-side dynamic tools. Legacy-mode rollouts persist only the `*_end` events of patches,
 * MCP calls, web searches and image generation; G2 Extended mode persisted more. The model-facing
 * call and output are `response_item` lines; these are the UI copies.
 */
import { Schema } from "effect"
import { Duration } from "./Duration.js"
import * as Wire from "./Wire.js"

/** A parsed shell command; the null-able fields are always written by current Codex. */
export const ParsedCommand = Schema.Union([
  Wire.tagged("read", { cmd: Schema.String, name: Schema.String, path: Schema.String }),
  Wire.tagged("list_files", { cmd: Schema.String, path: Schema.optionalKey(Schema.NullOr(Schema.String)) }),
  Wire.tagged("search", {
    cmd: Schema.String,
    query: Schema.optionalKey(Schema.NullOr(Schema.String)),
    path: Schema.optionalKey(Schema.NullOr(Schema.String))
  }),
  Wire.tagged("unknown", { cmd: Schema.String })
])
export type ParsedCommand = typeof ParsedCommand.Type

export const ExecCommandSource = Schema.Literals(["agent", "user_shell", "unified_exec_startup", "unified_exec_interaction"])
export const ToolStatus = Schema.Literals(["completed", "failed", "declined"])

/**
 * Fields shared by `exec_command_begin` / `_end` up to `turn_id`. `cwd` is a `file://` URI from
 * G2.9 on and a native path before; both are kept as the string written.
 */
const execHead = {
  call_id: Schema.String,
  plugin_id: Schema.optionalKey(Schema.String),
  script_path: Schema.optionalKey(Schema.String),
  process_id: Schema.optionalKey(Schema.String),
  turn_id: Schema.String
}
const execCommand = {
  command: Schema.Array(Schema.String),
  cwd: Schema.String,
  parsed_cmd: Schema.Array(ParsedCommand),
  // Read default `agent`, not applied.
  source: Schema.optionalKey(ExecCommandSource),
  interaction_input: Schema.optionalKey(Schema.String)
}

export const ExecCommandBegin = Wire.tagged("exec_command_begin", {
  ...execHead,
  started_at_ms: Schema.optionalKey(Wire.Int),
  ...execCommand
})

/** G3 drops `stdout`, `stderr` and `formatted_output`, so they are optional. */
export const ExecCommandEnd = Wire.tagged("exec_command_end", {
  ...execHead,
  completed_at_ms: Schema.optionalKey(Wire.Int),
  ...execCommand,
  stdout: Schema.optionalKey(Schema.String),
  stderr: Schema.optionalKey(Schema.String),
  aggregated_output: Schema.optionalKey(Schema.String),
  exit_code: Wire.Int,
  duration: Duration,
  formatted_output: Schema.optionalKey(Schema.String),
  status: ToolStatus
})

/** `chunk` is base64 of the raw bytes. */
export const ExecCommandOutputDelta = Wire.tagged("exec_command_output_delta", {
  call_id: Schema.String,
  stream: Schema.Literals(["stdout", "stderr"]),
  chunk: Schema.String
})

export const TerminalInteraction = Wire.tagged("terminal_interaction", {
  call_id: Schema.String,
  process_id: Schema.String,
  stdin: Schema.String
})

/** One file of a patch. */
export const FileChange = Schema.Union([
  Wire.tagged("add", { content: Schema.String }),
  Wire.tagged("delete", { content: Schema.String }),
  Wire.tagged("update", { unified_diff: Schema.String, move_path: Schema.optionalKey(Schema.NullOr(Schema.String)) })
])
export type FileChange = typeof FileChange.Type

/** Path → change. A hash map in Codex: key order is not stable, the order read is kept. */
export const FileChanges = Schema.Record(Schema.String, FileChange)

export const PatchApplyBegin = Wire.tagged("patch_apply_begin", {
  call_id: Schema.String,
  turn_id: Schema.optionalKey(Schema.String),
  auto_approved: Schema.Boolean,
  changes: FileChanges
})

export const PatchApplyUpdated = Wire.tagged("patch_apply_updated", { call_id: Schema.String, changes: FileChanges })

/** `turn_id` (read default `""`) and `changes` (read default `{}`) are kept absent when missing. */
export const PatchApplyEnd = Wire.tagged("patch_apply_end", {
  call_id: Schema.String,
  turn_id: Schema.optionalKey(Schema.String),
  stdout: Schema.String,
  stderr: Schema.String,
  success: Schema.Boolean,
  changes: Schema.optionalKey(FileChanges),
  status: ToolStatus
})

export const TurnDiff = Wire.tagged("turn_diff", { unified_diff: Schema.String })

/** `arguments` is any JSON (or null), kept as parsed. */
export const McpInvocation = Wire.struct({
  server: Schema.String,
  tool: Schema.String,
  arguments: Schema.optionalKey(Wire.Json)
})

/** 🐪 An MCP tool result: `structuredContent`, `isError`, `_meta`; content blocks opaque. */
export const CallToolResult = Wire.struct({
  content: Schema.Array(Wire.Json),
  structuredContent: Schema.optionalKey(Wire.Json),
  isError: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  _meta: Schema.optionalKey(Wire.Json)
})

/** A Rust `Result` as serde writes it: capitalised `Ok` / `Err` keys. */
export const McpResult = Schema.Union([Wire.struct({ Ok: CallToolResult }), Wire.struct({ Err: Schema.String })])

const mcpFields = {
  call_id: Schema.String,
  // G3 only (read default `""`).
  turn_id: Schema.optionalKey(Schema.String),
  invocation: McpInvocation,
  connector_id: Schema.optionalKey(Schema.String),
  mcp_app_resource_uri: Schema.optionalKey(Schema.String),
  // 🐪 G3: {"resourceUri","preferredModelDisplayMode"}.
  mcp_app_ui: Schema.optionalKey(Wire.Json),
  link_id: Schema.optionalKey(Schema.String),
  app_name: Schema.optionalKey(Schema.String),
  action_name: Schema.optionalKey(Schema.String),
  plugin_id: Schema.optionalKey(Schema.String),
  read_only_hint: Schema.optionalKey(Schema.Boolean)
}
export const McpToolCallBegin = Wire.tagged("mcp_tool_call_begin", mcpFields)
export const McpToolCallEnd = Wire.tagged("mcp_tool_call_end", { ...mcpFields, duration: Duration, result: McpResult })

export const WebSearchBegin = Wire.tagged("web_search_begin", { call_id: Schema.String })

/** `action` is a WebSearchAction (ResponseItem.ts) and `results` an opaque array; both kept as parsed. */
export const WebSearchEnd = Wire.tagged("web_search_end", {
  call_id: Schema.String,
  query: Schema.String,
  action: Wire.Json,
  results: Schema.optionalKey(Wire.Json)
})

export const ImageGenerationBegin = Wire.tagged("image_generation_begin", { call_id: Schema.String })

/** `result` is the base64 image; `transparent_background` is kept as written. */
export const ImageGenerationEnd = Wire.tagged("image_generation_end", {
  call_id: Schema.String,
  status: Schema.String,
  revised_prompt: Schema.optionalKey(Schema.String),
  result: Schema.String,
  transparent_background: Schema.optionalKey(Wire.Json),
  saved_path: Schema.optionalKey(Schema.String)
})

/** `path`: a `file://` URI from G2.9 on, a native path before. */
export const ViewImageToolCall = Wire.tagged("view_image_tool_call", { call_id: Schema.String, path: Schema.String })

/**
 * 🐪 camelCase island. `namespace` is always written (null-able) by current Codex; G2 lines lack
 * it, as they lack `startedAtMs` (read default 0, not applied).
 */
export const DynamicToolCallRequest = Wire.tagged("dynamic_tool_call_request", {
  callId: Schema.String,
  turnId: Schema.String,
  startedAtMs: Schema.optionalKey(Wire.Int),
  namespace: Schema.optionalKey(Schema.NullOr(Schema.String)),
  tool: Schema.String,
  arguments: Wire.Json
})

/** 🐪 content item tags inside an otherwise snake_case event. */
export const DynamicToolContentItem = Schema.Union([
  Wire.tagged("inputText", { text: Schema.String }),
  Wire.tagged("inputImage", { imageUrl: Schema.String }),
  Wire.tagged("inputAudio", { audioUrl: Schema.String })
])

export const DynamicToolCallResponse = Wire.tagged("dynamic_tool_call_response", {
  call_id: Schema.String,
  turn_id: Schema.String,
  completed_at_ms: Schema.optionalKey(Wire.Int),
  namespace: Schema.optionalKey(Schema.NullOr(Schema.String)),
  tool: Schema.String,
  arguments: Wire.Json,
  content_items: Schema.Array(DynamicToolContentItem),
  success: Schema.Boolean,
  error: Schema.optionalKey(Schema.NullOr(Schema.String)),
  duration: Duration
})

export const members = [
  ExecCommandBegin,
  ExecCommandEnd,
  ExecCommandOutputDelta,
  TerminalInteraction,
  PatchApplyBegin,
  PatchApplyUpdated,
  PatchApplyEnd,
  TurnDiff,
  McpToolCallBegin,
  McpToolCallEnd,
  WebSearchBegin,
  WebSearchEnd,
  ImageGenerationBegin,
  ImageGenerationEnd,
  ViewImageToolCall,
  DynamicToolCallRequest,
  DynamicToolCallResponse
] as const
