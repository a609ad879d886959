/**
 * The work a thread did, as the human views show it beside Codex's `thread/read`: every command
 * with its exit code and output, patches, web searches, tool and MCP calls, plans, sub-agent calls
 * and messages, errors, and token use per turn. A legacy rollout's `thread/read` has no item for
 * most of these, so they are taken from the response items and events (`EventRoles`/`ItemRoles`,
 * column `work`). Each entry carries an `Anchor` (the turn it happened in and how many of that
 * turn's history items came before it), which the caller supplies from the history fold it runs
 * alongside (`ThreadWork`). A pure fold: calls and their results are appended, never rewritten,
 * and joined by call id in `finish`. It is not `thread/read` and never changes it.
 */
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as ResponseItem from "@rollout/protocol/ResponseItem"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as Duration from "@rollout/protocol/Duration"
import * as AppendOnly from "./AppendOnly.js"
import * as EventRoles from "./EventRoles.js"
import * as ItemRoles from "./ItemRoles.js"
import * as StatsTokens from "./StatsTokens.js"
import * as Calls from "./internal/WorkCalls.js"
import * as ToolOutput from "./internal/ToolOutput.js"

/** Where an entry goes: after the first `after` items of turn `turnId` (null: before any turn). */
export interface Anchor {
  readonly turnId: string | null
  readonly after: number
}

export type Call = Calls.Call

/** A call's result, from its output item or its `*_end` event. */
export interface Result {
  readonly callId: string
  readonly output: string | null
  readonly exitCode: number | null
  readonly durationMs: number | null
  readonly running: boolean
}

/** Token use one `token_count` added, in the turn it was counted in. */
export interface Usage {
  readonly turnId: string | null
  readonly tokens: StatsTokens.Tokens
  readonly model: string | null
}

export interface State {
  readonly calls: AppendOnly.AppendOnly<Calls.Placed>
  readonly results: AppendOnly.AppendOnly<Result>
  readonly usage: AppendOnly.AppendOnly<Usage>
  /** The running total of the last `token_count` (deltas of it are what a count adds). */
  readonly total: StatsTokens.Tokens | null
  readonly model: string | null
  /** Calls handed out by `take` (a streamed transcript): synthetic ids keep counting from them. */
  readonly releasedCalls?: number
}

export const empty: State = { calls: AppendOnly.empty(), results: AppendOnly.empty(), usage: AppendOnly.empty(), total: null, model: null }

/** How many calls this log has seen, handed out or not (numbers the calls that have no id of their own). */
const seen = (s: State): number => (s.releasedCalls ?? 0) + s.calls.length

const withCall = (s: State, call: Calls.Call | undefined, at: Anchor): State =>
  call === undefined ? s : { ...s, calls: AppendOnly.append(s.calls, { ...call, anchor: at }) }

const withResult = (s: State, r: Result): State => ({ ...s, results: AppendOnly.append(s.results, r) })

const outputResult = (callId: string | undefined, output: ResponseItem.ResponseItem & { readonly output: unknown }): Result | undefined => {
  if (callId === undefined) return undefined
  const parsed = ToolOutput.parse(Calls.outputText(output.output))
  return { callId, output: parsed.body, exitCode: parsed.exitCode, durationMs: parsed.durationMs, running: parsed.running }
}

const item = (s: State, i: ItemRoles.Read<"work">, at: Anchor): State => {
  switch (i.type) {
    case "function_call":
    case "custom_tool_call":
    case "local_shell_call":
    case "tool_search_call":
    case "web_search_call":
    case "image_generation_call":
      return withCall(s, Calls.fromItem(i), at)
    case "function_call_output":
    case "custom_tool_call_output": {
      const r = outputResult(i.call_id, i)
      return r === undefined ? s : withResult(s, r)
    }
    case "tool_search_output":
      return i.call_id === null
        ? s
        : withResult(s, { callId: i.call_id, output: JSON.stringify(i.tools, null, 2), exitCode: null, durationMs: null, running: false })
    default: {
      const unreachable: never = i
      return unreachable
    }
  }
}

const event = (s: State, e: EventMsg.Of<EventRoles.Where<"work", true>>, at: Anchor): State => {
  switch (e.type) {
    case "error":
      return withCall(s, { _tag: "Notice", id: `notice-${seen(s)}`, level: "error", message: e.message }, at)
    case "stream_error":
      return withCall(s, { _tag: "Notice", id: `notice-${seen(s)}`, level: "retry", message: e.message }, at)
    case "warning":
      return withCall(s, { _tag: "Notice", id: `notice-${seen(s)}`, level: "warning", message: e.message }, at)
    case "exec_command_end":
      return withResult(s, {
        callId: e.call_id,
        output: e.aggregated_output ?? e.formatted_output ?? e.stdout ?? null,
        exitCode: e.exit_code,
        durationMs: Duration.toMillis(e.duration),
        running: false
      })
    case "token_count": {
      if (e.info === null || e.info === undefined) return s
      const next = StatsTokens.fromUsage(e.info.total_token_usage)
      const added = StatsTokens.delta(s.total, next)
      const usage = StatsTokens.isZero(added) ? s.usage : AppendOnly.append(s.usage, { turnId: at.turnId, tokens: added, model: s.model })
      return { ...s, usage, total: next }
    }
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

/** Folds one line; `at` is where the history stands after it. */
export const step = (s: State, line: RolloutLine.RolloutLine, at: Anchor): State => {
  switch (line.type) {
    case "response_item":
      return ItemRoles.reads("work", line.payload) ? item(s, line.payload, at) : s
    case "event_msg":
      return EventRoles.reads("work", line.payload) ? event(s, line.payload, at) : s
    case "turn_context":
      return line.payload.model === s.model ? s : { ...s, model: line.payload.model }
    case "inter_agent_communication":
      return withCall(s, Calls.message(line.payload, seen(s)), at)
    case "session_meta":
    case "compacted":
    case "world_state":
    case "inter_agent_communication_metadata":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return s
    default: {
      const unreachable: never = line
      return unreachable
    }
  }
}

/** One finished entry: the call, where it goes, and its result when one came. */
export type Entry = Calls.Placed & { readonly result: Result | null }

/** Every entry in the order the calls were made, each joined with its last result. */
export const finish = (s: State): ReadonlyArray<Entry> => {
  const results = new Map<string, Result>()
  for (const r of AppendOnly.toArray(s.results)) {
    const old = results.get(r.callId)
    // An `exec_command_end` knows the exit code for sure; an output text read later must not lose it.
    results.set(r.callId, old === undefined ? r : { ...r, exitCode: r.exitCode ?? old.exitCode, durationMs: r.durationMs ?? old.durationMs })
  }
  return AppendOnly.toArray(s.calls).map((c) => ({ ...c, result: results.get(c.id) ?? null }))
}

/** A turn's token use, with the model of its last count. */
export interface Use {
  readonly tokens: StatsTokens.Tokens
  readonly model: string | null
}

/** Token use per turn id (in order of first use), with the model of its last count. */
export const usageByTurn = (s: State): ReadonlyMap<string | null, Use> => {
  const out = new Map<string | null, { tokens: StatsTokens.Tokens; model: string | null }>()
  for (const u of AppendOnly.toArray(s.usage)) {
    const old = out.get(u.turnId)
    out.set(u.turnId, { tokens: old === undefined ? u.tokens : StatsTokens.add(old.tokens, u.tokens), model: u.model ?? old?.model ?? null })
  }
  return out
}

/** Whether an entry anchored to `turnId` belongs to turn `id` (`first`: the thread's first turn, which also takes the work before any turn). */
const owned = (id: string, first: boolean) => (turnId: string | null) => turnId === id || (first && turnId === null)

/** The ids of the calls `take(s, id, first)` would hand out: a caller checks no later line names them. */
export const callIds = (s: State, id: string, first: boolean): ReadonlyArray<string> => {
  const mine = owned(id, first)
  return AppendOnly.toArray(s.calls).flatMap((c) => (mine(c.anchor.turnId) ? [c.id] : []))
}

/**
 * Hands out the entries and token use of turn `id` (`finish` and `usageByTurn` of them), for a
 * transcript that writes a turn once no later line can add to it; they leave the state. A result
 * stays while a call still held names it.
 */
export const take = (
  s: State,
  id: string,
  first: boolean
): { readonly state: State; readonly work: ReadonlyArray<Entry>; readonly usage: ReadonlyMap<string | null, Use> } => {
  const mine = owned(id, first)
  const calls = AppendOnly.toArray(s.calls)
  const out = calls.filter((c) => mine(c.anchor.turnId))
  const kept = calls.filter((c) => !mine(c.anchor.turnId))
  const uses = AppendOnly.toArray(s.usage)
  const used = uses.filter((u) => mine(u.turnId))
  if (out.length === 0 && used.length === 0) return { state: s, work: [], usage: new Map() }
  const work = finish({ ...s, calls: AppendOnly.fromArray(out) })
  const gone = new Set(out.map((c) => c.id))
  for (const c of kept) gone.delete(c.id)
  const results = gone.size === 0 ? s.results : AppendOnly.fromArray(AppendOnly.toArray(s.results).filter((r) => !gone.has(r.callId)))
  const usage = usageByTurn({ ...s, usage: AppendOnly.fromArray(used) })
  const state: State = {
    ...s,
    calls: AppendOnly.fromArray(kept),
    results,
    usage: used.length === 0 ? s.usage : AppendOnly.fromArray(uses.filter((u) => !mine(u.turnId))),
    releasedCalls: seen(s) - kept.length
  }
  return { state, work, usage }
}
