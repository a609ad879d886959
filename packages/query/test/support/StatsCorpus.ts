/**
 * Synthetic rollouts with known statistics, for the stats tests and benchmark: turns written the
 * way Codex 0.169 writes them in legacy history mode (turn context, turn start, tool calls and
 * their outputs, a cumulative `token_count` after each model call, turn end), plus the ground
 * truth each turn adds. Forks, paginated forks and sub-agents are built from the same pieces.
 * It generates text only; callers decide where it goes (memory, a temp dir). Not used by commands.
 */
import * as StatsTokens from "@rollout/reduce/StatsTokens"

type Tokens = StatsTokens.Tokens

export interface Call {
  readonly input: number
  readonly cached: number
  readonly output: number
  readonly reasoning: number
}

export interface Tool {
  readonly name: string
  readonly failed: boolean
  readonly ms: number
}

export type End = { readonly kind: "completed" } | { readonly kind: "failed"; readonly info: string } | { readonly kind: "aborted" }

export interface TurnSpec {
  readonly model: string
  readonly calls: ReadonlyArray<Call>
  readonly tools: ReadonlyArray<Tool>
  readonly end: End
  /** Write the turn's last token_count twice (Codex re-emits counts). */
  readonly reemit: boolean
  readonly durationMs: number
  readonly subAgentActivity?: "started" | "interacted" | "interrupted" | "completed"
}

/** What a writer's turns add up to. */
export interface Truth {
  tokens: Tokens
  turns: { started: number; completed: number; failed: number; aborted: number; durationMs: number }
  tools: Record<string, { calls: number; failures: number; durationMs: number }>
  errors: Record<string, number>
  byDay: Record<string, Tokens>
  byModel: Record<string, Tokens>
  subAgentActivity: Record<string, number>
  /** Every token_count's own time (ms since the epoch, UTC), model and what it adds: days in any zone follow from it. */
  usage: Array<{ readonly ms: number; readonly model: string; readonly tokens: Tokens }>
}

export const emptyTruth = (): Truth => ({
  tokens: StatsTokens.zero,
  turns: { started: 0, completed: 0, failed: 0, aborted: 0, durationMs: 0 },
  tools: {},
  errors: {},
  byDay: {},
  byModel: {},
  subAgentActivity: {},
  usage: []
})

export const addTruth = (a: Truth, b: Truth): Truth => {
  const out = emptyTruth()
  for (const t of [a, b]) {
    out.tokens = StatsTokens.add(out.tokens, t.tokens)
    out.turns = {
      started: out.turns.started + t.turns.started,
      completed: out.turns.completed + t.turns.completed,
      failed: out.turns.failed + t.turns.failed,
      aborted: out.turns.aborted + t.turns.aborted,
      durationMs: out.turns.durationMs + t.turns.durationMs
    }
    for (const [k, v] of Object.entries(t.tools)) {
      const o = out.tools[k] ?? { calls: 0, failures: 0, durationMs: 0 }
      out.tools[k] = { calls: o.calls + v.calls, failures: o.failures + v.failures, durationMs: o.durationMs + v.durationMs }
    }
    for (const [k, v] of Object.entries(t.errors)) out.errors[k] = (out.errors[k] ?? 0) + v
    for (const [k, v] of Object.entries(t.byDay)) out.byDay[k] = StatsTokens.add(out.byDay[k] ?? StatsTokens.zero, v)
    for (const [k, v] of Object.entries(t.byModel)) out.byModel[k] = StatsTokens.add(out.byModel[k] ?? StatsTokens.zero, v)
    for (const [k, v] of Object.entries(t.subAgentActivity)) out.subAgentActivity[k] = (out.subAgentActivity[k] ?? 0) + v
    out.usage.push(...t.usage)
  }
  return out
}

const iso = (ms: number): string => new Date(ms).toISOString()

const usage = (t: Tokens): string =>
  `{"input_tokens":${t.input},"cached_input_tokens":${t.cachedInput},"cache_write_input_tokens":0,"output_tokens":${t.output},"reasoning_output_tokens":${t.reasoningOutput},"total_tokens":${t.total}}`

const tokensOf = (c: Call): Tokens => ({ input: c.input, cachedInput: c.cached, output: c.output, reasoningOutput: c.reasoning, total: c.input + c.output })

export interface MetaOptions {
  readonly forkedFromId?: string
  readonly historyBase?: { readonly threadId: string; readonly endOrdinalExclusive: number; readonly endByteOffset: number }
  /** A spawned sub-agent of this parent thread. */
  readonly subAgentOf?: string
}

/** A `session_meta` line as Codex writes it (legacy history mode, or paginated for a history_base fork). */
export const sessionMeta = (id: string, ms: number, o: MetaOptions = {}): string => {
  const source =
    o.subAgentOf === undefined
      ? `"cli"`
      : `{"subagent":{"thread_spawn":{"parent_thread_id":"${o.subAgentOf}","depth":1,"agent_path":"/root/worker","agent_nickname":null,"agent_role":"explorer"}}}`
  const fork = o.forkedFromId === undefined ? "" : `"forked_from_id":"${o.forkedFromId}",`
  const base =
    o.historyBase === undefined
      ? ""
      : `,"history_base":{"thread_id":"${o.historyBase.threadId}","end_ordinal_exclusive":${o.historyBase.endOrdinalExclusive},"end_byte_offset":${o.historyBase.endByteOffset}}`
  return `{"timestamp":"${iso(ms)}","type":"session_meta","payload":{"session_id":"${id}","id":"${id}",${fork}"timestamp":"${iso(ms)}","cwd":"/home/ana/proj","originator":"codex_cli_rs","cli_version":"0.169.0","source":${source},"model_provider":"openai","base_instructions":{"text":"You are Codex."},"history_mode":"${o.historyBase === undefined ? "legacy" : "paginated"}"${base}}}`
}

/**
 * Writes turns of one session, keeping the running token total and a clock. `running` starts at a
 * fork's seeded total; `truth` collects what the written turns add (never the seed).
 */
export class Writer {
  running: Tokens
  ms: number
  turnNo = 0
  readonly truth: Truth = emptyTruth()

  constructor(
    readonly id: string,
    startMs: number,
    seed: Tokens = StatsTokens.zero
  ) {
    this.ms = startMs
    this.running = seed
  }

  private t(): string {
    this.ms += 7
    return iso(this.ms)
  }

  /** The lines of one turn, in Codex's order. */
  turn(spec: TurnSpec, filler = ""): Array<string> {
    const out: Array<string> = []
    const n = ++this.turnNo
    const turnId = `${this.id.slice(0, 8)}-${String(n).padStart(4, "0")}-7000-8000-${this.id.slice(-12)}`
    out.push(
      `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"task_started","turn_id":"${turnId}","started_at":${Math.floor(this.ms / 1000)},"model_context_window":258400,"collaboration_mode_kind":"default"}}`
    )
    out.push(
      `{"timestamp":"${this.t()}","type":"turn_context","payload":{"turn_id":"${turnId}","cwd":"/home/ana/proj","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write","network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false},"model":"${spec.model}","effort":"medium","summary":"none"}}`
    )
    out.push(
      `{"timestamp":"${this.t()}","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"turn ${n}${filler}"}]}}`
    )
    out.push(
      `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"user_message","message":"turn ${n}","local_images":[],"local_audio":[],"text_elements":[]}}`
    )
    const tr = this.truth
    tr.turns.started++
    spec.tools.forEach((tool, i) => {
      const callId = `call_${n}_${i}`
      out.push(
        `{"timestamp":"${this.t()}","type":"response_item","payload":{"type":"function_call","name":"${tool.name}","arguments":"{}","call_id":"${callId}"}}`
      )
      const wall = (tool.ms / 1000).toFixed(4)
      out.push(
        `{"timestamp":"${this.t()}","type":"response_item","payload":{"type":"function_call_output","call_id":"${callId}","output":"Chunk ID: abc123\\nWall time: ${wall} seconds\\nProcess exited with code ${tool.failed ? 1 : 0}\\nOutput:\\nok${filler}\\n"}}`
      )
      const o = tr.tools[tool.name] ?? { calls: 0, failures: 0, durationMs: 0 }
      tr.tools[tool.name] = { calls: o.calls + 1, failures: o.failures + (tool.failed ? 1 : 0), durationMs: o.durationMs + Math.round(Number(wall) * 1000) }
    })
    let last = ""
    for (const c of spec.calls) {
      const add = tokensOf(c)
      this.running = StatsTokens.add(this.running, add)
      tr.tokens = StatsTokens.add(tr.tokens, add)
      tr.byModel[spec.model] = StatsTokens.add(tr.byModel[spec.model] ?? StatsTokens.zero, add)
      last = `"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(this.running)},"last_token_usage":${usage(add)},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":19.0,"window_minutes":300,"resets_at":1784012345},"secondary":null,"credits":null,"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}}`
      const stamp = this.t()
      // Statistics file usage under the UTC day of the token_count line itself.
      const day = stamp.slice(0, 10)
      tr.byDay[day] = StatsTokens.add(tr.byDay[day] ?? StatsTokens.zero, add)
      tr.usage.push({ ms: this.ms, model: spec.model, tokens: add })
      out.push(`{"timestamp":"${stamp}",${last}`)
    }
    if (spec.reemit && last !== "") out.push(`{"timestamp":"${this.t()}",${last}`)
    if (spec.subAgentActivity !== undefined) {
      out.push(
        `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"sub_agent_activity","event_id":"call_spawn_${n}","occurred_at_ms":${this.ms},"agent_thread_id":"0198f2c0-aaaa-7bbb-8ccc-dddddddddddd","agent_path":"/root/worker","kind":"${spec.subAgentActivity}"}}`
      )
      tr.subAgentActivity[spec.subAgentActivity] = (tr.subAgentActivity[spec.subAgentActivity] ?? 0) + 1
    }
    const secs = Math.floor(this.ms / 1000)
    switch (spec.end.kind) {
      case "completed":
        out.push(
          `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"task_complete","turn_id":"${turnId}","last_agent_message":"done","started_at":${secs},"completed_at":${secs + 1},"duration_ms":${spec.durationMs}}}`
        )
        tr.turns.completed++
        break
      case "failed":
        out.push(
          `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"task_complete","turn_id":"${turnId}","last_agent_message":null,"error":{"message":"failed on purpose","codex_error_info":"${spec.end.info}"},"started_at":${secs},"completed_at":${secs + 1},"duration_ms":${spec.durationMs}}}`
        )
        tr.turns.failed++
        tr.errors[spec.end.info === "rollout_budget_exceeded" ? "session_budget_exceeded" : spec.end.info] =
          (tr.errors[spec.end.info === "rollout_budget_exceeded" ? "session_budget_exceeded" : spec.end.info] ?? 0) + 1
        break
      case "aborted":
        out.push(
          `{"timestamp":"${this.t()}","type":"event_msg","payload":{"type":"turn_aborted","turn_id":"${turnId}","reason":"interrupted","duration_ms":${spec.durationMs}}}`
        )
        tr.turns.aborted++
        break
    }
    tr.turns.durationMs += spec.durationMs
    return out
  }
}

/** A deterministic PRNG (LCG), so corpora are the same bytes every run. */
export const prng = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const MODELS = ["gpt-5.2-codex", "gpt-5.1-codex-mini"] as const
const TOOLS = ["exec_command", "apply_patch", "view_image"] as const
const ERRORS = ["session_budget_exceeded", "context_window_exceeded", "rollout_budget_exceeded"] as const

const pick = <A>(rand: () => number, xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)] as A

/** A random but valid turn. */
export const randomTurn = (rand: () => number): TurnSpec => {
  const r = rand()
  const end: End = r < 0.08 ? { kind: "failed", info: pick(rand, ERRORS) } : r < 0.14 ? { kind: "aborted" } : { kind: "completed" }
  const calls = Array.from({ length: Math.floor(rand() * 3) + (end.kind === "aborted" ? 0 : 1) }, () => {
    const input = 1000 + Math.floor(rand() * 20000)
    return { input, cached: Math.floor(input * rand()), output: 10 + Math.floor(rand() * 900), reasoning: Math.floor(rand() * 300) }
  })
  const tools = Array.from({ length: Math.floor(rand() * 3) }, () => ({ name: pick(rand, TOOLS), failed: rand() < 0.2, ms: Math.floor(rand() * 5000) }))
  return { model: pick(rand, MODELS), calls, tools, end, reemit: rand() < 0.3, durationMs: 100 + Math.floor(rand() * 60000) }
}

/** A parent's first `cut` lines as a legacy fork copies them: same payloads, the fork's timestamps. */
export const copied = (parent: ReadonlyArray<string>, cut: number, ms: number): Array<string> =>
  parent.slice(0, cut).map((l) => l.replace(/^\{"timestamp":"[^"]*"/, `{"timestamp":"${iso(ms)}"`))

/** The running token total after the first `cut` lines: what a fork at that point is seeded with. */
export const runningAt = (lines: ReadonlyArray<string>, cut: number): Tokens => {
  let total = StatsTokens.zero
  for (const l of lines.slice(0, cut)) {
    if (!l.includes('"type":"token_count"')) continue
    const u = (JSON.parse(l) as { payload: { info: { total_token_usage: Record<string, number> } | null } }).payload.info?.total_token_usage
    if (u !== undefined)
      total = {
        input: u["input_tokens"] ?? 0,
        cachedInput: u["cached_input_tokens"] ?? 0,
        output: u["output_tokens"] ?? 0,
        reasoningOutput: u["reasoning_output_tokens"] ?? 0,
        total: u["total_tokens"] ?? 0
      }
  }
  return total
}

/** A rollout file name for a thread started at `ms`. */
/**
 * Tokens by local day in a zone of fixed offset (minutes east of UTC), from the truth's own
 * times: an oracle for zone-aware reports that does not ask `Intl`.
 */
export const byDayAtOffset = (t: Truth, offsetMinutes: number): Record<string, Tokens> => {
  const out: Record<string, Tokens> = {}
  for (const u of t.usage) {
    const day = iso(u.ms + offsetMinutes * 60_000).slice(0, 10)
    out[day] = StatsTokens.add(out[day] ?? StatsTokens.zero, u.tokens)
  }
  return out
}

export const fileName = (id: string, ms: number): string => `rollout-${iso(ms).slice(0, 19).replace(/:/g, "-")}-${id}.jsonl`
