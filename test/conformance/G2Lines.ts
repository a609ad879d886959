/**
 * Arbitraries of rollout lines of the older generation (G2, the reference `RolloutLine.json` @
 * 7569622e), derived from our schemas: the G2 members of each family, `Arbitrary.of` with no extra
 * unknown keys, and the fields G3 (or G2.9) added left out. What is left out, and why, is said next
 * to each list; every omission is a field G2 did not have or a value G2 could not hold, never a
 * way around a disagreement with the reference (those are reported, see RolloutLineSchema.test.ts).
 *
 * Fields G2 had are left out only where our schemas keep them opaque (`Wire.Json`:
 * `session_meta.dynamic_tools`, the sandbox policies' `access` / `read_only_access`): G2 typed
 * them, and random JSON there would test the generator, not our schemas. Opaque fields G2 typed
 * that are required get G2 values from our schema of that shape (`web_search_end.action`).
 */
import * as fc from "fast-check"
import type { Schema } from "effect"
import * as Arbitrary from "@rollout/protocol/Arbitrary"
import * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import * as CollabEvents from "@rollout/protocol/CollabEvents"
import * as Compacted from "@rollout/protocol/Compacted"
import * as ContentItem from "@rollout/protocol/ContentItem"
import * as EventMsg from "@rollout/protocol/EventMsg"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as ReviewEvents from "@rollout/protocol/ReviewEvents"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as SessionMeta from "@rollout/protocol/SessionMeta"
import * as TokenUsage from "@rollout/protocol/TokenUsage"
import * as ToolEvents from "@rollout/protocol/ToolEvents"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"
import * as TurnItem from "@rollout/protocol/TurnItem"
import * as Wire from "@rollout/protocol/Wire"

type Obj = Record<string, unknown>
type Override = readonly [Schema.Top, fc.Arbitrary<unknown>]

const omit =
  (keys: ReadonlyArray<string>) =>
  (value: unknown): Obj =>
    Object.fromEntries(Object.entries(value as Obj).filter(([k]) => !keys.includes(k)))

/** Keeps values that carry every key in `keys` (optional in our schema, required in G2). */
const having =
  (keys: ReadonlyArray<string>) =>
  (value: unknown): boolean =>
    keys.every((k) => k in (value as Obj))

/** Replaces the value of `key`, where present, by one of `arb` (an opaque field G2 typed). */
const withField = (arb: fc.Arbitrary<unknown>, key: string, field: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(arb, field).map(([value, x]) => (key in (value as Obj) ? { ...(value as Obj), [key]: x } : value))

const derive = (schema: Schema.Top, overrides: ReadonlyArray<Override>): fc.Arbitrary<unknown> =>
  Arbitrary.of(schema, { maxLength: 2, maxExtraKeys: 0, overrides })

// ---------------------------------------------------------------------------------------------
// Leaves: values G2 could hold where our schemas are wider (G2.9/G3 added values, or our schema
// keeps values Codex only reads).

/** G2's ReasoningEffort. G2.9 made it an open string and added `max` / `ultra`. */
const g2Effort = fc.constantFrom("none", "minimal", "low", "medium", "high", "xhigh")
/** G2's ModeKind; also the values of `collaboration_mode.mode`, an open string in our schema. */
const modeKind = fc.constantFrom("plan", "default")

const leaves: ReadonlyArray<Override> = [
  // G2 integers are u64/i64/u32/int32/usize: non-negative values below 2^31 fit every one.
  [Wire.Int, fc.nat()],
  [TurnContext.ReasoningEffort, g2Effort],
  // `partial_answer` is G3.
  [ResponseItem.MessagePhase, fc.constantFrom("commentary", "final_answer")],
  // `budget_limited` came with thread goals (after G2).
  [TurnEvents.TurnAbortReason, fc.constantFrom("interrupted", "replaced", "review_ended")],
  // The other kinds are read aliases Codex maps to `default`; G2 wrote only these two.
  [TurnEvents.CollaborationModeKind, modeKind],
  // G2's PlanType; later plans are G3 and our schema keeps unknown plans as written.
  [TokenUsage.PlanType, fc.constantFrom("free", "go", "plus", "pro", "team", "business", "enterprise", "edu", "unknown")],
  // `interrupted` is newer than G2.
  [CollabEvents.AgentStatus, Arbitrary.of(CollabEvents.AgentStatus, { maxExtraKeys: 0 }).filter((s) => s !== "interrupted")],
  // An HTTP status is a u16.
  [
    CodexErrorInfo.HttpStatus,
    withField(Arbitrary.of(CodexErrorInfo.HttpStatus, { maxExtraKeys: 0 }), "http_status_code", fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }))
  ],
  // Codex writes any unknown action as `{"type":"other"}`; we keep the tag read, G2 knew only `other`.
  [ResponseItem.WebSearchOther, Arbitrary.of(ResponseItem.WebSearchOther, { maxExtraKeys: 0 }).map(() => ({ type: "other" }))],
  // `inputAudio` is G2.9+.
  [ToolEvents.DynamicToolContentItem, Arbitrary.of(ToolEvents.DynamicToolContentItem, { maxExtraKeys: 0 }).filter((item) => item.type !== "inputAudio")]
]

// ---------------------------------------------------------------------------------------------
// Nested shapes with G3 additions.

/** Message content in G2: no `detail` / `file_id` on images (2026-05-15), no audio, no annotations. */
const contentItem = fc.oneof(
  derive(ContentItem.InputText, leaves),
  derive(ContentItem.InputImage, leaves)
    .filter(having(["image_url"]))
    .map(omit(["file_id", "detail"])),
  derive(ContentItem.OutputText, leaves).map(omit(["annotations", "logprobs"]))
)

/** Tool output in G2: a string or text and image items (`detail` existed there); the 2025 object form is not G2. */
const functionCallOutput = fc.oneof(
  fc.string(),
  fc.array(
    fc.oneof(
      derive(ContentItem.InputText, leaves),
      derive(ContentItem.InputImage, leaves)
        .filter(having(["image_url"]))
        .map(omit(["file_id"]))
    ),
    { maxLength: 2 }
  )
)

/** G2 never wrote the rarely present G3 error variants; our catch-all members keep any value read. */
const codexErrorInfo = derive(CodexErrorInfo.CodexErrorInfo, leaves).filter((info) =>
  typeof info === "string"
    ? [
        "context_window_exceeded",
        "usage_limit_exceeded",
        "server_overloaded",
        "internal_server_error",
        "unauthorized",
        "bad_request",
        "sandbox_error",
        "thread_rollback_failed",
        "other"
      ].includes(info)
    : typeof info === "object" &&
      info !== null &&
      Object.keys(info).length === 1 &&
      ["http_connection_failed", "response_stream_connection_failed", "response_stream_disconnected", "response_too_many_failed_attempts"].includes(
        Object.keys(info)[0] ?? ""
      )
)

const nested: ReadonlyArray<Override> = [
  ...leaves,
  [ContentItem.ContentItem.schema, contentItem],
  [ContentItem.FunctionCallOutputPayload, functionCallOutput],
  [CodexErrorInfo.CodexErrorInfo, codexErrorInfo],
  // `cache_write_input_tokens` is G3.
  [TokenUsage.TokenUsage, derive(TokenUsage.TokenUsage, leaves).map(omit(["cache_write_input_tokens"]))],
  // G3 additions to the rate limit snapshot.
  [
    TokenUsage.RateLimitSnapshot,
    derive(TokenUsage.RateLimitSnapshot, leaves).map(omit(["normal_model_slug", "individual_limit", "spend_control_reached", "rate_limit_reached_type"]))
  ],
  // `agent_type` is the read alias of `agent_role`, never written by G2.
  [CollabEvents.CollabAgentRef, derive(CollabEvents.CollabAgentRef, leaves).map(omit(["agent_type"]))],
  [CollabEvents.CollabAgentStatusEntry, derive(CollabEvents.CollabAgentStatusEntry, leaves).map(omit(["agent_type"]))],
  // A commit target's `title` is G3.
  [ReviewEvents.ReviewTarget, derive(ReviewEvents.ReviewTarget, leaves).map(omit(["title"]))]
]

// ---------------------------------------------------------------------------------------------
// response_item: every G2 variant. No ids were written in G2 (write-skipped, spec §3.2) except on
// `image_generation_call`, whose `id` the G2 schema requires. Not G2: `additional_tools`,
// `agent_message`, `configuration_update`, `compaction_trigger`, `context_compaction`, and the
// read alias `compaction_summary` (never written). G3 (or G2.9) fields on every variant:
// `internal_chat_message_metadata_passthrough`, `encrypted_content` (except on reasoning and
// compaction), `message.status`, `function_call.status` / `encrypted_function_args`,
// `function_call_output.name` / `namespace`, `custom_tool_call.namespace` and
// `custom_tool_call_output.name`.

const G3_ITEM_FIELDS = ["id", "internal_chat_message_metadata_passthrough"]

/** Per variant: the G3 fields left out beyond {@link G3_ITEM_FIELDS}, and the fields G2 required. */
const responseItemVariants: ReadonlyArray<readonly [Schema.Top, ReadonlyArray<string>, ReadonlyArray<string>]> = [
  [ResponseItem.Message, ["encrypted_content", "status"], []],
  [ResponseItem.Reasoning, [], []],
  [ResponseItem.LocalShellCall, ["encrypted_content"], []],
  [ResponseItem.FunctionCall, ["encrypted_content", "status", "encrypted_function_args"], []],
  [ResponseItem.ToolSearchCall, ["encrypted_content"], []],
  // `call_id` became optional in G3.
  [ResponseItem.FunctionCallOutput, ["name", "namespace"], ["call_id"]],
  [ResponseItem.CustomToolCall, ["encrypted_content", "namespace"], []],
  [ResponseItem.CustomToolCallOutput, ["name"], []],
  [ResponseItem.ToolSearchOutput, [], []],
  [ResponseItem.WebSearchCall, ["encrypted_content"], []],
  [ResponseItem.Compaction, [], []],
  [ResponseItem.GhostSnapshot, [], []]
]

/** G2 wrote every field of a ghost commit (`parent` as null when absent). */
const ghostCommit = derive(ResponseItem.GhostCommit, leaves).filter(having(["parent", "preexisting_untracked_files", "preexisting_untracked_dirs"]))

const responseItems: ReadonlyArray<readonly [string, fc.Arbitrary<unknown>]> = [
  ...responseItemVariants.map(
    ([schema, g3, required]) =>
      [
        Wire.tagOf(schema),
        derive(schema, [...nested, [ResponseItem.GhostCommit, ghostCommit]])
          .filter(having(required))
          .map(omit([...G3_ITEM_FIELDS, ...g3]))
      ] as const
  ),
  [
    "image_generation_call",
    derive(ResponseItem.ImageGenerationCall, nested)
      .filter(having(["id"]))
      .map(omit(["encrypted_content", "internal_chat_message_metadata_passthrough"]))
  ]
]

const responseItem = fc.oneof(...responseItems.map(([, arb]) => arb))

// ---------------------------------------------------------------------------------------------
// session_meta: G2 had `id`, `forked_from_id`, `timestamp`, `cwd`, `originator`, `cli_version`,
// `source`, `agent_nickname`, `agent_role`, `model_provider`, `base_instructions`,
// `dynamic_tools`, `memory_mode` and `git` (spec §2.1); every other field of ours is G3 (or the
// G1 `instructions`, or the read alias `agent_type`). `base_instructions.provenance` is G3.
// `dynamic_tools` is left out: opaque in our schema (see the module comment).

const G2_SESSION_META = [
  "id",
  "forked_from_id",
  "timestamp",
  "cwd",
  "originator",
  "cli_version",
  "source",
  "agent_nickname",
  "agent_role",
  "model_provider",
  "base_instructions",
  "memory_mode",
  "git"
]

/** G2 sources: no `custom` / `internal`; a spawned agent had no `agent_path` yet. */
const sessionSource = fc.oneof(
  fc.constantFrom("cli", "vscode", "exec", "mcp", "unknown"),
  fc.record({
    subagent: fc.oneof(
      fc.constantFrom("review", "compact", "memory_consolidation"),
      fc.record({ thread_spawn: derive(SessionMeta.ThreadSpawn, leaves).map(omit(["agent_path", "agent_type"])) }),
      fc.record({ other: fc.string() })
    )
  })
)

const sessionMeta = derive(SessionMeta.SessionMetaLine, [
  ...leaves,
  [SessionMeta.SessionSource, sessionSource],
  [SessionMeta.BaseInstructions, derive(SessionMeta.BaseInstructions, leaves).map(omit(["provenance"]))]
]).map((meta) => Object.fromEntries(Object.entries(meta as Obj).filter(([k]) => G2_SESSION_META.includes(k))))

// ---------------------------------------------------------------------------------------------
// compacted: G2 had `message` and `replacement_history` (of G2 response items) only.

const compacted = derive(Compacted.CompactedItem, [...nested, [ResponseItem.AnyResponseItem, responseItem]]).map((item) =>
  Object.fromEntries(Object.entries(item as Obj).filter(([k]) => k === "message" || k === "replacement_history"))
)

// ---------------------------------------------------------------------------------------------
// turn_context: G3 added `root_turn_id`, `disabled_plugin_ids`, `approvals_reviewer`,
// `permission_profile`, `active_permission_profile`, `file_system_sandbox_policy`, `comp_hash`,
// `multi_agent_version`, `cyber_access_program`; `summary` was required in G2.

const G3_TURN_CONTEXT = [
  "root_turn_id",
  "disabled_plugin_ids",
  "approvals_reviewer",
  "permission_profile",
  "active_permission_profile",
  "file_system_sandbox_policy",
  "comp_hash",
  "multi_agent_version",
  "cyber_access_program"
]

const turnContext = withField(
  derive(TurnContext.TurnContextItem, [
    ...leaves,
    [TurnContext.CollaborationMode, withField(derive(TurnContext.CollaborationMode, leaves), "mode", modeKind)],
    // `access` / `read_only_access` are opaque in our schema (see the module comment).
    [TurnContext.SandboxPolicy.schema, derive(TurnContext.SandboxPolicy.schema, leaves).map(omit(["access", "read_only_access"]))]
  ])
    .filter(having(["summary"]))
    .map(omit(G3_TURN_CONTEXT)),
  // An open string in our schema; G2's Personality enum.
  "personality",
  fc.constantFrom("none", "friendly", "pragmatic")
)

// ---------------------------------------------------------------------------------------------
// event_msg: the events a G2 recorder persisted (spec §4.3, policy 1, Limited and Extended modes),
// since only those appear in G2 rollout lines. `injected_message` and `guardian_assessment` were
// persisted too but are not in the reference's EventMsg. Per tag: the G3 additions left out, and
// the fields optional in our schema (later generations dropped or defaulted them) that G2 required.

const events: ReadonlyArray<readonly [string, ReadonlyArray<string>, ReadonlyArray<string>]> = [
  ["user_message", ["client_id", "kind", "image_details", "file_ids", "file_id_details", "image_order", "local_image_details", "audio", "local_audio"], []],
  ["agent_message", ["memory_citation", "delivery", "questions"], []],
  ["agent_reasoning", [], []],
  ["agent_reasoning_raw_content", [], []],
  ["token_count", [], []],
  ["thread_name_updated", [], []],
  ["context_compacted", [], []],
  ["entered_review_mode", ["turn_id", "item_id"], []],
  ["exited_review_mode", ["turn_id", "item_id"], []],
  ["thread_rolled_back", [], []],
  ["undo_completed", [], []],
  ["turn_aborted", ["root_turn_id", "error", "started_at", "completed_at", "duration_ms"], []],
  ["task_started", ["turn_attribution", "root_turn_id", "trace_id", "started_at"], []],
  ["task_complete", ["root_turn_id", "error", "started_at", "completed_at", "duration_ms", "time_to_first_token_ms"], []],
  ["image_generation_end", ["transparent_background"], []],
  // G2 persisted `item_completed` only for a Plan item.
  ["item_completed", ["started_at_ms", "completed_at_ms"], []],
  ["error", [], []],
  // `results` is G3.
  ["web_search_end", ["results"], []],
  ["exec_command_end", ["plugin_id", "script_path", "completed_at_ms"], ["stdout", "stderr", "formatted_output"]],
  ["patch_apply_end", [], []],
  [
    "mcp_tool_call_end",
    ["turn_id", "connector_id", "mcp_app_resource_uri", "mcp_app_ui", "link_id", "app_name", "action_name", "plugin_id", "read_only_hint"],
    []
  ],
  ["view_image_tool_call", [], []],
  ["collab_agent_spawn_end", ["completed_at_ms"], []],
  ["collab_agent_interaction_end", ["completed_at_ms"], []],
  ["collab_waiting_end", ["completed_at_ms"], []],
  ["collab_close_end", ["completed_at_ms"], []],
  ["collab_resume_end", ["completed_at_ms"], []],
  ["dynamic_tool_call_request", ["startedAtMs", "namespace"], []],
  ["dynamic_tool_call_response", ["completed_at_ms", "namespace"], []]
]

/** The G2 tags this file generates. */
export const eventTags: ReadonlyArray<string> = events.map(([tag]) => tag)

const eventMember = (tag: string): Schema.Top => {
  const member = EventMsg.EventMsg.schema.members.find((m) => Wire.tagOf(m) === tag)
  if (member === undefined) throw new Error(`no EventMsg member ${tag}`)
  return member
}

/** A G2 web search action: our WebSearchAction (G2's, since `queries` existed), for opaque `action` fields. */
const webSearchAction = derive(ResponseItem.WebSearchAction, leaves)

const eventOverrides: ReadonlyArray<Override> = [...nested, [TurnItem.TurnItem, derive(TurnItem.Plan, leaves)]]

const event = (tag: string): fc.Arbitrary<unknown> => {
  const [, g3, required] = events.find(([t]) => t === tag) ?? [tag, [], []]
  const base = derive(eventMember(tag), eventOverrides).filter(having(required)).map(omit(g3))
  switch (tag) {
    case "web_search_end":
      return withField(base, "action", webSearchAction)
    case "collab_agent_spawn_end":
      return withField(base, "reasoning_effort", g2Effort)
    default:
      return base
  }
}

// ---------------------------------------------------------------------------------------------
// Lines: the G2 envelope has no `ordinal` and no `metadata` (both G3).

const timestamp = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 5, 30) }).map(RolloutLine.timestamp)

const line = (schema: Schema.Top, payloadSchema: Schema.Top, payload: fc.Arbitrary<unknown>): fc.Arbitrary<RolloutLine.RolloutLine> =>
  withField(derive(schema, [[payloadSchema, payload]]).map(omit(["ordinal", "metadata"])), "timestamp", timestamp) as fc.Arbitrary<RolloutLine.RolloutLine>

/** One arbitrary per G2 line kind (`event_msg/<tag>` per event), named. */
export const lines: ReadonlyArray<readonly [string, fc.Arbitrary<RolloutLine.RolloutLine>]> = [
  ["session_meta", line(RolloutLine.SessionMetaLine, SessionMeta.SessionMetaLine, sessionMeta)],
  ...responseItems.map(([tag, item]) => [`response_item/${tag}`, line(RolloutLine.ResponseItemLine, ResponseItem.ResponseItem.schema, item)] as const),
  ["compacted", line(RolloutLine.CompactedLine, Compacted.CompactedItem, compacted)],
  ["turn_context", line(RolloutLine.TurnContextLine, TurnContext.TurnContextItem, turnContext)],
  ...eventTags.map((tag) => [`event_msg/${tag}`, line(RolloutLine.EventMsgLine, EventMsg.EventMsg.schema, event(tag))] as const)
]
