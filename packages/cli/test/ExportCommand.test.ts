// `rollout export` to stdout: a terminal gets a message's control characters shown escaped (an
// escape sequence would otherwise set the window title or clear the screen), a pipe gets the
// document's bytes as they are.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-export-tty-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const t = "2026-07-14T07:06:00.000Z"
const line = (type: string, payload: object) => JSON.stringify({ timestamp: t, type, payload })
const HOSTILE = "title\u001b]0;owned\u0007 then \u001b[2J and\rback"
const file = path.join(dir, "rollout.jsonl")
fs.writeFileSync(
  file,
  `${[
    line("session_meta", {
      id: "0198f2a4-5b6c-7d8e-9f00-112233445566",
      timestamp: t,
      cwd: "/p",
      originator: "o",
      cli_version: "0.169.0",
      source: "cli",
      model_provider: "openai"
    }),
    line("event_msg", { type: "task_started", turn_id: "t1", model_context_window: null }),
    line("event_msg", { type: "user_message", message: HOSTILE }),
    line("event_msg", { type: "agent_message", message: "ok" }),
    line("event_msg", { type: "task_complete", turn_id: "t1", last_agent_message: null })
  ].join("\n")}\n`
)

const exported = async (terminal: boolean) => {
  let out = ""
  const output = Output.make(
    (text) => (out += text),
    () => {},
    terminal,
    false,
    () => (terminal ? { columns: 80, rows: 24 } : undefined)
  )
  const code = await main(["export", file, "--timezone", "UTC"], output)
  return { code, out }
}

describe("rollout export to stdout", () => {
  it("on a terminal shows control characters escaped, newlines kept; into a pipe writes them as they are", async () => {
    const tty = await exported(true)
    const pipe = await exported(false)
    expect([tty.code, pipe.code]).toEqual([0, 0])
    expect(pipe.out).toContain(HOSTILE)
    expect(["\u001b", "\u0007", "\r"].filter((c) => tty.out.includes(c))).toEqual([])
    expect(tty.out).toContain("title\\x1b]0;owned\\x07 then \\x1b[2J and\\rback")
    expect(tty.out.split("\n").length).toBe(pipe.out.split("\n").length)
  })
})
