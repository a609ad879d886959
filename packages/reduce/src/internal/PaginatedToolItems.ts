/**
 * The ThreadItems of a paginated rollout's tool-call turn items (`McpToolCall`, `DynamicToolCall`,
 * `CollabAgentToolCall` in `item_completed`), as Codex's projection shows them. The rollout shapes
 * and the answers are the real Codex 0.171 app-server's
 * (`fixtures/codex-tests/paginated-history/tool-call-items`): snake_case fields, a `{secs, nanos}`
 * duration, the MCP result in its own camelCase. Pure mapping for `PaginatedHistory.item`; the
 * legacy replay builds these items from events instead.
 */
import * as Duration from "@rollout/protocol/Duration"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Items from "./ThreadHistoryItems.js"

type Raw = Readonly<Record<string, unknown>> & { readonly id: string }
type Timing = { readonly startedAtMs: number | null; readonly completedAtMs: number | null }

/** A core status (`in_progress`, or already camelCase) as v2 spells it. */
const camel = (s: unknown): string => String(s).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

const str = (v: unknown): string | null => (typeof v === "string" ? v : null)

export const mcpToolCall = (raw: Raw, timing: Timing): ThreadItem.Of<"mcpToolCall"> => {
  const result = raw["result"] as { content?: ReadonlyArray<unknown>; structuredContent?: unknown; _meta?: unknown } | null | undefined
  const error = raw["error"] as { message?: unknown } | null | undefined
  return {
    type: "mcpToolCall",
    id: raw.id,
    server: String(raw["server"]),
    environmentId: Items.environmentId(raw),
    tool: String(raw["tool"]),
    status: camel(raw["status"]) as ThreadItem.Of<"mcpToolCall">["status"],
    arguments: raw["arguments"] ?? null,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: null,
    result:
      result === null || result === undefined
        ? null
        : { content: result.content ?? [], structuredContent: result.structuredContent ?? null, _meta: result._meta ?? null },
    error: error === null || error === undefined ? null : { message: String(error.message) },
    durationMs: Duration.millisOf(raw["duration"]),
    ...timing
  }
}

export const dynamicToolCall = (raw: Raw, timing: Timing): ThreadItem.Of<"dynamicToolCall"> => ({
  type: "dynamicToolCall",
  id: raw.id,
  namespace: str(raw["namespace"]),
  tool: String(raw["tool"]),
  arguments: raw["arguments"] ?? null,
  status: camel(raw["status"]) as ThreadItem.Of<"dynamicToolCall">["status"],
  contentItems: (raw["content_items"] as ReadonlyArray<unknown> | undefined) ?? null,
  success: typeof raw["success"] === "boolean" ? raw["success"] : null,
  durationMs: Duration.millisOf(raw["duration"]),
  ...timing
})

export const collabAgentToolCall = (raw: Raw, timing: Timing): ThreadItem.Of<"collabAgentToolCall"> => ({
  type: "collabAgentToolCall",
  id: raw.id,
  tool: camel(raw["tool"]) as ThreadItem.Of<"collabAgentToolCall">["tool"],
  status: camel(raw["status"]) as ThreadItem.Of<"collabAgentToolCall">["status"],
  senderThreadId: String(raw["sender_thread_id"]),
  receiverThreadIds: (raw["receiver_thread_ids"] as ReadonlyArray<string> | undefined) ?? [],
  prompt: str(raw["prompt"]),
  model: str(raw["model"]),
  reasoningEffort: str(raw["reasoning_effort"]),
  // Only empty maps are verified against Codex; entries are passed through as written.
  agentsStates: (raw["agents_states"] as ThreadItem.Of<"collabAgentToolCall">["agentsStates"] | undefined) ?? {},
  ...timing
})
