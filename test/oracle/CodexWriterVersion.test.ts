// The writer's version option against each real Codex: `rollout fork --write`, `rollout trim
// --write` and `rollout run` with `--codex-version V` write lines shaped as release V writes them
// (its cli_version; model_search_state in response-item metadata for 0.171 only), which `rollout
// validate` passes without an undeclared field, and which Codex V resumes (`codex exec resume`
// succeeds) and then reads (`thread/read`) exactly as `rollout history` does. The sources are the
// matrix's legacy threads the other release wrote, so the metadata is shaped both ways. Each
// release runs when its launcher is found (`Codex.binaryFor`: `$CODEX_BIN_0_169_0` and so on, or
// the installed one, which in CI is the newest).
import * as ModelScript from "@rollout/engine/ModelScript"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"
import * as ScriptedOracle from "./ScriptedOracle.js"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../..")
const releases = ["0.169.0", "0.170.0", "0.171.0"].flatMap((v) => {
  const binary = Codex.binaryFor(v)
  return binary === undefined ? [] : [[v, binary] as const]
})
if (releases.length === 0) console.warn("oracle/CodexWriterVersion.test.ts skipped: no codex binary of 0.169.0-0.171.0")

const json = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  if (code !== 0) throw new Error(`rollout ${argv.join(" ")} exited ${code}: ${output.err()}`)
  return JSON.parse(output.out())
}

type Line = { type: string; payload: Record<string, unknown>; metadata?: Record<string, unknown> }
const readLines = (file: string): Array<Line> =>
  Fs.readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l))

/** Puts a matrix rollout into the home under Codex's file name (its thread id last). */
const install = (home: Codex.CodexHome, version: string, c: string): string => {
  const source = Path.join(root, "fixtures/matrix", version, c, "input.jsonl")
  const id = String(readLines(source)[0]?.payload["id"])
  const dir = Path.join(home.sessionsDir, "2026", "12", "07")
  Fs.mkdirSync(dir, { recursive: true })
  Fs.copyFileSync(source, Path.join(dir, `rollout-2026-12-07T06-00-00-${id}.jsonl`))
  return id
}

describe.skipIf(releases.length === 0)("what rollout writes as a Codex release, that release resumes", () => {
  const oracle = ScriptedOracle.setup()

  /** Holds what Codex `version` makes of each thread to `rollout history` (see the file comment). */
  const resumesAsOurs = async (home: Codex.CodexHome, version: string, binary: string, threadIds: ReadonlyArray<string>) => {
    for (const threadId of threadIds) {
      const file = home.rolloutOf(threadId)
      const lines = readLines(file)
      expect(lines[0]?.payload["cli_version"]).toBe(version)
      const metadata = lines.flatMap((l) => (l.type === "response_item" && l.metadata !== undefined ? [l.metadata] : []))
      expect(metadata.every((m) => "model_search_state" in m === (version === "0.171.0"))).toBe(true)
      const report = await json(["validate", file, "--json"])
      expect(report.files[0].valid).toBe(true)
      expect(report.files[0].notes.filter((n: { kind: string }) => n.kind === "undeclared_field")).toEqual([])

      oracle.server.enqueue(ModelScript.reply("Resumed."))
      const resumed = await Codex.execTurn(home, "Go on", { resume: threadId, binary })
      expect(resumed.exitCode).toBe(0)
      expect(oracle.server.problems).toEqual([])
      const app = await Codex.appServer(home, { binary })
      try {
        const read = await app.request("thread/read", { threadId, includeTurns: true })
        const ours = await json(["history", file, "--json"])
        expect(JSON.stringify(ours.thread.turns)).toBe(JSON.stringify(read.thread.turns))
      } finally {
        await app.close()
      }
    }
  }

  it.each(releases)(
    "Codex %s",
    async (version, binary) => {
      const flags = (home: Codex.CodexHome) => ["--codex-version", version, "--codex-home", home.home, "--json"]
      // Codex refuses to resume a thread under another model provider: the matrix threads ran on the
      // home's `local` one, the engine's threads name `openai` (the built-in provider, pointed here).
      await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl }, async (home) => {
        const other = version === "0.171.0" ? "0.169.0" : "0.171.0"
        const forked = await json(["fork", install(home, other, "app-legacy-every-item"), "--before-user-message", "99", "--write", ...flags(home)])
        const trimmed = await json(["trim", install(home, other, "app-legacy-compaction"), "--write", ...flags(home)])
        await resumesAsOurs(home, version, binary, [forked.threadId, trimmed.threadId])
      })
      await Codex.withCodexHome({ baseUrl: oracle.server.baseUrl, provider: "openai" }, async (home) => {
        oracle.server.enqueue(ModelScript.reply("Hello from the engine."))
        const ran = await json(["run", "Say hello", "--base-url", oracle.server.baseUrl, "--cwd", home.workspace, ...flags(home)])
        await resumesAsOurs(home, version, binary, [ran.threadId])
      })
    },
    120_000
  )
})
