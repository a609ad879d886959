/**
 * EventMsg tags found only in older files (G2 and before) and unknown to G2.9+ Codex, which skips
 * such lines. They are kept so that a rewrite of an old rollout loses nothing; none of them should
 * be written again. `thread_name_updated` lives with the thread events (TurnEvents.ts) and the
 * legacy deltas with the message events (MessageEvents.ts).
 */
import { Schema } from "effect"
import * as Wire from "../Wire.js"

const lenient = <S extends Schema.Top>(s: S) => Schema.optionalKey(Schema.NullOr(s))

export const BackgroundEvent = Wire.tagged("background_event", { message: Schema.String })
export const UndoStarted = Wire.tagged("undo_started", { message: lenient(Schema.String) })
/** Persisted by G2 Limited mode. */
export const UndoCompleted = Wire.tagged("undo_completed", { success: Schema.Boolean, message: lenient(Schema.String) })
/** Persisted by one G2 policy; its fields were never captured, so they all stay unknown fields. */
export const InjectedMessage = Wire.tagged("injected_message", {})
export const GetHistoryEntryResponse = Wire.tagged("get_history_entry_response", {
  offset: Wire.Int,
  log_id: Wire.Int,
  entry: lenient(Wire.Json)
})
export const McpListToolsResponse = Wire.tagged("mcp_list_tools_response", {
  tools: Wire.Json,
  resources: Wire.Json,
  resource_templates: Wire.Json,
  auth_statuses: Wire.Json
})
export const ListCustomPromptsResponse = Wire.tagged("list_custom_prompts_response", { custom_prompts: Wire.Json })
export const ListSkillsResponse = Wire.tagged("list_skills_response", { skills: Wire.Json })
export const ListRemoteSkillsResponse = Wire.tagged("list_remote_skills_response", { skills: Wire.Json })
export const RemoteSkillDownloaded = Wire.tagged("remote_skill_downloaded", {
  id: Schema.String,
  name: Schema.String,
  path: Schema.String
})
export const SkillsUpdateAvailable = Wire.tagged("skills_update_available", {})
/** Shape not captured. */
export const AddCreditsNudgeEmailResponse = Wire.tagged("add_credits_nudge_email_response", {})

export const members = [
  BackgroundEvent,
  UndoStarted,
  UndoCompleted,
  InjectedMessage,
  GetHistoryEntryResponse,
  McpListToolsResponse,
  ListCustomPromptsResponse,
  ListSkillsResponse,
  ListRemoteSkillsResponse,
  RemoteSkillDownloaded,
  SkillsUpdateAvailable,
  AddCreditsNudgeEmailResponse
] as const
