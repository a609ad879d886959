// A throw-away Codex home in the OS temp folder, and rollout lines in the shapes Codex writes.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

export const repoRoot = path.resolve(import.meta.dirname, "../../../..")
export const sampleHome = path.join(repoRoot, "rollouts")

export const tempDir = (prefix = "rollout-store-"): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix))

/** A copy of the sample Codex home recorded with Codex 0.169. */
export const copySample = (): string => {
  const dir = tempDir()
  fs.cpSync(sampleHome, dir, { recursive: true })
  return dir
}

const iso = (ms: number) => new Date(ms).toISOString()

export const uuid = (n: number): string => `0198f2a4-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

/** `sessions/YYYY/MM/DD/rollout-…-<id>.jsonl` for a thread created at `ms` (UTC used as local). */
export const rolloutPath = (home: string, id: string, ms: number, archived = false): string => {
  const d = new Date(ms)
  const p2 = (n: number) => String(n).padStart(2, "0")
  const stamp = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}-${p2(d.getUTCMinutes())}-${p2(d.getUTCSeconds())}`
  const name = `rollout-${stamp}-${id}.jsonl`
  return archived
    ? path.join(home, "archived_sessions", name)
    : path.join(home, "sessions", String(d.getUTCFullYear()), p2(d.getUTCMonth() + 1), p2(d.getUTCDate()), name)
}

export interface MetaOptions {
  readonly cwd?: string
  readonly source?: unknown
  readonly forkedFromId?: string
  readonly parentThreadId?: string
}

export const sessionMeta = (id: string, ms: number, o: MetaOptions = {}): string =>
  JSON.stringify({
    timestamp: iso(ms),
    type: "session_meta",
    payload: {
      session_id: id,
      id,
      ...(o.forkedFromId !== undefined ? { forked_from_id: o.forkedFromId } : {}),
      ...(o.parentThreadId !== undefined ? { parent_thread_id: o.parentThreadId } : {}),
      timestamp: iso(ms),
      cwd: o.cwd ?? "/home/ana/proj",
      originator: "codex_cli_rs",
      cli_version: "0.169.0",
      source: o.source ?? "cli",
      model_provider: "openai",
      base_instructions: { text: "You are Codex." },
      history_mode: "legacy"
    }
  })

const usage = (n: number) => ({
  input_tokens: 100 * n,
  cached_input_tokens: 10 * n,
  output_tokens: n,
  reasoning_output_tokens: 0,
  total_tokens: 101 * n
})

/** The lines of one complete turn: context, start, user message, a tool call and output, answer, token count, end. */
export const turn = (turnId: string, ms: number, prompt: string, answer: string, tool?: { readonly cmd: string; readonly output: string }): Array<string> => {
  const line = (type: string, payload: unknown) => JSON.stringify({ timestamp: iso(ms), type, payload })
  return [
    line("turn_context", {
      turn_id: turnId,
      cwd: "/home/ana/proj",
      approval_policy: "never",
      sandbox_policy: { type: "danger-full-access" },
      model: "gpt-5.2-codex",
      effort: "medium",
      summary: "auto"
    }),
    line("event_msg", {
      type: "task_started",
      turn_id: turnId,
      started_at: Math.floor(ms / 1000),
      model_context_window: null,
      collaboration_mode_kind: "default"
    }),
    line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] }),
    line("event_msg", { type: "user_message", message: prompt, local_images: [], local_audio: [], text_elements: [] }),
    ...(tool === undefined
      ? []
      : [
          line("response_item", { type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: tool.cmd }), call_id: `call_${turnId}` }),
          line("response_item", { type: "function_call_output", call_id: `call_${turnId}`, output: tool.output })
        ]),
    line("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: answer }] }),
    line("event_msg", { type: "agent_message", message: answer, memory_citation: null }),
    line("event_msg", {
      type: "token_count",
      info: { total_token_usage: usage(prompt.length + answer.length), last_token_usage: usage(answer.length), model_context_window: null },
      rate_limits: null
    }),
    line("event_msg", { type: "task_complete", turn_id: turnId, last_agent_message: answer })
  ]
}

export const write = (file: string, lines: ReadonlyArray<string>, mtimeMs?: number): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(""))
  if (mtimeMs !== undefined) fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000)
}

export const append = (file: string, text: string, mtimeMs?: number): void => {
  fs.appendFileSync(file, text)
  if (mtimeMs !== undefined) fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000)
}

/** A file's complete lines (a last line without its newline left out). */
export const completeLines = (file: string): Array<string> => fs.readFileSync(file, "utf8").split("\n").slice(0, -1)

/** A line with its timestamp (the line's first field, plain) replaced by `stamp`: how a Codex fork copies its parent's lines. */
export const restamp = (line: string, stamp: string): string => line.replace(/^\{"timestamp":"[^"\\]*"/, `{"timestamp":"${stamp}"`)

/** A parent's complete lines as a fork written at `ms` copies them. */
export const forkCopy = (parentFile: string, ms: number): Array<string> => {
  const stamp = new Date(ms).toISOString()
  return completeLines(parentFile).map((l) => restamp(l, stamp))
}
