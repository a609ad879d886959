// `rollout turns --json` (the real bin) against what Codex 0.169's app-server answered to
// thread/turns/list for the same rollouts (fixtures/oracle/<case>/turns-list.json and
// turns-pages.json; TurnsPage.test.ts checks every recorded parameter set in-process).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Ajv } from "ajv"
import { describe, expect, it } from "vitest"
import { bin, root } from "./Bin.js"

const oracle = path.join(root, "fixtures/oracle")
const home = path.join(root, "rollouts")
const threadId = (c: string) => JSON.parse(fs.readFileSync(path.join(oracle, c, "input.jsonl"), "utf8").split("\n")[0] ?? "").payload.id as string
const turns = (...args: Array<string>) => spawnSync(process.execPath, [bin, "turns", ...args, "--codex-home", home], { encoding: "utf8" })
const json = (c: string, file: string) => JSON.parse(fs.readFileSync(path.join(oracle, c, file), "utf8"))

describe("rollout turns --json equals Codex app-server thread/turns/list", () => {
  it.each(["legacy-compact-resumed", "paginated-compact-interrupted", "exec-fork"])("%s: full items, ascending", (c) => {
    const r = turns(threadId(c), "--items-view", "full", "--sort-direction", "asc", "--limit", "100", "--json")
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(`${JSON.stringify(json(c, "turns-list.json"))}\n`)
    const schema = JSON.parse(fs.readFileSync(path.join(root, "fixtures/codex-schema/ThreadTurnsListResponse.json"), "utf8"))
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema)
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true)
  })

  it("defaults (25, newest first, summary) and a cursor from the previous page", () => {
    const c = "legacy-failed"
    const recorded = json(c, "turns-pages.json") as Array<{ params: Record<string, unknown>; result?: unknown }>
    const defaults = recorded.find((e) => Object.keys(e.params).length === 0)
    expect(turns(threadId(c), "--json").stdout).toBe(`${JSON.stringify(defaults?.result)}\n`)
    const second = recorded.find((e) => e.params["limit"] === 1 && e.params["sortDirection"] === "desc" && typeof e.params["cursor"] === "string")
    const r = turns(threadId(c), "--limit", "1", "--items-view", "summary", "--cursor", String(second?.params["cursor"]), "--json")
    expect(r.stdout).toBe(`${JSON.stringify(second?.result)}\n`)
  })

  it("a cursor Codex would refuse is a usage error (exit 2) with Codex's message", () => {
    const r = turns(threadId("legacy-chat"), "--cursor", '{"turnId":"gone","includeAnchor":true}', "--json")
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain("invalid cursor: anchor turn is no longer present")
  })
})
