// Builds small Codex homes on disk for the hostile-input end-to-end tests: rollouts with chosen
// session_meta fields, first messages and extra lines, and the real bin run on them (optionally as
// an unprivileged user, for permission cases that root would not see).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"

export const root = path.resolve(import.meta.dirname, "../../..")
export const bin = path.join(root, "packages/cli/bin/rollout.js")

export const idOf = (i: number) => `0198f2a4-0000-7000-8000-${String(i).padStart(12, "0")}`
const T0 = Date.UTC(2026, 5, 1)
const iso = (ms: number) => new Date(ms).toISOString()

export interface Thread {
  readonly i: number
  /** Fields merged into the session_meta payload (or the payload's raw JSON text, for depth). */
  readonly meta?: Record<string, unknown>
  readonly rawMetaTail?: string
  readonly message?: string
  readonly answer?: string
  readonly extra?: ReadonlyArray<Record<string, unknown>>
  /** Folder under sessions/ (default the thread's day). */
  readonly dir?: string
}

/** A fresh home (world-readable, so an unprivileged user can read it) holding `threads`. */
export const make = (threads: ReadonlyArray<Thread>): { readonly home: string; readonly files: Array<string> } => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-hostile-"))
  fs.chmodSync(home, 0o755)
  const files = threads.map((t) => write(home, t))
  return { home, files }
}

export const write = (home: string, t: Thread): string => {
  const ms = T0 + t.i * 60_000
  const dir = path.join(home, "sessions", t.dir ?? "2026/06/01")
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 })
  const file = path.join(dir, `rollout-${iso(ms).slice(0, 19).replace(/:/g, "-")}-${idOf(t.i)}.jsonl`)
  const payload = {
    id: idOf(t.i),
    timestamp: iso(ms),
    cwd: "/w",
    originator: "codex_cli_rs",
    cli_version: "0.169.0",
    source: "cli",
    model_provider: "openai",
    base_instructions: null,
    ...t.meta
  }
  const metaText = JSON.stringify(payload)
  const meta = `{"timestamp":"${iso(ms)}","type":"session_meta","payload":${t.rawMetaTail === undefined ? metaText : `${metaText.slice(0, -1)},${t.rawMetaTail}}`}}`
  const lines = [
    { type: "event_msg", payload: { type: "task_started", turn_id: `t${t.i}`, model_context_window: null, collaboration_mode_kind: "default" } },
    { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: t.message ?? `question about widget${t.i}` }] } },
    {
      type: "event_msg",
      payload: { type: "user_message", message: t.message ?? `question about widget${t.i}`, local_images: [], local_audio: [], text_elements: [] }
    },
    ...(t.extra ?? []),
    { type: "event_msg", payload: { type: "agent_message", message: t.answer ?? `answer for widget${t.i}`, memory_citation: null } },
    { type: "event_msg", payload: { type: "task_complete", turn_id: `t${t.i}`, last_agent_message: null } }
  ]
  fs.writeFileSync(file, `${[meta, ...lines.map((l) => JSON.stringify({ timestamp: iso(ms + 1000), ...l }))].join("\n")}\n`, { mode: 0o644 })
  return file
}

/** A folder anyone may write, for an index an unprivileged run can create. */
export const scratch = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-scratch-"))
  fs.chmodSync(dir, 0o777)
  return dir
}

/**
 * Homes (`make`) and scratch folders (`scratch`) for one test file, removed when its tests are
 * done. Call it at the file's top level, where `afterAll` registers for the whole file.
 */
export const tracked = () => {
  const made: Array<string> = []
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true })
  })
  return {
    home: (threads: ReadonlyArray<Thread>) => {
      const h = make(threads)
      made.push(h.home)
      return h
    },
    scratch: (): string => {
      const d = scratch()
      made.push(d)
      return d
    }
  }
}

export interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The real bin; `env` is added to a copy of this process's environment. */
export const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Run =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root, env: { ...process.env, ...env } })

const SETPRIV = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"]

/** Why an unprivileged run is impossible here, or undefined when it is possible. */
export const noUnprivileged = (): string | undefined => {
  if (process.getuid?.() !== 0) return "not root: cannot switch to an unprivileged user (and this user may not be bound by permissions)"
  const probe = spawnSync("setpriv", [...SETPRIV, process.execPath, "-e", `require("fs").accessSync(${JSON.stringify(bin)})`], { encoding: "utf8" })
  return probe.status === 0 ? undefined : `setpriv cannot run node as nobody here: ${probe.stderr || probe.error?.message}`
}

/** The real bin as user nobody (permissions then apply). */
export const runUnprivileged = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Run =>
  spawnSync("setpriv", [...SETPRIV, process.execPath, bin, ...args], { encoding: "utf8", cwd: root, env: { ...process.env, HOME: os.tmpdir(), ...env } })

/** A home of `n` ordinary threads, a few per day folder, written quickly. */
export const many = (n: number): { readonly home: string } => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-many-"))
  fs.chmodSync(home, 0o755)
  for (let i = 0; i < n; i++)
    write(home, { i, dir: `2026/${String(1 + Math.floor(i / 300)).padStart(2, "0")}/${String(1 + (Math.floor(i / 10) % 28)).padStart(2, "0")}` })
  return { home }
}
