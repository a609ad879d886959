/**
 * Codex's own unit tests as golden fixtures (`fixtures/codex-tests/`, README there names each
 * test): every case runs through the CLI in process. `thread-history` and `paginated-history`
 * hold what the real Codex app-server answered (`thread/read`); `resume` and `fork` hold what the
 * unit tests assert. A new case folder is picked up without editing this file.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

const root = Path.join(fileURLToPath(new URL("../../", import.meta.url)), "fixtures", "codex-tests")

const cases = (area: string): ReadonlyArray<string> =>
  Fs.readdirSync(Path.join(root, area))
    .filter((c) => Fs.existsSync(Path.join(root, area, c, "expected.json")))
    .sort()

const read = (area: string, c: string, file: string): unknown => JSON.parse(Fs.readFileSync(Path.join(root, area, c, file), "utf8"))

const run = async (argv: ReadonlyArray<string>): Promise<unknown> => {
  const output = Output.buffer()
  const code = await main(argv, output)
  expect(code, output.err()).toBe(0)
  return JSON.parse(output.out())
}

const input = (area: string, c: string): string => Path.join(root, area, c, "input.jsonl")

describe.each(["thread-history", "paginated-history"])("%s: Codex's answer to thread/read", (area) => {
  it.each(cases(area))("%s", async (c) => {
    const ours = (await run(["history", input(area, c), "--json"])) as { thread: { turns: unknown } }
    const codex = read(area, c, "expected.json") as { thread: { turns: unknown } }
    expect(JSON.stringify(ours.thread.turns, null, 1)).toBe(JSON.stringify(codex.thread.turns, null, 1))
  })
})

describe("resume: the history, settings and reference Codex's tests assert", () => {
  it.each(cases("resume"))("%s", async (c) => {
    expect(await run(["resume", input("resume", c), "--json"])).toEqual(read("resume", c, "expected.json"))
  })
})

describe("fork: the history a fork before user message N starts from", () => {
  it.each(cases("fork"))("%s", async (c) => {
    for (const { beforeUserMessage, history } of read("fork", c, "expected.json") as ReadonlyArray<{ beforeUserMessage: number; history: unknown }>) {
      expect(
        await run(["fork", input("fork", c), "--before-user-message", String(beforeUserMessage), "--json"]),
        `before user message ${beforeUserMessage}`
      ).toEqual({ history })
    }
  })
})
