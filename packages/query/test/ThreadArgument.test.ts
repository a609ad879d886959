import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as ThreadArgument from "../src/ThreadArgument.js"

const home = "/home/u/.codex"
const day = `${home}/sessions/2026/07/14`
const A = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const B = "0198f2a4-5b6c-7d8e-9f00-aabbccddeeff"
const C = "0277aaaa-0000-7000-8000-000000000001"
const meta = (id: string) =>
  `${JSON.stringify({ timestamp: "2026-07-14T09:05:33.000Z", type: "session_meta", payload: { id, timestamp: "2026-07-14T09:05:33.000Z", cwd: "/w", originator: "codex_cli_rs", cli_version: "0.1.0" } })}\n`
const files = {
  [`${day}/rollout-2026-07-14T09-05-33-${A}.jsonl`]: meta(A),
  [`${day}/rollout-2026-07-14T09-06-33-${B}.jsonl`]: meta(B),
  [`${day}/rollout-2026-07-14T09-07-33-${C}.jsonl`]: meta(C),
  "/tmp/package.json": '{"name": "x"}\n'
}
const run = <A, E>(effect: Effect.Effect<A, E, Files.Files>) => Effect.runPromise(effect.pipe(Effect.result, Effect.provide(Files.layerMemory(files))))

describe("ThreadArgument", () => {
  it("given a unique prefix of a thread id, then it names that thread's files", async () => {
    const r = await run(ThreadArgument.resolve("0277", home))
    expect(r._tag === "Success" && r.success).toEqual([`${day}/rollout-2026-07-14T09-07-33-${C}.jsonl`])
  })

  it("given a prefix several ids share, then it fails listing them", async () => {
    const r = await run(ThreadArgument.resolve("0198f2a4", home))
    expect(r._tag === "Failure" && r.failure.message).toBe(`0198f2a4 is the start of 2 thread ids: ${A}, ${B}; give more of the id`)
  })

  it("given a prefix too short, or no thread with it, then it is no such file", async () => {
    for (const arg of ["019", "ffff"]) {
      const r = await run(ThreadArgument.resolve(arg, home))
      expect(r._tag, arg).toBe("Failure")
    }
  })

  it("given a folder of several threads as THREAD, then it fails naming them; as PATH it expands", async () => {
    const r = await run(ThreadArgument.resolve(home, home))
    expect(r._tag === "Failure" && r.failure.message).toMatch(/holds 3 threads/)
    const all = await run(ThreadArgument.expand(home, home))
    expect(all._tag === "Success" && all.success).toHaveLength(3)
  })

  it("given a JSON file that is no rollout, then resolveRollout fails as invalid input", async () => {
    const r = await run(ThreadArgument.resolveRollout("/tmp/package.json", home))
    expect(r._tag === "Failure" && r.failure._tag).toBe("InvalidInput")
    const ok = await run(ThreadArgument.resolveRollout(A, home))
    expect(ok._tag).toBe("Success")
  })
})
