/**
 * Sums of statistics buckets with their token mix by model and service tier, priced as the local
 * report prices them (`@rollout/reduce/StatsReport`): the mix holds exact integer sums keyed
 * `model\0tier`, and a cost is the sum of `StatsPricing.cost` over its keys in sorted order, so
 * the same buckets give the same float whatever order PostgreSQL returned them in.
 */
import * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import * as StatsTokens from "@rollout/reduce/StatsTokens"

type Tokens = StatsTokens.Tokens

export interface Acc {
  bucket: StatsFile.Bucket
  readonly mix: Map<string, Tokens>
}

export const empty = (): Acc => ({ bucket: StatsFile.emptyBucket, mix: new Map() })

/** Adds bucket `b` of `model` and `tier` into `into[key]`. */
export const add = (into: Map<string, Acc>, key: string, b: StatsFile.Bucket, model: string, tier: string): void => {
  let a = into.get(key)
  if (a === undefined) {
    a = empty()
    into.set(key, a)
  }
  const mixKey = `${model}\u0000${tier}`
  a.bucket = StatsFile.addBucket(a.bucket, b)
  a.mix.set(mixKey, StatsTokens.add(a.mix.get(mixKey) ?? StatsTokens.zero, b.tokens))
}

export interface Priced {
  readonly costUSD: number | null
  readonly knownCostUSD: number
  readonly unpriced: ReadonlyArray<{ readonly model: string; readonly tier: string; readonly tokens: Tokens }>
  readonly models: ReadonlyArray<string>
}

export const cost = (mix: ReadonlyMap<string, Tokens>, table: StatsPricing.Table): Priced => {
  let known = 0
  const unpriced: Array<{ model: string; tier: string; tokens: Tokens }> = []
  const models = new Set<string>()
  for (const key of [...mix.keys()].sort()) {
    const tokens = mix.get(key) ?? StatsTokens.zero
    if (StatsTokens.isZero(tokens)) continue
    const i = key.indexOf("\u0000")
    const model = key.slice(0, i)
    const tier = key.slice(i + 1)
    models.add(model)
    const r = StatsPricing.rates(table, model, tier)
    if (r === null) unpriced.push({ model, tier, tokens })
    else known += StatsPricing.cost(r, tokens)
  }
  return { costUSD: unpriced.length === 0 ? known : null, knownCostUSD: known, unpriced, models: [...models] }
}

/** A day's tokens and cost per model (its tiers added up), sorted by model: what the chart draws. */
export const byModel = (
  mix: ReadonlyMap<string, Tokens>,
  table: StatsPricing.Table
): Array<{ readonly model: string; readonly tokens: Tokens; readonly costUSD: number | null }> => {
  const models = new Map<string, Map<string, Tokens>>()
  for (const [k, t] of mix) {
    const model = k.slice(0, k.indexOf("\u0000"))
    const m = models.get(model) ?? new Map<string, Tokens>()
    m.set(k, t)
    models.set(model, m)
  }
  return [...models]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([model, m]) => ({ model, tokens: [...m.values()].reduce(StatsTokens.add, StatsTokens.zero), costUSD: cost(m, table).costUSD }))
}
