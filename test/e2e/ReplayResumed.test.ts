// `rollout replay --verify` of a thread Codex started and `rollout run --resume` continued: the
// session that resumed it re-executes identically (engine Replay), from where it resumed. Codex's
// lines are taken as recorded (they are not the engine's to re-execute); the engine resumes a copy
// of them, is driven with the recorded input and model output of its turns, and the file it leaves
// must equal the recording line for line. A legacy thread (fixtures/oracle, Codex 0.169) and a
// paginated fork whose history lives in its parent (fixtures/resume/codex-forks, Codex 0.171).
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import { bin, root } from "./Bin.js"

interface Ran {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** The built bin, asynchronously (the scripted server answers from this process meanwhile). */
const rollout = (env: NodeJS.ProcessEnv, ...args: Array<string>) =>
  new Promise<Ran>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr })
    )
  })

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A scratch Codex home holding `files` (path under the home → bytes), and the scripted model for two resumed turns. */
const setup = async (files: ReadonlyArray<readonly [string, Buffer]>) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-replay-resumed-"))
  for (const [file, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true })
    fs.writeFileSync(path.join(home, file), bytes)
  }
  const server = await ScriptedModelServer.start({
    turns: [
      ModelScript.reply("Back again.", { reasoning: "Resuming." }),
      ModelScript.call("sleep", { duration_ms: 1 }, "call_nap"),
      ModelScript.reply("Rested.")
    ]
  })
  cleanups.push(
    () => server.close(),
    () => fs.rmSync(home, { recursive: true, force: true })
  )
  const env = { OPENAI_API_KEY: "local", OPENAI_BASE_URL: server.baseUrl, CODEX_ROLLOUT_TRACE_ROOT: "" }
  const run = (...args: Array<string>) => rollout(env, ...args, "--codex-home", home)
  return { home, run }
}

/** Resumes `threadId` twice with the engine (a plain turn, a tool-calling one), then verifies the replay. */
const resumeAndVerify = async (files: ReadonlyArray<readonly [string, Buffer]>, threadId: string) => {
  const { home, run } = await setup(files)
  const file = path.join(home, files.find(([name]) => name.endsWith(`${threadId}.jsonl`))?.[0] ?? "")
  const codexLines = fs.readFileSync(file, "utf8").trimEnd().split("\n").length
  for (const prompt of ["We are back", "Take a nap"]) {
    const ran = await run("run", "--resume", threadId, prompt, "--json")
    expect(ran.stderr).toBe("")
    expect(JSON.parse(ran.stdout)).toMatchObject({ threadId, status: "completed" })
  }
  const verified = await run("replay", threadId, "--verify", "--json")
  expect(verified.stderr).toBe("")
  expect(JSON.parse(verified.stdout)).toEqual({ identical: true, firstDifference: null, resumedAt: codexLines })
  const human = await run("replay", threadId, "--verify")
  expect(human.stdout).toContain(`resumed the thread after line ${codexLines} re-executes`)

  // A line of the resumed session changed: it no longer re-executes, exit 1.
  const lines = fs.readFileSync(file, "utf8").split("\n")
  const last = lines.findLastIndex((l) => l.includes('"type":"task_complete"'))
  lines[last] = (lines[last] as string).replace('"last_agent_message":"Rested."', '"last_agent_message":"Tampered."')
  fs.writeFileSync(file, lines.join("\n"))
  const bad = await run("replay", threadId, "--verify", "--json")
  expect(bad.status).toBe(1)
  expect(bad.stderr).toContain("no turn of it re-executes")
}

describe("rollout replay --verify of a thread Codex started and rollout run --resume continued", () => {
  it("a legacy thread with a compaction (Codex 0.169)", async () => {
    const input = fs.readFileSync(path.join(root, "fixtures/oracle/legacy-compact-resumed/input.jsonl"))
    const id = JSON.parse(input.toString("utf8").split("\n")[0] ?? "{}").payload.id as string
    await resumeAndVerify([[`sessions/2026/11/21/rollout-2026-11-21T00-53-42-${id}.jsonl`, input]], id)
  }, 120_000)

  it("a paginated fork whose history lives in its parent (Codex 0.171)", async () => {
    const fixture = path.join(root, "fixtures/resume/codex-forks")
    const step = JSON.parse(fs.readFileSync(path.join(fixture, "cases.json"), "utf8")).resumes[0]
    const files = Object.entries(step.sizes as Record<string, number>).map(
      ([file, size]) => [file, fs.readFileSync(path.join(fixture, "home", file)).subarray(0, size)] as const
    )
    await resumeAndVerify(files, step.threadId)
  }, 120_000)
})
