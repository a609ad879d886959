/**
 * The statistics of one rollout file as plain data: tokens by day and model, turns, tool calls,
 * errors, sub-agent activity, which thread the file is and what it forked from. It is small
 * whatever the file's size, so workers send it back and `StatsReport` merges many of them. The
 * fold that produces it is `StatsBuilder`; this module holds the shapes and how they add up.
 */
import * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadSummary from "./ThreadSummary.js"
import * as StatsTokens from "./StatsTokens.js"
import type * as StatsTools from "./internal/StatsTools.js"

type Tokens = StatsTokens.Tokens

/** What one bucket (a day and a model) adds up. */
export interface Bucket {
  readonly tokens: Tokens
  readonly turns: number
  readonly toolCalls: number
  readonly errors: number
}

export const emptyBucket: Bucket = { tokens: StatsTokens.zero, turns: 0, toolCalls: 0, errors: 0 }

export const addBucket = (a: Bucket, b: Bucket): Bucket => ({
  tokens: StatsTokens.add(a.tokens, b.tokens),
  turns: a.turns + b.turns,
  toolCalls: a.toolCalls + b.toolCalls,
  errors: a.errors + b.errors
})

export interface TurnStats {
  readonly started: number
  readonly completed: number
  readonly failed: number
  readonly aborted: number
  /** Ended turns whose duration is known, and their summed and longest duration (ms). */
  readonly timed: number
  readonly durationMs: number
  readonly maxMs: number
}

export const emptyTurns: TurnStats = { started: 0, completed: 0, failed: 0, aborted: 0, timed: 0, durationMs: 0, maxMs: 0 }

export const addTurns = (a: TurnStats, b: TurnStats): TurnStats => ({
  started: a.started + b.started,
  completed: a.completed + b.completed,
  failed: a.failed + b.failed,
  aborted: a.aborted + b.aborted,
  timed: a.timed + b.timed,
  durationMs: a.durationMs + b.durationMs,
  maxMs: Math.max(a.maxMs, b.maxMs)
})

/** The thread a file belongs to, from its first `session_meta`. */
export interface Thread {
  readonly id: string
  readonly startedAt: string
  readonly source: string
  readonly forkedFromId: string | null
  /** A paginated fork's parent: it references the parent's lines instead of copying them. */
  readonly historyBase: { readonly threadId: string; readonly endOrdinalExclusive: number; readonly endByteOffset: number } | null
  readonly subAgent: boolean
  readonly parentThreadId: string | null
  readonly agentPath: string | null
}

export interface Diagnostic {
  readonly path: string
  readonly line: number
  readonly kind: string
  readonly message: string
}

export interface FileStats {
  readonly path: string
  readonly thread: Thread | null
  readonly lines: number
  /** Lines recognised as a fork's copy of its parent's history (counted for nothing). */
  readonly copiedLines: number
  readonly firstAt: string | null
  readonly lastAt: string | null
  /** Keyed by `bucketKey(day, model)`. */
  readonly buckets: Readonly<Record<string, Bucket>>
  /** The first running total counted in this file and its bucket, so a later segment can rebase. */
  readonly opening: { readonly total: Tokens; readonly added: Tokens; readonly bucket: string } | null
  /** The last running total seen (copied lines included). */
  readonly closing: Tokens | null
  readonly tokens: Tokens
  readonly turns: TurnStats
  readonly tools: Readonly<Record<string, StatsTools.ToolStats>>
  /** Error counts by CodexErrorInfo variant (`unknown` when the error carries none). */
  readonly errors: Readonly<Record<string, number>>
  /** `stream_error` retries by variant: not failures of a turn, kept apart. */
  readonly retries: Readonly<Record<string, number>>
  /** `sub_agent_activity` events (or paginated items) by kind. */
  readonly subAgentActivity: Readonly<Record<string, number>>
  readonly diagnostics: ReadonlyArray<Diagnostic>
  /** Diagnostics beyond the per-file cap, counted so that none goes unmentioned. */
  readonly moreDiagnostics: number
}

export const bucketKey = (day: string, model: string): string => `${day}\u0000${model}`
export const splitBucket = (key: string): { readonly day: string; readonly model: string } => {
  const i = key.indexOf("\u0000")
  return { day: key.slice(0, i), model: key.slice(i + 1) }
}

/** Diagnostics kept per file; the rest are counted in `moreDiagnostics`. */
export const DIAGNOSTICS_PER_FILE = 50

export const errorKey = (info: CodexErrorInfo.CodexErrorInfo | null | undefined): string =>
  info === null || info === undefined ? "unknown" : CodexErrorInfo.variant(CodexErrorInfo.normalize(info))

/** The thread of a file's own (first) `session_meta`. */
export const threadOf = (p: Extract<RolloutLine.RolloutLine, { type: "session_meta" }>["payload"]): Thread => {
  const source = p.source === undefined ? "vscode" : ThreadSummary.sourceName(p.source)
  const spawn = typeof p.source === "object" && p.source !== null ? (p.source as Record<string, unknown>)["subagent"] : undefined
  const spawnParent =
    typeof spawn === "object" && spawn !== null ? ((spawn as Record<string, { parent_thread_id?: unknown }>)["thread_spawn"]?.parent_thread_id ?? null) : null
  const base = p.history_base
  return {
    id: p.id,
    startedAt: p.timestamp,
    source,
    forkedFromId: p.forked_from_id ?? null,
    historyBase: base === undefined ? null : { threadId: base.thread_id, endOrdinalExclusive: base.end_ordinal_exclusive, endByteOffset: base.end_byte_offset },
    subAgent: source.startsWith("subagent") || p.thread_source === "subagent",
    parentThreadId: p.parent_thread_id ?? (typeof spawnParent === "string" ? spawnParent : null),
    agentPath: p.agent_path ?? null
  }
}
