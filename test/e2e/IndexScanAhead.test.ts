// `rollout index` of a home large enough to be read ahead in a second thread (the built bin does,
// store/internal/ScanAhead; the same command in-process from the TypeScript sources reads in one
// thread): both must store the same documents, files and threads, and answer a search alike. The
// home mixes a rollout bigger than one write batch (read in slices), small ones, bad and torn lines.
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import { afterAll, describe, expect, it } from "vitest"
import { bin, inProcess, root } from "./Bin.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "index-scan-ahead-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const history = path.join(root, "fixtures/history")
const body = fs
  .readdirSync(history)
  .filter((c) => fs.existsSync(path.join(history, c, "input.jsonl")))
  .sort()
  .flatMap((c) => fs.readFileSync(path.join(history, c, "input.jsonl"), "utf8").split("\n"))
  .filter((l) => l.trim() !== "" && !l.includes('"type":"session_meta"'))
const meta = fs.readFileSync(path.join(history, "implicit-turns", "input.jsonl"), "utf8").split("\n")[0] as string

/** A rollout of thread n of about `bytes`: its session_meta, then the fixtures' lines over and over with bad lines, maybe torn at the end. */
const writeRollout = (n: number, bytes: number, torn: boolean): void => {
  const id = `0198f2a4-5b6c-7d8e-9f00-${String(n).padStart(12, "0")}`
  const day = path.join(dir, "sessions", "2026", "07", String(1 + (n % 28)).padStart(2, "0"))
  fs.mkdirSync(day, { recursive: true })
  const fd = fs.openSync(path.join(day, `rollout-2026-07-${String(1 + (n % 28)).padStart(2, "0")}T07-06-${String(n % 60).padStart(2, "0")}-${id}.jsonl`), "w")
  fs.writeSync(fd, `${meta.replaceAll("0198f2a4-5b6c-7d8e-9f00-000000000004", id)}\n`)
  for (let size = 0, round = 0; size < bytes; round++) {
    const needle = `{"timestamp":"2026-07-14T07:06:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"needle${n}x${round}","local_images":[],"local_audio":[],"text_elements":[]}}`
    const chunk = `${body.map((l, i) => (i === 7 ? `{"not json ${round}\n${l}` : l)).join("\n")}\n${needle}\n`
    fs.writeSync(fd, chunk)
    size += Buffer.byteLength(chunk)
  }
  if (torn) fs.writeSync(fd, '{"timestamp":"2026-07-14T07:06:00.000Z","type":"event_msg","payload":{"type":"agent_mess')
  fs.closeSync(fd)
}

/** Each table's rows in order, hashed: the two builds must hold the same rows. */
const tables = (file: string): Record<string, string> => {
  const db = new Database(file, { readonly: true })
  try {
    const out: Record<string, string> = {}
    for (const [name, sql] of [
      ["doc_texts", "SELECT * FROM doc_texts ORDER BY id"],
      ["doc_sources", "SELECT * FROM doc_sources ORDER BY id"],
      ["files", "SELECT path, thread_id, archived, size, mtime_ms, offset, head_hash, state, tail_state FROM files ORDER BY path"],
      ["threads", "SELECT * FROM threads ORDER BY id"]
    ] as const) {
      const hash = createHash("sha256")
      let rows = 0
      for (const row of db.prepare(sql).iterate()) {
        hash.update(JSON.stringify(row))
        rows++
      }
      out[name] = `${rows} rows, ${hash.digest("hex")}`
    }
    return out
  } finally {
    db.close()
  }
}

describe("rollout index of a large home, read ahead in a second thread", () => {
  it("stores exactly what the one-thread build stores, and searches alike", async () => {
    // 36 MiB in one file (past a write batch: read in slices) and 24 of 0.7 MiB: past the
    // read-ahead threshold (48 MiB), and some files cut between batches.
    for (let n = 1; n <= 25; n++) writeRollout(n, n === 9 ? 36 << 20 : 700 << 10, n % 5 === 0)
    expect(fs.existsSync(path.join(root, "packages/store/dist/internal/ScanAheadWorker.js"))).toBe(true)
    const ahead = path.join(dir, "ahead.sqlite")
    const here = path.join(dir, "here.sqlite")
    const built = spawnSync(process.execPath, [bin, "index", "--quiet", "--json", "--codex-home", dir, "--index", ahead], { encoding: "utf8" })
    expect(built.status, built.stderr.slice(0, 500)).toBe(0)
    const same = await inProcess("index", "--quiet", "--json", "--codex-home", dir, "--index", here)
    expect(same.status).toBe(0)
    const counts = (out: string) => {
      const { index: _, ...rest } = JSON.parse(out) as Record<string, unknown>
      return rest
    }
    expect(counts(built.stdout)).toEqual(counts(same.stdout))
    expect(built.stderr).toBe(same.stderr)
    expect(tables(ahead)).toEqual(tables(here))
    // Not vacuous: every file was read and has documents.
    expect(counts(built.stdout)).toMatchObject({ filesRead: 25, threads: 25 })
    for (const word of ["needle9x3", "needle1x0", "Continue"]) {
      const a = spawnSync(process.execPath, [bin, "search", word, "--json", "--codex-home", dir, "--index", ahead], { encoding: "utf8" })
      const b = await inProcess("search", word, "--json", "--codex-home", dir, "--index", here)
      expect(a.stdout).toBe(b.stdout)
      expect(JSON.parse(a.stdout).total).toBeGreaterThan(0)
    }
  }, 240_000)
})
