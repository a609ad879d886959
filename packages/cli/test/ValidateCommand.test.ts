import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Files from "@rollout/log/Files"

const meta =
  '{"timestamp":"2026-07-14T07:05:33.412Z","type":"session_meta","payload":{"id":"0198f2a4-5b6c-7d8e-9f00-112233445566","timestamp":"2026-07-14T07:05:33.398Z","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.110.0","source":"cli","model_provider":"openai","base_instructions":null}}'
const user =
  '{"timestamp":"2026-07-14T07:05:40.001Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}'
const home = path.resolve("/home/test/.codex")
const good = path.join(home, "sessions/2026/07/14/rollout-2026-07-14T09-05-33-0198f2a4-5b6c-7d8e-9f00-112233445566.jsonl")

const run = async (argv: ReadonlyArray<string>, files: Record<string, string>) => {
  const output = Output.buffer()
  const code = await main(argv, output, Files.memory(files))
  return { code, out: output.out(), err: output.err() }
}

describe("rollout validate", () => {
  it("given a valid rollout, when validated with --json, then prints the contract shape and exits 0", async () => {
    const r = await run(["validate", good, "--json"], { [good]: `${meta}\n${user}\n` })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ files: [{ path: good, lines: 2, valid: true, problems: [], notes: [] }] })
  })

  it("given bad lines, then reports each with line and kind, and exits 1", async () => {
    const r = await run(["validate", good, "--json"], { [good]: `${meta}\nnope\n${user}\n{"timestamp":"t","type":"mystery","payload":{}}\n{"x` })
    expect(r.code).toBe(1)
    const [file] = JSON.parse(r.out).files
    expect(file.valid).toBe(false)
    expect(file.problems.map((p: { line: number; kind: string }) => [p.line, p.kind])).toEqual([
      [2, "invalid_json"],
      [5, "truncated_line"]
    ])
    expect(file.notes).toEqual([{ line: 4, kind: "unknown_type", message: "unknown type mystery (kept as written)" }])
  })

  it("given a line with a field its schema does not declare, then it stays valid and the field is noted by path", async () => {
    const drifted =
      '{"timestamp":"2026-07-14T07:05:41.001Z","type":"event_msg","payload":{"type":"agent_message","message":"hi","moderation":{"display":{"mode":"show"}},"new_field":1}}'
    const r = await run(["validate", good, "--json"], { [good]: `${meta}\n${user}\n${drifted}\n` })
    expect(r.code).toBe(0)
    const [file] = JSON.parse(r.out).files
    expect(file.valid).toBe(true)
    expect(file.notes).toEqual([
      { line: 3, kind: "undeclared_field", message: "fields the schema does not declare (kept as written): payload.moderation, payload.new_field" }
    ])
    const human = await run(["validate", good, "--verbose"], { [good]: `${meta}\n${user}\n${drifted}\n` })
    expect(human.out).toContain("note: 1 line with fields the schema does not declare, kept as written: payload.moderation, payload.new_field")
  })

  it("given files without problems, then prints only the summary (each file with --verbose)", async () => {
    const r = await run(["validate", home], { [good]: `${meta}\n` })
    expect(r.code).toBe(0)
    expect(r.out).toBe("1 file, all valid.\n")
  })

  it("given a thread id, then finds its rollout under --codex-home", async () => {
    const r = await run(["validate", "0198f2a4-5b6c-7d8e-9f00-112233445566", "--codex-home", home, "--verbose"], { [good]: `${meta}\n` })
    expect(r.code).toBe(0)
    expect(r.out).toContain(good)
  })

  it("given a path that does not exist, then exits 2 with a clear message", async () => {
    const r = await run(["validate", "/nowhere/x.jsonl"], {})
    expect(r.code).toBe(2)
    expect(r.out).toBe("")
    expect(r.err).toBe("rollout validate: /nowhere/x.jsonl: no such file or directory\n")
  })

  it("given a Codex home, then validates its sessions and archived sessions", async () => {
    const archived = path.join(home, "archived_sessions/rollout-2026-07-01T10-00-00-0198f2a4-0000-7000-8000-000000000001.jsonl")
    const r = await run(["validate", home, "--json"], { [good]: `${meta}\n`, [archived]: `${meta}\n`, [path.join(home, "config.toml")]: "x" })
    expect(JSON.parse(r.out).files.map((f: { path: string }) => f.path)).toEqual([good, archived])
  })

  it("given an unknown flag, then exits 2 (usage error)", async () => {
    const r = await run(["validate", good, "--frobnicate"], { [good]: `${meta}\n` })
    expect(r.code).toBe(2)
  })
})
