import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as HistoryQuick from "../src/HistoryQuick.js"
import { run } from "./support/IndexHome.js"

const root = path.resolve(import.meta.dirname, "../../..")
const home = path.join(root, "rollouts")

const quick = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const args = HistoryQuick.parse(argv, env)
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const code = await HistoryQuick.run(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) })
  return { code, out, err }
}

/** A rollout with a torn and a non-JSON line (diagnostics on stderr), and one with no session_meta. */
const faulty = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-history-quick-"))
  const sample = fs.readFileSync(path.join(root, "fixtures/reader/sample.jsonl"), "utf8")
  const torn = path.join(dir, "torn.jsonl")
  fs.writeFileSync(torn, `${sample}not json\n{"timestamp":`)
  const headless = path.join(dir, "headless.jsonl")
  fs.writeFileSync(headless, `${sample.split("\n").slice(1).join("\n")}`)
  return { torn, headless, missing: path.join(dir, "missing.jsonl") }
}

describe("rollout history --json, quick path", () => {
  it("answers the plain command lines exactly as the full CLI does: output, diagnostics, failures and exit codes", async () => {
    const file = fs.readdirSync(path.join(home, "sessions/2026/11/21")).find((f) => f.endsWith(".jsonl")) as string
    const id = file.replace(/^rollout-[0-9T-]{19}-/, "").replace(/\.jsonl$/, "")
    const { torn, headless, missing } = faulty()
    const at = ["--codex-home", home]
    for (const argv of [
      ["history", id, "--json", ...at],
      ["history", "--json", id.slice(0, 13), ...at],
      ["history", ...at, path.join(home, "sessions/2026/11/21", file), "--json"],
      ["history", torn, "--json", ...at],
      ["history", headless, "--json", ...at],
      ["history", missing, "--json", ...at],
      ["history", "0000dead", "--json", ...at]
    ]) {
      const fast = await quick(argv)
      expect(fast, argv.join(" ")).toBeDefined()
      expect(fast, argv.join(" ")).toEqual(await run(...argv))
    }
    // Each outcome is seen: a thread, diagnostics, a thread that cannot be read, one that is not there.
    const outcomes = await Promise.all([[torn], [headless], ["0000dead"]].map(([t]) => quick(["history", t as string, "--json", ...at])))
    expect(outcomes.map((o) => o?.code)).toEqual([0, 1, 2])
    expect(outcomes[0]?.err).not.toBe("")
    // The home from the environment, as the full CLI's flag falls back to it.
    expect(await quick(["history", id, "--json"], { CODEX_HOME: home })).toEqual(await run("history", id, "--json", ...at))
  })

  it("declines what the full CLI answers differently: the transcript, other or repeated flags, help", () => {
    for (const argv of [
      ["history", "abc"],
      ["history", "abc", "--json", "--all-events"],
      ["history", "abc", "--json", "--json"],
      ["history", "abc", "--json", "--codex-home"],
      ["history", "abc", "--json", "--codex-home", "/a", "--codex-home", "/b"],
      ["history", "abc", "--json=true"],
      ["history", "a", "b", "--json"],
      ["history", "--json"],
      ["history", "--help"],
      ["history", "abc", "--", "--json"],
      ["turns", "abc", "--json"]
    ])
      expect(HistoryQuick.parse(argv, {}), argv.join(" ")).toBeUndefined()
  })
})
