/**
 * The tool and review turn items that only paginated rollouts persist (`item_completed` of
 * `CommandExecution`, `FileChange`, `DynamicToolCall`, `CollabAgentToolCall`, `ImageGeneration`,
 * `EnteredReviewMode`, `ExitedReviewMode`), and an `AgentMessage`'s `moderation`. Field names are
 * snake_case and in the order Codex writes them (checked against 0.169–0.171 recordings); enum
 * values Codex may extend are open. Re-exported by `TurnItem`; the v2 ThreadItem is elsewhere.
 */
import { Schema } from "effect"
import { Duration } from "../Duration.js"
import { ReviewOutput, ReviewTarget } from "../ReviewEvents.js"
import { DynamicToolContentItem, ExecCommandSource, FileChanges, ParsedCommand } from "../ToolEvents.js"
import * as Wire from "../Wire.js"

/** A Rust `Option`: omitted when none, and `null` reads as none too. */
const opt = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

/** `in_progress` never reaches a completed item in practice; any other value is kept. */
const Status = Wire.openLiterals(["in_progress", "completed", "failed", "declined"])

/** `cwd` is a `file://` URI. Output fields are omitted when Codex has none. */
export const CommandExecution = Wire.tagged("CommandExecution", {
  id: Schema.String,
  process_id: opt(Schema.String),
  command: Schema.Array(Schema.String),
  cwd: Schema.String,
  parsed_cmd: Schema.Array(ParsedCommand),
  source: Wire.openLiterals(ExecCommandSource.literals),
  interaction_input: opt(Schema.String),
  status: Status,
  stdout: opt(Schema.String),
  stderr: opt(Schema.String),
  aggregated_output: opt(Schema.String),
  exit_code: opt(Wire.Int),
  duration: opt(Duration),
  formatted_output: opt(Schema.String)
})

/** An `apply_patch`: path → change (a hash map in Codex; the order read is kept). */
export const FileChange = Wire.tagged("FileChange", {
  id: Schema.String,
  changes: FileChanges,
  status: opt(Status),
  auto_approved: opt(Schema.Boolean),
  stdout: opt(Schema.String),
  stderr: opt(Schema.String)
})

/** A client-side dynamic tool; its content items carry 🐪 tags as in `dynamic_tool_call_response`. */
export const DynamicToolCall = Wire.tagged("DynamicToolCall", {
  id: Schema.String,
  namespace: opt(Schema.String),
  tool: Schema.String,
  arguments: Wire.Json,
  status: Status,
  content_items: opt(Schema.Array(DynamicToolContentItem)),
  success: opt(Schema.Boolean),
  error: opt(Schema.String),
  duration: opt(Duration)
})

/** A multi-agent v1 tool call. `receiver_agents` entries and agent states are kept as parsed. */
export const CollabAgentToolCall = Wire.tagged("CollabAgentToolCall", {
  id: Schema.String,
  tool: Wire.openLiterals(["spawn_agent", "send_input", "resume_agent", "wait", "close_agent"]),
  status: Status,
  sender_thread_id: Schema.String,
  receiver_thread_ids: Schema.optionalKey(Schema.Array(Schema.String)),
  receiver_agents: Schema.optionalKey(Schema.Array(Wire.Json)),
  prompt: opt(Schema.String),
  model: opt(Schema.String),
  reasoning_effort: opt(Schema.String),
  /** Thread id → agent status (a hash map in Codex). */
  agents_states: Schema.optionalKey(Schema.Record(Schema.String, Wire.Json))
})

/** The hosted image tool, as `image_generation_end` carries it; `result` is the base64 image. */
export const ImageGeneration = Wire.tagged("ImageGeneration", {
  id: Schema.String,
  status: Schema.String,
  revised_prompt: opt(Schema.String),
  result: Schema.String,
  transparent_background: Schema.optionalKey(Wire.Json),
  saved_path: opt(Schema.String)
})

export const EnteredReviewMode = Wire.tagged("EnteredReviewMode", {
  id: Schema.String,
  target: ReviewTarget,
  user_facing_hint: opt(Schema.String)
})

export const ExitedReviewMode = Wire.tagged("ExitedReviewMode", { id: Schema.String, review_output: Schema.NullOr(ReviewOutput) })

const withMode = <const M extends string, const Fields extends Schema.Struct.Fields>(mode: M, fields: Fields) =>
  Wire.struct({ mode: Schema.Literal(mode), version: Wire.Int, ...fields })

const knownKinds: ReadonlySet<string> = new Set(["protection", "cyber"])
const BlockReason = Schema.Union([
  Wire.struct({ kind: Schema.Literal("protection"), protectionType: Schema.String }),
  Wire.struct({ kind: Schema.Literal("cyber"), trustedAccess: Schema.optionalKey(Schema.NullOr(Schema.Boolean)) }),
  Wire.struct({ kind: Schema.String.check(Schema.makeFilter((k: string) => !knownKinds.has(k), { expected: "a block reason kind without a typed schema" })) })
])

const knownModes: ReadonlySet<string> = new Set(["show", "hide", "block"])

/**
 * 🐪 How a client shows a moderated answer: 0.170's union on `mode` (`trustedContacts` before
 * `annotation` here, unlike v2), 0.169's flat shape with `action`, or a mode this version does not type.
 */
export const ModerationDisplay = Schema.Union([
  withMode("show", {
    trustedContacts: Wire.openLiterals(["check", "skip"]),
    annotation: Schema.optionalKey(Schema.NullOr(Wire.struct({ kind: Schema.String, subject: Schema.String })))
  }),
  withMode("hide", { replacement: Wire.struct({ kind: Schema.String }) }),
  withMode("block", { reason: BlockReason }),
  Wire.struct({
    action: Schema.String,
    blockType: Schema.optionalKey(Schema.NullOr(Schema.String)),
    checkTrustedContacts: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
    cyberTrustedAccess: Schema.optionalKey(Schema.NullOr(Schema.Boolean))
  }),
  Wire.struct({ mode: Schema.String.check(Schema.makeFilter((m: string) => !knownModes.has(m), { expected: "a display mode without a typed schema" })) })
])

export const Moderation = Wire.struct({ moderated: Schema.Boolean, display: Schema.optionalKey(Schema.NullOr(ModerationDisplay)) })
