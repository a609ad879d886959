/**
 * The fold of one rollout file into its `StatsFile.FileStats`. It does no I/O and does not decide
 * which lines are a fork's copied history: the caller says so, feeding those lines to `copied`
 * (they move the running token total and the current model, and count for nothing).
 *
 * `Builder.line` is the step, an exhaustive switch on the line type; it mutates only the builder's
 * own plain data (a fold on a builder, for speed on multi-gigabyte homes) and `result` hands that
 * data out. `fold` is the same over an iterable, for tests.
 */
import * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "./EventRoles.js"
import * as ItemRoles from "./ItemRoles.js"
import * as StatsFile from "./StatsFile.js"
import * as StatsPricing from "./StatsPricing.js"
import * as StatsTokens from "./StatsTokens.js"
import * as StatsBuckets from "./internal/StatsBuckets.js"
import * as StatsTools from "./internal/StatsTools.js"

type Tokens = StatsTokens.Tokens
/** The turn totals as the builder fills them: in place, handed out by `result`. */
type TurnStats = { -readonly [K in keyof StatsFile.TurnStats]: number }
type Diagnostic = StatsFile.Diagnostic
type FileStats = StatsFile.FileStats

/** Tool calls held open before they are counted anyway (see `Builder.item`). */
const MAX_OPEN_CALLS = 4096

const bump = (r: Record<string, number>, k: string, by = 1) => {
  r[k] = (r[k] ?? 0) + by
}

export class Builder {
  private thread: StatsFile.Thread | null = null
  private lines = 0
  private copiedLines = 0
  private firstAt: string | null = null
  private lastAt: string | null = null
  private model = "unknown"
  /** The service tier the thread runs at (`thread_settings_applied`), as priced: `""` is standard. */
  private tier = ""
  private running: Tokens | null = null
  /** Seeded usage unknown (a paginated fork whose parent is missing): the first count adds its last call only. */
  private firstCountsLastCall = false
  private opening: FileStats["opening"] = null
  private readonly buckets = new StatsBuckets.Buckets()
  private tokens: Tokens = StatsTokens.zero
  private readonly turns: TurnStats = { ...StatsFile.emptyTurns }
  private readonly turnStarts = new Map<string, number>()
  private readonly tools: Record<string, StatsTools.ToolStats> = {}
  private readonly calls = new StatsTools.Tracker()
  private readonly errors: Record<string, number> = {}
  private readonly retries: Record<string, number> = {}
  private readonly subAgentActivity: Record<string, number> = {}
  private readonly diagnostics: Array<Diagnostic> = []
  private moreDiagnostics = 0
  /**
   * The UTC slot of a turn that started but whose model is not known yet: Codex writes
   * `task_started` before the turn's `turn_context`, so the turn is filed once the model is known.
   */
  private pendingTurnSlot: string | null = null
  /** The last `error` event of the open turn, so the turn's own copy of it is not counted twice. */
  private lastError: string | null = null

  constructor(readonly path: string) {}

  /** Usage seeded from the parent at the fork point (a paginated fork): the running total starts there. */
  seed(total: Tokens | null): void {
    if (total === null) this.firstCountsLastCall = true
    else this.running = total
  }

  diagnose(d: Diagnostic): void {
    if (this.diagnostics.length < StatsFile.DIAGNOSTICS_PER_FILE) this.diagnostics.push(d)
    else this.moreDiagnostics++
  }

  /** A line that is neither decoded nor counted (not of interest); it still counts as read. */
  skipped(timestamp: string | null): void {
    this.lines++
    if (timestamp !== null) this.stamp(timestamp)
  }

  /** A line of the fork's copied prefix: it only moves the running total and the current model. */
  copied(line: RolloutLine.RolloutLine | null): void {
    this.lines++
    this.copiedLines++
    if (line === null) return
    if (line.type === "turn_context") {
      this.model = line.payload.model
      this.tierOf(line.payload)
    } else if (line.type === "event_msg" && line.payload.type === "token_count") {
      const usage = line.payload.info?.total_token_usage
      if (usage !== undefined) this.running = StatsTokens.fromUsage(usage)
    }
  }

  /** `copied` for a token count read from its bytes: its running total (null: the count has no `info`). */
  copiedTokenCount(total: Tokens | null): void {
    this.lines++
    this.copiedLines++
    if (total !== null) this.running = total
  }

  /** A `service_tier` a turn context carries (undeclared by the schema, kept if a build writes it). */
  private tierOf(payload: object): void {
    const tier = (payload as Record<string, unknown>)["service_tier"]
    if (typeof tier === "string") this.tier = StatsPricing.tierName(tier)
  }

  private stamp(ts: string): void {
    if (this.firstAt === null) this.firstAt = ts
    this.lastAt = ts
  }

  private bucketOf(ts: string): string {
    return this.buckets.keyOf(ts, this.model, this.tier)
  }

  private fileTurn(): void {
    if (this.pendingTurnSlot === null) return
    this.buckets.at(StatsFile.bucketKey(this.pendingTurnSlot, this.model, this.tier)).turns++
    this.pendingTurnSlot = null
  }

  private error(key: string, ts: string): void {
    bump(this.errors, key)
    this.buckets.at(this.bucketOf(ts)).errors++
  }

  private endTurn(
    turnId: string | null | undefined,
    ts: string,
    durationMs: number | undefined,
    startedAt: number | undefined,
    completedAt: number | undefined
  ): number | null {
    this.fileTurn()
    const startMs = turnId === null || turnId === undefined ? undefined : this.turnStarts.get(turnId)
    if (turnId !== null && turnId !== undefined) this.turnStarts.delete(turnId)
    this.lastError = null
    this.calls.drain((c) => this.emitCall(c))
    if (durationMs !== undefined) return durationMs
    if (startedAt !== undefined && completedAt !== undefined && completedAt >= startedAt) return (completedAt - startedAt) * 1000
    if (startMs !== undefined) return Math.max(0, Date.parse(ts) - startMs)
    return null
  }

  private timeTurn(ms: number | null): void {
    if (ms === null) return
    const t = this.turns
    t.timed++
    t.durationMs += ms
    t.maxMs = Math.max(t.maxMs, ms)
  }

  private emitCall(c: StatsTools.Call): void {
    const known = c.durationMs !== null
    this.tools[c.tool] = StatsTools.addTool(this.tools[c.tool] ?? StatsTools.emptyTool, {
      calls: 1,
      failures: c.failed ? 1 : 0,
      timedCalls: known ? 1 : 0,
      durationMs: c.durationMs ?? 0,
      maxMs: c.durationMs ?? 0
    })
    this.buckets.at(c.bucket).toolCalls++
  }

  private count(usage: Tokens, last: Tokens | null, ts: string): void {
    const bucket = this.bucketOf(ts)
    let added: Tokens
    if (this.running === null) {
      added = this.firstCountsLastCall && last !== null && StatsTokens.covers(usage, last) ? last : usage
      this.opening = { total: usage, added, bucket }
    } else added = StatsTokens.delta(this.running, usage)
    this.running = usage
    if (StatsTokens.isZero(added)) return
    this.tokens = StatsTokens.add(this.tokens, added)
    const b = this.buckets.at(bucket)
    b.tokens = StatsTokens.add(b.tokens, added)
  }

  /**
   * The step for a `token_count` line of the file's own history read from its bytes (its usages,
   * or null without `info`): what `line` does with the decoded line, without decoding it.
   */
  tokenCount(timestamp: string, total: Tokens | null, last: Tokens | null): void {
    this.lines++
    this.stamp(timestamp)
    if (total !== null && last !== null) this.count(total, last, timestamp)
  }

  /** The step: one line of the file's own history. */
  line(line: RolloutLine.RolloutLine): void {
    this.lines++
    const ts = line.timestamp
    this.stamp(ts)
    switch (line.type) {
      case "session_meta":
        if (this.thread === null) this.thread = StatsFile.threadOf(line.payload)
        return
      case "turn_context":
        this.model = line.payload.model
        this.tierOf(line.payload)
        this.fileTurn()
        return
      case "response_item":
        return this.item(line.payload, ts)
      case "event_msg":
        return this.event(line.payload, ts)
      case "compacted":
      case "inter_agent_communication":
      case "inter_agent_communication_metadata":
      case "world_state":
      case "token_usage_record":
      case "retained_context":
      case "security_risk_score":
      case "realtime_item":
        return
      default: {
        const never: never = line
        return never
      }
    }
  }

  private item(p: Extract<RolloutLine.RolloutLine, { type: "response_item" }>["payload"], ts: string): void {
    // Old rollouts have no turn events to close calls at: keep memory bounded all the same.
    if (this.calls.size >= MAX_OPEN_CALLS) this.calls.drain((c) => this.emitCall(c))
    if (!ItemRoles.reads("stats", p)) return
    const bucket = this.bucketOf(ts)
    switch (p.type) {
      case "function_call":
        this.calls.touch(p.call_id, p.namespace === undefined ? p.name : `${p.namespace}.${p.name}`, bucket, true)
        return
      case "custom_tool_call":
        this.calls.touch(p.call_id, p.name, bucket, true)
        return
      case "local_shell_call":
        this.calls.touch(p.call_id ?? p.id ?? `local_shell@${ts}`, "local_shell", bucket, true)
        return
      case "tool_search_call":
        this.calls.touch(p.call_id ?? p.id ?? `tool_search@${ts}`, "tool_search", bucket, true)
        return
      case "web_search_call":
        this.calls.webSearchItem(p.id, `web_search@${ts}`, bucket).failed ||= p.status === "failed"
        return
      case "image_generation_call":
        this.calls.touch(p.id ?? `image_generation@${ts}`, "image_generation", bucket, true).failed ||= p.status === "failed"
        return
      case "function_call_output":
      case "custom_tool_call_output": {
        if (p.call_id === undefined) return
        const out = StatsTools.outputText(p.output)
        const parsed = StatsTools.fromOutputText(out.text)
        this.calls.settle(p.call_id, p.name ?? "unknown", bucket, out.success === false || parsed.failed, parsed.durationMs)
        return
      }
      default: {
        const unreachable: never = p
        return unreachable
      }
    }
  }

  private event(e: Extract<RolloutLine.RolloutLine, { type: "event_msg" }>["payload"], ts: string): void {
    if (!EventRoles.reads("stats", e)) return
    const bucket = this.bucketOf(ts)
    switch (e.type) {
      case "token_count": {
        const info = e.info
        if (info === null || info === undefined) return
        this.count(StatsTokens.fromUsage(info.total_token_usage), StatsTokens.fromUsage(info.last_token_usage), ts)
        return
      }
      case "task_started":
      case "turn_started":
        this.fileTurn()
        this.turns.started++
        // A thread runs one turn at a time: a start left without an end is never timed.
        this.turnStarts.clear()
        this.turnStarts.set(e.turn_id, Date.parse(ts))
        this.pendingTurnSlot = StatsFile.slotOf(ts)
        return
      case "task_complete":
      case "turn_complete": {
        const failed = e.error !== undefined && CodexErrorInfo.isTurnFailure(e.error.codex_error_info)
        if (e.error !== undefined) {
          const key = StatsFile.errorKey(e.error.codex_error_info)
          if (this.lastError !== `${key}\u0000${e.error.message}`) this.error(key, ts)
        }
        if (failed) this.turns.failed++
        else this.turns.completed++
        this.timeTurn(this.endTurn(e.turn_id, ts, e.duration_ms, e.started_at, e.completed_at))
        return
      }
      case "turn_aborted": {
        if (e.error !== undefined) {
          const key = StatsFile.errorKey(e.error.codex_error_info)
          if (this.lastError !== `${key}\u0000${e.error.message}`) this.error(key, ts)
        }
        this.turns.aborted++
        this.timeTurn(this.endTurn(e.turn_id, ts, e.duration_ms, e.started_at, e.completed_at))
        return
      }
      case "error": {
        const key = StatsFile.errorKey(e.codex_error_info)
        this.error(key, ts)
        this.lastError = `${key}\u0000${e.message}`
        return
      }
      case "stream_error":
        bump(this.retries, StatsFile.errorKey(e.codex_error_info))
        return
      case "thread_settings_applied":
        this.tier = StatsPricing.tierName(e.thread_settings.service_tier)
        return
      case "exec_command_end":
        this.calls.settle(
          e.call_id,
          "exec_command",
          bucket,
          e.exit_code !== 0 || e.status === "failed" || e.status === "declined",
          StatsTools.millis(e.duration)
        )
        return
      case "patch_apply_end":
        this.calls.settle(e.call_id, "apply_patch", bucket, !e.success, null)
        return
      case "mcp_tool_call_end": {
        const failed = "Err" in e.result || e.result.Ok.isError === true
        this.calls.settle(e.call_id, `${e.invocation.server}.${e.invocation.tool}`, bucket, failed, StatsTools.millis(e.duration))
        return
      }
      case "dynamic_tool_call_response":
        this.calls.settle(e.call_id, e.tool, bucket, !e.success, StatsTools.millis(e.duration))
        return
      case "web_search_end":
        this.calls.webSearchEnd(e.call_id, bucket)
        return
      case "view_image_tool_call":
        this.calls.settle(e.call_id, "view_image", bucket, false, null)
        return
      case "image_generation_end":
        this.calls.settle(e.call_id, "image_generation", bucket, e.status === "failed", null)
        return
      case "sub_agent_activity":
        bump(this.subAgentActivity, e.kind)
        return
      case "item_completed": {
        const it = e.item as unknown as Record<string, unknown>
        if (it["type"] === "SubAgentActivity") {
          bump(this.subAgentActivity, String(it["kind"]))
          return
        }
        const tool = StatsTools.itemTool(it)
        if (tool === undefined || typeof it["id"] !== "string") return
        this.calls.settle(it["id"], tool, bucket, StatsTools.itemFailed(it), StatsTools.itemMillis(it, e.started_at_ms, e.completed_at_ms))
        return
      }
      default: {
        const unreachable: never = e
        return unreachable
      }
    }
  }

  result(): FileStats {
    this.fileTurn()
    this.calls.drain((c) => this.emitCall(c))
    return {
      path: this.path,
      thread: this.thread,
      lines: this.lines,
      copiedLines: this.copiedLines,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      buckets: this.buckets.all,
      opening: this.opening,
      closing: this.running,
      tokens: this.tokens,
      turns: this.turns,
      tools: this.tools,
      errors: this.errors,
      retries: this.retries,
      subAgentActivity: this.subAgentActivity,
      diagnostics: this.diagnostics,
      moreDiagnostics: this.moreDiagnostics
    }
  }
}

/** Folds a whole file's lines (none of them copied); for tests and small inputs. */
export const fold = (path: string, lines: Iterable<RolloutLine.RolloutLine>): FileStats => {
  const b = new Builder(path)
  for (const l of lines) b.line(l)
  return b.result()
}
