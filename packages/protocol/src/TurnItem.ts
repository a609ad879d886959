/**
 * TurnItem: the `item` of `item_started` / `item_completed` events, tagged on `type` with PascalCase
 * names (`UserMessage`, `Plan`, `Extension`, ...). Legacy-mode rollouts persist only `Plan`, sleep
 * and sub-agent completion items; paginated-mode rollouts persist every item, each typed field by
 * field as Codex writes it (open structs: a field a newer Codex adds is kept, and `rollout validate`
 * names it).
 * This module is not the app-server v2 ThreadItem (camelCase, different tags).
 *
 * Two quirks are kept as written rather than normalised: the pre-2026-07-14 `{"type":"Sleep"}` item
 * next to its successor `{"type":"Extension","kind":"clock.sleep"}`, and one build's camelCase
 * `agentThreadId` / `agentPath` in `SubAgentActivity`. {@link sleep} and {@link subAgentActivity}
 * give consumers one view of each.
 */
import { Schema } from "effect"
import { AgentPath } from "./AgentPath.js"
import { Duration } from "./Duration.js"
import * as PaginatedItems from "./internal/PaginatedItems.js"
import { UserInput } from "./internal/UserInput.js"
import { MessagePhase as ResponseItemPhase } from "./ResponseItem.js"
import * as Wire from "./Wire.js"

/** The same MessagePhase as response items (closed, as in Codex). */
export const MessagePhase = ResponseItemPhase

/** 🐪 memory citation of an agent message (`agent_message` event and `AgentMessage` item). */
export const MemoryCitation = Wire.struct({
  entries: Schema.Array(Wire.struct({ path: Schema.String, lineStart: Wire.Int, lineEnd: Wire.Int, note: Schema.String })),
  rolloutIds: Schema.Array(Schema.String)
})
export type MemoryCitation = typeof MemoryCitation.Type

export const UserMessage = Wire.tagged("UserMessage", {
  id: Schema.String,
  client_id: Schema.optionalKey(Schema.String),
  content: Schema.Array(UserInput)
})

/** 🐪 `hookRunId`: a stop-hook continuation prompt (see spec §5). */
export const HookPrompt = Wire.tagged("HookPrompt", {
  id: Schema.String,
  fragments: Schema.Array(Wire.struct({ text: Schema.String, hookRunId: Schema.String }))
})

export const AgentMessage = Wire.tagged("AgentMessage", {
  id: Schema.String,
  content: Schema.Array(Wire.tagged("Text", { text: Schema.String })),
  phase: Schema.optionalKey(MessagePhase),
  memory_citation: Schema.optionalKey(MemoryCitation),
  delivery: Schema.optionalKey(Schema.String),
  questions: Schema.optionalKey(Wire.Json),
  /** 🐪 inside: 0.169's flat display or 0.170's union on `mode`. */
  moderation: Schema.optionalKey(PaginatedItems.Moderation)
})

export const Plan = Wire.tagged("Plan", { id: Schema.String, text: Schema.String })

/** `raw_content` defaults to `[]` in Codex; kept absent here when the line lacks it. */
export const Reasoning = Wire.tagged("Reasoning", {
  id: Schema.String,
  summary_text: Schema.Array(Schema.String),
  raw_content: Schema.optionalKey(Schema.Array(Schema.String))
})

/** 🐪 An MCP tool call item: camelCase fields and status `inProgress`. */
export const McpToolCall = Wire.tagged("McpToolCall", {
  id: Schema.String,
  server: Schema.String,
  tool: Schema.String,
  arguments: Wire.Json,
  connectorId: Schema.optionalKey(Schema.String),
  mcpAppResourceUri: Schema.optionalKey(Schema.String),
  linkId: Schema.optionalKey(Schema.String),
  appName: Schema.optionalKey(Schema.String),
  actionName: Schema.optionalKey(Schema.String),
  pluginId: Schema.optionalKey(Schema.String),
  readOnlyHint: Schema.optionalKey(Schema.Boolean),
  status: Schema.Literals(["inProgress", "completed", "failed"]),
  result: Schema.optionalKey(Wire.Json),
  error: Schema.optionalKey(Wire.Json),
  duration: Schema.optionalKey(Duration)
})

export const SubAgentActivityKind = Schema.Literals(["started", "interacted", "interrupted", "completed"])
export type SubAgentActivityKind = typeof SubAgentActivityKind.Type

/**
 * A multi-agent v2 lifecycle marker. G3 prepends `model` / `reasoning_effort` (always written,
 * null-able; absent in G2.9). The thread id and path come snake_case, or camelCase from one
 * intermediate build: both spellings are declared (snake first) and exactly one of each pair must
 * be present.
 */
export const SubAgentActivity = Wire.tagged("SubAgentActivity", {
  model: Schema.optionalKey(Schema.NullOr(Schema.String)),
  reasoning_effort: Schema.optionalKey(Schema.NullOr(Schema.String)),
  id: Schema.String,
  kind: SubAgentActivityKind,
  agent_thread_id: Schema.optionalKey(Schema.String),
  agent_path: Schema.optionalKey(AgentPath),
  agentThreadId: Schema.optionalKey(Schema.String),
  agentPath: Schema.optionalKey(AgentPath)
}).check(
  Schema.makeFilter((item) =>
    (item.agent_thread_id === undefined) !== (item.agentThreadId === undefined) && (item.agent_path === undefined) !== (item.agentPath === undefined)
      ? undefined
      : "expected exactly one of agent_thread_id / agentThreadId and one of agent_path / agentPath"
  )
)

/** The 2026-06-15 → 2026-07-14 sleep item (snake_case); G2.9 Codex cannot read it any more. */
export const Sleep = Wire.tagged("Sleep", { id: Schema.String, duration_ms: Wire.Int })

const extension = <const Kind extends string, const Fields extends Schema.Struct.Fields>(kind: Kind, fields: Fields) =>
  Wire.struct({ type: Schema.Literal("Extension"), kind: Schema.Literal(kind), ...fields })

/** 🐪 The interruptible `clock.sleep` tool. `outcome` / `elapsedMs` appear in later G3 builds (unverified). */
export const ClockSleep = extension("clock.sleep", {
  id: Schema.String,
  durationMs: Wire.Int,
  outcome: Schema.optionalKey(Wire.openLiterals(["completed", "interrupted", "error"])),
  elapsedMs: Schema.optionalKey(Wire.Int)
})

export const ImageGenExtension = extension("image_gen.generation", {
  id: Schema.String,
  status: Schema.String,
  revisedPrompt: Schema.optionalKey(Schema.String),
  result: Schema.String,
  transparentBackground: Wire.Json,
  savedPath: Schema.optionalKey(Schema.String)
})

/** `action` is a WebSearchAction (ResponseItem.ts), kept opaque here; `action`/`results` null-able. */
export const WebSearchExtension = extension("web.search", {
  id: Schema.String,
  query: Schema.String,
  action: Wire.Json,
  results: Wire.Json
})

/** The extension kinds this version types; any other kind is kept by {@link OtherExtension}. */
export const ExtensionKinds: ReadonlySet<string> = new Set([ClockSleep, ImageGenExtension, WebSearchExtension].map((s) => Wire.literalOf(s, "kind")))

/**
 * An extension of a kind this version does not know. Its `kind` excludes the known ones, so a
 * malformed known extension is reported instead of silently falling through to this member.
 */
export const OtherExtension = Wire.struct({
  type: Schema.Literal("Extension"),
  kind: Schema.String.check(Schema.makeFilter((kind) => !ExtensionKinds.has(kind), { expected: "an extension kind without a typed schema" })),
  id: Schema.optionalKey(Schema.String)
})

/**
 * All items sharing the tag `Extension`, discriminated by the flattened `kind` that follows `type`.
 * Modelled as a nested union (not one struct of optional fields) so that each kind keeps its own
 * required and null-able fields.
 */
export const Extension = Schema.Union([ClockSleep, ImageGenExtension, WebSearchExtension, OtherExtension])
export type Extension = typeof Extension.Type

// Items only paginated rollouts persist (typed in internal/PaginatedItems).
export const CommandExecution = PaginatedItems.CommandExecution
export const DynamicToolCall = PaginatedItems.DynamicToolCall
export const CollabAgentToolCall = PaginatedItems.CollabAgentToolCall
export const FileChange = PaginatedItems.FileChange
export const ImageGeneration = PaginatedItems.ImageGeneration
export const EnteredReviewMode = PaginatedItems.EnteredReviewMode
export const ExitedReviewMode = PaginatedItems.ExitedReviewMode
export const ContextCompaction = Wire.tagged("ContextCompaction", { id: Schema.String })
export const ImageView = Wire.tagged("ImageView", { id: Schema.String, path: Schema.String })
export const WebSearch = Wire.tagged("WebSearch", {
  id: Schema.String,
  query: Schema.String,
  action: Wire.Json,
  results: Schema.optionalKey(Wire.Json)
})

export const TurnItem = Schema.Union([
  UserMessage,
  HookPrompt,
  AgentMessage,
  Plan,
  Reasoning,
  McpToolCall,
  SubAgentActivity,
  Sleep,
  Extension,
  CommandExecution,
  DynamicToolCall,
  CollabAgentToolCall,
  FileChange,
  ImageGeneration,
  ImageView,
  WebSearch,
  EnteredReviewMode,
  ExitedReviewMode,
  ContextCompaction
])
export type TurnItem = typeof TurnItem.Type
/** The item of one `type`. */
export type Of<T extends TurnItem["type"]> = Extract<TurnItem, { readonly type: T }>

/** One view of a sleep item, whichever shape it was written in. */
export interface SleepView {
  readonly id: string
  readonly durationMs: number
  readonly outcome?: string
  readonly elapsedMs?: number
}

/** The sleep view of a `Sleep` or `clock.sleep` item; `undefined` for any other item. */
export const sleep = (item: TurnItem): SleepView | undefined => {
  if (item.type === "Sleep") return { id: item.id, durationMs: item.duration_ms }
  if (item.type !== "Extension" || item.kind !== "clock.sleep") return undefined
  const s = item as typeof ClockSleep.Type
  return {
    id: s.id,
    durationMs: s.durationMs,
    ...(s.outcome === undefined ? {} : { outcome: s.outcome }),
    ...(s.elapsedMs === undefined ? {} : { elapsedMs: s.elapsedMs })
  }
}

/** One view of a `SubAgentActivity` item, whichever field spelling it was written in. */
export interface SubAgentActivityView {
  readonly id: string
  readonly kind: SubAgentActivityKind
  readonly agentThreadId: string
  readonly agentPath: AgentPath
  readonly model: string | null
  readonly reasoningEffort: string | null
}

/** The normalised view of a `SubAgentActivity` item; `undefined` for any other item. */
export const subAgentActivity = (item: TurnItem): SubAgentActivityView | undefined => {
  if (item.type !== "SubAgentActivity") return undefined
  const a = item as typeof SubAgentActivity.Type
  return {
    id: a.id,
    kind: a.kind,
    // The schema check guarantees one spelling of each is present.
    agentThreadId: a.agent_thread_id ?? a.agentThreadId ?? "",
    agentPath: a.agent_path ?? a.agentPath ?? "",
    model: a.model ?? null,
    reasoningEffort: a.reasoning_effort ?? null
  }
}
