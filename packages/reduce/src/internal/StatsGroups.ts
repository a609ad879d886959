/**
 * The bucket walk behind `StatsReport.merge`: every bucket of every thread put on its local day in
 * the report's zone, kept or dropped by the date window, and added into its row, its thread and
 * its day, each with its token mix by model and tier so that cost is priced from exact integers
 * (the same sums in any file order). It prices nothing itself; `costOf` does, with a table.
 */
import * as StatsFile from "../StatsFile.js"
import * as StatsPricing from "../StatsPricing.js"
import * as StatsTokens from "../StatsTokens.js"
import * as StatsWindow from "../StatsWindow.js"

type Tokens = StatsTokens.Tokens

/** What a row, a thread or a day adds up: the bucket sums and the tokens by `model\0tier`. */
export interface Acc {
  bucket: StatsFile.Bucket
  readonly mix: Map<string, Tokens>
}

export const emptyAcc = (): Acc => ({ bucket: StatsFile.emptyBucket, mix: new Map() })

const addTo = (into: Map<string, Acc>, key: string, b: StatsFile.Bucket, mixKey: string): void => {
  let a = into.get(key)
  if (a === undefined) {
    a = emptyAcc()
    into.set(key, a)
  }
  a.bucket = StatsFile.addBucket(a.bucket, b)
  a.mix.set(mixKey, StatsTokens.add(a.mix.get(mixKey) ?? StatsTokens.zero, b.tokens))
}

export interface Window {
  readonly timezone: string
  readonly since: string | null
  readonly until: string | null
}

export interface Walked {
  /** By row key. */
  readonly rows: Map<string, Acc>
  /** By thread id: only threads with a bucket in the window. */
  readonly threads: Map<string, Acc>
  /** By local day. */
  readonly days: Map<string, Acc>
}

export interface Source {
  readonly id: string
  readonly cwd: string | null
  readonly buckets: Readonly<Record<string, StatsFile.Bucket>>
}

/** The key of a bucket's row under `by`; `session` rows are keyed by thread. */
export const rowKey = (by: string, day: string, model: string, thread: Source): string => {
  switch (by) {
    case "day":
      return day
    case "week":
      return StatsWindow.isoWeek(day)
    case "month":
      return day.slice(0, 7)
    case "model":
      return model
    case "project":
      return thread.cwd ?? "(unknown)"
    default:
      return thread.id
  }
}

export const walk = (threads: ReadonlyArray<Source>, by: string, window: Window): Walked => {
  const localDay = StatsWindow.localDays(window.timezone)
  const out: Walked = { rows: new Map(), threads: new Map(), days: new Map() }
  for (const t of threads) {
    for (const [k, b] of Object.entries(t.buckets)) {
      const { slot, model, tier } = StatsFile.splitBucket(k)
      const day = localDay(slot)
      if ((window.since !== null && day < window.since) || (window.until !== null && day > window.until)) continue
      const mixKey = `${model}\u0000${tier}`
      addTo(out.rows, rowKey(by, day, model, t), b, mixKey)
      addTo(out.threads, t.id, b, mixKey)
      addTo(out.days, day, b, mixKey)
    }
  }
  return out
}

export interface Priced {
  /** Null when some tokens have no price (their model or tier is not in the table). */
  readonly costUSD: number | null
  /** What the priced tokens cost. */
  readonly knownCostUSD: number
  readonly unpriced: ReadonlyArray<{ readonly model: string; readonly tier: string; readonly tokens: Tokens }>
  readonly models: ReadonlyArray<string>
}

export const costOf = (mix: ReadonlyMap<string, Tokens>, table: StatsPricing.Table): Priced => {
  let known = 0
  const unpriced: Array<{ model: string; tier: string; tokens: Tokens }> = []
  const models = new Set<string>()
  for (const key of [...mix.keys()].sort()) {
    const tokens = mix.get(key) ?? StatsTokens.zero
    const i = key.indexOf("\u0000")
    const model = key.slice(0, i)
    const tier = key.slice(i + 1)
    if (StatsTokens.isZero(tokens)) continue
    models.add(model)
    const r = StatsPricing.rates(table, model, tier)
    if (r === null) unpriced.push({ model, tier, tokens })
    else known += StatsPricing.cost(r, tokens)
  }
  return { costUSD: unpriced.length === 0 ? known : null, knownCostUSD: known, unpriced, models: [...models] }
}

/** Everything in `a` and `b`, for totals. */
export const mergeMix = (into: Map<string, Tokens>, from: ReadonlyMap<string, Tokens>): void => {
  for (const [k, t] of from) into.set(k, StatsTokens.add(into.get(k) ?? StatsTokens.zero, t))
}
