import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as SearchQuick from "../src/SearchQuick.js"
import { run, sampleCopy } from "./support/IndexHome.js"

const quick = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const args = SearchQuick.parse(argv, env)
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), stderrIsTTY: false }
  const code = await SearchQuick.run(args, io)
  return code === undefined ? undefined : { code, out, err }
}

describe("rollout search, quick path", () => {
  it("answers the plain command lines exactly as the full CLI does", async () => {
    const { home, index } = sampleCopy()
    const at = ["--codex-home", home, "--index", index]
    for (const argv of [
      ["search", "notes", ...at],
      ["search", "notes", ...at, "--json"],
      ["search", "workspace", "--kind", "user", ...at],
      ["search", "the", "--limit", "3", ...at, "--json"],
      ["search", "the", "--limit", "500", "--archived", "-q", ...at],
      ["search", "--json", "zyxwvut", ...at],
      ["search", "notes", "--kind", "tool_output", "--quiet", ...at]
    ]) {
      const fast = await quick(argv)
      expect(fast, argv.join(" ")).toBeDefined()
      expect(fast).toEqual(await run(...argv))
    }
    // The home and index from the environment, as the full CLI's flags fall back to them.
    const env = { CODEX_HOME: home, ROLLOUT_INDEX: index }
    expect(await quick(["search", "notes", "--json"], env)).toEqual(await run("search", "notes", "--json", ...at))
  })

  it("declines what the full CLI answers differently: usage errors, help, other flags, --database, a missing home", async () => {
    const { home, index } = sampleCopy()
    const at = ["--codex-home", home, "--index", index]
    for (const argv of [
      ["search", "()", ...at],
      ["search", ...at],
      ["search", "a", "b", ...at],
      ["search", "notes", "--limit", "0", ...at],
      ["search", "notes", "--limit", "501", ...at],
      ["search", "notes", "--limit", "07", ...at],
      ["search", "notes", "--kind", "reasoning", ...at],
      ["search", "notes", "--json", "--json", ...at],
      ["search", "notes", "--limit=3", ...at],
      ["search", "notes", "--database", "postgres://x", ...at],
      ["search", "--help"],
      ["search", "notes", "--", ...at],
      ["search", "notes", "--codex-home", path.join(home, "missing"), "--index", index],
      ["ls", ...at]
    ])
      expect(SearchQuick.parse(argv, {}), argv.join(" ")).toBeUndefined()
    expect(SearchQuick.parse(["search", "notes", "--codex-home", home], { ROLLOUT_INDEX: "" })).toBeUndefined()
    expect(fs.existsSync(index)).toBe(false)
  })
})
