import { describe, expect, it } from "vitest"
import { run, sampleCopy } from "./support/IndexHome.js"

interface Summary {
  readonly id: string
  readonly createdAtMs: number
  readonly name: string | null
  readonly cwd: string
}

describe("rollout ls", () => {
  it("pages through every thread with cursors, newest first, no thread twice", async () => {
    const { home, index } = sampleCopy()
    const seen: Array<Summary> = []
    let cursor: string | null = null
    do {
      const r = await run("ls", "--codex-home", home, "--index", index, "--limit", "4", "--json", ...(cursor === null ? [] : ["--cursor", cursor]))
      expect(r.code).toBe(0)
      const page = JSON.parse(r.out) as { data: Array<Summary>; nextCursor: string | null }
      seen.push(...page.data)
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(seen.length).toBe(9)
    expect(new Set(seen.map((t) => t.id)).size).toBe(9)
    expect(seen.map((t) => t.createdAtMs)).toEqual([...seen.map((t) => t.createdAtMs)].sort((a, b) => b - a))
    expect(seen.find((t) => t.id === "01a1fb98-3e76-7a42-a25c-af3950c41fdb")?.name).toBe("Sample chat")
  })

  it("filters by cwd and by search text", async () => {
    const { home, index } = sampleCopy()
    const none = await run("ls", "--codex-home", home, "--index", index, "--cwd", "/nowhere", "--json")
    expect(JSON.parse(none.out)).toEqual({ data: [], nextCursor: null })
    const cwd = await run("ls", "--codex-home", home, "--index", index, "--cwd", "/tmp/rollout-oracle/workspace", "--json")
    expect(JSON.parse(cwd.out).data.length).toBe(9)
    const found = await run("ls", "--codex-home", home, "--index", index, "--search", "notes.md", "--json")
    const ids = JSON.parse(found.out).data.map((t: Summary) => t.id)
    expect(ids).toContain("01a1fb98-4d37-7260-9806-d731f1871140")
    expect(ids.length).toBeLessThan(9)
  })

  it("prints a table without --json", async () => {
    const { home, index } = sampleCopy()
    const r = await run("ls", "--codex-home", home, "--index", index, "--limit", "2")
    expect(r.out).toMatch(/^created \(UTC\)\s+thread\s+turns\s+tokens\s+size\s+trim frees\s+model\s+source\s+cwd/)
    expect(r.out).toMatch(/more: rollout ls --cursor created_at:\d+/)
  })

  it("filters by date range, model and source, and keeps the filters in the next page's command", async () => {
    const { home, index } = sampleCopy()
    const ids = async (...flags: Array<string>) =>
      JSON.parse((await run("ls", "--codex-home", home, "--index", index, "--json", ...flags)).out).data.map((t: Summary) => t.id) as Array<string>
    expect(await ids("--since", "2026-11-21", "--until", "20261121")).toHaveLength(9)
    expect(await ids("--since", "2026-11-22")).toEqual([])
    expect(await ids("--until", "2026-11-20")).toEqual([])
    expect(await ids("--model", "gpt-5.5")).toHaveLength(9)
    expect(await ids("--model", "gpt-4")).toEqual([])
    expect(await ids("--source", "exec")).toEqual(["01a1fb98-5691-7263-94fa-5eed69d583aa", "01a1fb98-4d37-7260-9806-d731f1871140"])
    expect((await run("ls", "--codex-home", home, "--index", index, "--since", "2026-13-01")).code).toBe(2)
    const reversed = await run("ls", "--codex-home", home, "--index", index, "--since", "2026-11-22", "--until", "2026-11-20")
    expect([reversed.code, reversed.out]).toEqual([2, ""])
    expect(reversed.err).toContain("--since 2026-11-22 is after --until 2026-11-20")
    const page = await run("ls", "--codex-home", home, "--index", index, "--limit", "1", "--source", "vscode", "--since", "20261121")
    expect(page.out).toMatch(/more: rollout ls --cursor created_at:\d+ --since 2026-11-21 --source vscode --limit 1/)
  })

  it("says how to resume a thread in Codex: cd to its folder, codex resume its id", async () => {
    const { home, index } = sampleCopy()
    const r = await run("ls", "--codex-home", home, "--index", index, "--json")
    const first = JSON.parse(r.out).data[0] as Summary & { resumeCommand: string }
    expect(first.resumeCommand).toBe(`cd /tmp/rollout-oracle/workspace && codex resume ${first.id}`)
    const table = await run("ls", "--codex-home", home, "--index", index)
    expect(table.out).toContain(`resume in Codex: cd /tmp/rollout-oracle/workspace && codex resume ${first.id}`)
    expect(table.out).toMatch(/thread\s+turns\s+tokens\s+size\s+trim frees\s+model\s+source\s+cwd/)
  })

  it("rejects a malformed cursor and one from another sort key with exit 2", async () => {
    const { home, index } = sampleCopy()
    const bad = await run("ls", "--codex-home", home, "--index", index, "--cursor", "yesterday", "--json")
    expect(bad.code).toBe(2)
    expect(bad.out).toBe("")
    expect(bad.err).toContain("invalid cursor")
    const other = await run("ls", "--codex-home", home, "--index", index, "--cursor", "updated_at:5", "--json")
    expect(other.code).toBe(2)
  })
})
