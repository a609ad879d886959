/**
 * ResponseItem: the model-visible history items carried by `response_item` lines and by
 * `compacted.replacement_history`, one open schema per `type`, fields in Codex's declaration
 * order (G3, plus older fields readers still meet such as `message.end_turn`). Legacy tags
 * (`compaction_summary`, `ghost_snapshot`) are their own variants, kept as written. Unknown tags
 * are not variants: the family reports them as `Unknown` and the caller keeps the raw JSON
 * (Codex reads them as `other` and never writes them). This module does not decide what is
 * persisted or replayed; it only describes the shapes.
 */
import { Option, Schema, SchemaGetter } from "effect"
import { AgentPath } from "./AgentPath.js"
import * as ContentItem from "./ContentItem.js"
import { ContentItemMetadata } from "./ContentItemMetadata.js"
import * as FastCheck from "./internal/FastCheck.js"
import * as Wire from "./Wire.js"

/**
 * `internal_chat_message_metadata_passthrough`, the optional trailing field of most variants.
 * Fields Codex ignores on read (`content_item_kinds` when malformed, `cell_id`,
 * `tool_calls_complete`, `executed_tool_calls`) are kept opaque so no value is rejected.
 */
export const InternalChatMessageMetadataPassthrough = Wire.struct({
  turn_id: Schema.optionalKey(Schema.String),
  create_time: Schema.optionalKey(Wire.Float),
  content_item_kinds: Schema.optionalKey(Wire.Json),
  /** 0.171: who supplied each content part, one entry per position (see ContentItemMetadata). */
  content_item_metadata: Schema.optionalKey(Schema.Array(ContentItemMetadata)),
  cell_id: Schema.optionalKey(Wire.Json),
  tool_calls_complete: Schema.optionalKey(Wire.Json),
  executed_tool_calls: Schema.optionalKey(Wire.Json)
})
export type InternalChatMessageMetadataPassthrough = typeof InternalChatMessageMetadataPassthrough.Type

const passthrough = {
  internal_chat_message_metadata_passthrough: Schema.optionalKey(InternalChatMessageMetadataPassthrough)
}
const id = Schema.optionalKey(Schema.String)
const encryptedContent = Schema.optionalKey(Schema.String)

/** Whether an assistant message is interim commentary or the answer. Absent = unknown phase. */
export const MessagePhase = Schema.Literals(["commentary", "final_answer", "partial_answer"])
export type MessagePhase = typeof MessagePhase.Type

export const AdditionalTools = Wire.tagged("additional_tools", {
  id,
  role: Schema.String,
  tools: Schema.Array(Wire.Json),
  ...passthrough
})

export const Message = Wire.tagged("message", {
  encrypted_content: encryptedContent,
  status: Schema.optionalKey(Schema.String),
  id,
  role: Wire.openLiterals(["user", "assistant", "developer", "system"]),
  content: Schema.Array(ContentItem.ContentItem.schema),
  /** G2 only (2026-01-22 → 2026-04-26); current Codex ignores it. */
  end_turn: Schema.optionalKey(Schema.Boolean),
  phase: Schema.optionalKey(MessagePhase),
  ...passthrough
})
export type Message = typeof Message.Type

export const AgentMessageContent = Schema.Union([ContentItem.InputText, ContentItem.EncryptedContent])
export type AgentMessageContent = typeof AgentMessageContent.Type

export const AgentMessage = Wire.tagged("agent_message", {
  id,
  author: AgentPath,
  recipient: AgentPath,
  content: Schema.Array(AgentMessageContent),
  ...passthrough
})

export const SummaryText = Wire.tagged("summary_text", { text: Schema.String })
export const ReasoningTextContent = Wire.tagged("reasoning_text", { text: Schema.String })
export const TextContent = Wire.tagged("text", { text: Schema.String })
export const ReasoningItemContent = Schema.Union([ReasoningTextContent, TextContent])
export type ReasoningItemContent = typeof ReasoningItemContent.Type

const ReasoningContentWire = Schema.optionalKey(Schema.NullOr(Schema.Array(ReasoningItemContent)))

/**
 * Codex quirk: `reasoning.content` is skipped when it is present without any `reasoning_text`
 * element, but an absent value is written as `null`. Read side: `null` stays `null`, an array
 * stays as written, and a missing key reads as `[]` (what Codex had in memory to skip it). Write
 * side: absent or `null` → `"content":null`; an array without `reasoning_text` → key omitted
 * (so `[]` round-trips to a missing key); any other array → written as-is. A value written decodes
 * to itself, which the annotation tells `FastCheck` (a missing key does not: it reads as `[]`).
 */
let reasoningWire: FastCheck.Check | undefined
const ReasoningContent = ReasoningContentWire.pipe(
  Schema.decodeTo(ReasoningContentWire, {
    decode: SchemaGetter.transformOptional((wire) => (Option.isNone(wire) ? Option.some([]) : wire)),
    encode: SchemaGetter.transformOptional((value) => {
      if (Option.isNone(value) || value.value === null) return Option.some(null)
      return value.value.some((part) => part.type === "reasoning_text") ? value : Option.none()
    })
  })
).annotate(FastCheck.identityWhenPresent((v) => (reasoningWire ??= FastCheck.of(ReasoningContentWire))(v)))

export const Reasoning = Wire.tagged("reasoning", {
  id,
  summary: Schema.Array(SummaryText),
  content: ReasoningContent,
  encrypted_content: Schema.NullOr(Schema.String),
  ...passthrough
})
export type Reasoning = typeof Reasoning.Type

export const LocalShellStatus = Schema.Literals(["completed", "in_progress", "incomplete"])

/** The only LocalShellAction; its four options are always written (`null` when absent). */
export const LocalShellAction = Wire.tagged("exec", {
  command: Schema.Array(Schema.String),
  timeout_ms: Schema.NullOr(Wire.Int),
  working_directory: Schema.NullOr(Schema.String),
  /** A hash map in Codex: any key order is valid; decoding keeps the order read. */
  env: Schema.NullOr(Schema.Record(Schema.String, Schema.String)),
  user: Schema.NullOr(Schema.String)
})
export type LocalShellAction = typeof LocalShellAction.Type

export const LocalShellCall = Wire.tagged("local_shell_call", {
  encrypted_content: encryptedContent,
  id,
  call_id: Schema.NullOr(Schema.String),
  status: LocalShellStatus,
  action: LocalShellAction,
  ...passthrough
})

export const FunctionCall = Wire.tagged("function_call", {
  encrypted_content: encryptedContent,
  status: Schema.optionalKey(Schema.String),
  id,
  name: Schema.String,
  namespace: Schema.optionalKey(Schema.String),
  /** JSON text as a string: never parsed, so it round-trips byte for byte. */
  arguments: Schema.String,
  encrypted_function_args: Schema.optionalKey(Schema.Array(Schema.String)),
  call_id: Schema.String,
  ...passthrough
})

export const ToolSearchCall = Wire.tagged("tool_search_call", {
  encrypted_content: encryptedContent,
  id,
  call_id: Schema.NullOr(Schema.String),
  status: Schema.optionalKey(Schema.String),
  execution: Schema.String,
  arguments: Wire.Json,
  ...passthrough
})

export const FunctionCallOutput = Wire.tagged("function_call_output", {
  id,
  /** Optional since G3; always present in G2.9 and earlier. */
  call_id: Schema.optionalKey(Schema.String),
  name: Schema.optionalKey(Schema.String),
  namespace: Schema.optionalKey(Schema.String),
  output: ContentItem.FunctionCallOutputPayload,
  ...passthrough
})

export const CustomToolCall = Wire.tagged("custom_tool_call", {
  encrypted_content: encryptedContent,
  id,
  status: Schema.optionalKey(Schema.String),
  call_id: Schema.String,
  name: Schema.String,
  namespace: Schema.optionalKey(Schema.String),
  input: Schema.String,
  ...passthrough
})

export const CustomToolCallOutput = Wire.tagged("custom_tool_call_output", {
  id,
  call_id: Schema.String,
  name: Schema.optionalKey(Schema.String),
  output: ContentItem.FunctionCallOutputPayload,
  ...passthrough
})

export const ToolSearchOutput = Wire.tagged("tool_search_output", {
  id,
  call_id: Schema.NullOr(Schema.String),
  status: Schema.String,
  execution: Schema.String,
  tools: Schema.Array(Wire.Json),
  ...passthrough
})

export const WebSearchSearch = Wire.tagged("search", {
  query: Schema.optionalKey(Schema.String),
  queries: Schema.optionalKey(Schema.Array(Schema.String))
})
export const WebSearchOpenPage = Wire.tagged("open_page", { url: Schema.optionalKey(Schema.String) })
export const WebSearchFindInPage = Wire.tagged("find_in_page", {
  url: Schema.optionalKey(Schema.String),
  pattern: Schema.optionalKey(Schema.String)
})
const webSearchTags: ReadonlySet<string> = new Set([WebSearchSearch, WebSearchOpenPage, WebSearchFindInPage].map(Wire.tagOf))

/**
 * Any other action tag. Codex reads it as `{"type":"other"}` and writes exactly that; we keep the
 * tag and fields as written. A known tag with a bad payload never falls through to this member.
 */
export const WebSearchOther = Wire.struct({
  type: Schema.String.check(Schema.makeFilter((tag: string) => !webSearchTags.has(tag), { expected: "a web search action tag" }))
})

export const WebSearchAction = Schema.Union([WebSearchSearch, WebSearchOpenPage, WebSearchFindInPage, WebSearchOther])
export type WebSearchAction = typeof WebSearchAction.Type

export const WebSearchCall = Wire.tagged("web_search_call", {
  encrypted_content: encryptedContent,
  id,
  status: Schema.optionalKey(Schema.String),
  action: Schema.optionalKey(WebSearchAction),
  ...passthrough
})

export const ImageGenerationCall = Wire.tagged("image_generation_call", {
  encrypted_content: encryptedContent,
  id,
  status: Schema.String,
  revised_prompt: Schema.optionalKey(Schema.String),
  /** The image, base64. */
  result: Schema.String,
  ...passthrough
})

const compactionFields = { id, encrypted_content: Schema.String, ...passthrough }

export const Compaction = Wire.tagged("compaction", compactionFields)

/** The older tag of {@link Compaction}; kept as written on read, Codex writes `compaction`. */
export const CompactionSummary = Wire.tagged("compaction_summary", compactionFields)

/** G3 durable input control. */
export const ConfigurationUpdate = Wire.tagged("configuration_update", { reasoning: Wire.Json })

/** Request-only control: Codex never persists it, but it parses. */
export const CompactionTrigger = Wire.tagged("compaction_trigger", {})

export const ContextCompaction = Wire.tagged("context_compaction", {
  id,
  encrypted_content: encryptedContent,
  ...passthrough
})

/** A 2025 undo snapshot. Codex drops these before parsing, so every field is lenient here. */
export const GhostCommit = Wire.struct({
  id: Schema.String,
  parent: Schema.optionalKey(Schema.NullOr(Schema.String)),
  preexisting_untracked_files: Schema.optionalKey(Schema.Array(Schema.String)),
  preexisting_untracked_dirs: Schema.optionalKey(Schema.Array(Schema.String))
})

/** Legacy: readers skip it and writers never emit it; typed only so it can be recognised. */
export const GhostSnapshot = Wire.tagged("ghost_snapshot", { ghost_commit: GhostCommit })

export const ResponseItem = Wire.family([
  AdditionalTools,
  Message,
  AgentMessage,
  Reasoning,
  LocalShellCall,
  FunctionCall,
  ToolSearchCall,
  FunctionCallOutput,
  CustomToolCall,
  CustomToolCallOutput,
  ToolSearchOutput,
  WebSearchCall,
  ImageGenerationCall,
  Compaction,
  CompactionSummary,
  ConfigurationUpdate,
  CompactionTrigger,
  ContextCompaction,
  GhostSnapshot
])
export type ResponseItem = typeof ResponseItem.schema.Type

/**
 * A response item whose tag no variant knows (Codex's `other`), kept with all its fields. Only
 * for places where a whole array is one schema (`compacted.replacement_history`); a lone item
 * goes through {@link ResponseItem}`.decode`, which reports it as `Unknown`.
 */
export const OtherResponseItem = Wire.struct({
  type: Schema.String.check(Schema.makeFilter((tag: string) => !ResponseItem.tags.has(tag), { expected: "an unknown response item tag" }))
})
export type OtherResponseItem = typeof OtherResponseItem.Type

/** A known response item, or an unknown one kept as written. */
export const AnyResponseItem = Schema.Union([ResponseItem.schema, OtherResponseItem])
export type AnyResponseItem = typeof AnyResponseItem.Type
