/**
 * A thread at a glance, folded from its rollout lines: who started it where, with which model,
 * how many turns and how they ended, its first prompt, and its token totals. A pure fold for
 * listings and `rollout info`; it is not the thread history (turns and items as Codex rebuilds
 * them), which is its own reducer.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as Reducer from "./internal/Reducer.js"
import * as StatsTokens from "./StatsTokens.js"
import * as EventRoles from "./EventRoles.js"

export type Tokens = StatsTokens.Tokens

export interface ThreadSummary {
  readonly id: string | null
  readonly startedAt: string | null
  readonly lastActivityAt: string | null
  readonly cwd: string | null
  readonly originator: string | null
  readonly cliVersion: string | null
  /** The session source as Codex names it (`cli`, `exec`, `subagent:thread_spawn`, ...). */
  readonly source: string | null
  readonly modelProvider: string | null
  readonly model: string | null
  readonly historyMode: string
  readonly forkedFromId: string | null
  readonly turns: number
  readonly completedTurns: number
  readonly abortedTurns: number
  readonly failedTurns: number
  readonly compactions: number
  readonly firstPrompt: string | null
  readonly lastAgentMessage: string | null
  /** `total_token_usage` of the last `token_count` that carried usage. */
  readonly tokens: Tokens | null
  readonly lines: number
}

export const empty: ThreadSummary = {
  id: null,
  startedAt: null,
  lastActivityAt: null,
  cwd: null,
  originator: null,
  cliVersion: null,
  source: null,
  modelProvider: null,
  model: null,
  historyMode: "legacy",
  forkedFromId: null,
  turns: 0,
  completedTurns: 0,
  abortedTurns: 0,
  failedTurns: 0,
  compactions: 0,
  firstPrompt: null,
  lastAgentMessage: null,
  tokens: null,
  lines: 0
}

/** `"cli"` → `cli`; `{"subagent":{"thread_spawn":{…}}}` → `subagent:thread_spawn`. */
export const sourceName = (source: unknown): string => {
  if (typeof source === "string") return source
  if (typeof source === "object" && source !== null) {
    const [key, value] = Object.entries(source)[0] ?? ["unknown", null]
    if (typeof value === "string") return `${key}:${value}`
    // Two levels name the kind (`subagent:thread_spawn`); deeper levels are its data.
    const [inner] = typeof value === "object" && value !== null ? Object.keys(value) : []
    return inner === undefined ? key : `${key}:${inner}`
  }
  return "unknown"
}

export const step = (s: ThreadSummary, line: RolloutLine.RolloutLine): ThreadSummary => {
  const next = { ...s, lines: s.lines + 1, lastActivityAt: line.timestamp }
  switch (line.type) {
    case "session_meta": {
      // The first session_meta is the thread's own; later ones are a fork's copied history.
      if (s.id !== null) return next
      const p = line.payload
      return {
        ...next,
        id: p.id,
        startedAt: p.timestamp,
        cwd: p.cwd,
        originator: p.originator,
        cliVersion: p.cli_version,
        source: p.source === undefined ? "vscode" : sourceName(p.source),
        modelProvider: p.model_provider ?? null,
        historyMode: p.history_mode ?? "legacy",
        forkedFromId: p.forked_from_id ?? null
      }
    }
    case "turn_context":
      return { ...next, model: line.payload.model }
    case "compacted":
      return { ...next, compactions: s.compactions + 1 }
    case "event_msg": {
      const e = line.payload
      if (!EventRoles.reads("summary", e)) return next
      switch (e.type) {
        case "task_started":
        case "turn_started":
          return { ...next, turns: s.turns + 1 }
        case "task_complete":
        case "turn_complete":
          return e.error === undefined || e.error === null
            ? { ...next, completedTurns: s.completedTurns + 1, lastAgentMessage: e.last_agent_message ?? s.lastAgentMessage }
            : { ...next, failedTurns: s.failedTurns + 1 }
        case "turn_aborted":
          return { ...next, abortedTurns: s.abortedTurns + 1 }
        case "user_message":
          return s.firstPrompt === null ? { ...next, firstPrompt: e.message } : next
        case "item_completed": {
          // Paginated rollouts carry the user's input only as a UserMessage item.
          if (s.firstPrompt !== null || e.item.type !== "UserMessage") return next
          const text = e.item.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n")
          return text === "" ? next : { ...next, firstPrompt: text }
        }
        case "token_count": {
          const usage = e.info?.total_token_usage
          if (usage === undefined) return next
          return { ...next, tokens: StatsTokens.fromUsage(usage) }
        }
        default: {
          const unreachable: never = e
          return unreachable
        }
      }
    }
    case "response_item":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
    case "world_state":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return next
    default: {
      const never: never = line
      return never
    }
  }
}

export const fold = Reducer.foldWith(step, empty)
