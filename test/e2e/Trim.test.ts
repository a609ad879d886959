// `rollout trim` end to end: on every golden resume case and on a generated thread with many
// compactions, rolled-back turns and inline images, the trimmed thread resumes exactly as the
// original does, trimming it again frees nothing, the original is untouched (or, with --replace,
// kept beside it), and `rollout info` says how much trimming frees. A paginated fork Codex wrote
// (fixtures/resume/codex-forks), whose history lives in its parent, is trimmed into a thread that
// holds that history itself: it resumes to what Codex 0.171 sent resuming the fork, parents gone.
// The generated thread goes through the real bin; the other cases take the answers in-process
// (`Bin.answer`: trim, resume and info are answered by the full CLI alone), without a process's start-up.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { answer, inProcess, root, rollout } from "./Bin.js"

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

  it("--replace trims in place under the same id and keeps the original's bytes beside it", async () => {
    const home = temp()
    const file = path.join(home, `rollout-2026-07-14T00-00-00-${ID}.jsonl`)
    fs.writeFileSync(file, generated())
    const original = fs.readFileSync(file)
    const before = json(await answer("resume", file, "--json"))
    const r = json(await answer("trim", file, "--replace", "--json", "--codex-home", home))
    expect(r).toMatchObject({ threadId: ID, sourceId: ID, path: file, bytesBefore: original.length, written: true })
    expect(fs.readFileSync(r.backup)).toEqual(original)
    expect(path.dirname(r.backup)).toBe(home)
    expect(fs.statSync(file).size).toBe(r.bytesAfter)
    const meta = JSON.parse(fs.readFileSync(file, "utf8").split("\n")[0] ?? "")
    expect(meta.payload.id).toBe(ID)
    expect(meta.payload.forked_from_id).toBeUndefined()
    expect(json(await answer("resume", file, "--json"))).toEqual(before)
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

  describe("a paginated fork Codex wrote (fixtures/resume/codex-forks)", () => {
    const fixture = path.join(root, "fixtures/resume/codex-forks")
    const cases = JSON.parse(fs.readFileSync(path.join(fixture, "cases.json"), "utf8"))
    /** The home as it was when Codex resumed `step` (each file cut to its size then). */
    const homeAt = (step: { sizes: Record<string, number> }): string => {
      const home = temp()
      for (const [file, size] of Object.entries(step.sizes)) {
        fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true })
        fs.writeFileSync(path.join(home, file), fs.readFileSync(path.join(fixture, "home", file)).subarray(0, size))
      }
      return home
    }
    /** What Codex sent of the resumed history: its input between the instructions and the new message, passthrough metadata aside. */
    const asSent = (items: ReadonlyArray<Record<string, unknown>>) => items.map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)
    const sent = (input: ReadonlyArray<Record<string, unknown>>) => asSent(input.slice(1, -1))
    /** Deletes every rollout of `home` but `keep`: the trimmed thread must not need them. */
    const only = (home: string, keep: string) => {
      for (const file of Object.keys(cases.resumes.at(-1).sizes)) if (path.join(home, file) !== keep) fs.rmSync(path.join(home, file), { force: true })
    }

    type Step = { name: string; threadId: string; sizes: Record<string, number>; input: ReadonlyArray<Record<string, unknown>> }
    it.each((cases.resumes as Array<Step>).map((step) => step.name))(
      "%s: trim --write copies in the parent history it resumes from; the copy, parents deleted, resumes to what Codex sent, and trims to itself",
      async (name) => {
        const step = (cases.resumes as Array<Step>).find((s) => s.name === name) as Step
        const home = homeAt(step)
        const fork = path.join(home, Object.keys(step.sizes).find((f) => f.endsWith(`${step.threadId}.jsonl`)) ?? "")
        const original = fs.readFileSync(fork)
        expect(fs.readFileSync(fork, "utf8").split("\n")[0]).toContain('"history_base"')
        const before = json(await answer("resume", step.threadId, "--json", "--codex-home", home))
        expect(asSent(before.history)).toEqual(sent(step.input))
        const w = json(await answer("trim", step.threadId, "--write", "--json", "--codex-home", home))
        expect(w).toMatchObject({ sourceId: step.threadId, bytesBefore: original.length, written: true })
        expect(fs.readFileSync(fork)).toEqual(original)
        const text = fs.readFileSync(w.path, "utf8")
        expect(JSON.parse(text.split("\n")[0] ?? "").payload).toMatchObject({ id: w.threadId, forked_from_id: step.threadId, history_mode: "legacy" })
        expect(text.split("\n")[0]).not.toContain('"history_base"')
        // The parent's turn before the fork is in the copy; what the parent did after the fork is not.
        expect(text).toContain('"Say hi in the shell"')
        expect(text).not.toContain("Parent only")
        only(home, w.path)
        expect(json(await answer("resume", w.threadId, "--json", "--codex-home", home))).toEqual(before)
        const twice = json(await answer("trim", w.path, "--write", "--json", "--codex-home", home))
        expect(body(twice.path)).toEqual(body(w.path))
      }
    )

    it("info and ls measure what trimming a fork frees with its parent's history, as trim writes it (here nothing)", async () => {
      const step = cases.resumes[0]
      const home = homeAt(step)
      const fork = path.join(home, Object.keys(step.sizes).find((f: string) => f.endsWith(`${step.threadId}.jsonl`)) ?? "")
      const w = json(await answer("trim", fork, "--json", "--codex-home", home))
      // The copy holds the parent's part too, so it is no smaller than the fork's own file.
      expect(w.bytesAfter).toBeGreaterThanOrEqual(w.bytesBefore)
      const [info] = json(await answer("info", fork, "--json", "--codex-home", home)).threads
      expect(info).toMatchObject({ bytes: fs.statSync(fork).size, trimFreesBytes: 0 })
      const listed = json(await answer("ls", "--json", "--limit", "50", "--codex-home", home, "--index", path.join(home, "index.db")))
      expect(listed.data.find((t: { id: string }) => t.id === step.threadId)).toMatchObject({ trimFreesBytes: 0 })
    })

    it("trim --replace of the fork keeps its id and resumes, parent deleted, to what Codex sent", async () => {
      const step = cases.resumes[0]
      const home = homeAt(step)
      const fork = path.join(home, Object.keys(step.sizes).find((f: string) => f.endsWith(`${step.threadId}.jsonl`)) ?? "")
      const r = json(await answer("trim", fork, "--replace", "--json", "--codex-home", home))
      expect(r).toMatchObject({ threadId: step.threadId, path: fork, written: true })
      expect(fs.statSync(r.backup).size).toBe(step.sizes[path.relative(home, fork)])
      only(home, fork)
      expect(asSent(json(await answer("resume", fork, "--json", "--codex-home", home)).history)).toEqual(sent(step.input))
    })
  })
})
