/**
 * SessionMeta: the payload of a `session_meta` line (all SessionMeta fields in G3 declaration
 * order, then `git`), with SessionSource, BaseInstructions, GitInfo, HistoryMode and HistoryBase.
 * Read defaults Codex applies (`session_id` from `id`, `source` = `vscode`, `history_mode` =
 * `legacy`, `agent_type` → `agent_role`) are not applied here: the typed view keeps what the line
 * says, so older lines re-encode byte for byte. This module does not pick the canonical
 * `session_meta` of a file (the first one is; later ones are fork history).
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

/** Which history layout the thread uses. Closed: Codex rejects a file whose mode it does not know. */
export const HistoryMode = Schema.Literals(["legacy", "paginated"])
export type HistoryMode = typeof HistoryMode.Type

/** Where a paginated thread's inherited history ends. */
export const HistoryBase = Wire.struct({
  thread_id: Schema.String,
  end_ordinal_exclusive: Wire.Int,
  end_byte_offset: Wire.Int
})
export type HistoryBase = typeof HistoryBase.Type

/** The repository state at session start. Codex strips credentials from the URL on read. */
export const GitInfo = Wire.struct({
  commit_hash: Schema.optionalKey(Schema.String),
  branch: Schema.optionalKey(Schema.String),
  repository_url: Schema.optionalKey(Schema.String)
})
export type GitInfo = typeof GitInfo.Type

/** Where base instructions came from (G3). */
export const BaseInstructionsProvenance = Schema.Union([Wire.tagged("custom", {}), Wire.tagged("model", { model: Schema.String })])
export type BaseInstructionsProvenance = typeof BaseInstructionsProvenance.Type

export const BaseInstructions = Wire.struct({
  text: Schema.String,
  provenance: Schema.optionalKey(BaseInstructionsProvenance)
})
export type BaseInstructions = typeof BaseInstructions.Type

/**
 * A sub-agent spawned by another thread. G3 always writes `agent_path`, `agent_nickname` and
 * `agent_role` (null when absent); older lines may lack them, or spell `agent_role` as
 * `agent_type`, so all four are optional on read. Build new values with {@link threadSpawn}.
 */
export const ThreadSpawn = Wire.struct({
  parent_thread_id: Schema.String,
  depth: Wire.Int,
  agent_path: Schema.optionalKey(Schema.NullOr(Schema.String)),
  agent_nickname: Schema.optionalKey(Schema.NullOr(Schema.String)),
  agent_role: Schema.optionalKey(Schema.NullOr(Schema.String)),
  /** Read alias of `agent_role` in older lines; kept as written. */
  agent_type: Schema.optionalKey(Schema.NullOr(Schema.String))
})
export type ThreadSpawn = typeof ThreadSpawn.Type

/** A `thread_spawn` value the way G3 writes it: the three agent fields always present. */
export const threadSpawn = (spawn: {
  readonly parent_thread_id: string
  readonly depth: number
  readonly agent_path?: string | null
  readonly agent_nickname?: string | null
  readonly agent_role?: string | null
}): ThreadSpawn => ({
  parent_thread_id: spawn.parent_thread_id,
  depth: spawn.depth,
  agent_path: spawn.agent_path ?? null,
  agent_nickname: spawn.agent_nickname ?? null,
  agent_role: spawn.agent_role ?? null
})

/** Externally tagged: a plain string, or a single-key object. */
export const SubAgentSource = Schema.Union([
  Wire.openLiterals(["review", "compact", "memory_consolidation"]),
  Schema.Struct({ thread_spawn: ThreadSpawn }),
  Schema.Struct({ other: Schema.String })
])
export type SubAgentSource = typeof SubAgentSource.Type

/**
 * Who started the session. Any unrecognised plain string is Codex's `unknown`; it is kept as
 * written (Codex itself writes `"unknown"`).
 */
export const SessionSource = Schema.Union([
  Wire.openLiterals(["cli", "vscode", "exec", "mcp", "unknown"]),
  Schema.Struct({ custom: Schema.String }),
  Schema.Struct({ internal: Wire.openLiterals(["memory_consolidation", "guardian"]) }),
  Schema.Struct({ subagent: SubAgentSource })
])
export type SessionSource = typeof SessionSource.Type

/** The `context_window` of a session that starts inside a known window. */
export const ContextWindowRef = Wire.struct({ window_id: Schema.String })

/** The payload of a `session_meta` line. */
export const SessionMetaLine = Wire.struct({
  /** Written first by Codex 0.169 (seen in real rollouts; absent from the spec). */
  account_scoped: Schema.optionalKey(Schema.Boolean),
  creator_user_id: Schema.optionalKey(Schema.String),
  creator_account_id: Schema.optionalKey(Schema.String),
  /** Always written in G3; missing in older lines (Codex then uses `id`). */
  session_id: Schema.optionalKey(Schema.String),
  id: Schema.String,
  forked_from_id: Schema.optionalKey(Schema.String),
  forked_from_ordinal_exclusive: Schema.optionalKey(Wire.Int),
  parent_thread_id: Schema.optionalKey(Schema.String),
  /** Session start, UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  timestamp: Schema.String,
  cwd: Schema.String,
  runtime_workspace_roots: Schema.optionalKey(Schema.Array(Schema.String)),
  originator: Schema.String,
  cli_version: Schema.String,
  /** Earliest G1 builds only; ignored by Codex. */
  instructions: Schema.optionalKey(Schema.NullOr(Schema.String)),
  /** Always written by Codex; missing in G1 lines (Codex then reads `vscode`). */
  source: Schema.optionalKey(SessionSource),
  thread_source: Schema.optionalKey(Schema.String),
  agent_nickname: Schema.optionalKey(Schema.String),
  agent_role: Schema.optionalKey(Schema.String),
  /** Read alias of `agent_role` in older lines; kept as written. */
  agent_type: Schema.optionalKey(Schema.String),
  agent_path: Schema.optionalKey(Schema.String),
  /** Always written since G2 (null when absent); missing in G1 lines. */
  model_provider: Schema.optionalKey(Schema.NullOr(Schema.String)),
  /** Always written since G2 (null when absent); missing in G1 lines. */
  base_instructions: Schema.optionalKey(Schema.NullOr(BaseInstructions)),
  /** Opaque: Codex normalises legacy flat specs on read; we keep them as written. */
  dynamic_tools: Schema.optionalKey(Schema.Array(Wire.Json)),
  /** Omitted when empty. */
  selected_capability_roots: Schema.optionalKey(Schema.Array(Wire.Json)),
  memory_mode: Schema.optionalKey(Schema.String),
  /** Always written in G3; missing before (Codex then reads `legacy`). */
  history_mode: Schema.optionalKey(HistoryMode),
  history_base: Schema.optionalKey(HistoryBase),
  subagent_history_start_ordinal: Schema.optionalKey(Wire.Int),
  multi_agent_version: Schema.optionalKey(Schema.Literals(["disabled", "v1", "v2"])),
  context_window: Schema.optionalKey(ContextWindowRef),
  git: Schema.optionalKey(GitInfo)
})
export type SessionMetaLine = typeof SessionMetaLine.Type
