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
//   node scripts/record-samples.mjs --turns-pages   # only fixtures/oracle/*/turns-pages.json, from rollouts/ as it is
const { values } = parseArgs({
  options: {
    "record-root": { type: "string", default: "/tmp/rollout-oracle" },
    "turns-pages": { type: "boolean", default: false },
    "history-fixtures": { type: "boolean", default: false },
    "codex-tests": { type: "boolean", default: false },
    matrix: { type: "boolean", default: false },
    "matrix-extras": { type: "boolean", default: false },
    "matrix-resume": { type: "boolean", default: false },
    "codex-bin": { type: "string" }
  }
})
//   node scripts/record-samples.mjs --matrix [--codex-bin PATH]   # fixtures/matrix/<version>/, every item kind, with that Codex
//   node scripts/record-samples.mjs --matrix --matrix-extras [--codex-bin PATH]   # only the hook, sleep and plan cases of it
//   node scripts/record-samples.mjs --matrix-resume [--codex-bin PATH]   # fixtures/matrix/<version>/*/resume-request.json
if (values["codex-bin"] !== undefined) process.env["CODEX_BIN"] = Path.resolve(values["codex-bin"])
const conditions = ["source", "node", "import", "default"]
//   node scripts/record-samples.mjs --history-fixtures   # only fixtures/history/*/expected.json, asked of the app-server
//   node scripts/record-samples.mjs --codex-tests [--codex-bin PATH]   # fixtures/codex-tests/*-history/*/expected.json
const procedure = values["codex-tests"]
  ? "test/oracle/RecordCodexTests.ts"
  : values["matrix-resume"]
    ? "test/oracle/RecordMatrixResume.ts"
    : values.matrix
      ? "test/oracle/RecordMatrix.ts"
      : values["turns-pages"]
        ? "test/oracle/RecordTurnsPages.ts"
        : values["history-fixtures"]
          ? "test/oracle/RecordHistoryFixtures.ts"
          : "test/oracle/RecordSamples.ts"
const { module } = await runnerImport(Path.join(repoRoot, procedure), {
  configFile: false,
  logLevel: "error",
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } }
})
const started = Date.now()
const cases = await module.record({
  repoRoot,
  recordRoot: values["record-root"],
  onlyExtras: values["matrix-extras"],
  log: (line) => console.log(line)
})
console.log(`recorded ${cases.length} threads in ${((Date.now() - started) / 1000).toFixed(1)} s:`)
for (const c of cases) console.log(typeof c === "string" ? `  ${c}` : `  ${c.name}  ${c.threadId}`)
process.exit(0)
