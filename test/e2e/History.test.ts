// `rollout history --json` against what the real Codex 0.169 app-server's thread/read returned for
// the same rollouts (fixtures/oracle, recorded into rollouts/). Only the file path and the
// mtime-derived updatedAt depend on where the files live (fixtures/oracle/README.md).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import { bin, root } from "./Bin.js"

const oracle = path.join(root, "fixtures/oracle")
const cases = fs.readdirSync(oracle).filter((c) => fs.existsSync(path.join(oracle, c, "thread-read.json")))

const withoutLocation = ({ path: _path, updatedAt: _updatedAt, ...rest }: Record<string, unknown>) => rest

describe("rollout history --json equals Codex app-server thread/read", () => {
  it.each(cases)("%s", (c) => {
    const id = JSON.parse(fs.readFileSync(path.join(oracle, c, "input.jsonl"), "utf8").split("\n")[0] ?? "").payload.id
    const r = spawnSync(process.execPath, [bin, "history", id, "--codex-home", path.join(root, "rollouts"), "--json"], { encoding: "utf8" })
    expect(r.status, r.stderr).toBe(0)
    const ours = JSON.parse(r.stdout).thread
    const codex = JSON.parse(fs.readFileSync(path.join(oracle, c, "thread-read.json"), "utf8")).thread
    expect(JSON.stringify(ours.turns)).toBe(JSON.stringify(codex.turns))
    expect(withoutLocation(ours)).toEqual(withoutLocation(codex))
  })
})

describe("rollout history --all-events", () => {
  it("replays every line the way a live thread is built: implicit turns get fresh UUIDv7 ids", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-all-events-"))
    const file = path.join(dir, "rollout.jsonl")
    const t = "2026-07-14T07:06:00.000Z"
    const line = (type: string, payload: object) => JSON.stringify({ timestamp: t, type, payload })
    fs.writeFileSync(
      file,
      `${[
        line("session_meta", {
          id: "0198f2a4-5b6c-7d8e-9f00-112233445566",
          timestamp: t,
          cwd: "/p",
          originator: "o",
          cli_version: "1",
          source: "cli",
          model_provider: "openai"
        }),
        line("event_msg", { type: "user_message", message: "first" }),
        line("event_msg", { type: "exec_command_begin", call_id: "c1", turn_id: "nope", command: ["ls"], cwd: "file:///p", parsed_cmd: [] }),
        line("event_msg", { type: "view_image_tool_call", call_id: "v1", path: "file:///p/a.png" }),
        line("event_msg", { type: "user_message", message: "second" })
      ].join("\n")}\n`
    )
    const run = (...extra: Array<string>) => spawnSync(process.execPath, [bin, "history", file, "--json", ...extra], { encoding: "utf8" })
    const live = run("--all-events")
    expect(live.status, live.stderr).toBe(0)
    const turns = JSON.parse(live.stdout).thread.turns
    expect(turns).toHaveLength(2)
    for (const turn of turns) expect(turn.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(turns[0].id < turns[1].id).toBe(true)
    // The exec event names an unknown turn (dropped); the image view lands in the current turn.
    expect(turns[0].items.map((i: { type: string }) => i.type)).toEqual(["userMessage", "imageView"])
    const replay = JSON.parse(run().stdout).thread.turns
    // Filtered lines take no rollout index: the second message is kept line 2.
    expect(replay.map((t: { id: string }) => t.id)).toEqual(["rollout-1", "rollout-2"])
    expect(replay[0].items.map((i: { type: string }) => i.type)).toEqual(["userMessage"])
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe("rollout history --json streams a large rollout exactly as the plain fold", () => {
  it("small read batches, triage, counted lines and frozen turns change nothing", () => {
    // Enough bytes for many 64 KiB read batches, a line longer than a batch, multi-byte text cut
    // anywhere, implicit turns (rollout-N ids count kept lines the streaming path never decodes),
    // hook prompts, late events for finished turns, and lines that are not JSON.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-stream-"))
    const file = path.join(dir, "rollout.jsonl")
    let ms = Date.UTC(2026, 6, 14)
    const line = (type: string, payload: object) => JSON.stringify({ timestamp: new Date((ms += 7)).toISOString(), type, payload })
    const out = [
      line("session_meta", {
        id: "0198f2a4-5b6c-7d8e-9f00-112233445566",
        timestamp: new Date(ms).toISOString(),
        cwd: "/p",
        originator: "o",
        cli_version: "1",
        source: "cli",
        model_provider: "openai"
      })
    ]
    for (let n = 0; n < 120; n++) {
      const turn = `turn-${n}`
      const text = `é中🙂 ${"word ".repeat((n * 37) % 300)}${n}`
      out.push(
        line("turn_context", {
          turn_id: turn,
          cwd: "/p",
          approval_policy: "never",
          sandbox_policy: { type: "read-only" },
          model: n % 9 === 0 ? "m2" : "m1",
          effort: "low",
          summary: "none"
        })
      )
      if (n % 5 !== 4) out.push(line("event_msg", { type: "task_started", turn_id: turn, started_at: n, model_context_window: null }))
      out.push(line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text }] }))
      if (n % 11 === 3)
        out.push(
          line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: '<hook_prompt hook_run_id="h1">check</hook_prompt>' }] })
        )
      out.push(line("event_msg", { type: "user_message", message: text, local_images: [], text_elements: [] }))
      out.push(line("response_item", { type: "function_call_output", call_id: `c${n}`, output: n === 50 ? "x".repeat(200_000) : text }))
      out.push(line("event_msg", { type: "agent_reasoning", text: `thinking ${n}` }))
      out.push(line("event_msg", { type: "agent_message", message: `answer ${text}`, phase: "final_answer" }))
      out.push(line("event_msg", { type: "token_count", info: null, rate_limits: null }))
      if (n % 7 === 6) out.push("{not json")
      if (n % 5 !== 4) out.push(line("event_msg", { type: "task_complete", turn_id: turn, last_agent_message: null, completed_at: n + 1, duration_ms: 1000 }))
      if (n % 13 === 12) out.push(line("event_msg", { type: "turn_aborted", turn_id: `turn-${n - 3}`, reason: "interrupted" }))
    }
    const text = `${out.join("\n")}\n`
    fs.writeFileSync(file, text)
    expect(text.length).toBeGreaterThan(600_000)

    let state = ThreadRead.empty
    for (const raw of out) {
      let value: unknown
      try {
        value = JSON.parse(raw)
      } catch {
        continue
      }
      const decoded = RolloutLine.decode(value)
      if (decoded._tag === "Known") state = ThreadRead.step(state, decoded.line)
    }
    const expected = ThreadRead.turns(state)
    expect(expected.length).toBeGreaterThan(100)

    const r = spawnSync(process.execPath, [bin, "history", file, "--json"], { encoding: "utf8", maxBuffer: 64 << 20 })
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.stringify(JSON.parse(r.stdout).thread.turns)).toBe(JSON.stringify(expected))
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe("rollout history (human) shows the work thread/read leaves out", () => {
  const human = (file: string) => spawnSync(process.execPath, [bin, "history", file], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } })

  it.each(["0.169.0", "0.170.0", "0.171.0"])("a Codex %s legacy rollout: commands with exit code and output, the patch, the plan, the tokens", (version) => {
    const file = path.join(root, "fixtures/matrix", version, "app-legacy-every-item/input.jsonl")
    const r = human(file)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain("  $ printf 'one\\ntwo\\n'  [exit 0")
    expect(r.stdout).toMatch(/ {2}\$ echo "it's" && exit 3 {2}\[exit 3[^\n]*\n {4}│ it's\n/)
    expect(r.stdout).toMatch(/ {2}✎ \/\S+\/notes\.md \(add\)\n {4}│ \+# Notes\n/)
    expect(r.stdout).toContain("    ▸ Write")
    expect(r.stdout).toMatch(/── turn 1 · completed · .* · \d[\d.]*k tokens \(/)
    // The JSON answer is still exactly thread/read: no command item in a legacy rollout.
    const json = spawnSync(process.execPath, [bin, "history", file, "--json"], { encoding: "utf8" })
    expect(json.stdout).not.toContain("commandExecution")
  })

  it("a codex-tests fixture folds through the same view", () => {
    const dir = path.join(root, "fixtures/codex-tests/thread-history")
    for (const c of fs.readdirSync(dir).slice(0, 5)) {
      const file = path.join(dir, c, "input.jsonl")
      if (!fs.existsSync(file)) continue
      const r = human(file)
      expect([c, r.status]).toEqual([c, 0])
      expect(r.stdout).toMatch(/\d+ turns?\n$/)
    }
  })
})
