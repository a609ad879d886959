/**
 * What each real Codex sends the model after `codex exec resume` on every committed matrix thread:
 * each `fixtures/matrix/<version>/<case>/input.jsonl` is put alone into a fresh home of that
 * Codex, resumed with one prompt, and the `input` of the first model request is written next to
 * it as `resume-request.json`. `test/e2e/Matrix.test.ts` holds `rollout resume --json` to it.
 * Run it through `node scripts/record-samples.mjs --matrix-resume --codex-bin PATH`; a procedure,
 * not a test. The recorded threads stay as they are (the resumed copy is thrown away).
 */
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"

export interface Options {
  readonly repoRoot: string
  readonly recordRoot: string
  readonly log?: (line: string) => void
}

export const PROMPT = "We are back: continue"

export const record = async (options: Options): Promise<ReadonlyArray<{ name: string; threadId: string }>> => {
  const log = options.log ?? (() => {})
  const binary = Codex.requireBinary()
  const version = ChildProcess.execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).at(-1) ?? "unknown"
  const dir = Path.join(options.repoRoot, "fixtures", "matrix", version)
  const server = await ScriptedModelServer.start()
  const done: Array<{ name: string; threadId: string }> = []
  try {
    for (const name of Fs.readdirSync(dir).sort()) {
      const input = Path.join(dir, name, "input.jsonl")
      if (!Fs.existsSync(input)) continue
      const meta = JSON.parse(Fs.readFileSync(input, "utf8").split("\n")[0] ?? "{}")
      const threadId = String(meta.payload?.id)
      const provider = meta.payload?.model_provider === "openai" ? "openai" : "local"
      const home = Codex.createHome({ baseUrl: server.baseUrl, root: `${options.recordRoot}-resume`, provider })
      const folder = Path.join(home.sessionsDir, "2026", "12", "07")
      Fs.mkdirSync(folder, { recursive: true })
      Fs.copyFileSync(input, Path.join(folder, `rollout-2026-12-07T06-00-00-${threadId}.jsonl`))
      const seen = server.modelRequests.length
      server.enqueue(ModelScript.reply("Resumed."))
      await Codex.execTurn(home, PROMPT, { resume: threadId })
      if (server.pending() !== 0 || server.problems.length > 0) throw new Error(`${name}: ${server.pending()} turns left, ${server.problems.join("; ")}`)
      const request = server.modelRequests[seen]?.body["input"]
      Fs.writeFileSync(Path.join(dir, name, "resume-request.json"), `${JSON.stringify(request, null, 2)}\n`)
      done.push({ name, threadId })
      log(`  ${name}`)
    }
  } finally {
    await server.close()
  }
  return done
}
