import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import * as StatsPricing from "@rollout/reduce/StatsPricing"

const excerpt = JSON.parse(fs.readFileSync(new URL("./fixtures/litellm-excerpt.json", import.meta.url), "utf8")) as Record<string, unknown>
const t = (input: number, cachedInput: number, output: number) => ({ input, cachedInput, output, reasoningOutput: 0, total: input + output })

describe("StatsPricing", () => {
  it("the built-in table is exactly what the conversion makes of the LiteLLM excerpt it was taken from", () => {
    const made = StatsPricing.fromLiteLlm(excerpt, { source: StatsPricing.LITELLM_URL, retrieved: "x" })
    expect(made.models).toEqual(StatsPricing.builtIn.models)
    expect(StatsPricing.builtIn.source).toBe(StatsPricing.LITELLM_URL)
    expect(StatsPricing.builtIn.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it("keeps OpenAI's text models only, and a tier only with both its input and output prices", () => {
    const made = StatsPricing.fromLiteLlm(excerpt, { source: "s", retrieved: "r" })
    expect(made.models["gpt-image-1"]).toBeUndefined()
    expect(made.models["groq/openai/gpt-oss-20b"]).toBeUndefined()
    // gpt-5-nano lists a priority input price and no priority output price.
    expect(made.models["gpt-5-nano"]?.tiers?.["priority"]).toBeUndefined()
    expect(made.models["gpt-5-nano"]?.tiers?.["flex"]).toEqual({ input: 2.5e-8, cachedInput: 2.5e-9, output: 2e-7 })
  })

  it("finds a model as named or without its provider prefix, and never guesses one", () => {
    const table = StatsPricing.builtIn
    expect(StatsPricing.rates(table, "gpt-5.2-codex", "")).toMatchObject({ input: 1.75e-6, cachedInput: 1.75e-7, output: 1.4e-5 })
    expect(StatsPricing.rates(table, "openai/gpt-5.2-codex", "")).toEqual(StatsPricing.rates(table, "gpt-5.2-codex", ""))
    expect(StatsPricing.rates(table, "gpt-5.2-codex-preview", "")).toBeNull()
    expect(StatsPricing.rates(table, "unknown", "")).toBeNull()
    expect(StatsPricing.rates(table, "gpt-5.1-codex-max", "priority")).toBeNull()
    expect(StatsPricing.rates(table, "gpt-5.1-codex-mini", "priority")).toEqual({ input: 4.5e-7, cachedInput: 4.5e-8, output: 3.6e-6 })
  })

  it("reads Codex's service tiers: fast is priority, default and auto are standard, others are kept as named", () => {
    expect(["", "default", "auto", "standard"].map(StatsPricing.tierName)).toEqual(["", "", "", ""])
    expect(StatsPricing.tierName(undefined)).toBe("")
    expect(StatsPricing.tierName("fast")).toBe("priority")
    expect(StatsPricing.tierName("flex")).toBe("flex")
  })

  it("costs uncached input, cached input (at the input price when the list has no cache price) and output", () => {
    expect(StatsPricing.cost({ input: 1e-6, cachedInput: 1e-7, output: 1e-5 }, t(1000, 400, 200))).toBeCloseTo(0.0006 + 0.00004 + 0.002, 12)
    expect(StatsPricing.cost({ input: 1e-6, cachedInput: null, output: 1e-5 }, t(1000, 400, 200))).toBeCloseTo(0.001 + 0.002, 12)
  })

  it("parses a --pricing file: a table, a LiteLLM list, or says what is wrong", () => {
    const table = { source: "mine", retrieved: "2026-01-01", models: { m: { input: 1e-6, cachedInput: null, output: 2e-6 } } }
    expect(StatsPricing.parse(table, "f.json")).toEqual({ _tag: "Table", table })
    const lite = StatsPricing.parse(excerpt, "lite.json")
    expect(lite._tag === "Table" && lite.table.models["gpt-5"]?.input).toBe(1.25e-6)
    expect(StatsPricing.parse({ models: { m: { input: "1" } } }, "bad.json")).toMatchObject({ _tag: "Invalid" })
    expect(StatsPricing.parse([], "arr.json")).toMatchObject({ _tag: "Invalid" })
    expect(StatsPricing.parse({ foo: 1 }, "none.json")).toMatchObject({ _tag: "Invalid" })
  })
})
