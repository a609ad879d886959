/**
 * How one rollout event becomes one app-server v2 ThreadItem (thread-history spec §1.3, §3.6,
 * §3.8): pure mappings from snake_case event payloads to camelCase items, fields in Codex's
 * order. Placement (which turn, which id counter) is the reducer's concern, not this module's.
 */
import * as Duration from "@rollout/protocol/Duration"
import type * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import type * as EventMsg from "@rollout/protocol/EventMsg"
import * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as TurnItem from "@rollout/protocol/TurnItem"

type Item = ThreadItem.ThreadItem
const noTiming = { startedAtMs: null, completedAtMs: null } as const

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/**
 * Core snake_case CodexErrorInfo → v2 camelCase (`server_overloaded` → `serverOverloaded`), through
 * v2's closed enum: a value it does not list (`invalid_prompt`, an unknown object) is `other`.
 */
export const errorInfo = (info: CodexErrorInfo.CodexErrorInfo | null | undefined): unknown => {
  if (info === null || info === undefined) return null
  if (typeof info === "string") {
    // The budget variant's two-hour first name (`rollout_budget_exceeded`) is not in v2's enum:
    // Codex 0.171 answers `other` for it (seen), so thread/read does too; stats normalise it.
    const name = camel(info)
    return ThreadItem.CodexErrorInfoUnits.has(name) ? name : "other"
  }
  const entries = Object.entries(info as Record<string, unknown>)
  if (entries.length !== 1 || !ThreadItem.CodexErrorInfoData.has(camel(entries[0]?.[0] ?? ""))) return "other"
  const out: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    const inner: Record<string, unknown> = {}
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) inner[camel(k)] = typeof v === "string" && k === "turn_kind" ? camel(v) : v
    }
    out[camel(key)] = inner
  }
  return out
}

export const turnError = (e: CodexErrorInfo.ErrorEvent): ThreadItem.TurnError => ({
  message: e.message,
  codexErrorInfo: errorInfo(e.codex_error_info),
  additionalDetails: null,
  misalignment: null
})

export const userMessage = (id: string, e: EventMsg.Of<"user_message">): ThreadItem.Of<"userMessage"> => {
  const content: Array<ThreadItem.UserInput> = []
  if (e.message.trim() !== "") {
    content.push({
      type: "text",
      text: e.message,
      text_elements: (e.text_elements ?? []).map((t) => ({
        byteRange: { start: t.byte_range.start, end: t.byte_range.end },
        placeholder: t.placeholder
      }))
    })
  }
  ;(e.images ?? []).forEach((url, i) => content.push({ type: "image", url, detail: detail(e.image_details?.[i]) }))
  ;(e.local_images ?? []).forEach((path, i) =>
    // Codex 0.169 writes `detail` before `path` here (seen in the app-server's answers).
    content.push({ type: "localImage", detail: detail(e.local_image_details?.[i]), path })
  )
  for (const url of e.audio ?? []) content.push({ type: "audio", url })
  for (const path of e.local_audio ?? []) content.push({ type: "localAudio", path })
  return { type: "userMessage", id, clientId: e.client_id ?? null, content, ...noTiming }
}

const details: ReadonlySet<string> = new Set(["auto", "low", "high", "original"])
const detail = (d: string | null | undefined): "auto" | "low" | "high" | "original" | null =>
  d !== null && d !== undefined && details.has(d) ? (d as "auto") : null

export const agentMessage = (id: string, e: EventMsg.Of<"agent_message">): ThreadItem.Of<"agentMessage"> => ({
  type: "agentMessage",
  moderation: null,
  id,
  text: e.message,
  phase: e.phase === "commentary" || e.phase === "final_answer" ? e.phase : null,
  memoryCitation:
    e.memory_citation === null || e.memory_citation === undefined ? null : { entries: e.memory_citation.entries, threadIds: e.memory_citation.rolloutIds },
  delivery: e.delivery ?? null,
  questions: e.questions ?? null,
  ...noTiming
})

export const reasoning = (id: string, text: string, raw: boolean): ThreadItem.Of<"reasoning"> => ({
  type: "reasoning",
  id,
  summary: raw ? [] : [text],
  content: raw ? [text] : [],
  ...noTiming
})

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

type Changes = EventMsg.Of<"patch_apply_begin">["changes"]

/** A patch's changes as v2 lists them: by path in byte order, a move noted after its diff. */
export const fileChangeList = (changes: Changes): ThreadItem.Of<"fileChange">["changes"] =>
  Object.entries(changes)
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([path, change]) => {
      switch (change.type) {
        case "add":
        case "delete":
          return { path, kind: { type: change.type }, diff: change.content }
        case "update": {
          const move = change.move_path ?? null
          return {
            path,
            kind: { type: "update" as const, move_path: move },
            diff: move === null ? change.unified_diff : `${change.unified_diff}\n\nMoved to: ${move}`
          }
        }
      }
    })

export const fileChange = (e: EventMsg.Of<"patch_apply_end">): ThreadItem.Of<"fileChange"> => ({
  type: "fileChange",
  id: e.call_id,
  changes: fileChangeList(e.changes ?? {}),
  status: e.status,
  ...noTiming
})

/**
 * `mcpToolCall.environmentId` (Codex 0.171: the MCP server's registration scope, placed after
 * `server`). Every file 0.171 was asked about answers null; a rollout value, if one is ever
 * written as `environment_id`, is passed through.
 */
export const environmentId = (e: object): string | null => {
  const v = (e as { readonly environment_id?: unknown }).environment_id
  return typeof v === "string" ? v : null
}

type McpCall = ThreadItem.Of<"mcpToolCall">

/** The outcome fields of an MCP call item: in progress at the begin event, settled at the end. */
export interface McpOutcome {
  readonly status: McpCall["status"]
  readonly result: McpCall["result"]
  readonly error: McpCall["error"]
  readonly durationMs: number | null
}

/** The `mcpToolCall` item of a begin or end event, fields in Codex's order. */
export const mcpToolCallItem = (e: EventMsg.Of<"mcp_tool_call_begin"> | EventMsg.Of<"mcp_tool_call_end">, outcome: McpOutcome): McpCall => ({
  type: "mcpToolCall",
  id: e.call_id,
  server: e.invocation.server,
  environmentId: environmentId(e),
  tool: e.invocation.tool,
  status: outcome.status,
  arguments: e.invocation.arguments ?? null,
  appContext:
    e.connector_id === undefined
      ? null
      : {
          connectorId: e.connector_id,
          linkId: e.link_id ?? null,
          resourceUri: e.mcp_app_resource_uri ?? null,
          appName: e.app_name ?? null,
          actionName: e.action_name ?? null
        },
  ...(e.mcp_app_resource_uri === undefined ? {} : { mcpAppResourceUri: e.mcp_app_resource_uri }),
  // Codex 0.169 adds the app UI next to the deprecated resource URI (null when absent).
  mcpAppUi: e.mcp_app_ui ?? null,
  pluginId: e.plugin_id ?? null,
  readOnlyHint: e.read_only_hint ?? null,
  result: outcome.result,
  error: outcome.error,
  durationMs: outcome.durationMs,
  ...noTiming
})

export const mcpToolCall = (e: EventMsg.Of<"mcp_tool_call_end">): McpCall => {
  type CallToolResult = {
    readonly content: ReadonlyArray<unknown>
    readonly structuredContent?: unknown
    readonly isError?: boolean | null
    readonly _meta?: unknown
  }
  const r = e.result as { readonly Ok?: CallToolResult; readonly Err?: string }
  const ok = r.Ok
  return mcpToolCallItem(e, {
    status: ok !== undefined && ok.isError !== true ? "completed" : "failed",
    result: ok === undefined ? null : { content: ok.content, structuredContent: ok.structuredContent ?? null, _meta: ok._meta ?? null },
    error: r.Err !== undefined ? { message: r.Err } : null,
    durationMs: Duration.toMillis(e.duration)
  })
}

/** A core WebSearchAction (either spelling) as v2 writes it; anything else is `other`. */
export const webSearchAction = (action: unknown): unknown => {
  if (typeof action !== "object" || action === null) return null
  const a = action as Record<string, unknown>
  switch (a["type"]) {
    case "search":
      return { type: "search", query: a["query"] ?? null, queries: a["queries"] ?? null }
    case "open_page":
    case "openPage":
      return { type: "openPage", url: a["url"] ?? null }
    case "find_in_page":
    case "findInPage":
      return { type: "findInPage", url: a["url"] ?? null, pattern: a["pattern"] ?? null }
    default:
      return { type: "other" }
  }
}

export const webSearch = (e: EventMsg.Of<"web_search_end">): ThreadItem.Of<"webSearch"> => ({
  type: "webSearch",
  id: e.call_id,
  query: e.query,
  action: webSearchAction(e.action),
  results: e.results ?? null,
  ...noTiming
})

/**
 * The fields Codex 0.169 puts after `transparentBackground` (seen in its answers): `failure`,
 * `savedPath` (omitted when absent), `generationId`, then the times.
 */
export const imageGenerationTail = (failure: unknown, savedPath: string | undefined, generationId: unknown) => ({
  failure: failure ?? null,
  ...(savedPath === undefined ? {} : { savedPath }),
  generationId: generationId ?? null,
  ...noTiming
})

export const imageGeneration = (e: EventMsg.Of<"image_generation_end">): ThreadItem.Of<"imageGeneration"> => ({
  type: "imageGeneration",
  id: e.call_id,
  status: e.status,
  revisedPrompt: e.revised_prompt ?? null,
  result: e.result,
  transparentBackground: typeof e.transparent_background === "boolean" ? e.transparent_background : null,
  ...imageGenerationTail((e as { failure?: unknown }).failure, e.saved_path, (e as { generation_id?: unknown }).generation_id)
})

/** Codex 0.169 writes `model` and `reasoningEffort` first (seen in its answers). */
export const subAgentActivity = (e: EventMsg.Of<"sub_agent_activity">): ThreadItem.Of<"subAgentActivity"> => ({
  type: "subAgentActivity",
  model: e.model ?? null,
  reasoningEffort: e.reasoning_effort ?? null,
  id: e.event_id,
  kind: e.kind,
  agentThreadId: e.agent_thread_id,
  agentPath: e.agent_path,
  startedAtMs: null,
  completedAtMs: e.occurred_at_ms ?? null
})

export const contextCompaction = (id: string): ThreadItem.Of<"contextCompaction"> => ({
  type: "contextCompaction",
  id,
  ...noTiming
})

export const enteredReview = (id: string, e: EventMsg.Of<"entered_review_mode">): ThreadItem.Of<"enteredReviewMode"> => ({
  type: "enteredReviewMode",
  id,
  review: e.user_facing_hint ?? "Review requested.",
  ...noTiming
})

export const exitedReview = (id: string, e: EventMsg.Of<"exited_review_mode">): ThreadItem.Of<"exitedReviewMode"> => ({
  type: "exitedReviewMode",
  id,
  review: renderReview(e.review_output),
  ...noTiming
})

const fallback = "Reviewer failed to output a response."

/** The text Codex shows for a finished review. */
export const renderReview = (output: EventMsg.Of<"exited_review_mode">["review_output"] | undefined): string => {
  if (output === null || output === undefined) return fallback
  const sections: Array<string> = []
  const explanation = output.overall_explanation.trim()
  if (explanation !== "") sections.push(explanation)
  if (output.findings.length > 0) {
    const lines = [output.findings.length === 1 ? "Review comment:" : "Full review comments:"]
    for (const f of output.findings) {
      const loc = f.code_location
      lines.push("", `- ${f.title} — ${loc.absolute_file_path}:${loc.line_range.start}-${loc.line_range.end}`)
      for (const body of f.body.split("\n")) lines.push(`  ${body}`)
    }
    sections.push(lines.join("\n").trim())
  }
  return sections.length === 0 ? fallback : sections.join("\n\n")
}

/** A core time of 0 means "not recorded": v2 shows `null`. */
export const nullIfZero = (ms: number | undefined): number | null => (ms === undefined || ms === 0 ? null : ms)

/**
 * The ThreadItem of an `item_started`/`item_completed` TurnItem that the reducer places by turn
 * id, or `undefined` for the items it ignores (user/agent messages, reasoning, ...). Only `Plan`,
 * `HookPrompt`, `Sleep` / `clock.sleep`, `SubAgentActivity` and the `image_gen` / `web.search`
 * extensions are mapped here; command, dynamic and collab items are opaque in `TurnItem`.
 */
export const fromTurnItem = (e: EventMsg.Of<"item_completed"> | EventMsg.Of<"item_started">): Item | undefined => {
  const item = e.item as TurnItem.TurnItem
  const started = nullIfZero(e.started_at_ms)
  const completed = e.type === "item_completed" ? nullIfZero(e.completed_at_ms) : null
  const sleep = TurnItem.sleep(item)
  if (sleep !== undefined) return { type: "sleep", id: sleep.id, durationMs: sleep.durationMs, startedAtMs: started, completedAtMs: completed }
  const activity = TurnItem.subAgentActivity(item)
  if (activity !== undefined)
    // Codex writes `model` and `reasoningEffort` first, as for the event (seen in 0.171's answers).
    return {
      type: "subAgentActivity",
      model: activity.model,
      reasoningEffort: activity.reasoningEffort,
      id: activity.id,
      kind: activity.kind,
      agentThreadId: activity.agentThreadId,
      agentPath: activity.agentPath,
      startedAtMs: started,
      completedAtMs: completed
    }
  switch (item.type) {
    case "Plan":
      // Codex 0.169-0.171 keep the completed plan's times in a legacy replay (fixtures/matrix/*/app-legacy-plan).
      return item.text === "" ? undefined : { type: "plan", id: item.id, text: item.text, startedAtMs: started, completedAtMs: completed }
    case "HookPrompt":
      return { type: "hookPrompt", id: item.id, fragments: item.fragments, ...noTiming }
    case "Extension": {
      const x = item as Record<string, unknown>
      if (x["kind"] === "image_gen.generation")
        return {
          type: "imageGeneration",
          id: String(x["id"]),
          status: String(x["status"]),
          revisedPrompt: typeof x["revisedPrompt"] === "string" ? x["revisedPrompt"] : null,
          result: String(x["result"]),
          transparentBackground: typeof x["transparentBackground"] === "boolean" ? x["transparentBackground"] : null,
          ...imageGenerationTail(x["failure"], typeof x["savedPath"] === "string" ? x["savedPath"] : undefined, x["generationId"])
        }
      if (x["kind"] === "web.search")
        return {
          type: "webSearch",
          id: String(x["id"]),
          query: String(x["query"]),
          action: webSearchAction(x["action"]),
          results: x["results"] ?? null,
          ...noTiming
        }
      return undefined
    }
    // Mapped above (both sleep shapes, both spellings of sub-agent activity).
    case "Sleep":
    case "SubAgentActivity":
    // The legacy replay builds these from their own events (messages, reasoning, patches, MCP
    // calls, compactions, review mode) or, live, from begin/end events; paginated projections map
    // them themselves (`PaginatedHistory.item`).
    case "UserMessage":
    case "AgentMessage":
    case "Reasoning":
    case "McpToolCall":
    case "CommandExecution":
    case "DynamicToolCall":
    case "CollabAgentToolCall":
    case "FileChange":
    case "ImageGeneration":
    case "ImageView":
    case "WebSearch":
    case "EnteredReviewMode":
    case "ExitedReviewMode":
    case "ContextCompaction":
      return undefined
    default: {
      const unreachable: never = item
      return unreachable
    }
  }
}
