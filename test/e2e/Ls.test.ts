// `rollout ls` end to end: the turns, tokens, size and trim measure it shows for each thread are
// the numbers `rollout info` gives for the same file, an index refreshed after an append says the
// same as one built cold, and `--sort size` lists the biggest threads first.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { inProcess, root, rollout } from "./Bin.js"

const ID = "0198f2a4-5b6c-7d8e-9f00-00000000c0de"

const line = (ms: number, type: string, payload: object) => JSON.stringify({ timestamp: new Date(ms).toISOString(), type, payload })

/** Turns `from` to `to` of a thread with tool output, a repeated token count each turn and a compaction every fifth turn. */
const turns = (from: number, to: number): Array<string> => {
  const out: Array<string> = []
  const at = (i: number, k: number) => Date.UTC(2026, 6, 14) + i * 60_000 + k * 1000
  const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: n >> 1, output_tokens: 9 * n, reasoning_output_tokens: 3, total_tokens: 10 * n })
  for (let i = from; i <= to; i++) {
    const turn = `turn-${i}`
    const tokens = line(at(i, 6), "event_msg", {
      type: "token_count",
      info: { total_token_usage: usage(i * 1000), last_token_usage: usage(1000), model_context_window: 258400 },
      rate_limits: null
    })
    out.push(
      line(at(i, 0), "event_msg", { type: "task_started", turn_id: turn, model_context_window: 258400, collaboration_mode_kind: "default" }),
      line(at(i, 1), "turn_context", {
        turn_id: turn,
        cwd: "/w",
        approval_policy: "never",
        sandbox_policy: { type: "danger-full-access" },
        model: "gpt-5.5",
        summary: "none"
      }),
      line(at(i, 2), "response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `prompt ${i}` }] }),
      line(at(i, 2), "event_msg", { type: "user_message", message: `prompt ${i}`, local_images: [], text_elements: [] }),
      line(at(i, 3), "response_item", { type: "function_call", name: "exec_command", arguments: "{}", call_id: `c${i}` }),
      line(at(i, 4), "response_item", { type: "function_call_output", call_id: `c${i}`, output: "output ".repeat(1500) }),
      line(at(i, 5), "response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: `answer ${i}` }] }),
      tokens,
      tokens,
      line(at(i, 7), "event_msg", { type: "task_complete", turn_id: turn, last_agent_message: `answer ${i}` })
    )
    if (i % 5 === 4)
      out.push(
        line(at(i, 8), "event_msg", { type: "task_started", turn_id: `c-${i}`, model_context_window: 258400, collaboration_mode_kind: "default" }),
        line(at(i, 8), "compacted", {
          message: `summary ${i}`,
          replacement_history: [{ type: "message", role: "user", content: [{ type: "input_text", text: `prompt ${i}` }] }]
        }),
        line(at(i, 9), "event_msg", { type: "task_complete", turn_id: `c-${i}`, last_agent_message: null })
      )
  }
  return out
}

/** The sample Codex home plus a thread that trimming shrinks a lot. */
const home = (): { readonly home: string; readonly file: string } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-ls-"))
  fs.cpSync(path.join(root, "rollouts"), dir, { recursive: true })
  const file = path.join(dir, "sessions/2026/07/14", `rollout-2026-07-14T00-00-00-${ID}.jsonl`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const meta = line(Date.UTC(2026, 6, 14), "session_meta", {
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
  })
  fs.writeFileSync(file, `${[meta, ...turns(0, 21)].join("\n")}\n`)
  return { home: dir, file }
}

interface Listed {
  readonly id: string
  readonly path: string
  readonly turns: number
  readonly tokens: unknown
  readonly bytes: number
  readonly trimFreesBytes: number | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

const json = <A>(r: { status: number | null; stdout: string; stderr: string }): A => {
  expect(r.stderr).toBe("")
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as A
}

const ls = async (home: string, index: string, ...flags: Array<string>) =>
  json<{ data: Array<Listed>; nextCursor: string | null }>(
    await inProcess("ls", "--codex-home", home, "--index", index, "--json", ...(flags.includes("--limit") ? flags : ["--limit", "100", ...flags]))
  )

/** What `rollout info` says of each file of `home` (a fork measured with its parent there), as ls names it. */
const info = async (home: string) => {
  const threads = json<{ threads: Array<{ id: string; turns: number; tokens: unknown; bytes: number; trimFreesBytes: number | null }> }>(
    await inProcess("info", home, "--json", "--codex-home", home)
  ).threads
  return new Map(threads.map((t) => [t.id, { turns: t.turns, tokens: t.tokens, bytes: t.bytes, trimFreesBytes: t.trimFreesBytes }]))
}

const facts = (t: Listed) => ({ turns: t.turns, tokens: t.tokens, bytes: t.bytes, trimFreesBytes: t.trimFreesBytes })

describe("rollout ls: turns, tokens, size and what trimming frees", () => {
  it("shows for every thread the numbers rollout info gives for its file", async () => {
    const h = home()
    const listed = (await ls(h.home, path.join(h.home, "i.sqlite"))).data
    const expected = await info(h.home)
    expect(listed.length).toBe(10)
    for (const t of listed) expect([t.id, facts(t)]).toEqual([t.id, expected.get(t.id)])
    const big = listed.find((t) => t.id === ID)
    expect(big?.turns).toBe(26)
    expect(big?.trimFreesBytes).toBeGreaterThan((big?.bytes ?? 0) / 2)
    expect(listed.every((t) => t.turns > 0 && t.tokens !== null && t.trimFreesBytes !== null)).toBe(true)
  })

  it("after an append, the refreshed index says what a cold index and rollout info say", async () => {
    const h = home()
    const index = path.join(h.home, "i.sqlite")
    await ls(h.home, index)
    fs.appendFileSync(h.file, `${turns(22, 28).join("\n")}\n`)
    const warm = (await ls(h.home, index)).data
    const cold = (await ls(h.home, path.join(h.home, "cold.sqlite"))).data
    const strip = (t: Listed) => ({ ...t, createdAtMs: 0, updatedAtMs: 0 })
    expect(warm.map(strip)).toEqual(cold.map(strip))
    const grown = warm.find((t) => t.id === ID) as Listed
    expect(grown.turns).toBe(34)
    expect(facts(grown)).toEqual((await info(h.home)).get(ID))
  })

  it("--sort size lists the biggest first and pages by size; the real bin's table shows the size columns", async () => {
    const h = home()
    const index = path.join(h.home, "i.sqlite")
    const all = (await ls(h.home, index, "--sort", "size")).data
    expect(all[0]?.id).toBe(ID)
    expect(all.map((t) => t.bytes)).toEqual([...all.map((t) => t.bytes)].sort((a, b) => b - a))
    const seen: Array<string> = []
    let cursor: string | null = null
    do {
      const page: { data: Array<Listed>; nextCursor: string | null } = await ls(
        h.home,
        index,
        "--sort-key",
        "size",
        "--limit",
        "3",
        ...(cursor === null ? [] : ["--cursor", cursor])
      )
      seen.push(...page.data.map((t) => t.id))
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(seen).toEqual(all.map((t) => t.id))
    const table = rollout("ls", "--codex-home", h.home, "--index", index, "--sort", "size", "--limit", "2")
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/^created \(UTC\)\s+thread\s+turns\s+tokens\s+size\s+trim frees\s+model/)
    expect(table.stdout.split("\n")[1]).toMatch(new RegExp(`^\\S+ \\S+\\s+${ID}\\s+26\\s+\\S+\\s+\\d+\\.\\d KiB\\s+\\d+\\.\\d KiB\\s+gpt-5\\.5`))
    expect(table.stdout).toMatch(/more: rollout ls --cursor size:\d+:\S+ --sort-key size --limit 2/)
    const wrong = await inProcess("ls", "--codex-home", h.home, "--index", index, "--sort", "size", "--cursor", "created_at:5")
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toContain("by time, not by size")
  })
})
