// Where a cold `rollout index` spends its CPU, part by part, in one process and one run (each part
// next to the bare parse loop over the same files, measured in the same call):
//   node bench/index-parts.mjs [--home DIR] [--index FILE]
// - bare: `bareParse` over every rollout file of the home (the yardstick of issue 14, goal 3);
// - scan: `FileScan.scan` over the same files in the read-ahead thread's 8 MiB slices, its fold
//   states serialised as the worker posts them (what the read-ahead thread does, without SQLite);
//   then again with one run's notes (`FileScan.runNotes`), as a refresh scans: forks' copies of a
//   parent read earlier are taken from its scan;
// - SQLite: the documents of an index built from that home (`--index`, default the speed suite's)
//   written again into a fresh file as a cold build writes them (32 rows a statement, a
//   transaction per ~5,000 documents, full text deferred), then the closing FTS5 rebuild;
// - forks: the share of documents that are a fork's copy of its parent's (in order, same kind and
//   text), which a build that stores them once (schema 6) does not write; and the rows stored.
//   The SQLite part writes the rows the index stores.
// Whole-process figures are the speed suite's (`npm run bench -- speed`); these say which part to
// work on. The home defaults to the speed suite's generated 2 GiB one (`stats.mjs home(2 GiB)`).
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import * as FileScan from "@rollout/store/FileScan"
import { bareParse } from "./baseline.mjs"

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name)
  return at < 0 ? fallback : process.argv[at + 1]
}
const root = path.join(os.tmpdir(), "rollout-bench")
const home = arg("--home", path.join(root, "stats-home-v2-2147483648"))
const index = arg("--index", path.join(root, `speed-index-${path.basename(home)}.sqlite`))
const SPAN = 4_294_967_296

const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
const timed = async (f) => {
  const t0 = cpu()
  const value = await f()
  return { s: cpu() - t0, value }
}

const rollouts = () => {
  const out = []
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/^rollout-.*\.jsonl$/.test(e.name)) out.push(p)
    }
  }
  for (const d of ["sessions", "archived_sessions"]) if (fs.existsSync(path.join(home, d))) walk(path.join(home, d))
  return out.sort()
}

const scanAll = async (files, copies) => {
  let docs = 0
  for (const p of files) {
    let resume
    for (;;) {
      const s = await FileScan.scan(p, resume, undefined, copies === undefined ? { maxBytes: 8 << 20 } : { maxBytes: 8 << 20, copies })
      docs += s.docs.length
      const state = JSON.stringify(s.state)
      if (!s.partial) break
      resume = { offset: s.offset, headHash: s.headHash, state: JSON.parse(state) }
    }
  }
  return docs
}

/** The built index's documents written again into a fresh file, phase by phase. */
const sqlite = (rows) => {
  const out = path.join(root, "index-parts.sqlite")
  for (const s of ["", "-wal", "-shm"]) fs.rmSync(out + s, { force: true })
  const db = new Database(out)
  db.pragma("page_size = 16384")
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec(`CREATE TABLE doc_texts (id INTEGER PRIMARY KEY, offset INTEGER NOT NULL, line INTEGER NOT NULL,
    turn_index INTEGER, turn_id TEXT, kind TEXT NOT NULL, text TEXT NOT NULL);
    CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='doc_texts', content_rowid='id');`)
  const sql = (n) => `INSERT INTO doc_texts VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`
  const many = db.prepare(sql(32))
  const one = db.prepare(sql(1))
  const values = new Array(32 * 7)
  const t = { inserts: 0, commits: 0, rebuild: 0, rebuildCommit: 0 }
  for (let i = 0; i < rows.length; i += 5000) {
    const t0 = cpu()
    db.exec("BEGIN IMMEDIATE")
    const end = Math.min(rows.length, i + 5000)
    let j = i
    for (; j + 32 <= end; j += 32) {
      for (let k = 0; k < 32; k++) for (let c = 0; c < 7; c++) values[k * 7 + c] = rows[j + k][c]
      many.run(values)
    }
    for (; j < end; j++) one.run(rows[j])
    const t1 = cpu()
    db.exec("COMMIT")
    t.inserts += t1 - t0
    t.commits += cpu() - t1
  }
  const t0 = cpu()
  db.exec("BEGIN IMMEDIATE")
  db.exec(`INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', ${16 << 20})`)
  db.exec("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')")
  const t1 = cpu()
  db.exec("COMMIT")
  t.rebuild = t1 - t0
  t.rebuildCommit = cpu() - t1
  db.close()
  for (const s of ["", "-wal", "-shm"]) fs.rmSync(out + s, { force: true })
  return t
}

/** Documents of forks that repeat their parent's, in order (same kind and text). */
const forkCopies = (db) => {
  const source = db.prepare("SELECT id FROM doc_sources WHERE thread_id = ?")
  const docs = db.prepare("SELECT kind, text FROM docs WHERE id >= ? AND id < ? ORDER BY id")
  const of = (thread) => {
    const s = source.get(thread)
    return s === undefined ? [] : docs.all(s.id * SPAN, (s.id + 1) * SPAN)
  }
  let copied = 0
  const forks = db.prepare("SELECT id, forked_from_id FROM threads WHERE forked_from_id IS NOT NULL").all()
  for (const f of forks) {
    const own = of(f.id)
    const parent = of(f.forked_from_id)
    const first = parent[0]
    const start = first === undefined ? -1 : own.findIndex((d) => d.kind === first.kind && d.text === first.text)
    if (start < 0) continue
    let k = 0
    while (k < parent.length && own[start + k]?.text === parent[k].text && own[start + k]?.kind === parent[k].kind) k++
    copied += k
  }
  return { forks: forks.length, copied }
}

const files = rollouts()
if (files.length === 0 || !fs.existsSync(index)) {
  console.error(`needs a generated home (${home}) and an index built from it (${index}): run \`npm run bench -- speed\` first`)
  process.exit(2)
}
const bytes = files.reduce((n, p) => n + fs.statSync(p).size, 0)
const bare = await timed(() => files.reduce((n, p) => n + bareParse(p), 0))
const scan = await timed(() => scanAll(files))
const notes = FileScan.runNotes()
const scanNotes = await timed(() => scanAll(files, notes))
const built = new Database(index, { readonly: true })
const rows = built.prepare("SELECT id, offset, line, turn_index, turn_id, kind, text FROM doc_texts ORDER BY id").raw().all()
const forks = forkCopies(built)
// Every document, a fork's copy stored once (schema 6) counted in its fork too.
const total = built.prepare("SELECT count(*) AS n FROM docs").get().n
built.close()
const db = sqlite(rows)
const ratio = (s) => `${s.toFixed(2)} s  ${(s / bare.s).toFixed(2)}×`
console.log(`${files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB; CPU seconds and ratio to the bare loop`)
console.log(`  bare loop                ${ratio(bare.s)}`)
console.log(`  FileScan, 8 MiB slices   ${ratio(scan.s)}  (${scan.value} documents)`)
console.log(`  same, with the run's notes ${ratio(scanNotes.s)}  (${scanNotes.value} documents, ${notes.taken} forks' copies taken)`)
console.log(`  SQLite inserts           ${ratio(db.inserts)}`)
console.log(`  SQLite commits           ${ratio(db.commits)}`)
console.log(`  FTS5 rebuild + commit    ${ratio(db.rebuild + db.rebuildCommit)}`)
console.log(
  `  fork copies              ${forks.copied} of ${total} documents (${((100 * forks.copied) / total).toFixed(1)}%), ${forks.forks} forks; ${rows.length} rows stored`
)
