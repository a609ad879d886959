// `rollout trim` end to end: on every golden resume case and on a generated thread with many
// compactions, rolled-back turns and inline images, the trimmed thread resumes exactly as the
// original does, trimming it again frees nothing, the original is untouched (or, with --replace,
// kept beside it), and `rollout info` says how much trimming frees.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { inProcess, root, rollout } from "./Bin.js"

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rollout-trim-"))
const json = (r: { status: number | null; stdout: string; stderr: string }) => {
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}
const body = (file: string) => fs.readFileSync(file, "utf8").split("\n").slice(1)

const ID = "0198f2a4-5b6c-7d8e-9f00-7717aabbccdd"
const IMAGE = `data:image/png;base64,${"iVBORw0KGgo".repeat(3000)}`

/** A thread Codex could have written: 40 turns with tool output, an image every 4th (from the 2nd), a compaction every 8th, a rolled-back turn at the end. */
const generated = (): string => {
  let ms = Date.UTC(2026, 6, 14)
  const line = (type: string, payload: object) => JSON.stringify({ timestamp: new Date((ms += 1000)).toISOString(), type, payload })
  const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 9, reasoning_output_tokens: 0, total_tokens: n + 9 })
  const tokens = (n: number) =>
    line("event_msg", {
      type: "token_count",
      info: { total_token_usage: usage(n), last_token_usage: usage(100), model_context_window: 258400 },
      rate_limits: null
    })
  const out = [
    line("session_meta", {
      session_id: ID,
      id: ID,
      timestamp: "2026-07-14T00:00:00.000Z",
      cwd: "/w",
      originator: "codex_cli_rs",
      cli_version: "0.171.0",
      source: "cli",
      model_provider: "openai",
      base_instructions: { text: "You are Codex." },
      history_mode: "legacy"
    }),
    line("response_item", {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "<environment_context>\n  <cwd>/w</cwd>\n</environment_context>" }]
    })
  ]
  const prompts: Array<string> = []
  const turn = (i: number) => {
    const id = `turn-${i}`
    const prompt = `prompt ${i}`
    const image = i % 4 === 1
    prompts.push(prompt)
    out.push(
      line("event_msg", { type: "task_started", turn_id: id, model_context_window: 258400, collaboration_mode_kind: "default" }),
      line("turn_context", {
        turn_id: id,
        cwd: "/w",
        approval_policy: "never",
        sandbox_policy: { type: "danger-full-access" },
        model: i % 2 === 0 ? "gpt-5.5" : "gpt-5.4",
        comp_hash: "h",
        realtime_active: false,
        summary: "none"
      }),
      line("response_item", {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: prompt }, ...(image ? [{ type: "input_image", image_url: IMAGE }] : [])]
      }),
      line("event_msg", { type: "user_message", message: prompt, images: image ? [IMAGE] : [], local_images: [], text_elements: [] }),
      line("response_item", { type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${i}` }),
      line("response_item", { type: "function_call_output", call_id: `c${i}`, output: "output ".repeat(2000) }),
      line("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: `answer ${i}` }] }),
      tokens(i * 1000),
      tokens(i * 1000),
      line("event_msg", { type: "task_complete", turn_id: id, last_agent_message: `answer ${i}` })
    )
    if (i % 8 === 7) {
      const kept = [...prompts.slice(-3), `Another language model started to solve this problem and produced a summary of its thinking process.\nturn ${i}`]
      out.push(
        line("event_msg", { type: "task_started", turn_id: `c-${i}`, model_context_window: 258400, collaboration_mode_kind: "default" }),
        line("compacted", {
          message: kept.at(-1),
          replacement_history: kept.map((text) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] }))
        }),
        line("event_msg", { type: "task_complete", turn_id: `c-${i}`, last_agent_message: null })
      )
    }
  }
  for (let i = 0; i < 42; i++) turn(i)
  out.push(line("event_msg", { type: "thread_rolled_back", num_turns: 1 }))
  return `${out.join("\n")}\n`
}

const fixtures = fs
  .readdirSync(path.join(root, "fixtures/resume"))
  .map((name) => path.join(root, "fixtures/resume", name, "input.jsonl"))
  .filter((f) => fs.existsSync(f))

describe("rollout trim (end to end)", () => {
  it.each(fixtures.map((f) => [path.basename(path.dirname(f)), f]))(
    "golden case %s: the trimmed thread resumes as the original, and trimming it again changes nothing",
    async (_, file) => {
      const home = temp()
      const once = json(await inProcess("trim", file, "--write", "--json", "--codex-home", home))
      expect(json(await inProcess("resume", once.path, "--json"))).toEqual(json(await inProcess("resume", file, "--json")))
      const twice = json(await inProcess("trim", once.path, "--write", "--json", "--codex-home", home))
      expect(body(twice.path)).toEqual(body(once.path))
      expect(twice.bytesAfter).toBe(once.bytesAfter)
    }
  )

  it("the real bin trims a generated thread to a small fraction, leaves the original untouched, and info says what it frees", () => {
    const home = temp()
    const dir = path.join(home, "sessions/2026/07/14")
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `rollout-2026-07-14T00-00-00-${ID}.jsonl`)
    fs.writeFileSync(file, generated())
    const original = fs.readFileSync(file)

    const dry = rollout("trim", ID, "--codex-home", home)
    expect(dry.status).toBe(0)
    expect(dry.stdout).toMatch(/would free .* \(9\d\.\d %\)/)
    expect(fs.readdirSync(path.join(home, "sessions/2026"))).toEqual(["07"])

    const w = json(rollout("trim", ID, "--write", "--json", "--codex-home", home))
    expect(w.bytesBefore).toBe(original.length)
    expect(w.bytesAfter).toBe(fs.statSync(w.path).size)
    expect(w.bytesAfter * 10).toBeLessThan(w.bytesBefore)
    expect(path.basename(w.path)).toMatch(new RegExp(`^rollout-.*-${w.threadId}\\.jsonl$`))
    expect(fs.readFileSync(file)).toEqual(original)
    const meta = JSON.parse(fs.readFileSync(w.path, "utf8").split("\n")[0] ?? "")
    expect(meta.payload).toMatchObject({ id: w.threadId, forked_from_id: ID, base_instructions: { text: "You are Codex." } })
    const trimmed = fs.readFileSync(w.path, "utf8")
    // Turn 41 (with an image) was rolled back; turn 37's image is before the checkpoint; turn 40 stays.
    expect(["data:image", "thread_rolled_back", '"prompt 41"', '"prompt 36"'].filter((s) => trimmed.includes(s))).toEqual([])
    expect(trimmed.includes('"prompt 40"')).toBe(true)
    expect(json(rollout("resume", w.threadId, "--json", "--codex-home", home))).toEqual(json(rollout("resume", ID, "--json", "--codex-home", home)))

    const [info] = json(rollout("info", file, "--json")).threads
    expect(info).toMatchObject({ bytes: original.length, trimFreesBytes: w.bytesBefore - w.bytesAfter })
    expect(rollout("info", file).stdout).toMatch(/size {5}.* MiB, rollout trim would free .* \(9\d %\)/)
  })

  it("--replace trims in place under the same id and keeps the original's bytes beside it", () => {
    const home = temp()
    const file = path.join(home, `rollout-2026-07-14T00-00-00-${ID}.jsonl`)
    fs.writeFileSync(file, generated())
    const original = fs.readFileSync(file)
    const before = json(rollout("resume", file, "--json"))
    const r = json(rollout("trim", file, "--replace", "--json", "--codex-home", home))
    expect(r).toMatchObject({ threadId: ID, sourceId: ID, path: file, bytesBefore: original.length, written: true })
    expect(fs.readFileSync(r.backup)).toEqual(original)
    expect(path.dirname(r.backup)).toBe(home)
    expect(fs.statSync(file).size).toBe(r.bytesAfter)
    const meta = JSON.parse(fs.readFileSync(file, "utf8").split("\n")[0] ?? "")
    expect(meta.payload.id).toBe(ID)
    expect(meta.payload.forked_from_id).toBeUndefined()
    expect(json(rollout("resume", file, "--json"))).toEqual(before)
    // No temporary file is left, and the backup is no rollout name: Codex and rollout ls do not list it.
    expect(fs.readdirSync(home).sort()).toEqual([path.basename(file), path.basename(r.backup)].sort())
  })

  it("a dry run answers in JSON and writes nothing; a missing thread exits 2", async () => {
    const home = temp()
    const file = path.join(root, "fixtures/resume/rollback-one-turn/input.jsonl")
    const dry = await inProcess("trim", file, "--json", "--codex-home", home)
    expect(JSON.parse(dry.stdout)).toMatchObject({ written: false, trimmable: true, bytesBefore: fs.statSync(file).size })
    expect(fs.readdirSync(home)).toEqual([])
    const missing = await inProcess("trim", path.join(home, "nope.jsonl"), "--write", "--codex-home", home)
    expect(missing.status).toBe(2)
  })
})
