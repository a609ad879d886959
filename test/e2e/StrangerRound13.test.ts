// End to end, on the real bin, what a stranger pass found this round: `replay --step` fed keys
// from a pipe (`printf 'n n\n q'`) answered every space and new line with "unknown key", and
// `ls --cwd ""` (an unset shell variable) quietly listed the threads of the current folder.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Home from "./support/HostileHome.js"

const sample = path.join(Home.root, "rollouts")
const run = (args: ReadonlyArray<string>, input = "") => {
  const r = spawnSync(process.execPath, [Home.bin, ...args], { encoding: "utf8", cwd: Home.root, input, timeout: 60_000 })
  expect(r.error, `${args.join(" ")} timed out`).toBeUndefined()
  return r
}
const firstRollout = (dir: string): string => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      const found = firstRollout(full)
      if (found !== "") return found
    } else if (entry.name.endsWith(".jsonl")) return full
  }
  return ""
}

describe("replay --step from a pipe", () => {
  const file = firstRollout(path.join(sample, "sessions"))
  const frames = (out: string) => out.split(/^thread /m).filter((f) => f !== "")

  it("spaces, tabs and new lines between piped keys are no keys: the same frames as the keys alone", () => {
    const spaced = run(["replay", file, "--step"], "n n\nn\tg2\n q\n")
    const bare = run(["replay", file, "--step"], "nnng2\nq")
    expect(spaced.status, spaced.stderr).toBe(0)
    expect(spaced.stdout).not.toContain("unknown key")
    expect(spaced.stdout).toBe(bare.stdout)
    // The start, three steps, "go to line: " and ": 2", the jump: seven frames, the last at line 2.
    expect(frames(spaced.stdout)).toHaveLength(7)
    expect(frames(spaced.stdout).at(-1)).toMatch(/^\S+ {2}· {2}line 2 of /)
  })

  it("a key that means nothing still says so, with the keys that do", () => {
    const r = run(["replay", file, "--step"], "x q")
    expect(r.stdout).toContain('unknown key "x"')
  })
})

describe("ls --cwd with an empty value", () => {
  it("is a usage error that says how to ask for the current folder, not a silent filter by it", () => {
    const r = run(["ls", "--cwd", "", "--codex-home", sample])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe("rollout ls: --cwd needs a folder (--cwd . for this one). See 'rollout ls --help'.\n")
    expect(run(["ls", "--cwd", ".", "--codex-home", sample]).status).toBe(0)
  })
})
