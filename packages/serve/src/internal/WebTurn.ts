/**
 * A turn as the web API sends it: number, status, times, tokens and cost (at the built-in prices,
 * standard tier; null when the model has none), and its body rendered by the HTML export's
 * renderer (`@rollout/view/HtmlFragment`), the one place the page gets HTML from.
 */
import * as StatsPricing from "@rollout/reduce/StatsPricing"
import * as HtmlFragment from "@rollout/view/HtmlFragment"
import type * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"
import * as LongText from "./LongText.js"

export const costOf = (u: WorkedTurns.Use): number | null => {
  if (u.tokens.total === 0) return 0
  const rates = u.model === null ? null : StatsPricing.rates(StatsPricing.builtIn, u.model, "")
  return rates === null ? null : StatsPricing.cost(rates, u.tokens)
}

const usage = (u: WorkedTurns.Use | null): Api.TurnUsage | null => (u === null ? null : { tokens: u.tokens, model: u.model, costUSD: costOf(u) })

/** The thread's largest turn in tokens, which token strips are drawn against. */
export const largest = (views: ReadonlyArray<WorkedTurns.TurnView>): number => views.reduce((m, t) => Math.max(m, t.usage?.tokens.total ?? 0), 0)

/**
 * The turn's entry, its long strings cut (`LongText`); `url` names where a cut string is fetched
 * whole, when it can be (a thread's turn, not a replay's).
 */
export const entry = (t: WorkedTurns.TurnView, largestTurn: number, url?: (c: Api.Cut) => string): Api.TurnEntry => {
  const { view, cuts } = LongText.cut(t)
  return {
    n: t.n,
    id: t.turn.id,
    status: t.turn.status,
    title: HtmlFragment.title(t.turn),
    startedAt: t.turn.startedAt,
    durationMs: t.turn.durationMs,
    usage: usage(t.usage),
    html: HtmlFragment.turnBody(view, largestTurn),
    ...(cuts.length === 0 ? {} : { cuts: url === undefined ? cuts : cuts.map((c) => ({ ...c, url: url(c) })) })
  }
}

/** Tokens of every turn, and their cost unless some turn's model has no price. */
export const totals = (views: ReadonlyArray<WorkedTurns.TurnView>): { readonly tokens: number; readonly costUSD: number | null } => {
  let tokens = 0
  let cost: number | null = 0
  for (const v of views) {
    if (v.usage === null) continue
    tokens += v.usage.tokens.total
    const c = costOf(v.usage)
    cost = cost === null || c === null ? null : cost + c
  }
  return { tokens, costUSD: cost }
}
