/**
 * Typing lines for statistics, fast. The hot lines of a rollout (turn contexts, token counts, turn
 * start and end, tool calls and their outputs) are usually plain: only fields the protocol schema declares, each
 * of the schema's JSON type. Such a line, checked here on every one of its fields, already is what
 * `RolloutLine.decode` would give, so it is used as parsed; a full Effect Schema decode of each
 * would cost several times the JSON parse. Anything else — another line type, an unknown or nested
 * field this module does not check, a value of a surprising type — goes through the full
 * `RolloutLine.decode`, so a malformed line is reported as invalid exactly as the slow path does.
 * It never accepts a line the schema rejects (a property test checks it against the decoder).
 *
 * The mechanism (combinators, own-key lookups, the envelope) is `FastView` (protocol); this module
 * is only the stats tables. `HotLines` (reduce) declares thread history's, over other shapes
 * (`user_message`, `agent_message`; no turn contexts, token counts or tool calls), so the two
 * tables are kept apart. This is not a validator: `rollout validate` reports every field.
 */
import * as FastView from "@rollout/protocol/FastView"
import * as RolloutLine from "@rollout/protocol/RolloutLine"

const { bool, int, json, nullOr, num, oneOf, str, strings, struct, tagged } = FastView

type Check = FastView.Check

const usage = struct({
  input_tokens: [int, true],
  cached_input_tokens: [int, true],
  cache_write_input_tokens: [int, false],
  output_tokens: [int, true],
  reasoning_output_tokens: [int, true],
  total_tokens: [int, true]
})

const window = struct({ used_percent: [num, true], window_minutes: [nullOr(int), false], resets_at: [nullOr(int), false] })

const rateLimits = struct({
  limit_id: [nullOr(str), false],
  limit_name: [nullOr(str), false],
  normal_model_slug: [str, false],
  primary: [nullOr(window), false],
  secondary: [nullOr(window), false],
  credits: [nullOr(struct({ has_credits: [bool, true], unlimited: [bool, true], balance: [nullOr(str), true] })), false],
  individual_limit: [
    nullOr(struct({ limit: [str, true], used: [str, true], remaining_percent: [int, true], resets_at: [int, true] })),
    false
  ],
  spend_control_reached: [nullOr(bool), false],
  // An open enum: any string.
  plan_type: [nullOr(str), false],
  rate_limit_reached_type: [
    nullOr(
      oneOf([
        "rate_limit_reached",
        "workspace_owner_credits_depleted",
        "workspace_member_credits_depleted",
        "workspace_owner_usage_limit_reached",
        "workspace_member_usage_limit_reached"
      ])
    ),
    false
  ]
})

const info = struct({
  total_token_usage: [usage, true],
  last_token_usage: [usage, true],
  last_usage_includes_reasoning: [bool, false],
  model_context_window: [nullOr(int), true]
})

const taskStarted = FastView.turnEvents.taskStarted
const taskComplete = FastView.turnEvents.taskComplete

const passthrough = struct({
  turn_id: [str, false],
  create_time: [num, false],
  content_item_kinds: [json, false],
  cell_id: [json, false],
  tool_calls_complete: [json, false],
  executed_tool_calls: [json, false]
})

// The array form holds content items (an image has a cross-field rule): left to the decoder.
const legacyOutput = struct({ content: [str, true], success: [nullOr(bool), false] })
const output: Check = (v) => typeof v === "string" || legacyOutput(v)

const events: Readonly<Record<string, FastView.Fields>> = {
  token_count: { info: [nullOr(info), false], rate_limits: [nullOr(rateLimits), false] },
  task_started: taskStarted,
  turn_started: taskStarted,
  task_complete: taskComplete,
  turn_complete: taskComplete
}

const items: Readonly<Record<string, FastView.Fields>> = {
  function_call: {
    encrypted_content: [str, false],
    status: [str, false],
    id: [str, false],
    name: [str, true],
    namespace: [str, false],
    arguments: [str, true],
    encrypted_function_args: [strings, false],
    call_id: [str, true],
    internal_chat_message_metadata_passthrough: [passthrough, false]
  },
  custom_tool_call: {
    encrypted_content: [str, false],
    id: [str, false],
    status: [str, false],
    call_id: [str, true],
    name: [str, true],
    namespace: [str, false],
    input: [str, true],
    internal_chat_message_metadata_passthrough: [passthrough, false]
  },
  function_call_output: {
    id: [str, false],
    call_id: [str, false],
    name: [str, false],
    namespace: [str, false],
    output: [output, true],
    internal_chat_message_metadata_passthrough: [passthrough, false]
  },
  custom_tool_call_output: {
    id: [str, false],
    call_id: [str, true],
    name: [str, false],
    output: [output, true],
    internal_chat_message_metadata_passthrough: [passthrough, false]
  }
}

const effort: Check = (v) => typeof v === "string" && v.length > 0

const sandboxPolicy = tagged({
  "danger-full-access": {},
  "read-only": { access: [json, false], network_access: [bool, false] },
  "external-sandbox": { network_access: [oneOf(["restricted", "enabled"]), false] },
  "workspace-write": {
    writable_roots: [strings, false],
    read_only_access: [json, false],
    network_access: [bool, false],
    exclude_tmpdir_env_var: [bool, false],
    exclude_slash_tmp: [bool, false]
  }
})

const granular = struct({
  granular: [
    struct({ sandbox_approval: [bool, true], rules: [bool, true], skill_approval: [bool, false], request_permissions: [bool, false], mcp_elicitations: [bool, true] }),
    true
  ]
})
const approvalLevel = oneOf(["untrusted", "on-failure", "on-request", "never"])

/** The payload of a `turn_context` line. The permission objects are opaque JSON in the schema too. */
const turnContext = struct({
  turn_id: [str, false],
  root_turn_id: [str, false],
  trace_id: [str, false],
  disabled_plugin_ids: [strings, false],
  cwd: [str, true],
  current_date: [str, false],
  timezone: [str, false],
  approval_policy: [(v) => approvalLevel(v) || granular(v), true],
  approvals_reviewer: [str, false],
  permission_profile: [json, false],
  active_permission_profile: [struct({ id: [str, true], extends: [json, false] }), false],
  network: [struct({ allowed_domains: [strings, true], denied_domains: [strings, true] }), false],
  file_system_sandbox_policy: [json, false],
  model: [str, true],
  comp_hash: [str, false],
  personality: [str, false],
  collaboration_mode: [
    struct({
      mode: [str, true],
      settings: [struct({ model: [str, true], reasoning_effort: [nullOr(effort), false], developer_instructions: [nullOr(str), false] }), true]
    }),
    false
  ],
  multi_agent_version: [str, false],
  realtime_active: [bool, false],
  cyber_access_program: [json, false],
  effort: [effort, false],
  summary: [oneOf(["auto", "concise", "detailed", "none"]), false],
  sandbox_policy: [sandboxPolicy, true],
  user_instructions: [str, false],
  developer_instructions: [str, false],
  final_output_json_schema: [json, false],
  truncation_policy: [struct({ mode: [oneOf(["bytes", "tokens"]), true], limit: [int, true] }), false]
})

/** The line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make(
  { event_msg: tagged(events), response_item: tagged(items), turn_context: turnContext },
  // Any metadata is opaque JSON in the schema.
  { ordinal: int, metadata: json }
)

/** The line, typed: as parsed when it is a plain hot line, else by the full schema decode. */
export const decode = (value: Record<string, unknown>): RolloutLine.Decoded => {
  const line = view(value)
  return line !== undefined ? { _tag: "Known", line } : RolloutLine.decode(value)
}
