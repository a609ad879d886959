import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/trace/${name}/`, import.meta.url))

const run = async (...argv: Array<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  return { code, out: output.out(), err: output.err() }
}

describe("rollout trace", () => {
  it("given a bundle, when run with --json, then it prints exactly the reduced graph (state.json shape)", async () => {
    const r = await run("trace", `${fixture("edge-result-and-close")}bundle`, "--json")
    expect([r.code, r.err]).toEqual([0, ""])
    expect(r.out).toBe(fs.readFileSync(`${fixture("edge-result-and-close")}expected.json`, "utf8"))
  })

  it("given a bundle, when run without --json, then it summarises threads and the edges between them", async () => {
    const r = await run("trace", `${fixture("edge-result-and-close")}bundle`)
    expect(r.code).toBe(0)
    expect(r.out).toContain("/root/worker (Kepler)  019d0000-0000-7000-8000-0000000000bb  completed  spawned by /root")
    expect(r.out).toContain("close_agent       /root tool call_close → /root/worker")
    expect(r.out).toContain("agent_result      /root/worker conversation_item:3 → /root conversation_item:5")
  })

  it("given a bundle Codex cannot replay, when run, then it exits 1 with Codex's message", async () => {
    const r = await run("trace", `${fixture("error-duplicate-turn")}bundle`, "--json")
    expect([r.code, r.out]).toEqual([1, ""])
    expect(r.err).toContain("duplicate codex turn start for turn-1")
  })

  it("given a directory without a manifest, when run, then it exits 1 naming the manifest", async () => {
    const r = await run("trace", `${fixture("error-missing-manifest")}bundle`)
    expect(r.code).toBe(1)
    expect(r.err).toContain("manifest.json")
  })

  it("given a path that is not a directory, when run, then it exits 2", async () => {
    const r = await run("trace", "/nonexistent/trace-bundle", "--json")
    expect([r.code, r.out]).toEqual([2, ""])
    expect(r.err).toContain("no such bundle directory")
  })
})
