import { describe, expect, it } from "vitest"
import * as LsTable from "../src/LsTable.js"

const row = (i: number, o: Partial<LsTable.Row> = {}): LsTable.Row => ({
  id: `0198f2a4-5b6c-7d8e-9f00-${String(i).padStart(12, "0")}`,
  name: null,
  preview: `a rather long first message number ${i} that goes on and on and on`,
  cwd: "/home/ana/projects/rollout/packages/store",
  source: "subagent:thread_spawn",
  modelProvider: "openai",
  model: "gpt-5.2-codex",
  reasoningEffort: null,
  cliVersion: null,
  originator: null,
  historyMode: "legacy",
  createdAt: 1_784_000_000 + i,
  updatedAt: 1_784_000_100 + i,
  recencyAt: 1_784_000_000,
  createdAtMs: 0,
  updatedAtMs: 0,
  archived: false,
  forkedFromId: null,
  parentThreadId: null,
  agentNickname: null,
  agentRole: null,
  path: "/p",
  paths: ["/p"],
  turns: 462,
  tokens: { input: 0, cachedInput: 0, output: 0, reasoningOutput: 0, total: 123_456_789 },
  bytes: 4_700_000_000,
  trimFreesBytes: 4_600_000_000,
  ...o
})

const rows = (text: string) => text.split("\n\n")[0]?.split("\n") ?? []

describe("LsTable", () => {
  it("fits an 80- and a 120-column terminal, keeping the time, the id, the name and then the sizes", () => {
    const data = [row(1), row(2, { name: "named" }), row(3, { tokens: null, trimFreesBytes: null, turns: 0 })]
    const narrow = rows(LsTable.render(data, { time: "created", width: 80, more: undefined }))
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(80)
    expect(narrow[0]).toMatch(/^created \(UTC\)\s+thread\s+size\s+name$/)
    expect(narrow[1]).toContain("4.4 GiB")
    const wide = rows(LsTable.render(data, { time: "updated", width: 120, more: undefined }))
    for (const l of wide) expect(l.length).toBeLessThanOrEqual(120)
    expect(wide[0]).toMatch(/^updated \(UTC\)\s+thread\s+turns\s+tokens\s+size\s+trim frees\s+model\s+name/)
    expect(wide[1]).toMatch(/\s462\s+123M\s+4\.4 GiB\s+4\.3 GiB\s+gpt-5\.2-codex\s+a rather/)
    expect(wide[3]).toMatch(/\s0\s+-\s+4\.4 GiB\s+-\s+gpt/)
  })

  it("on a pipe shows every column, and rows without sizes (the team store's) show dashes", () => {
    const { turns: _t, tokens: _k, bytes: _b, trimFreesBytes: _f, ...team } = row(1)
    const all = rows(LsTable.render([row(1), team], { time: "created", width: undefined, more: "rollout ls --cursor x" }))
    expect(all[0]).toMatch(/thread\s+turns\s+tokens\s+size\s+trim frees\s+model\s+source\s+cwd\s+name or first message$/)
    expect(all[2]).toMatch(/\s-\s+-\s+-\s+-\s+gpt/)
  })

  it("writes token counts in a few characters", () => {
    expect([999, 1000, 12_345, 456_789, 999_499, 999_500, 7_800_000, 2_000_000_000].map(LsTable.count)).toEqual([
      "999",
      "1.0k",
      "12.3k",
      "457k",
      "999k",
      "1.0M",
      "7.8M",
      "2.0G"
    ])
  })
})
