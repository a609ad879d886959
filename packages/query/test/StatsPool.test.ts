import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/query/StatsPool"

const home = path.resolve("/home/test/.codex")
const ID = "0198f2a4-5b6c-7d8e-9f00-112233445566"
const inHome = path.join(home, "sessions/2026/07/14", `rollout-2026-07-14T09-05-33-${ID}.jsonl`)
const meta = `{"timestamp":"2026-07-14T07:05:33.412Z","type":"session_meta","payload":{"id":"${ID}","timestamp":"2026-07-14T07:05:33.398Z","cwd":"/p","originator":"o","cli_version":"1","source":"cli","model_provider":null,"base_instructions":null}}\n`

describe("StatsPool", () => {
  it("indexes the inputs by the thread id in their file names", () => {
    expect(StatsPool.indexOf([inHome, "/x/notes.jsonl"])).toEqual({ [ID]: [inHome] })
  })

  it("finds a thread among the inputs first, then in the Codex home, else nowhere", async () => {
    const files = Files.memory({ [inHome]: meta })
    expect(await StatsPool.threadFinder(files, { [ID]: ["/elsewhere.jsonl"] }, home)(ID)).toEqual(["/elsewhere.jsonl"])
    expect(await StatsPool.threadFinder(files, {}, home)(ID.toUpperCase())).toEqual([inHome])
    expect(await StatsPool.threadFinder(files, {}, "/no/home")(ID)).toEqual([])
  })

  it("folds in this thread when files are in memory or there is one file, and returns partials in input order", async () => {
    const files = Files.memory({ [inHome]: meta, "/b.jsonl": "" })
    const o = { files, paths: ["/b.jsonl", inHome], codexHome: home, jobs: 4 }
    expect(await StatsPool.workerCount(o)).toBe(0)
    expect(await StatsPool.workerCount({ ...o, files: Files.node, paths: [inHome] })).toBe(0)
    const done: Array<number> = []
    const out = await StatsPool.run({ ...o, onProgress: (n) => done.push(n) })
    expect(out.map((s) => s.path)).toEqual(["/b.jsonl", inHome])
    expect(out[1]?.thread?.id).toBe(ID)
    expect(done).toEqual([1, 2])
  })
})
