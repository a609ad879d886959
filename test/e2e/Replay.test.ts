// End to end: `rollout replay` through the built bin — --verify on a session the engine recorded
// (identical; then a tampered copy: not identical, exit 1), and --at on a real Codex rollout.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import { rollout } from "./Bin.js"

describe("rollout replay (end to end)", () => {
  it("--verify: a session the engine recorded re-executes identically; a tampered copy does not (exit 1)", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-replay-e2e-"))
    try {
      // The demo session, written in-process (the bin is exercised by the verify runs below).
      const output = Output.buffer()
      expect(await main(["run", "--demo", "--codex-home", home, "--json"], output)).toBe(0)
      const threads = JSON.parse(output.out()).threads as Array<{ scenario: string; threadId: string; path: string }>
      const conversation = threads.find((t) => t.scenario === "conversation") ?? threads[0]
      if (conversation === undefined) throw new Error("the demo wrote no thread")

      const ok = rollout("replay", conversation.threadId, "--codex-home", home, "--verify", "--json")
      expect(ok.stderr).toBe("")
      expect(ok.status).toBe(0)
      expect(JSON.parse(ok.stdout)).toEqual({ identical: true, firstDifference: null })

      const lines = fs.readFileSync(conversation.path, "utf8").split("\n")
      const at = lines.findIndex((l) => l.includes('"type":"task_complete"'))
      expect(at).toBeGreaterThan(0)
      lines[at] = (lines[at] as string).replace('"type":"task_complete"', '"type":"task_complete","tampered":true')
      fs.writeFileSync(conversation.path, lines.join("\n"))
      const bad = rollout("replay", conversation.threadId, "--codex-home", home, "--verify", "--json")
      expect(bad.status).toBe(1)
      const verdict = JSON.parse(bad.stdout)
      expect(Object.keys(verdict)).toEqual(["identical", "firstDifference"])
      expect(verdict.identical).toBe(false)
      expect(verdict.firstDifference.line).toBeLessThanOrEqual(at + 1)
      expect(Object.keys(verdict.firstDifference).sort()).toEqual(["actual", "expected", "line"])
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
    // Under 10 s alone; a fresh-clone npm test on two loaded cores took 55 s.
  }, 120_000)

  it("--at N --json on a real Codex rollout: {line, thread} from lines 1..N", () => {
    const r = rollout("replay", "01a1fb98-42cd-7e63-930d-df43c823f2b4", "--at", "14", "--json")
    expect(r.status).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.line).toBe(14)
    expect(doc.thread.id).toBe("01a1fb98-42cd-7e63-930d-df43c823f2b4")
    expect(doc.thread.turns.length).toBe(1)
  })
})
