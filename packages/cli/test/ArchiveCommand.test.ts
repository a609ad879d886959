import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { run, sampleCopy } from "./support/IndexHome.js"

const ID = "01a1fb98-42cd-7e63-930d-df43c823f2b4"
const NAME = `rollout-2026-11-21T00-53-42-${ID}.jsonl`

describe("rollout archive / unarchive", () => {
  it("moves the file to archived_sessions/ and back to its date folder, and ls follows", async () => {
    const { home, index } = sampleCopy()
    const active = path.join(home, "sessions/2026/11/21", NAME)
    const mtime = fs.statSync(active).mtimeMs
    const a = await run("archive", ID, "--codex-home", home, "--index", index, "--json")
    expect(a.code).toBe(0)
    const archivedPath = path.join(home, "archived_sessions", NAME)
    expect(JSON.parse(a.out)).toEqual({ id: ID, archived: true, paths: [archivedPath] })
    expect(fs.existsSync(active)).toBe(false)
    expect(fs.statSync(archivedPath).mtimeMs).toBe(mtime)
    const ls = JSON.parse((await run("ls", "--codex-home", home, "--index", index, "--json")).out)
    expect(ls.data.map((t: { id: string }) => t.id)).not.toContain(ID)
    const lsArchived = JSON.parse((await run("ls", "--archived", "--codex-home", home, "--index", index, "--json")).out)
    expect(lsArchived.data).toEqual([expect.objectContaining({ id: ID, archived: true, path: archivedPath })])

    const again = await run("archive", ID, "--codex-home", home, "--index", index)
    expect(again.code).toBe(1)
    expect(again.err).toContain("already archived")

    const u = await run("unarchive", ID, "--codex-home", home, "--index", index, "--json")
    expect(u.code).toBe(0)
    expect(fs.existsSync(active)).toBe(true)
    // Touched: it now sorts first by update time.
    expect(fs.statSync(active).mtimeMs).toBeGreaterThan(mtime)
    const byUpdate = JSON.parse((await run("ls", "--sort-key", "updated_at", "--codex-home", home, "--index", index, "--json")).out)
    expect(byUpdate.data[0].id).toBe(ID)
  })

  it("unknown thread: exit 2; not a thread id: exit 2", async () => {
    const { home, index } = sampleCopy()
    const unknown = await run("archive", "01a1fb98-0000-7000-8000-000000000000", "--codex-home", home, "--index", index)
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("no thread")
    expect((await run("unarchive", "nope", "--codex-home", home, "--index", index)).code).toBe(2)
  })
})
