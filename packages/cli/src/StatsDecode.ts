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
 * `HotLines` (reduce) is the same idea for thread history, but over other shapes (`user_message`,
 * `agent_message`; no turn contexts, token counts or tool calls), so the two tables are kept apart.
 * This is not a validator: `rollout validate` reports every field.
 */
import * as RolloutLine from "@rollout/protocol/RolloutLine"

type Check = (v: unknown) => boolean
/** Allowed fields and their checks, and how many are required. Any other field is not fast. */
interface Shape {
  /** Without a prototype: a field named `constructor` or `__proto__` finds no check. */
  readonly fields: Readonly<Record<string, { readonly check: Check; readonly required: boolean } | undefined>>
  readonly required: number
}

const str: Check = (v) => typeof v === "string"
const int: Check = (v) => Number.isSafeInteger(v)
const num: Check = (v) => typeof v === "number"
const bool: Check = (v) => typeof v === "boolean"
/** An opaque JSON field: whatever `JSON.parse` gave is valid. */
const json: Check = () => true
const nullOr = (c: Check): Check => (v) => v === null || c(v)
const oneOf = (values: ReadonlyArray<string>): Check => (v) => typeof v === "string" && values.includes(v)
const strings: Check = (v) => Array.isArray(v) && v.every(str)

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const shape = (fields: Record<string, readonly [Check, boolean]>): Shape => {
  const entries = Object.entries(fields)
  const table: Record<string, { readonly check: Check; readonly required: boolean }> = Object.create(null)
  for (const [name, [check, required]] of entries) table[name] = { check, required }
  return {
    fields: table,
    required: entries.filter(([, [, required]]) => required).length
  }
}

/** Whether `v` has only `s`'s fields, each passing its check, and all its required ones. */
const fits = (s: Shape, v: Record<string, unknown>, skip?: string): boolean => {
  let required = 0
  for (const key in v) {
    if (key === skip) continue
    const field = s.fields[key]
    if (field === undefined || !field.check(v[key])) return false
    if (field.required) required++
  }
  return required === s.required
}

const struct = (fields: Record<string, readonly [Check, boolean]>): Check => {
  const s = shape(fields)
  return (v) => isObj(v) && fits(s, v)
}

/** A member of a tagged family: the shape its `type` names, `type` itself being matched by the lookup. */
const tagged = (members: ReadonlyMap<string, Shape>): Check => (v) => {
  if (!isObj(v)) return false
  const tag = v["type"]
  const s = typeof tag === "string" ? members.get(tag) : undefined
  return s !== undefined && fits(s, v, "type")
}

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

const taskStarted = shape({
  turn_attribution: [json, false],
  turn_id: [str, true],
  root_turn_id: [str, false],
  trace_id: [str, false],
  started_at: [int, false],
  model_context_window: [nullOr(int), true],
  collaboration_mode_kind: [oneOf(["default", "plan", "code", "pair_programming", "execute", "custom"]), false]
})

// `error` (a CodexErrorInfo) is nested: a failed turn is left to the decoder.
const taskComplete = shape({
  root_turn_id: [str, false],
  turn_id: [str, true],
  last_agent_message: [nullOr(str), true],
  started_at: [int, false],
  completed_at: [int, false],
  duration_ms: [int, false],
  time_to_first_token_ms: [int, false]
})

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

const events: ReadonlyMap<string, Shape> = new Map([
  ["token_count", shape({ info: [nullOr(info), false], rate_limits: [nullOr(rateLimits), false] })],
  ["task_started", taskStarted],
  ["turn_started", taskStarted],
  ["task_complete", taskComplete],
  ["turn_complete", taskComplete]
])

const items: ReadonlyMap<string, Shape> = new Map([
  [
    "function_call",
    shape({
      encrypted_content: [str, false],
      status: [str, false],
      id: [str, false],
      name: [str, true],
      namespace: [str, false],
      arguments: [str, true],
      encrypted_function_args: [strings, false],
      call_id: [str, true],
      internal_chat_message_metadata_passthrough: [passthrough, false]
    })
  ],
  [
    "custom_tool_call",
    shape({
      encrypted_content: [str, false],
      id: [str, false],
      status: [str, false],
      call_id: [str, true],
      name: [str, true],
      namespace: [str, false],
      input: [str, true],
      internal_chat_message_metadata_passthrough: [passthrough, false]
    })
  ],
  [
    "function_call_output",
    shape({
      id: [str, false],
      call_id: [str, false],
      name: [str, false],
      namespace: [str, false],
      output: [output, true],
      internal_chat_message_metadata_passthrough: [passthrough, false]
    })
  ],
  [
    "custom_tool_call_output",
    shape({
      id: [str, false],
      call_id: [str, true],
      name: [str, false],
      output: [output, true],
      internal_chat_message_metadata_passthrough: [passthrough, false]
    })
  ]
])

const effort: Check = (v) => typeof v === "string" && v.length > 0

const sandboxPolicy = tagged(
  new Map([
    ["danger-full-access", shape({})],
    ["read-only", shape({ access: [json, false], network_access: [bool, false] })],
    ["external-sandbox", shape({ network_access: [oneOf(["restricted", "enabled"]), false] })],
    [
      "workspace-write",
      shape({
        writable_roots: [strings, false],
        read_only_access: [json, false],
        network_access: [bool, false],
        exclude_tmpdir_env_var: [bool, false],
        exclude_slash_tmp: [bool, false]
      })
    ]
  ])
)

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

const families: ReadonlyMap<unknown, Check> = new Map([
  ["event_msg", tagged(events)],
  ["response_item", tagged(items)],
  ["turn_context", turnContext]
])

/** The line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view = (value: Record<string, unknown>): RolloutLine.RolloutLine | undefined => {
  const payload = families.get(value["type"])
  if (payload === undefined || typeof value["timestamp"] !== "string") return undefined
  for (const key in value) {
    if (key === "timestamp" || key === "type" || key === "payload" || key === "metadata") continue
    if (key !== "ordinal" || !int(value[key])) return undefined
  }
  return payload(value["payload"]) ? (value as unknown as RolloutLine.RolloutLine) : undefined
}

/** The line, typed: as parsed when it is a plain hot line, else by the full schema decode. */
export const decode = (value: Record<string, unknown>): RolloutLine.Decoded => {
  const line = view(value)
  return line !== undefined ? { _tag: "Known", line } : RolloutLine.decode(value)
}
