// The README's tour of the CLI, run as written: every `npx rollout ...` line of its code block, in
// order, through the real bin, from a scratch folder holding a copy of the sample home as
// `rollouts/` (and as `~/.codex`, for the lines that use the default home). The placeholders a
// reader fills in are filled the same way: <thread-id> with a thread of the home the line reads,
// session.jsonl with a sample rollout, <bundle-dir> with a Codex trace bundle, /tmp/demo with a
// scratch folder. Each line must exit 0 with no error on stderr. The one line that needs a network
// model (`OPENAI_API_KEY=sk-... npx rollout run "..."`) is skipped, and said so below.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { bin, root, sampleFiles } from "./Bin.js"

/** The `npx rollout` command lines of the README's tour, comments kept (the shell drops them). */
const tourLines = (readme: string): Array<string> => {
  const start = readme.indexOf("## A tour of the CLI")
  const open = readme.indexOf("```sh\n", start)
  const close = readme.indexOf("```", open + 6)
  return readme
    .slice(open + 6, close)
    .split("\n")
    .filter((l) => /^\s*(?:[A-Z_]+=\S+\s+)*npx rollout /.test(l))
}

/** Needs a real model over the network: not run here (the scripted `run --demo` line stands for it). */
const needsNetwork = (line: string) => /OPENAI_API_KEY=sk-\.\.\./.test(line)

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-tour-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
const home = path.join(scratch, "home")
const demo = path.join(scratch, "demo")
// Only the rollouts: an index a developer's run left in rollouts/ names the original files.
const copy = { recursive: true, filter: (src: string) => !path.basename(src).startsWith("rollout-index.sqlite") }
fs.cpSync(path.join(root, "rollouts"), path.join(scratch, "rollouts"), copy)
fs.cpSync(path.join(root, "rollouts"), path.join(home, ".codex"), copy)
// The longest sample thread: it has the user messages and lines the tour cuts and steps through.
const [sample] = sampleFiles().sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
const sampleId = /([0-9a-f-]{36})\.jsonl$/.exec(sample ?? "")?.[1] ?? ""
fs.copyFileSync(sample ?? "", path.join(scratch, "session.jsonl"))
const bundleRoot = path.join(root, "fixtures/trace-codex/app-server-two-turns")
const bundle = path.join(bundleRoot, fs.readdirSync(bundleRoot).find((n) => n.startsWith("trace-")) ?? "")

let demoThread = ""
// The reader's own environment: no CODEX_HOME or ROLLOUT_INDEX of the machine running the tests.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "CODEX_HOME" && k !== "ROLLOUT_INDEX"))

const filled = (line: string): string => {
  const id = line.includes("/tmp/demo") ? demoThread : sampleId
  return line
    .replaceAll("npx rollout", `'${process.execPath}' '${bin}'`)
    .replaceAll("<thread-id>", id)
    .replaceAll("<bundle-dir>", bundle)
    .replaceAll("/tmp/demo", demo)
}

describe("the README's tour runs as written on the sample home", () => {
  const lines = tourLines(fs.readFileSync(path.join(root, "README.md"), "utf8"))

  it("has the tour's lines", () => {
    expect(lines.length).toBeGreaterThanOrEqual(30)
    expect(lines.filter(needsNetwork)).toHaveLength(1)
  })

  for (const line of lines) {
    it.skipIf(needsNetwork(line))(line.replace(/\s+#.*$/, ""), () => {
      const r = spawnSync("bash", ["-c", filled(line)], {
        encoding: "utf8",
        cwd: scratch,
        input: "",
        env: { ...env, HOME: home },
        timeout: 120_000
      })
      // stderr may say what was written (export --output), never an error.
      expect(r.stderr, line).not.toMatch(/^rollout|error|Error|\r/m)
      expect(r.status, line).toBe(0)
      expect(r.stdout.length + r.stderr.length, line).toBeGreaterThan(0)
      if (line.includes("run --demo")) demoThread = /^conversation\s+\S+\s+([0-9a-f-]{36})/m.exec(r.stdout)?.[1] ?? ""
    })
  }
})
