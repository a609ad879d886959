import { spawnSync } from "node:child_process"
import * as path from "node:path"
import * as CliOutput from "effect/cli/CliOutput"
import { describe, expect, it } from "vitest"
import * as Version from "../src/Version.js"

const bin = path.resolve(import.meta.dirname, "../bin/rollout.js")

const plain = { env: {}, stdoutIsTerminal: false }
const tty = { env: {}, stdoutIsTerminal: true }

describe("Version: --version before the framework loads", () => {
  it("formats the line as the framework does, with and without colour", () => {
    expect(Version.line(plain)).toBe(`${CliOutput.defaultFormatter({ colors: false }).formatVersion("rollout", Version.VERSION)}\n`)
    expect(Version.line(tty)).toBe(`${CliOutput.defaultFormatter({ colors: true }).formatVersion("rollout", Version.VERSION)}\n`)
  })

  it("colours only on a terminal, as the CLI's presenter does, and never under NO_COLOR or TERM=dumb", () => {
    expect(Version.line({ env: { TERM: "dumb" }, stdoutIsTerminal: true })).toBe(Version.line(plain))
    expect(Version.line({ env: { NO_COLOR: "1" }, stdoutIsTerminal: true })).toBe(Version.line(plain))
    expect(Version.line({ env: { NO_COLOR: "" }, stdoutIsTerminal: true })).toBe(Version.line(tty))
    expect(Version.line({ env: { FORCE_COLOR: "1" }, stdoutIsTerminal: false })).toBe(Version.line(plain))
    expect(Version.line({ env: { FORCE_COLOR: "false" }, stdoutIsTerminal: false })).toBe(Version.line(plain))
    expect(Version.line({ env: { FORCE_COLOR: "0" }, stdoutIsTerminal: false })).toBe(Version.line(plain))
  })

  it("answers only a bare --version or -v", () => {
    expect([["--version"], ["-v"]].map(Version.only)).toEqual([true, true])
    expect([[], ["ls", "--version"], ["--version", "ls"], ["--help"]].map(Version.only)).toEqual([false, false, false, false])
  })

  it("the built bin prints for --version what the framework prints for `ls --version`", () => {
    for (const env of [{}, { FORCE_COLOR: "1" }, { TERM: "dumb", FORCE_COLOR: "1" }]) {
      const run = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "", ...env } })
      const fast = run("--version")
      const framework = run("ls", "--version")
      expect(fast.status).toBe(0)
      expect(fast.stdout).toBe(framework.stdout)
    }
  })
})
