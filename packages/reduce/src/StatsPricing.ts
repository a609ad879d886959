/**
 * Prices for `rollout stats`: a table of USD per token by model and service tier, kept in the
 * repository as data (`data/prices.json`, taken from LiteLLM's public price list, the one ccusage
 * prices with), and the rule that turns token counts into cost. It never guesses: a model the
 * table does not name, or a tier it has no prices for, has no rates (`null`), and callers list it
 * instead of pricing it. It does no I/O; `--pricing FILE` hands its parsed JSON to `parse`.
 */
import type * as StatsTokens from "./StatsTokens.js"
import builtInData from "./data/prices.json" with { type: "json" }

/** USD per token. A missing cached-input price means cached input is billed as input. */
export interface Rates {
  readonly input: number
  readonly cachedInput: number | null
  readonly output: number
}

export interface Model extends Rates {
  /** Prices of other service tiers (`priority`, `flex`) where the list gives them. */
  readonly tiers?: Readonly<Record<string, Rates>>
}

export interface Table {
  readonly source: string
  readonly sourceCommit?: string
  readonly retrieved: string
  readonly models: Readonly<Record<string, Model>>
}

export type Parsed = { readonly _tag: "Table"; readonly table: Table } | { readonly _tag: "Invalid"; readonly message: string }

export const LITELLM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"

export const builtIn: Table = builtInData as Table

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined)

const ratesOf = (e: Record<string, unknown>, suffix: string): Rates | undefined => {
  const input = num(e[`input_cost_per_token${suffix}`])
  const output = num(e[`output_cost_per_token${suffix}`])
  if (input === undefined || output === undefined) return undefined
  return { input, cachedInput: num(e[`cache_read_input_token_cost${suffix}`]) ?? null, output }
}

/** LiteLLM tier suffixes kept, by the tier name a rollout records. */
const TIERS = [
  ["priority", "_priority"],
  ["flex", "_flex"]
] as const

/**
 * The table from LiteLLM's `model_prices_and_context_window.json`: OpenAI's own text models
 * (provider `openai`, mode `chat` or `responses`) with an input and an output price per token.
 * A tier is kept only when both its input and output prices are given.
 */
export const fromLiteLlm = (json: Readonly<Record<string, unknown>>, meta: Omit<Table, "models">): Table => {
  const models: Record<string, Model> = {}
  for (const name of Object.keys(json).sort()) {
    const e = json[name]
    if (typeof e !== "object" || e === null) continue
    const entry = e as Record<string, unknown>
    if (entry["litellm_provider"] !== "openai" || (entry["mode"] !== "chat" && entry["mode"] !== "responses")) continue
    const base = ratesOf(entry, "")
    if (base === undefined) continue
    const tiers: Record<string, Rates> = {}
    for (const [tier, suffix] of TIERS) {
      const r = ratesOf(entry, suffix)
      if (r !== undefined) tiers[tier] = r
    }
    models[name] = Object.keys(tiers).length === 0 ? base : { ...base, tiers }
  }
  return { ...meta, models }
}

const isRates = (v: unknown): v is Rates =>
  typeof v === "object" &&
  v !== null &&
  num((v as Rates).input) !== undefined &&
  num((v as Rates).output) !== undefined &&
  ((v as Rates).cachedInput === null || (v as Rates).cachedInput === undefined || num((v as Rates).cachedInput) !== undefined)

/** A `--pricing` file: a table of this shape, or a LiteLLM price list as published. */
export const parse = (json: unknown, origin: string): Parsed => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { _tag: "Invalid", message: `${origin}: not a JSON object` }
  const o = json as Record<string, unknown>
  if (typeof o["models"] === "object" && o["models"] !== null) {
    for (const [name, m] of Object.entries(o["models"] as Record<string, unknown>)) {
      if (!isRates(m)) return { _tag: "Invalid", message: `${origin}: model ${name} needs numeric input and output prices per token` }
      const tiers = (m as Model).tiers ?? {}
      for (const [tier, r] of Object.entries(tiers)) {
        if (!isRates(r)) return { _tag: "Invalid", message: `${origin}: tier ${tier} of model ${name} needs numeric input and output prices per token` }
      }
    }
    return { _tag: "Table", table: { source: String(o["source"] ?? origin), retrieved: String(o["retrieved"] ?? ""), models: o["models"] as Table["models"] } }
  }
  const table = fromLiteLlm(o, { source: origin, retrieved: "" })
  if (Object.keys(table.models).length === 0)
    return { _tag: "Invalid", message: `${origin}: no OpenAI model prices in it (neither a price table nor a LiteLLM price list)` }
  return { _tag: "Table", table }
}

/**
 * The service tier a price applies to. Codex records `fast` for what the API bills as `priority`;
 * no tier, `default`, `auto` and `standard` are the standard prices.
 */
export const tierName = (recorded: string | null | undefined): string => {
  switch (recorded ?? "") {
    case "":
    case "default":
    case "auto":
    case "standard":
      return ""
    case "fast":
    case "priority":
      return "priority"
    default:
      return recorded ?? ""
  }
}

/** The rates of a model (exactly as named, or without a `provider/` prefix) at a tier (`""` standard). */
export const rates = (table: Table, model: string, tier: string): Rates | null => {
  const slash = model.lastIndexOf("/")
  const m = table.models[model] ?? (slash >= 0 ? table.models[model.slice(slash + 1)] : undefined)
  if (m === undefined) return null
  return tier === "" ? m : (m.tiers?.[tier] ?? null)
}

/** Uncached input at the input price, cached input at the cache price, output (reasoning included) at the output price. */
export const cost = (r: Rates, t: StatsTokens.Tokens): number =>
  Math.max(0, t.input - t.cachedInput) * r.input + t.cachedInput * (r.cachedInput ?? r.input) + t.output * r.output
