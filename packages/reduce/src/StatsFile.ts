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

/** What one bucket (a quarter hour of UTC time, a model and a service tier) adds up. */
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
  /** The working folder the thread started in (`session_meta.cwd`): its project. */
  readonly cwd: string | null
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
  /** Keyed by `bucketKey(slot, model, tier)`. */
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

/**
 * Buckets are keyed by UTC quarter hour (`slotOf`), not by day, so that a report can put each one
 * on its local day in any time zone afterwards (every zone's offset is a whole number of quarter
 * hours) without folding the files again; and by model and service tier, which set its price.
 */
export const bucketKey = (slot: string, model: string, tier = ""): string => `${slot}\u0000${model}\u0000${tier}`
export const splitBucket = (key: string): { readonly slot: string; readonly day: string; readonly model: string; readonly tier: string } => {
  const i = key.indexOf("\u0000")
  const j = key.indexOf("\u0000", i + 1)
  const slot = key.slice(0, i)
  return { slot, day: slot.slice(0, 10), model: key.slice(i + 1, j < 0 ? undefined : j), tier: j < 0 ? "" : key.slice(j + 1) }
}

/** The quarter hour of a minute (`00` to `59`), or undefined for anything else. */
const quarter = (m: number): string | undefined => (m < 0 || m > 59 || !Number.isInteger(m) ? undefined : m < 15 ? "00" : m < 30 ? "15" : m < 45 ? "30" : "45")

/** The quarter of a UTC (`...Z`) timestamp read from its characters, or undefined when it must be parsed. */
const quarterOf = (ts: string): string | undefined => {
  if (ts.length < 17 || ts.charCodeAt(10) !== 84 || ts.charCodeAt(ts.length - 1) !== 90) return undefined
  const tens = ts.charCodeAt(14) - 48
  const units = ts.charCodeAt(15) - 48
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? quarter(tens * 10 + units) : undefined
}

/**
 * Whether `slotOf` reads this timestamp's slot from its first 16 characters alone: two such
 * timestamps with the same 16 have the same slot.
 */
export const slotByHead = (ts: string): boolean => quarterOf(ts) !== undefined

/**
 * The UTC quarter hour (`YYYY-MM-DDTHH:MM`, minutes 00/15/30/45) of a timestamp. Codex writes UTC
 * (`...Z`), read without parsing; any other offset is converted; a timestamp that is no time
 * keeps its first ten characters, so it still lands on the day it names.
 */
export const slotOf = (ts: string): string => {
  const q = quarterOf(ts)
  if (q !== undefined) return `${ts.slice(0, 14)}${q}`
  const ms = Date.parse(ts)
  return Number.isNaN(ms) ? ts.slice(0, 10) : slotOf(new Date(ms).toISOString())
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
    agentPath: p.agent_path ?? null,
    cwd: typeof p.cwd === "string" ? p.cwd : null
  }
}
