import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Files from "@rollout/log/Files"
import * as ValidateQuick from "../src/ValidateQuick.js"

const meta =
  '{"timestamp":"2026-07-14T07:05:33.412Z","type":"session_meta","payload":{"id":"0198f2a4-5b6c-7d8e-9f00-112233445566","timestamp":"2026-07-14T07:05:33.398Z","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.110.0","source":"cli","model_provider":"openai","base_instructions":null}}'
const user =
  '{"timestamp":"2026-07-14T07:05:40.001Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}'
const drifted = '{"timestamp":"2026-07-14T07:05:41.001Z","type":"event_msg","payload":{"type":"agent_message","message":"hi\\u001b]0;x","new_field":1}}'
const home = path.resolve("/home/test/.codex")
const good = path.join(home, "sessions/2026/07/14/rollout-2026-07-14T09-05-33-0198f2a4-5b6c-7d8e-9f00-112233445566.jsonl")
const bad = path.join(home, "sessions/2026/07/15/rollout-2026-07-15T09-05-33-0198f2a4-5b6c-7d8e-9f00-aabbccddeeff.jsonl")
const loose = path.resolve("/tmp/elsewhere/notes.jsonl")
const files = {
  [good]: `${meta}\n${user}\n${drifted}\n`,
  [bad]: `${user}\nnope\n${meta}\n{"timestamp":"t","type":"mystery","payload":{}}\n${"\n{}".repeat(30)}\n{"x`,
  [loose]: `\ufeff${meta}\n`
}

const full = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output, Files.memory(files))
  return { code, out: output.out(), err: output.err() }
}

const quick = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const args = ValidateQuick.parse(argv, env)
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const code = await ValidateQuick.run(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) }, Files.memory(files))
  return code === undefined ? undefined : { code, out, err }
}

describe("rollout validate, quick path", () => {
  it("answers the plain command lines exactly as the full CLI does", async () => {
    for (const argv of [
      ["validate", good],
      ["validate", bad],
      ["validate", bad, "--json"],
      ["validate", good, bad, loose, "--verbose"],
      ["validate", "--json", good, loose],
      ["validate", home],
      ["validate", home, "--verbose"],
      ["validate", "--codex-home", home],
      ["validate", "0198f2a4-5b6c-7d8e-9f00-112233445566", "--codex-home", home, "--json"],
      ["validate", path.dirname(bad), "--json", "--verbose"]
    ]) {
      const fast = await quick(argv)
      expect(fast, argv.join(" ")).toBeDefined()
      expect(fast, argv.join(" ")).toEqual(await full(argv))
    }
    // The home from the environment, as the full CLI's flag falls back to it.
    expect(await quick(["validate", "--json"], { CODEX_HOME: home })).toEqual(await full(["validate", "--json", "--codex-home", home]))
  })

  it("leaves to the full CLI what it words itself: help, other or repeated flags, names matching nothing, id prefixes", async () => {
    for (const argv of [
      ["validate", "--help"],
      ["validate", good, "--json", "--json"],
      ["validate", good, "--codex-home=/x"],
      ["validate", good, "--quiet"],
      ["validate", good, "-v"],
      ["validate", good, "--codex-home"],
      ["info", good]
    ])
      expect(ValidateQuick.parse(argv, {}), argv.join(" ")).toBeUndefined()
    for (const argv of [
      ["validate", path.join(home, "nothing.jsonl")],
      ["validate", "0198f2a4", "--codex-home", home],
      ["validate", good, path.join(home, "missing")],
      ["validate", "--codex-home", path.join(home, "missing")]
    ])
      expect(await quick(argv), argv.join(" ")).toBeUndefined()
  })
})
