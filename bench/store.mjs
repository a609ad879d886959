// Index benchmark on a generated Codex home of 10,000 rollouts (1,000 with --quick): first index
// build, `ls` first page, refresh after 10 new files, full-text search, and how many `ls` runs an
// append to the least recently updated thread takes to show (the bounded check's freshness rule).
// Each figure is printed next to the same operation done without the index (walking and reading
// the files) in the same run, and next to its target (issue 6) where there is one.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as AppendCheck from "@rollout/store/AppendCheck"
import * as Store from "@rollout/store/Store"
import { bareParse } from "./baseline.mjs"
import { prng, sessionMeta, turnLines } from "./corpus.mjs"
import { report } from "./report.mjs"

const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1)
const p2 = (n) => String(n).padStart(2, "0")
const idOf = (i) =>
  `0198f2a4-${p2(Math.floor(i / 1e8) % 100)}${p2(Math.floor(i / 1e6) % 100)}-7${String(Math.floor(i / 1e3) % 1000).padStart(3, "0")}-8${String(i % 1000).padStart(3, "0")}-${String(i).padStart(12, "0")}`

const rolloutPath = (home, id, ms) => {
  const d = new Date(ms)
  const [y, mo, day] = [d.getUTCFullYear(), p2(d.getUTCMonth() + 1), p2(d.getUTCDate())]
  const stamp = `${y}-${mo}-${day}T${p2(d.getUTCHours())}-${p2(d.getUTCMinutes())}-${p2(d.getUTCSeconds())}`
  return path.join(home, "sessions", String(y), mo, day, `rollout-${stamp}-${id}.jsonl`)
}

/** Writes rollout number `i` (1 to 3 turns, a few KB) and returns its path. */
const writeRollout = (home, i, ms) => {
  const rand = prng(i + 1)
  const id = idOf(i)
  const clock = { ms }
  const lines = [sessionMeta(id, ms)]
  const turns = 1 + Math.floor(rand() * 3)
  for (let t = 1; t <= turns; t++) for (const l of turnLines(rand, t, clock)) lines.push(l)
  // A rare word (one rollout in 500) for a selective search; the generated vocabulary is tiny, so
  // any phrase of it matches nearly every document (the worst case, measured too).
  if (i % 500 === 7)
    lines.push(
      `{"timestamp":"${new Date(clock.ms).toISOString()}","type":"event_msg","payload":{"type":"agent_message","message":"the kerfuffle in module ${i} is fixed","memory_citation":null}}`
    )
  const file = rolloutPath(home, id, ms)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${lines.join("\n")}\n`)
  fs.utimesSync(file, clock.ms / 1000, clock.ms / 1000)
  return file
}

/** A Codex home of `n` rollouts spread over a year (reused between runs when complete). */
const home = (n) => {
  const dir = path.join(os.tmpdir(), `rollout-bench-store-v2-${n}`)
  const done = path.join(dir, ".complete")
  if (fs.existsSync(done)) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  for (let i = 0; i < n; i++) writeRollout(dir, i, START + Math.floor((i * 365 * DAY) / n) + (i % 7))
  const names = Array.from({ length: Math.floor(n / 20) }, (_, k) =>
    JSON.stringify({ id: idOf(k * 20), thread_name: `named thread ${k}`, updated_at: new Date(START).toISOString() })
  )
  fs.writeFileSync(path.join(dir, "session_index.jsonl"), `${names.join("\n")}\n`)
  fs.writeFileSync(done, "")
  return dir
}

const time = async (fn) => {
  globalThis.gc?.()
  const t0 = process.hrtime.bigint()
  const result = await fn()
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, result }
}

const bestOf = async (reps, fn) => {
  let best = Infinity
  let result
  for (let i = 0; i < reps; i++) {
    const r = await time(fn)
    if (r.s < best) [best, result] = [r.s, r.result]
  }
  return { s: best, result }
}

const ms = (s) => `${(s * 1000).toFixed(1)} ms`

// --- The baselines: the same answers from the files, without an index. ---

/** Every rollout of the home, read whole (what building anything content-based from files costs). */
const readAll = async (dir) => {
  let lines = 0
  for (const f of await CodexHome.rollouts(Files.node, dir)) lines += bareParse(f.path)
  return lines
}

/** The first line with a user message in the first KBs of a file (a file-system listing's head read). */
const head = (file) => {
  const fd = fs.openSync(file, "r")
  const buf = Buffer.alloc(16384)
  const n = fs.readSync(fd, buf, 0, buf.length, 0)
  fs.closeSync(fd)
  const lines = buf.toString("utf8", 0, n).split("\n")
  const meta = JSON.parse(lines[0])
  const user = lines.find((l) => l.includes('"type":"user_message"'))
  return { id: meta.payload.id, createdAt: meta.payload.timestamp, preview: user === undefined ? "" : JSON.parse(user).payload.message }
}

/**
 * `ls` without an index, as Codex's file-system listing does it: by creation, walk the folders and
 * sort by the time in the file names; by update, stat every file and sort by mtime; then read the
 * heads of the first page.
 */
const lsWithoutIndex = async (dir, limit, key) => {
  const found = await CodexHome.rollouts(Files.node, dir)
  const files =
    key === "created_at"
      ? found.map((f) => ({ path: f.path, k: f.stamp + f.id })).sort((a, b) => (a.k < b.k ? 1 : -1))
      : found.map((f) => ({ path: f.path, k: fs.statSync(f.path).mtimeMs })).sort((a, b) => b.k - a.k)
  return files.slice(0, limit).map((f) => head(f.path))
}

/** Search without an index: read every file and test each message, call and output. */
const searchWithoutIndex = async (dir, words) => {
  const re = new RegExp(`\\b${words.join("\\W+")}`, "i")
  let hits = 0
  for (const f of await CodexHome.rollouts(Files.node, dir)) {
    bareParse(f.path, (v) => {
      const p = v.payload
      const text =
        p?.type === "user_message" || p?.type === "agent_message"
          ? p.message
          : p?.type === "function_call"
            ? p.arguments
            : p?.type === "function_call_output"
              ? p.output
              : undefined
      if (typeof text === "string" && re.test(text)) hits++
    })
  }
  return hits
}

export const run = async ({ quick }) => {
  const n = quick ? 1000 : 10_000
  const reps = quick ? 2 : 3
  const dir = home(n)
  const index = path.join(os.tmpdir(), `rollout-bench-store-v2-${n}.sqlite`)
  const files = (await CodexHome.rollouts(Files.node, dir)).length

  // First build: an empty index, every file read once.
  const buildBase = await bestOf(reps, () => readAll(dir))
  const build = await bestOf(quick ? 1 : 2, async () => {
    const store = Store.open({ home: dir, path: index, rebuild: true })
    const r = await store.refresh()
    store.close()
    return r
  })
  if (build.result.filesRead !== files) throw new Error(`indexed ${build.result.filesRead} of ${files} files`)

  // ls, first page: open the index, check the files for changes, query (what `rollout ls` does).
  const lsWith = (sortKey, refresh) => async () => {
    const store = Store.open({ home: dir, path: index })
    const page = await store.list({ limit: 25, sortKey }, refresh)
    store.close()
    return page
  }
  const ls = {}
  for (const key of ["created_at", "updated_at"]) {
    const indexed = await bestOf(reps + 2, lsWith(key, {}))
    const query = await bestOf(reps + 2, lsWith(key, false))
    const base = await bestOf(reps, () => lsWithoutIndex(dir, 25, key))
    if (JSON.stringify(indexed.result.data.map((t) => t.id)) !== JSON.stringify(base.result.map((t) => t.id)))
      throw new Error(`ls ${key}: the index and the files disagree on the first page`)
    ls[key] = { indexed, query, base }
  }

  // Refresh after 10 new files (removed again afterwards, so the home stays as generated), at the
  // three depths: changed folders (`ls` by creation), changed folders plus the bounded append
  // check (`ls` by update, `search`), every file stat'ed (`rollout index`). Folder times are set an
  // hour back first: the index distrusts folder times younger than 2 s, which a new file gives.
  const refreshOnce = async (scope, k0) => {
    const added = Array.from({ length: 10 }, (_, k) => writeRollout(dir, n + k0 + k, START + 366 * DAY + (k0 + k) * 1000))
    const folders = [...new Set(added.map((f) => path.dirname(f)))]
    for (const d of folders)
      for (let x = d; x.startsWith(dir) && x !== dir; x = path.dirname(x))
        fs.utimesSync(x, (Date.now() - 3_600_000 + k0) / 1000, (Date.now() - 3_600_000 + k0) / 1000)
    const r = await time(async () => {
      const store = Store.open({ home: dir, path: index })
      const result = await store.refresh({ scope })
      store.close()
      return result
    })
    if (r.result.filesRead !== 10) throw new Error(`${scope} refresh read ${r.result.filesRead} files, expected 10`)
    for (const f of added) fs.rmSync(f)
    const store = Store.open({ home: dir, path: index })
    await store.refresh()
    store.close()
    return r
  }
  const settle = Store.open({ home: dir, path: index })
  await settle.refresh()
  settle.close()
  const refreshes = []
  for (const [scope, label] of [
    ["changed-dirs", "changed folders, as ls by created_at"],
    ["quick", "bounded check, as ls by updated_at and search"],
    ["all", "every file stat'ed, as rollout index"]
  ]) {
    let best = Infinity
    for (let rep = 0; rep < reps; rep++) best = Math.min(best, (await refreshOnce(scope, 100 * refreshes.length + 20 * rep)).s)
    refreshes.push({ label, s: best })
  }
  const unchangedFull = await bestOf(reps, async () => {
    const store = Store.open({ home: dir, path: index })
    const r = await store.refresh()
    store.close()
    return r
  })
  const refreshBase = await bestOf(reps, () => readAll(dir))

  // The freshness rule at work: append a turn to the least recently updated thread, then count the
  // `ls --sort-key updated_at` runs until it tops the list (the file is restored afterwards).
  const oldest = rolloutPath(dir, idOf(0), START)
  const before = { size: fs.statSync(oldest).size, mtime: fs.statSync(oldest).mtime }
  const clock = { ms: START + 400 * DAY }
  fs.appendFileSync(oldest, `${[...turnLines(prng(7), 9, clock)].join("\n")}\n`)
  fs.utimesSync(oldest, clock.ms / 1000, clock.ms / 1000)
  let runs = 0
  let seen = false
  while (!seen && runs < 1000) {
    runs++
    const store = Store.open({ home: dir, path: index })
    seen = (await store.list({ limit: 1, sortKey: "updated_at" })).data[0]?.id === idOf(0)
    store.close()
  }
  fs.truncateSync(oldest, before.size)
  fs.utimesSync(oldest, before.mtime, before.mtime)
  const restore = Store.open({ home: dir, path: index })
  await restore.refresh()
  restore.close()
  const worstRuns = Math.ceil(files / AppendCheck.DEFAULT_BUDGET.minFiles)

  // Search: a phrase of the generated vocabulary (matches nearly everything) and a rare word.
  const searches = []
  for (const words of [["lazy", "dog"], ["kerfuffle"]]) {
    const indexed = await bestOf(reps + 2, async () => {
      const store = Store.open({ home: dir, path: index })
      const hits = await store.search({ text: words.join(" "), limit: 20 })
      store.close()
      return hits
    })
    const query = await bestOf(reps + 2, async () => {
      const store = Store.open({ home: dir, path: index })
      const hits = await store.search({ text: words.join(" "), limit: 20 }, false)
      store.close()
      return hits
    })
    const base = await bestOf(reps, () => searchWithoutIndex(dir, words))
    if (indexed.result.length === 0 || base.result === 0) throw new Error(`search ${words.join(" ")} found nothing`)
    searches.push({ words, indexed, query, base })
  }

  const ratio = (base, x) => `${(base / x).toFixed(1)}x`
  const target = (s, limitMs) => `< ${limitMs} ms: ${s * 1000 < limitMs ? "met" : "MISSED"}`
  report(
    `Index of ${n.toLocaleString("en-US")} rollouts (${(fs.statSync(index).size / 1e6).toFixed(0)} MB index)`,
    ["operation", "with the index", "without (walk the files)", "speed-up", "target"],
    [
      [
        "first index build",
        `${Math.round(files / build.s)} files/s`,
        `${Math.round(files / buildBase.s)} files/s (read all)`,
        ratio(buildBase.s, build.s),
        "-"
      ],
      ...["created_at", "updated_at"].flatMap((key) => [
        [
          `ls first page by ${key} (file check + query)`,
          ms(ls[key].indexed.s),
          ms(ls[key].base.s),
          ratio(ls[key].base.s, ls[key].indexed.s),
          target(ls[key].indexed.s, 20)
        ],
        [`ls first page by ${key} (query only)`, ms(ls[key].query.s), ms(ls[key].base.s), ratio(ls[key].base.s, ls[key].query.s), "-"]
      ]),
      ...refreshes.map((r) => [`refresh after 10 new files (${r.label})`, ms(r.s), ms(refreshBase.s), ratio(refreshBase.s, r.s), target(r.s, 200)]),
      [
        "refresh of an unchanged home (every file stat'ed, as rollout index)",
        ms(unchangedFull.s),
        ms(refreshBase.s),
        ratio(refreshBase.s, unchangedFull.s),
        "-"
      ],
      ...searches.flatMap(({ words, indexed, query, base }) => [
        [`search "${words.join(" ")}" (top 20 of ${base.result}; bounded check + query)`, ms(indexed.s), ms(base.s), ratio(base.s, indexed.s), "-"],
        [`search "${words.join(" ")}" (query only)`, ms(query.s), ms(base.s), ratio(base.s, query.s), "-"]
      ])
    ]
  )
  console.log(
    `  freshness: an append to the least recently updated thread topped ls --sort-key updated_at after ${seen ? runs : "more than 1000"} run${runs === 1 ? "" : "s"} (rule: at most ${worstRuns} = ceil(${files} files / ${AppendCheck.DEFAULT_BUDGET.minFiles}); at once after rollout index)`
  )
  console.log(`  load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`)
}
