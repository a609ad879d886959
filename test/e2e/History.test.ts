// `rollout history --json` against what the real Codex 0.169 app-server's thread/read returned for
// the same rollouts (fixtures/oracle, recorded into rollouts/). Only the file path and the
// mtime-derived updatedAt depend on where the files live (fixtures/oracle/README.md).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const root = path.resolve(import.meta.dirname, "../..")
const bin = path.join(root, "packages/cli/bin/rollout.js")
const oracle = path.join(root, "fixtures/oracle")
const cases = fs.readdirSync(oracle).filter((c) => fs.existsSync(path.join(oracle, c, "thread-read.json")))

const withoutLocation = ({ path: _path, updatedAt: _updatedAt, ...rest }: Record<string, unknown>) => rest

describe("rollout history --json equals Codex app-server thread/read", () => {
  it.each(cases)("%s", (c) => {
    const id = JSON.parse(fs.readFileSync(path.join(oracle, c, "input.jsonl"), "utf8").split("\n")[0] ?? "").payload.id
    const r = spawnSync(process.execPath, [bin, "history", id, "--codex-home", path.join(root, "rollouts"), "--json"], { encoding: "utf8" })
    expect(r.status, r.stderr).toBe(0)
    const ours = JSON.parse(r.stdout).thread
    const codex = JSON.parse(fs.readFileSync(path.join(oracle, c, "thread-read.json"), "utf8")).thread
    expect(JSON.stringify(ours.turns)).toBe(JSON.stringify(codex.turns))
    expect(withoutLocation(ours)).toEqual(withoutLocation(codex))
  })
})
