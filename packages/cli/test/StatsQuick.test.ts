import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Files from "@rollout/log/Files"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"
import * as StatsArgs from "../src/StatsArgs.js"
import * as StatsQuick from "../src/StatsQuick.js"

const T0 = Date.UTC(2026, 6, 14, 12)
const id = (n: number) => `0198f2a4-5b6c-7d8e-9f00-${String(n).padStart(12, "0")}`
const root = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-stats-quick-"))
const home = path.join(root, "home")
const empty = path.join(root, "empty")
fs.mkdirSync(empty)

/** A home of a few sessions over several days, one of them a fork of another. */
const write = () => {
  const rand = StatsCorpus.prng(3)
  for (let n = 1; n <= 3; n++) {
    const start = T0 + n * 40_000_000
    const w = new StatsCorpus.Writer(id(n), start)
    const lines = [StatsCorpus.sessionMeta(id(n), start, n === 3 ? { forkedFromId: id(2) } : {})]
    for (let i = 0; i < 4; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand)))
    const file = path.join(home, "sessions/2026/07/14", StatsCorpus.fileName(id(n), start))
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, `${lines.join("\n")}\n`)
  }
}
write()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const full = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output, Files.node)
  return { code, out: output.out(), err: output.err() }
}

const quick = async (argv: ReadonlyArray<string>) => {
  const args = StatsArgs.parse(argv, { CODEX_HOME: home })
  if (args === undefined) return undefined
  let out = ""
  let err = ""
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), stderrIsTTY: false }
  const code = await StatsQuick.run(args, io, () => "UTC")
  return code === undefined ? undefined : { code, out, err }
}

describe("rollout stats, quick path", () => {
  it("answers the common command lines exactly as the full CLI does", async () => {
    for (const argv of [
      ["stats", home, "--json", "--timezone", "UTC"],
      ["stats", "--json", "--codex-home", home, "--timezone", "UTC"],
      ["stats", home, "--by", "model", "--timezone", "UTC"],
      ["stats", home, "--by", "session", "--json", "--jobs", "2", "--timezone", "UTC"],
      ["stats", home, "--format", "csv", "--by", "week", "--timezone", "UTC", "-q"],
      ["stats", home, "--json", "--by", "month", "--last", "2", "--timezone", "UTC"],
      ["stats", home, "--json", "--since", "2026-07-14", "--until", "20260715", "--timezone", "Europe/Paris"],
      ["stats", empty, "--timezone", "UTC"],
      ["stats", empty, "--json", "--timezone", "UTC"]
    ]) {
      const [a, b] = [await quick(argv), await full(argv)]
      expect([argv, a]).toEqual([argv, b])
    }
  })

  it("leaves to the full CLI what it does not serve, or would answer otherwise", async () => {
    const file = path.join(home, "sessions/2026/07/14", fs.readdirSync(path.join(home, "sessions/2026/07/14"))[0] as string)
    for (const argv of [
      ["stats", "--help"],
      ["stats", home, "--by=model"],
      ["stats", home, "--by", "hour"],
      ["stats", home, "--last", "0"],
      ["stats", home, "--last", "2", "--since", "2026-07-01"],
      ["stats", home, "--since", "2026-13-45"],
      ["stats", home, "--timezone", "Mars/Olympus"],
      ["stats", home, "--pricing", "prices.json"],
      ["stats", home, "--json", "--json"],
      ["stats", file],
      ["stats", id(1)],
      ["ls", home]
    ])
      expect([argv, await quick(argv)]).toEqual([argv, undefined])
  })
})
