#!/usr/bin/env node
// Regenerates packages/reduce/src/data/prices.json, the price table `rollout stats` costs with,
// from a LiteLLM price list saved beforehand (no network here):
//   node scripts/refresh-prices.mjs model_prices_and_context_window.json [--commit SHA] [--date YYYY-MM-DD] [--out FILE]
// Needs packages/reduce built (npx turbo run build --filter=@rollout/reduce).
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import * as StatsPricing from "../packages/reduce/dist/StatsPricing.js"

const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  const v = args[i + 1]
  args.splice(i, 2)
  return v
}
const commit = option("--commit")
const date = option("--date") ?? new Date().toISOString().slice(0, 10)
const out = option("--out") ?? fileURLToPath(new URL("../packages/reduce/src/data/prices.json", import.meta.url))
const [input] = args
if (input === undefined) {
  process.stderr.write("usage: node scripts/refresh-prices.mjs LITELLM.json [--commit SHA] [--date YYYY-MM-DD] [--out FILE]\n")
  process.exit(2)
}
const json = JSON.parse(fs.readFileSync(input, "utf8"))
const table = StatsPricing.fromLiteLlm(json, {
  source: StatsPricing.LITELLM_URL,
  ...(commit === undefined ? {} : { sourceCommit: commit }),
  retrieved: date
})
fs.writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`)
process.stdout.write(`${Object.keys(table.models).length} models written to ${out}\n`)
