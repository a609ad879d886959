import { describe, expect, it } from "vitest"
import { run, sampleCopy } from "./support/IndexHome.js"

describe("rollout search", () => {
  it("finds a tool call and its output, with the turn they belong to", async () => {
    const { home, index } = sampleCopy()
    const r = await run("search", "notes", "--codex-home", home, "--index", index, "--json")
    expect(r.code).toBe(0)
    const hits = JSON.parse(r.out).data as Array<{ threadId: string; kind: string; turn: { index: number | null; id: string | null }; snippet: string }>
    expect(hits.map((h) => h.kind)).toEqual(expect.arrayContaining(["tool_call", "tool_output", "agent"]))
    const output = hits.find((h) => h.kind === "tool_output" && h.threadId === "01a1fb98-4d37-7260-9806-d731f1871140")
    expect(output).toMatchObject({ turn: { index: 0, id: "01a1fb98-4d55-78d3-badf-bcc33b47b8c0" } })
    expect(output?.snippet).toContain("[notes]")
    expect(output).toMatchObject({
      cwd: "/tmp/rollout-oracle/workspace",
      resumeCommand: "cd /tmp/rollout-oracle/workspace && codex resume 01a1fb98-4d37-7260-9806-d731f1871140"
    })
  })

  it("filters by kind and prints readable hits", async () => {
    const { home, index } = sampleCopy()
    const r = await run("search", "workspace", "--kind", "user", "--codex-home", home, "--index", index)
    expect(r.code).toBe(0)
    expect(r.out).toContain("turn 1 (")
    expect(r.out).toContain("user, line")
    expect(r.out).not.toContain(", agent,")
    expect(r.out).toMatch(/resume: cd \/tmp\/rollout-oracle\/workspace && codex resume [0-9a-f-]{36}/)
  })

  it("rejects text without a word (exit 2), and finds nothing for an unknown word (exit 0)", async () => {
    const { home, index } = sampleCopy()
    expect((await run("search", "()", "--codex-home", home, "--index", index)).code).toBe(2)
    const none = await run("search", "zyxwvut", "--codex-home", home, "--index", index, "--json")
    expect(JSON.parse(none.out)).toEqual({ data: [], total: 0 })
  })
})
