import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as FolderWatch from "../src/internal/FolderWatch.js"

/** Resolves once `seen()` holds, polling; rejects after `ms`. */
const until = async (seen: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms
  while (!seen()) {
    if (Date.now() > deadline) throw new Error("no change reported")
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe("FolderWatch", () => {
  it("reports appends to files in nested folders, folders made later and a root made later, with one watcher per folder", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "folder-watch-"))
    const sessions = path.join(home, "sessions")
    const day = path.join(sessions, "2026", "01", "02")
    fs.mkdirSync(day, { recursive: true })
    const file = path.join(day, "a.jsonl")
    fs.writeFileSync(file, "{}\n")
    let changes = 0
    const w = FolderWatch.make([sessions, path.join(home, "archived_sessions")], () => changes++)
    expect(await w.started).toBe(true)

    fs.appendFileSync(file, "{}\n")
    await until(() => changes > 0)

    const later = path.join(sessions, "2026", "02", "03")
    fs.mkdirSync(later, { recursive: true })
    // The new folders are watched once their parents report them.
    await new Promise((r) => setTimeout(r, 200))
    changes = 0
    fs.writeFileSync(path.join(later, "b.jsonl"), "{}\n")
    await until(() => changes > 0)

    changes = 0
    fs.mkdirSync(path.join(home, "archived_sessions"))
    await until(() => changes > 0)
    await new Promise((r) => setTimeout(r, 200))
    changes = 0
    fs.writeFileSync(path.join(home, "archived_sessions", "c.jsonl"), "{}\n")
    await until(() => changes > 0)

    w.close()
    changes = 0
    fs.appendFileSync(file, "{}\n")
    await new Promise((r) => setTimeout(r, 200))
    expect(changes).toBe(0)
    fs.rmSync(home, { recursive: true, force: true })
  })

  it("says when a root and its parent cannot be watched (the caller keeps polling every second)", async () => {
    const w = FolderWatch.make([path.join(os.tmpdir(), "no-such-folder-here", "sessions")], () => {})
    expect(await w.started).toBe(false)
    w.close()
  })
})
