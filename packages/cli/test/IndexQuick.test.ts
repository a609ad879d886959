import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as IndexQuick from "../src/IndexQuick.js"
import { run, sampleCopy } from "./support/IndexHome.js"

const quick = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const args = IndexQuick.parse(argv, env)
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), stderrIsTTY: false }
  const code = await IndexQuick.run(args, io)
  return code === undefined ? undefined : { code, out, err }
}

/** The seconds a build took are the one thing two runs print differently. */
const timeless = (r: { readonly out: string } | undefined) => (r === undefined ? undefined : { ...r, out: r.out.replace(/ in [0-9.]+ s;/, " in T s;") })

describe("rollout index, quick path", () => {
  it("answers the plain command lines as the full CLI does", async () => {
    for (const flags of [[], ["--json"], ["--rebuild"], ["--rebuild", "--json", "-q"], ["--quiet"]]) {
      // Each way on its own copy, from the same start (a fresh index, then a second run).
      const a = sampleCopy()
      const b = sampleCopy()
      for (let round = 0; round < 2; round++) {
        const fast = await quick(["index", ...flags, "--codex-home", a.home, "--index", a.index])
        const full = await run("index", ...flags, "--codex-home", b.home, "--index", b.index)
        expect(fast, flags.join(" ")).toBeDefined()
        const same = (r: typeof full) => timeless({ ...r, out: r.out.replaceAll(b.index, a.index) })
        expect(timeless(fast)).toEqual(same(full))
      }
    }
    // The home and index from the environment, as the full CLI's flags fall back to them.
    const a = sampleCopy()
    const fast = await quick(["index", "--json"], { CODEX_HOME: a.home, ROLLOUT_INDEX: a.index })
    expect(JSON.parse(fast?.out ?? "")).toMatchObject({ index: a.index, filesRead: 9, threads: 9 })
  })

  it("declines what the full CLI answers differently: help, other or repeated flags, a missing home, an empty $ROLLOUT_INDEX", () => {
    const { home, index } = sampleCopy()
    const at = ["--codex-home", home, "--index", index]
    for (const argv of [
      ["index", "--help"],
      ["index", "--json", "--json", ...at],
      ["index", "--index=x", "--codex-home", home],
      ["index", "extra", ...at],
      ["index", "--database", "postgres://x", ...at],
      ["index", "--codex-home", path.join(home, "missing"), "--index", index],
      ["index", "--codex-home"],
      ["ls", ...at]
    ])
      expect(IndexQuick.parse(argv, {}), argv.join(" ")).toBeUndefined()
    expect(IndexQuick.parse(["index", "--codex-home", home], { ROLLOUT_INDEX: "" })).toBeUndefined()
    expect(fs.existsSync(index)).toBe(false)
  })
})
