#!/usr/bin/env node
// Records rollouts/ (a sample Codex home) and fixtures/oracle/ with the real Codex CLI against a
// scripted local model. The procedure is TypeScript (test/oracle/RecordSamples.ts); Vite's module
// runner (already installed for vitest) loads it with the workspace "source" condition, so no
// build is needed.
//
//   node scripts/record-samples.mjs [--record-root /tmp/rollout-oracle]
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { runnerImport } from "vite"

const repoRoot = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const { values } = parseArgs({ options: { "record-root": { type: "string", default: "/tmp/rollout-oracle" } } })
const conditions = ["source", "node", "import", "default"]
const { module } = await runnerImport(Path.join(repoRoot, "test/oracle/RecordSamples.ts"), {
  configFile: false,
  logLevel: "error",
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } }
})
const started = Date.now()
const cases = await module.record({ repoRoot, recordRoot: values["record-root"], log: (line) => console.log(line) })
console.log(`recorded ${cases.length} threads in ${((Date.now() - started) / 1000).toFixed(1)} s:`)
for (const c of cases) console.log(`  ${c.name}  ${c.threadId}`)
process.exit(0)
