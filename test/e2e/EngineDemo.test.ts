// The demo session (`rollout run --demo`): every scenario runs on the live clock and live ids, every
// rollout it writes validates and replays identically, and together they show every behaviour.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Demo from "@rollout/engine/Demo"
import { expectSound, payloads } from "./EngineHarness.js"

const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-demo-"))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe("rollout run --demo", () => {
  it("writes every behaviour, and every rollout validates and replays identically", async () => {
    const threads = await Demo.run({ codexHome: home, cwd: home })
    expect(threads.map((t) => t.scenario)).toEqual([
      "conversation",
      "sleep-interrupted-by-input",
      "stop-hook",
      "session-budget",
      "multi-agent",
      "multi-agent",
      "compaction",
      "interrupt",
      "model-failures"
    ])
    const all = threads.flatMap((t) => payloads(t.path))
    const events = new Set(all.map((l) => (l.type === "event_msg" ? l.payload.type : l.type)))
    for (const e of ["agent_reasoning", "item_completed", "sub_agent_activity", "compacted", "context_compacted", "turn_aborted", "task_complete"])
      expect(events).toContain(e)
    const sleeps = all.filter((l) => l.payload.type === "item_completed").map((l) => l.payload.item.outcome)
    expect(sleeps).toEqual(["completed", "interrupted", "completed", "completed"])
    const errors = all.filter((l) => l.payload.type === "task_complete" && l.payload.error !== undefined).map((l) => l.payload.error.codex_error_info)
    expect(errors).toEqual(["session_budget_exceeded", "server_overloaded"])
    expect(all.some((l) => l.type === "response_item" && JSON.stringify(l.payload).includes('<hook_prompt hook_run_id=\\"stop:0:require-tests\\">'))).toBe(true)
    expect(all.filter((l) => l.payload.type === "sub_agent_activity").map((l) => l.payload.kind)).toEqual([
      "started",
      "interrupted",
      "interacted",
      "interacted"
    ])
    for (const t of threads) await expectSound(home, t.path)
  }, 60_000)
})
