import { describe, expect, it } from "vitest"
import { main } from "../src/Cli.js"
import * as Crash from "../src/Crash.js"
import * as Output from "../src/Output.js"

const run = async (...argv: Array<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  return { code, out: output.out(), err: output.err() }
}

describe("usage errors (in-process)", () => {
  it("given an unknown flag with --json, then one line on stderr, nothing on stdout, exit 2", async () => {
    const r = await run("ls", "--limt", "5", "--json")
    expect(r).toEqual({ code: 2, out: "", err: "rollout ls: unknown flag --limt (did you mean --limit?). See 'rollout ls --help'.\n" })
  })

  it("given a number out of range, then the range is named", async () => {
    expect((await run("search", "x", "--limit", "501")).err).toBe(
      `rollout search: bad value "501" for --limit: expected a whole number from 1 to 500. See 'rollout search --help'.\n`
    )
  })

  it("given a value its flag's own check refuses, then the check's reason, not 'expected <value> is ...'", async () => {
    expect((await run("export", "x.jsonl", "--timezone", "Mars/Base")).err).toBe(
      `rollout export: bad value "Mars/Base" for --timezone: not an IANA time zone (e.g. UTC, Europe/Paris). See 'rollout export --help'.\n`
    )
  })

  it("given a command's flag before the command, then where it goes and the line corrected", async () => {
    expect(await run("--json", "-q", "ls", "--limit", "2")).toEqual({
      code: 2,
      out: "",
      err: "rollout: --json -q go after the command: rollout ls --limit 2 --json -q. See 'rollout ls --help'.\n"
    })
    expect((await run("--help", "ls")).code).toBe(0)
  })

  it("given the word help, with or without a command, then that help page, exit 0", async () => {
    expect(await run("help")).toEqual(await run("--help"))
    const page = await run("help", "ls")
    expect(page).toEqual(await run("ls", "--help"))
    expect(page.code).toBe(0)
    expect((await run("help", "bogus")).err).toBe(`rollout: unknown command "bogus". See 'rollout --help'.\n`)
  })

  it("given --help, then the help page on stdout (through the Output service), exit 0", async () => {
    const r = await run("validate", "--help")
    expect(r.code).toBe(0)
    expect(r.err).toBe("")
    expect(r.out).toContain("--verbose")
    expect(r.out).not.toContain("--wizard")
  })
})

describe("Crash.line", () => {
  it("is one line without the stack, and says how to report it; debug adds the stack", () => {
    const error = new RangeError("Maximum call stack size exceeded")
    const line = Crash.line(error)
    expect(line.trimEnd().split("\n")).toHaveLength(1)
    expect(line).toMatch(/^rollout: internal error: RangeError: Maximum call stack size exceeded \(this is a bug: please report it/)
    expect(Crash.line(error, true)).toContain("at ")
  })
})
