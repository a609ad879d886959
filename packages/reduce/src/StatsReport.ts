/**
 * Merging per-file statistics into the report `rollout stats` prints: files grouped by thread
 * (a thread's segments rebased so a continued running total is not counted twice), rows by day,
 * month, session or model, totals, and every diagnostic. Pure and order-independent up to the
 * order of `files` (rows are sorted, so the report does not depend on which worker finished first).
 * It does not read files or find a fork's copied lines: `StatsFile` partials already exclude them.
 */
import * as StatsFile from "./StatsFile.js"
import * as StatsPricing from "./StatsPricing.js"
import * as StatsTokens from "./StatsTokens.js"
import * as StatsGroups from "./internal/StatsGroups.js"
import * as StatsTools from "./internal/StatsTools.js"

export type By = "day" | "week" | "month" | "session" | "model" | "project"
export const bys: ReadonlyArray<By> = ["day", "week", "month", "session", "model", "project"]

/** One row: the grouping key under the name of `by`, then flat figures (CSV-friendly but `models`). */
export type Row = Readonly<Record<string, string | number | null | ReadonlyArray<string>>>

/**
 * How rows are cut: the zone whose local days make days, weeks and months (`UTC` unless told),
 * an inclusive window of local days (YYYY-MM-DD, null: open) and the price table.
 */
export interface Options {
  readonly timezone?: string
  readonly since?: string | null
  readonly until?: string | null
  readonly pricing?: StatsPricing.Table
}

export interface ThreadStats {
  readonly id: string
  readonly startedAt: string | null
  readonly source: string
  readonly forkedFromId: string | null
  readonly subAgent: boolean
  readonly parentThreadId: string | null
  readonly cwd: string | null
  readonly files: number
  readonly lines: number
  readonly copiedLines: number
  readonly tokens: StatsTokens.Tokens
  readonly turns: StatsFile.TurnStats
  readonly toolCalls: number
  readonly errors: number
  readonly buckets: Readonly<Record<string, StatsFile.Bucket>>
}

export interface Totals {
  readonly files: number
  readonly threads: number
  readonly forks: number
  readonly lines: number
  /** Lines of forks' copied parent history, read but not counted. */
  readonly copiedLines: number
  readonly firstAt: string | null
  readonly lastAt: string | null
  readonly tokens: StatsTokens.Tokens
  /** USD at the table's prices; null when some tokens have no price (see `unpricedModels`). */
  readonly costUSD: number | null
  /** What the priced tokens cost (equals `costUSD` when every model is priced). */
  readonly knownCostUSD: number
  /** Models (and service tiers) the table has no price for, with their tokens: never guessed. */
  readonly unpricedModels: ReadonlyArray<{ readonly model: string; readonly tier: string | null; readonly totalTokens: number }>
  readonly models: ReadonlyArray<string>
  readonly window: { readonly timezone: string; readonly since: string | null; readonly until: string | null }
  readonly pricing: { readonly source: string; readonly retrieved: string }
  readonly turns: StatsFile.TurnStats & { readonly avgMs: number | null }
  readonly tools: ReadonlyArray<StatsTools.ToolStats & { readonly tool: string; readonly avgMs: number | null }>
  readonly errors: ReadonlyArray<{ readonly codexErrorInfo: string; readonly count: number }>
  readonly streamRetries: ReadonlyArray<{ readonly codexErrorInfo: string; readonly count: number }>
  readonly subAgents: {
    readonly threads: number
    readonly tokens: StatsTokens.Tokens
    readonly turns: number
    readonly toolCalls: number
    readonly activity: Readonly<Record<string, number>>
  }
  readonly diagnostics: number
}

export interface Report {
  readonly by: By
  readonly rows: ReadonlyArray<Row>
  readonly totals: Totals
  readonly diagnostics: ReadonlyArray<StatsFile.Diagnostic>
  /** Per local day (always, whatever `by` is), with cost and tokens by model: what the chart draws. */
  readonly days: ReadonlyArray<Day>
}

export interface Day {
  readonly day: string
  readonly tokens: StatsTokens.Tokens
  readonly costUSD: number | null
  readonly models: ReadonlyArray<{ readonly model: string; readonly tokens: StatsTokens.Tokens; readonly costUSD: number | null }>
}

const byKey =
  <A>(key: (a: A) => string) =>
  (a: A, b: A) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0

const addRecord = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
}

const subBucket = (b: StatsFile.Bucket, tokens: StatsTokens.Tokens): StatsFile.Bucket => ({ ...b, tokens: StatsTokens.sub(b.tokens, tokens) })

/**
 * A thread from its files. Segments are taken in time order; when one opens on a running total
 * that continues the previous segment's, only what it adds beyond that total is counted.
 */
export const thread = (id: string, files: ReadonlyArray<StatsFile.FileStats>): ThreadStats => {
  const segments = [...files].sort((a, b) => byKey((f: StatsFile.FileStats) => `${f.firstAt ?? ""}\u0000${f.path}`)(a, b))
  const buckets: Record<string, StatsFile.Bucket> = {}
  let tokens = StatsTokens.zero
  let turns = StatsFile.emptyTurns
  let toolCalls = 0
  let errors = 0
  let previous: StatsTokens.Tokens | null = null
  for (const f of segments) {
    for (const [k, b] of Object.entries(f.buckets)) buckets[k] = StatsFile.addBucket(buckets[k] ?? StatsFile.emptyBucket, b)
    tokens = StatsTokens.add(tokens, f.tokens)
    if (previous !== null && f.opening !== null && StatsTokens.covers(f.opening.total, previous)) {
      const over = StatsTokens.sub(f.opening.added, StatsTokens.delta(previous, f.opening.total))
      if (StatsTokens.covers(over, StatsTokens.zero) && !StatsTokens.isZero(over)) {
        buckets[f.opening.bucket] = subBucket(buckets[f.opening.bucket] ?? StatsFile.emptyBucket, over)
        tokens = StatsTokens.sub(tokens, over)
      }
    }
    if (f.closing !== null) previous = f.closing
    turns = StatsFile.addTurns(turns, f.turns)
    for (const b of Object.values(f.buckets)) {
      toolCalls += b.toolCalls
      errors += b.errors
    }
  }
  const head = segments.find((f) => f.thread !== null)?.thread ?? null
  return {
    id,
    startedAt: head?.startedAt ?? segments[0]?.firstAt ?? null,
    source: head?.source ?? "unknown",
    forkedFromId: head?.forkedFromId ?? head?.historyBase?.threadId ?? null,
    subAgent: head?.subAgent ?? false,
    parentThreadId: head?.parentThreadId ?? null,
    cwd: head?.cwd ?? null,
    files: segments.length,
    lines: segments.reduce((n, f) => n + f.lines, 0),
    copiedLines: segments.reduce((n, f) => n + f.copiedLines, 0),
    tokens,
    turns,
    toolCalls,
    errors,
    buckets
  }
}

/** Files grouped by thread id (a file without `session_meta` is a thread of its own). */
export const threads = (files: ReadonlyArray<StatsFile.FileStats>): Array<ThreadStats> => {
  const groups = new Map<string, Array<StatsFile.FileStats>>()
  for (const f of files) {
    const id = f.thread?.id ?? `file:${f.path}`
    const g = groups.get(id)
    if (g === undefined) groups.set(id, [f])
    else g.push(f)
  }
  return [...groups].map(([id, g]) => thread(id, g))
}

const tokenColumns = (t: StatsTokens.Tokens) => ({
  inputTokens: t.input,
  cachedInputTokens: t.cachedInput,
  outputTokens: t.output,
  reasoningOutputTokens: t.reasoningOutput,
  totalTokens: t.total
})

const bucketRow = (by: string, key: string, b: StatsFile.Bucket): Row => ({
  [by]: key,
  ...tokenColumns(b.tokens),
  turns: b.turns,
  toolCalls: b.toolCalls,
  errors: b.errors
})

const avg = (sum: number, n: number): number | null => (n === 0 ? null : Math.round(sum / n))

const sortedCounts = (r: Readonly<Record<string, number>>) =>
  Object.entries(r)
    .map(([codexErrorInfo, count]) => ({ codexErrorInfo, count }))
    .sort((a, b) => b.count - a.count || byKey((x: { codexErrorInfo: string }) => x.codexErrorInfo)(a, b))

const byModel = (mix: ReadonlyMap<string, StatsTokens.Tokens>, table: StatsPricing.Table): Day["models"] => {
  const models = new Map<string, Map<string, StatsTokens.Tokens>>()
  for (const [k, t] of mix) {
    const model = k.slice(0, k.indexOf("\u0000"))
    const m = models.get(model) ?? new Map<string, StatsTokens.Tokens>()
    m.set(k, t)
    models.set(model, m)
  }
  return [...models]
    .sort(byKey(([m]) => m))
    .map(([model, m]) => ({ model, tokens: [...m.values()].reduce(StatsTokens.add, StatsTokens.zero), costUSD: StatsGroups.costOf(m, table).costUSD }))
}

const priced = (a: StatsGroups.Acc, table: StatsPricing.Table) => {
  const p = StatsGroups.costOf(a.mix, table)
  return { costUSD: p.costUSD, models: p.models }
}

export const merge = (files: ReadonlyArray<StatsFile.FileStats>, by: By, options: Options = {}): Report => {
  const table = options.pricing ?? StatsPricing.builtIn
  const window = { timezone: options.timezone ?? "UTC", since: options.since ?? null, until: options.until ?? null }
  const windowed = window.since !== null || window.until !== null
  const everything = threads(files)
  const walked = StatsGroups.walk(everything, by, window)
  // Outside a date window every thread counts, even one without tokens; inside it, those active in it.
  const all = windowed ? everything.filter((t) => walked.threads.has(t.id)) : everything
  const accOf = (t: ThreadStats) => walked.threads.get(t.id) ?? StatsGroups.emptyAcc()
  const rows: Array<Row> =
    by === "session"
      ? [...all].sort(byKey((t) => `${t.startedAt ?? ""}\u0000${t.id}`)).map((t) => {
          const a = accOf(t)
          return {
            session: t.id,
            startedAt: t.startedAt,
            source: t.source,
            forkedFromId: t.forkedFromId,
            ...tokenColumns(windowed ? a.bucket.tokens : t.tokens),
            turns: windowed ? a.bucket.turns : t.turns.started,
            toolCalls: windowed ? a.bucket.toolCalls : t.toolCalls,
            errors: windowed ? a.bucket.errors : t.errors,
            project: t.cwd,
            ...priced(a, table)
          }
        })
      : [...walked.rows].sort(byKey(([k]) => k)).map(([k, a]) => ({ ...bucketRow(by, k, a.bucket), ...priced(a, table) }))

  const active = new Set(all.map((t) => t.id))
  const inScope = windowed ? files.filter((f) => active.has(f.thread?.id ?? `file:${f.path}`)) : files
  const tools: Record<string, StatsTools.ToolStats> = {}
  const errors: Record<string, number> = {}
  const retries: Record<string, number> = {}
  const activity: Record<string, number> = {}
  const diagnostics: Array<StatsFile.Diagnostic> = []
  for (const f of files) {
    diagnostics.push(...f.diagnostics)
    if (f.moreDiagnostics > 0)
      diagnostics.push({
        path: f.path,
        line: 0,
        kind: "more_diagnostics",
        message: `${f.moreDiagnostics} more diagnostics in this file (only the first ${StatsFile.DIAGNOSTICS_PER_FILE} are listed)`
      })
  }
  for (const f of inScope) {
    for (const [k, v] of Object.entries(f.tools)) tools[k] = StatsTools.addTool(tools[k] ?? StatsTools.emptyTool, v)
    addRecord(errors, f.errors)
    addRecord(retries, f.retries)
    addRecord(activity, f.subAgentActivity)
  }
  const mix = new Map<string, StatsTokens.Tokens>()
  for (const a of walked.threads.values()) StatsGroups.mergeMix(mix, a.mix)
  const cost = StatsGroups.costOf(mix, table)
  const tokensOf = (t: ThreadStats) => (windowed ? accOf(t).bucket.tokens : t.tokens)
  const subAgents = all.filter((t) => t.subAgent)
  const turns = all.reduce((a, t) => StatsFile.addTurns(a, t.turns), StatsFile.emptyTurns)
  const stamps = inScope
    .flatMap((f) => [f.firstAt, f.lastAt])
    .filter((s): s is string => s !== null)
    .sort()
  const totals: Totals = {
    files: inScope.length,
    threads: all.length,
    forks: all.filter((t) => t.forkedFromId !== null).length,
    lines: inScope.reduce((n, f) => n + f.lines, 0),
    copiedLines: inScope.reduce((n, f) => n + f.copiedLines, 0),
    firstAt: stamps[0] ?? null,
    lastAt: stamps[stamps.length - 1] ?? null,
    tokens: all.reduce((a, t) => StatsTokens.add(a, tokensOf(t)), StatsTokens.zero),
    costUSD: cost.costUSD,
    knownCostUSD: cost.knownCostUSD,
    unpricedModels: cost.unpriced.map((u) => ({ model: u.model, tier: u.tier === "" ? null : u.tier, totalTokens: u.tokens.total })),
    models: cost.models,
    window,
    pricing: { source: table.source, retrieved: table.retrieved },
    turns: { ...turns, avgMs: avg(turns.durationMs, turns.timed) },
    tools: Object.entries(tools)
      .map(([tool, s]) => ({ tool, ...s, avgMs: avg(s.durationMs, s.timedCalls) }))
      .sort((a, b) => b.calls - a.calls || byKey((x: { tool: string }) => x.tool)(a, b)),
    errors: sortedCounts(errors),
    streamRetries: sortedCounts(retries),
    subAgents: {
      threads: subAgents.length,
      tokens: subAgents.reduce((a, t) => StatsTokens.add(a, tokensOf(t)), StatsTokens.zero),
      turns: subAgents.reduce((n, t) => n + t.turns.started, 0),
      toolCalls: subAgents.reduce((n, t) => n + t.toolCalls, 0),
      activity
    },
    diagnostics: diagnostics.length
  }
  const days = [...walked.days]
    .sort(byKey(([d]) => d))
    .map(([day, a]): Day => ({ day, tokens: a.bucket.tokens, costUSD: StatsGroups.costOf(a.mix, table).costUSD, models: byModel(a.mix, table) }))
  return { by, rows, totals, diagnostics, days }
}
