// End to end, with real processes: two `rollout index` and an `ls` at once on a 2,000-file home,
// while a third process holds the index's write lock longer than SQLite's busy timeout (as a big
// full-text build does on a loaded machine). None may fail with "database is locked": writers
// wait their turn with backoff, and every thread is listed at the end.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const N = 2000
const made: Array<string> = []
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true })
})

const start = (args: ReadonlyArray<string>, script?: string, onOut?: (text: string) => void): Promise<Home.Run> =>
  new Promise((resolve) => {
    const argv = script === undefined ? [Home.bin, ...args] : ["--input-type=module", "-e", script]
    const child = spawn(process.execPath, argv, { cwd: Home.root })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => {
      stdout += d
      onOut?.(stdout)
    })
    child.stderr.on("data", (d) => (stderr += d))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

describe("concurrent index writers", () => {
  it("two index runs and an ls at once, while another process holds the write lock for 10 s, all succeed", async () => {
    const h = Home.many(N)
    made.push(h.home)
    const scratch = Home.scratch()
    made.push(scratch)
    const index = path.join(scratch, "i.sqlite")
    let locked: () => void = () => {}
    const lockHeld = new Promise<void>((r) => (locked = r))
    const holder = start(
      [],
      `import * as IndexDatabase from "@rollout/store/IndexDatabase"
const { db } = IndexDatabase.open(${JSON.stringify(index)})
db.exec("BEGIN IMMEDIATE")
console.log("locked")
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000)
db.exec("COMMIT")
db.close()`,
      (out) => {
        if (out.includes("locked")) locked()
      }
    )
    // The others start once the lock is held; their first write comes well within the 10 s (more than
    // SQLite's 5 s busy timeout before its end, so each writer waits out the timeout and retries).
    await lockHeld
    const args = ["--codex-home", h.home, "--index", index, "--json"]
    const runs = await Promise.all([start(["index", ...args]), start(["index", ...args]), start(["ls", "--limit", "5", ...args]), holder])
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/database is locked|internal error/)
      expect(r.status, r.stderr).toBe(0)
    }
    expect(runs[3]!.stdout).toContain("locked")
    const ls = JSON.parse(runs[2]!.stdout) as { data: Array<unknown> }
    expect(ls.data).toHaveLength(5)
    const final = await start(["index", ...args])
    expect(JSON.parse(final.stdout)).toMatchObject({ threads: N, files: N, filesRead: 0 })
  }, 300_000)
})
