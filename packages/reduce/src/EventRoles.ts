/**
 * What every reducer does with every `event_msg` tag: one row per tag of `EventMsg`, one column
 * per reader. The table is typed by the schema's tag union, so when Codex adds an event and the
 * schema gains its tag, this table stops compiling until the new row decides for every reader;
 * each reducer's switch is then narrowed to the tags its column reads (`EventRoles.reads`), and a
 * `never` default makes a row that says "reads" without a handler a type error too. The fast
 * paths (line triage, the stats prefilter, the persistence policy) derive their tag sets from the
 * same rows, so they cannot disagree with the reducers.
 *
 * Columns: `history` — thread history reads it in the replay of a rollout (`replay`), only when a
 * live thread feeds it (`live`: the persisted replay filters it out), or never; `persisted` —
 * Codex's legacy persistence policy keeps it (it takes a rollout index); the others — whether the
 * paginated projection, resume history, the thread summary, thread metadata, statistics, the
 * search index and the human views' work log read it.
 * Data only (type imports), so a reader thread can load it without the schemas.
 */
import type * as EventMsg from "@rollout/protocol/EventMsg"

export type Tag = EventMsg.EventMsg["type"]

export interface Row {
  readonly history: "replay" | "live" | "none"
  /** `byItem`: only some completed items (plans and sleeps), decided on the decoded item. */
  readonly persisted: boolean | "byItem"
  readonly paginated: boolean
  readonly resume: boolean
  readonly summary: boolean
  readonly metadata: boolean
  readonly stats: boolean
  readonly search: boolean
  /** The human views' work log (`WorkLog`): commands, errors and token use Codex's thread/read leaves out. */
  readonly work: boolean
}

export type Reader = Exclude<keyof Row, "history" | "persisted">

// biome-ignore format: one row per tag reads as a table
export const table = {
  error: { history: "replay", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: true },
  stream_error: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: true },
  task_started: { history: "replay", persisted: true, paginated: true, resume: true, summary: true, metadata: true, stats: true, search: true , work: false },
  turn_started: { history: "replay", persisted: true, paginated: true, resume: true, summary: true, metadata: true, stats: true, search: true , work: false },
  task_complete: { history: "replay", persisted: true, paginated: true, resume: true, summary: true, metadata: false, stats: true, search: false , work: false },
  turn_complete: { history: "replay", persisted: true, paginated: true, resume: true, summary: true, metadata: false, stats: true, search: false , work: false },
  turn_aborted: { history: "replay", persisted: true, paginated: true, resume: true, summary: true, metadata: false, stats: true, search: false , work: false },
  token_count: { history: "none", persisted: true, paginated: false, resume: true, summary: true, metadata: false, stats: true, search: false , work: true },
  context_compacted: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  thread_rolled_back: { history: "replay", persisted: true, paginated: false, resume: true, summary: false, metadata: false, stats: false, search: false , work: false },
  thread_settings_applied: { history: "none", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  thread_goal_updated: { history: "none", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  thread_queue_changed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  thread_name_updated: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  item_started: { history: "replay", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  item_completed: { history: "replay", persisted: "byItem", paginated: true, resume: false, summary: true, metadata: true, stats: true, search: true , work: false },
  user_message: { history: "replay", persisted: true, paginated: false, resume: true, summary: true, metadata: true, stats: false, search: true , work: false },
  agent_message: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: true , work: false },
  agent_reasoning: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_reasoning_raw_content: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_reasoning_section_break: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_message_content_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  plan_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  reasoning_content_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  reasoning_raw_content_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_message_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_reasoning_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  agent_reasoning_raw_content_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  plan_update: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  raw_response_item: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  raw_response_completed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  entered_review_mode: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  exited_review_mode: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  exec_command_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  exec_command_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: true },
  exec_command_output_delta: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  terminal_interaction: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  patch_apply_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  patch_apply_updated: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  patch_apply_end: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  turn_diff: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  mcp_tool_call_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  mcp_tool_call_end: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  web_search_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  web_search_end: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  image_generation_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  image_generation_end: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  view_image_tool_call: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  dynamic_tool_call_request: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  dynamic_tool_call_response: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  exec_approval_request: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  request_permissions: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  request_user_input: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  elicitation_request: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  elicitation_abandoned: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  apply_patch_approval_request: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  guardian_assessment: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_agent_spawn_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_agent_spawn_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_agent_interaction_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_agent_interaction_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_waiting_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_waiting_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_close_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_close_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_resume_begin: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  collab_resume_end: { history: "live", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  sub_agent_activity: { history: "replay", persisted: true, paginated: false, resume: false, summary: false, metadata: false, stats: true, search: false , work: false },
  warning: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: true },
  guardian_warning: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  auth_recovery_started: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  auth_recovery_completed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  realtime_conversation_started: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  realtime_conversation_realtime: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  realtime_conversation_closed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  realtime_conversation_sdp: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  realtime_conversation_list_voices_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  model_reroute: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  model_verification: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  turn_moderation_metadata: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  safety_buffering: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  session_configured: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  environment_connected: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  environment_disconnected: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  mcp_startup_update: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  mcp_startup_complete: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  deprecation_notice: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  shutdown_complete: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  hook_started: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  hook_completed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  background_event: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  undo_started: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  undo_completed: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  injected_message: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  get_history_entry_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  mcp_list_tools_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  list_custom_prompts_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  list_skills_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  list_remote_skills_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  remote_skill_downloaded: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  skills_update_available: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
  add_credits_nudge_email_response: { history: "none", persisted: false, paginated: false, resume: false, summary: false, metadata: false, stats: false, search: false , work: false },
} as const satisfies { readonly [K in Tag]: Row }

type Table = typeof table

/** The tags whose `column` holds `value`. */
export type Where<C extends keyof Row, V> = { [K in Tag]: Table[K][C] extends V ? K : never }[Tag]

/** The events a reader reads. */
export type Read<C extends Reader> = EventMsg.Of<Where<C, true>>

/** Whether `reader` reads the event (narrows it to the tags that reader's switch must handle). */
export const reads = <C extends Reader>(reader: C, e: EventMsg.EventMsg): e is Read<C> => (readSets[reader] as ReadonlySet<string>).has(e.type)

/** Whether thread history gives the event `role` (narrows it to the tags of that role). */
export const history = <const R extends Row["history"]>(role: R, e: EventMsg.EventMsg): e is EventMsg.Of<Where<"history", R>> => table[e.type].history === role

/** The tags whose `column` holds `value`, as a set for raw lookups. */
export function where<C extends keyof Row, const V extends Row[C]>(column: C, value: V): ReadonlySet<Where<C, V>>
export function where(column: keyof Row, value: unknown): ReadonlySet<string> {
  return new Set((Object.keys(table) as Array<Tag>).filter((t) => table[t][column] === value))
}

// A set per reader: one hash lookup per event on the hot path, not two property lookups in a wide table.
const readSets: { readonly [C in Reader]: ReadonlySet<Where<C, true>> } = {
  paginated: where("paginated", true),
  resume: where("resume", true),
  summary: where("summary", true),
  metadata: where("metadata", true),
  stats: where("stats", true),
  search: where("search", true),
  work: where("work", true)
}

/** Whether a raw JSON value is one of `tags` (for lines not decoded yet). */
export const has = <T extends string>(tags: ReadonlySet<T>, value: unknown): value is T => (tags as ReadonlySet<unknown>).has(value)
