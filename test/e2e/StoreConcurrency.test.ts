// End to end: two processes (the built @rollout/store) refreshing one index at once, while the
// rollouts grow, lose and duplicate nothing; a deleted or corrupt index is rebuilt by the real bin.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as RefreshModule from "@rollout/store/Refresh"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as FileScan from "@rollout/store/FileScan"
import * as IndexDatabase from "@rollout/store/IndexDatabase"

const root = path.resolve(import.meta.dirname, "../..")
const bin = path.join(root, "packages/cli/bin/rollout.js")

const iso = (ms: number) => new Date(ms).toISOString()
const T0 = Date.UTC(2026, 5, 1)
const idOf = (i: number) => `0198f2a4-0000-7000-8000-${String(i).padStart(12, "0")}`

const turn = (i: number, t: number, ms: number): string =>
  [
    { type: "event_msg", payload: { type: "task_started", turn_id: `t${i}-${t}`, model_context_window: null, collaboration_mode_kind: "default" } },
    { type: "event_msg", payload: { type: "user_message", message: `question ${t} about widget${i}`, local_images: [], local_audio: [], text_elements: [] } },
    { type: "response_item", payload: { type: "function_call", name: "exec_command", arguments: `{"cmd":"grep widget${i}"}`, call_id: `c${t}` } },
    { type: "response_item", payload: { type: "function_call_output", call_id: `c${t}`, output: `widget${i} found in file ${t}` } },
    { type: "event_msg", payload: { type: "agent_message", message: `answer ${t} for widget${i}`, memory_citation: null } },
    { type: "event_msg", payload: { type: "task_complete", turn_id: `t${i}-${t}`, last_agent_message: null } }
  ]
    .map((l) => `${JSON.stringify({ timestamp: iso(ms), ...l })}\n`)
    .join("")

const makeHome = (n: number): { home: string; files: Array<string> } => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-e2e-store-"))
  const files: Array<string> = []
  for (let i = 0; i < n; i++) {
    // Threads created three per millisecond: the two processes must still give each its own cursor.
    const ms = T0 + Math.floor(i / 3) * 60_000
    const d = new Date(ms)
    const day = path.join(home, "sessions", "2026", String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
    fs.mkdirSync(day, { recursive: true })
    const file = path.join(day, `rollout-${iso(ms).slice(0, 19).replace(/:/g, "-")}-${idOf(i)}.jsonl`)
    const meta = {
      timestamp: iso(ms),
      type: "session_meta",
      payload: {
        id: idOf(i),
        timestamp: iso(ms),
        cwd: "/w",
        originator: "codex_cli_rs",
        cli_version: "0.169.0",
        source: "cli",
        model_provider: "openai",
        base_instructions: null
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(meta)}\n${turn(i, 1, ms)}`)
    files.push(file)
  }
  return { home, files }
}

/** Starts a process that refreshes the index with the built store and prints its result. */
const refresher = (home: string, index: string): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const script = `import * as Store from "@rollout/store/Store"
const store = Store.open({ home: ${JSON.stringify(home)}, path: ${JSON.stringify(index)} })
const r = await store.refresh({ batchFiles: 10 })
store.close()
console.log(JSON.stringify(r))`
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: root })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    child.on("close", (code) => resolve({ code, out, err }))
  })

/** The documents every file holds, read from scratch, as sorted keys. */
const expectedDocs = async (home: string): Promise<Array<string>> => {
  const out: Array<string> = []
  for (const f of await CodexHome.rollouts(Files.node, home))
    for (const d of (await FileScan.scan(f.path)).docs) out.push(`${f.path}|${d.offset}|${d.kind}|${d.text}`)
  return out.sort()
}

const indexedDocs = (index: string): Array<string> => {
  const { db } = IndexDatabase.open(index)
  try {
    return (db.prepare("SELECT path, offset, kind, text FROM docs").all() as Array<{ path: string; offset: number; kind: string; text: string }>)
      .map((d) => `${d.path}|${d.offset}|${d.kind}|${d.text}`)
      .sort()
  } finally {
    db.close()
  }
}

describe("the index shared by several processes (built @rollout/store)", () => {
  it("two processes refreshing one index at once, while files grow, lose and duplicate nothing", async () => {
    const { home, files } = makeHome(150)
    const index = path.join(home, "index.sqlite")
    const both = Promise.all([refresher(home, index), refresher(home, index)])
    // Grow a third of the files while they run.
    for (let k = 0; k < files.length; k += 3) fs.appendFileSync(files[k] ?? "", turn(k, 2, T0 + k * 60_000 + 5000))
    const results = await both
    for (const r of results) expect(r.code, r.err).toBe(0)
    const reads = results.map((r) => JSON.parse(r.out).filesRead as number)
    expect(reads[0]! + reads[1]!).toBeGreaterThanOrEqual(files.length)
    // A last refresh picks up appends that came after both had looked; then the index is exact.
    const last = await refresher(home, index)
    expect(last.code, last.err).toBe(0)
    const docs = indexedDocs(index)
    expect(new Set(docs).size).toBe(docs.length)
    expect(docs).toEqual(await expectedDocs(home))
    const { db } = IndexDatabase.open(index)
    const counts = db
      .prepare("SELECT (SELECT count(*) FROM threads) t, (SELECT count(*) FROM files) f, (SELECT count(DISTINCT created_at_ms) FROM threads) c")
      .get()
    // Both started a first build (full-text entries deferred to one rebuild): the FTS5 index matches
    // the documents, whichever process rebuilt it, and a word of every file is found.
    RefreshModule.fullTextCheck(db)
    const found = db.prepare("SELECT count(DISTINCT d.path) AS n FROM docs_fts JOIN docs d ON d.id = docs_fts.rowid WHERE docs_fts MATCH 'question'").get()
    db.close()
    expect(found).toEqual({ n: files.length })
    expect(counts).toEqual({ t: files.length, f: files.length, c: files.length })
  })

  it("a deleted or corrupt index is rebuilt from the files by `rollout ls`", () => {
    const { home } = makeHome(30)
    const index = path.join(home, "rollout-index.sqlite")
    const ls = () =>
      spawnSync(process.execPath, [bin, "ls", "--codex-home", home, "--index", index, "--limit", "100", "--json"], { encoding: "utf8", cwd: root })
    const first = ls()
    expect(first.status, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout).data.length).toBe(30)
    fs.rmSync(index)
    const afterDelete = ls()
    expect(JSON.parse(afterDelete.stdout).data.length).toBe(30)
    for (const p of [index, `${index}-wal`, `${index}-shm`]) fs.rmSync(p, { force: true })
    // Damaged as a crash or a bad disk leaves it: SQLite's header, then no database.
    fs.writeFileSync(index, Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), Buffer.alloc(8192, 0x5a)]))
    const afterCorrupt = ls()
    expect(afterCorrupt.status, afterCorrupt.stderr).toBe(0)
    expect(JSON.parse(afterCorrupt.stdout).data.length).toBe(30)
  })
})
