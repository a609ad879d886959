// `--codex-version` on the writing commands, offline (test/oracle/CodexWriterVersion.test.ts has
// the real Codex resume what they write): a fork of a thread Codex 0.171 wrote, saved as 0.169,
// drops model_search_state from every metadata and names 0.169.0 in its session_meta; every other
// line keeps its bytes; saved as 0.171 (the default) it is the source's lines as they are.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

const SOURCE = path.resolve(import.meta.dirname, "../../../fixtures/matrix/0.171.0/app-legacy-mcp/input.jsonl")
const source = fs.readFileSync(SOURCE, "utf8").trimEnd().split("\n")
const SOURCE_ID = JSON.parse(source[0] ?? "{}").payload.id as string

const rollout = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  if (code !== 0) throw new Error(`rollout ${argv.join(" ")} exited ${code}: ${output.err()}`)
  return JSON.parse(output.out())
}

let home: string
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-writer-version-"))
  const file = path.join(home, "sessions", "2026", "12", "07", `rollout-2026-12-07T06-00-00-${SOURCE_ID}.jsonl`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.copyFileSync(SOURCE, file)
})
afterEach(() => fs.rmSync(home, { recursive: true, force: true }))

const forkAs = async (...version: Array<string>) => {
  const fork = await rollout(["fork", SOURCE_ID, "--before-user-message", "99", "--write", ...version, "--codex-home", home, "--json"])
  return fs.readFileSync(fork.path, "utf8").trimEnd().split("\n")
}

describe("--codex-version", () => {
  it("0.169.0: model_search_state dropped, cli_version 0.169.0, every other line byte for byte", async () => {
    const written = await forkAs("--codex-version", "0.169.0")
    expect(JSON.parse(written[0] ?? "").payload.cli_version).toBe("0.169.0")
    const copied = written.slice(1)
    expect(copied.length).toBe(source.length)
    const changed = copied.flatMap((line, i) => (line === source[i] ? [] : [i]))
    expect(changed.length).toBeGreaterThan(0)
    for (const i of changed) {
      expect(source[i]).toContain('"model_search_state"')
      expect(copied[i]).not.toContain('"model_search_state"')
      const { metadata: before, ...restBefore } = JSON.parse(source[i] ?? "")
      const { metadata: after, ...restAfter } = JSON.parse(copied[i] ?? "")
      const { model_search_state: _dropped, ...kept } = before
      expect([restAfter, after]).toEqual([restBefore, kept])
      // Re-encoded as Codex writes JSON: the same bytes but for the dropped field.
      expect(copied[i]).toBe(source[i]?.replace(',"model_search_state":"unused"', ""))
    }
    expect(source.filter((l) => l.includes('"model_search_state"')).length).toBe(changed.length)
  })

  it("the default is 0.171.0: the source's lines as they are", async () => {
    const written = await forkAs()
    expect(JSON.parse(written[0] ?? "").payload.cli_version).toBe("0.171.0")
    expect(written.slice(1)).toEqual(source)
  })
})
