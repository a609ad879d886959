import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as LsQuick from "../src/LsQuick.js"
import { run, sampleCopy } from "./support/IndexHome.js"

const quick = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const args = LsQuick.parse(argv, env)
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), stderrIsTTY: false, columns: undefined }
  const code = await LsQuick.run(args, io)
  return code === undefined ? undefined : { code, out, err }
}

describe("rollout ls, quick path", () => {
  it("answers the plain first pages exactly as the full CLI does", async () => {
    const { home, index } = sampleCopy()
    const at = ["--codex-home", home, "--index", index]
    for (const argv of [
      // The first builds the index and measures every thread's trim (the measure is loaded then).
      ["ls", ...at],
      ["ls", ...at, "--json"],
      // A next page: the `more:` hint (with the limit) and nextCursor.
      ["ls", "--limit", "3", ...at],
      ["ls", "--limit", "2", "--json", "-q", ...at],
      ["ls", "--limit", "100", "--quiet", ...at],
      ["ls", "--json", "--limit", "25", ...at]
    ]) {
      const fast = await quick(argv)
      expect(fast, argv.join(" ")).toBeDefined()
      expect(fast).toEqual(await run(...argv))
    }
    // The home and index from the environment, as the full CLI's flags fall back to them.
    const env = { CODEX_HOME: home, ROLLOUT_INDEX: index }
    expect(await quick(["ls", "--json"], env)).toEqual(await run("ls", "--json", ...at))
  })

  it("declines what the full CLI answers differently: usage errors, help, cursors, orders, filters, --database, a missing home", async () => {
    const { home, index } = sampleCopy()
    const at = ["--codex-home", home, "--index", index]
    for (const argv of [
      ["ls", "--limit", "0", ...at],
      ["ls", "--limit", "101", ...at],
      ["ls", "--limit", "07", ...at],
      ["ls", "--limit=3", ...at],
      ["ls", "--json", "--json", ...at],
      ["ls", "--cursor", "abc", ...at],
      ["ls", "--sort-key", "created_at", ...at],
      ["ls", "--sort", "size", ...at],
      ["ls", "--search", "notes", ...at],
      ["ls", "--cwd", "/tmp", ...at],
      ["ls", "--archived", ...at],
      ["ls", "--since", "2026-01-01", ...at],
      ["ls", "--model", "gpt-5", ...at],
      ["ls", "--source", "cli", ...at],
      ["ls", "--database", "postgres://x", ...at],
      ["ls", "--help"],
      ["ls", "-h"],
      ["ls", "threads", ...at],
      ["ls", "--", ...at],
      ["ls", "--codex-home", path.join(home, "missing"), "--index", index],
      ["search", "notes", ...at]
    ])
      expect(LsQuick.parse(argv, {}), argv.join(" ")).toBeUndefined()
    expect(LsQuick.parse(["ls", "--codex-home", home], { ROLLOUT_INDEX: "" })).toBeUndefined()
    // A home under a file: its stat fails with ENOTDIR, which is a decline (the full CLI says so), not a throw.
    const file = path.join(home, "a-file")
    fs.writeFileSync(file, "")
    expect(LsQuick.parse(["ls", "--codex-home", path.join(file, "home"), "--index", index], {})).toBeUndefined()
    expect(fs.existsSync(index)).toBe(false)
  })
})
