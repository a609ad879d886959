import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"

const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-run-"))
let server: ScriptedModelServer.ScriptedModelServer
beforeAll(async () => {
  server = await ScriptedModelServer.start()
})
afterAll(async () => {
  await server.close()
  fs.rmSync(home, { recursive: true, force: true })
})

const run = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  return { code, out: output.out(), err: output.err() }
}

describe("rollout run", () => {
  it("given a prompt and a provider, when run with --json, then writes the thread and prints its result", async () => {
    server.enqueue(ModelScript.reply("Hi there."))
    process.env["OPENAI_API_KEY"] = "test-key"
    const r = await run(["run", "Hello", "--base-url", server.baseUrl, "--codex-home", home, "--cwd", home, "--json"])
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    const result = JSON.parse(r.out)
    expect(result).toMatchObject({ status: "completed", lastAgentMessage: "Hi there.", error: null })
    expect(fs.readFileSync(result.path, "utf8").split("\n")[0]).toContain(`"id":"${result.threadId}"`)
    expect(server.modelRequests.at(-1)?.headers["authorization"]).toBe("Bearer test-key")
  })

  it("given a turn that fails, then exits 1 with the error", async () => {
    server.enqueue(ModelScript.httpError(401, "bad key"))
    const r = await run(["run", "Hello", "--base-url", server.baseUrl, "--codex-home", home, "--cwd", home, "--json"])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ status: "failed", error: { codexErrorInfo: "unauthorized" } })
  })

  it("given --demo, then writes every demo thread to the Codex home", async () => {
    const r = await run(["run", "--demo", "--codex-home", home, "--cwd", home, "--json"])
    expect(r.code).toBe(0)
    const { threads } = JSON.parse(r.out)
    expect(threads.length).toBe(9)
    for (const t of threads) expect(fs.existsSync(t.path)).toBe(true)
  }, 30_000)

  it("given neither a prompt nor --demo, or both, then exits 2", async () => {
    expect((await run(["run", "--codex-home", home])).code).toBe(2)
    expect((await run(["run", "Hi", "--demo", "--codex-home", home])).code).toBe(2)
  })
})
