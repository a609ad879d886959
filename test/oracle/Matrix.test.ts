// The live fidelity oracle: records the matrix (RecordMatrix) with the installed Codex into a
// throw-away folder, then holds `rollout history --json` to what that Codex's thread/read answered
// for every thread. The committed recordings of each version are checked by e2e/Matrix.test.ts.
import { spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import * as Codex from "./Codex.js"
import * as RecordMatrix from "./RecordMatrix.js"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../..")
const bin = Path.join(root, "packages/cli/bin/rollout.js")
const scratch = Fs.mkdtempSync(Path.join(Os.tmpdir(), "matrix-live-"))
afterAll(() => Fs.rmSync(scratch, { recursive: true, force: true }))

const withoutLocation = ({ path: _path, updatedAt: _updatedAt, recencyAt: _recencyAt, createdAt: _createdAt, ...rest }: Record<string, unknown>) => rest
// A paginated thread's recencyAt comes from Codex's live clock just after task_started, so it can be
// one second past the file's timestamp (shared spec, thread-history "observed in all three versions").
// Likewise createdAt: Codex keeps the clock of the thread's creation (its UUIDv7 id's time), which
// the session_meta timestamp, read a few ms later, can pass into the next second (seen once in 54).
const recencyClose = (ours: { recencyAt: number; createdAt: number }, codex: { recencyAt: number; createdAt: number }) => {
  expect(Math.abs(ours.recencyAt - codex.recencyAt)).toBeLessThanOrEqual(1)
  expect(ours.createdAt - codex.createdAt).toBeGreaterThanOrEqual(0)
  expect(ours.createdAt - codex.createdAt).toBeLessThanOrEqual(1)
}

describe.skipIf(Codex.binary === undefined)("the installed Codex rebuilds every recorded thread as rollout history does", () => {
  it("records the matrix live and every thread/read equals rollout history --json", async () => {
    const out = Path.join(scratch, "out")
    const cases = await RecordMatrix.record({ repoRoot: root, recordRoot: Path.join(scratch, "home"), out })
    expect(cases.length).toBeGreaterThanOrEqual(18)
    for (const c of cases) {
      const dir = Path.join(out, c.name)
      const r = spawnSync(process.execPath, [bin, "history", Path.join(dir, "input.jsonl"), "--json"], { encoding: "utf8" })
      expect(r.status, r.stderr).toBe(0)
      const ours = JSON.parse(r.stdout).thread
      const codex = JSON.parse(Fs.readFileSync(Path.join(dir, "thread-read.json"), "utf8")).thread
      expect([c.name, JSON.stringify(ours.turns)]).toEqual([c.name, JSON.stringify(codex.turns)])
      expect(withoutLocation(ours)).toEqual(withoutLocation(codex))
      recencyClose(ours, codex)
    }
    // Codex runs every case one after another: 174 s of the old 180 s in a loaded fresh-clone npm test.
  }, 360_000)
})
