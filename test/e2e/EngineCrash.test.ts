// kill -9 of the engine mid-turn: every line the engine acknowledged is in the file, whole and in
// order, the file validates, and the thread resumes cleanly (model-visible history rebuilt from the
// file, new lines appended after the old ones; a torn last line is closed off, never glued to).
// The child runs the built engine (`packages/engine/dist`), so build it before running this test.
import * as ChildProcess from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as Engine from "@rollout/engine/Engine"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"

const child = path.join(import.meta.dirname, "EngineCrashChild.mjs")
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Runs the child until it has acknowledged a `token_count`, then kills it with SIGKILL. */
const crash = async (home: string, baseUrl: string) => {
  const proc = ChildProcess.spawn(process.execPath, [child, home, baseUrl, home], { stdio: ["ignore", "pipe", "pipe"] })
  cleanups.push(() => void proc.kill("SIGKILL"))
  const acked: Array<{ path: string; text: string }> = []
  let stderr = ""
  proc.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
  await new Promise<void>((resolve, reject) => {
    let buffer = ""
    const timer = setTimeout(() => reject(new Error(`child did not reach token_count: ${stderr}`)), 20_000)
    proc.stdout.setEncoding("utf8").on("data", (d: string) => {
      buffer += d
      const parts = buffer.split("\n")
      buffer = parts.pop() ?? ""
      for (const part of parts) {
        if (!part.startsWith("ACK ")) continue
        acked.push(JSON.parse(part.slice(4)))
        if (acked.at(-1)!.text.includes('"type":"token_count"')) {
          clearTimeout(timer)
          proc.kill("SIGKILL")
          resolve()
        }
      }
    })
    proc.on("exit", () => resolve())
  })
  await new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve(undefined) : proc.once("exit", resolve)))
  return acked
}

describe("kill -9 mid-turn", () => {
  it.each([false, true])("keeps every acknowledged line and resumes cleanly (torn tail: %s)", async (torn) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-crash-"))
    cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }))
    const server = await ScriptedModelServer.start({
      turns: [ModelScript.call("sleep", { duration_ms: 60_000 }, "call_long"), ModelScript.reply("Resumed fine.")]
    })
    cleanups.push(() => server.close())

    const acked = await crash(home, server.baseUrl)
    expect(acked.length).toBeGreaterThanOrEqual(7)
    const file = acked[0]!.path
    const before = fs.readFileSync(file, "utf8")
    expect(before.split("\n").slice(0, acked.length)).toEqual(acked.map((a) => a.text))
    expect((await Validation.validateFile(Files.node, file)).problems).toEqual([])
    if (torn) fs.appendFileSync(file, '{"timestamp":"2026-11-21T09:00:0')

    const engine = Engine.make({ codexHome: home, baseURL: server.baseUrl, config: { cwd: home }, durability: "none" })
    cleanups.push(() => engine.close())
    const thread = await engine.resumeThread(file)
    await thread.run("Are you still there?")
    const request = server.modelRequests.at(-1)!.body as { input: Array<Record<string, unknown>> }
    expect(request.input.map((i) => [i["type"], i["call_id"] ?? i["role"]])).toEqual([
      ["message", "user"],
      ["function_call", "call_long"],
      ["function_call_output", "call_long"],
      ["message", "user"]
    ])
    const after = fs.readFileSync(file, "utf8")
    expect(after.startsWith(before)).toBe(true)
    const report = await Validation.validateFile(Files.node, file)
    expect(report.problems.map((p) => p.line)).toEqual(torn ? [acked.length + 1] : [])
    expect(
      thread
        .turns()
        .map((t) => t.status)
        .at(-1)
    ).toBe("completed")
    expect(thread.turns().length).toBe(2)
    expect(after.trimEnd().split("\n").at(-1)).toContain('"last_agent_message":"Resumed fine."')
  })
})
