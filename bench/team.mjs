// Team store benchmark (issue 17) on a throw-away PostgreSQL cluster: `rollout sync` of a
// generated home of about 3,000 rollouts (300 with --quick) as files/s and MB/s, next to local
// `rollout stats` and `rollout index` over the same home in the same run (the reads a push is made
// of), the server-side size (pg_total_relation_size of every table, indexes and TOAST included),
// a second push (nothing changed), and `stats|ls|search --database` over 30,000 threads of ten
// machines (target: stats under a second). Those 30,000 threads are generated inside PostgreSQL
// with generate_series (pushing 30,000 files would take minutes here and measure the push again).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Team from "@rollout/team/Team"
import { Effect } from "effect"
import { runnerImport } from "vite"
import { best, mb, report } from "./report.mjs"

const conditions = ["source", "node", "import", "default"]
const load = async (file) =>
  (
    await runnerImport(new URL(file, import.meta.url).pathname, {
      configFile: false,
      logLevel: "error",
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: conditions } }
    })
  ).module
const PgCluster = await load("../packages/team/test/support/PgCluster.ts")
const StatsCorpus = await load("../packages/query/test/support/StatsCorpus.ts")

const bin = new URL("../packages/cli/bin/rollout.js", import.meta.url).pathname
const rollout = (...args) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 256 << 20 })
const seconds = (fn) => {
  const t0 = process.hrtime.bigint()
  const out = fn()
  return [Number(process.hrtime.bigint() - t0) / 1e9, out]
}

/** A home of `n` sessions of 1 to 6 random valid turns each (StatsCorpus), one a minute from 2026-03-01. */
const generate = (n) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-team-"))
  const rand = StatsCorpus.prng(7)
  for (let k = 0; k < n; k++) {
    const id = `0198f2a4-5b6c-7d8e-9f00-${String(k).padStart(12, "0")}`
    const at = Date.UTC(2026, 2, 1) + k * 60_000
    const w = new StatsCorpus.Writer(id, at + 1000)
    const lines = [StatsCorpus.sessionMeta(id, at)]
    for (let t = 1 + Math.floor(rand() * 6); t > 0; t--) lines.push(...w.turn(StatsCorpus.randomTurn(rand), " the parser fails on this input".repeat(8)))
    const d = new Date(at)
    const dir = path.join(home, "sessions", String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, StatsCorpus.fileName(id, at)), `${lines.join("\n")}\n`)
  }
  return home
}

const homeBytes = (dir) => {
  let n = 0
  let files = 0
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.startsWith("rollout-")) {
        n += fs.statSync(p).size
        files++
      }
    }
  }
  walk(dir)
  return { bytes: n, files }
}

const TABLES = [
  "files",
  "file_folds",
  "file_tools",
  "file_counts",
  "stat_threads",
  "stat_buckets",
  "stat_rollup",
  "threads",
  "names",
  "docs",
  "machines",
  "schema_migrations"
]
const serverSize = (cluster, db) => Number(cluster.psql(db, `SELECT ${TABLES.map((t) => `pg_total_relation_size('${t}')`).join(" + ")}`))

/** 30,000 threads of ten machines (one file each, three buckets of a quarter hour, model and tier, two tools, search text), made by the server. */
const SYNTHETIC = `
BEGIN;
INSERT INTO machines (name, home) SELECT 'machine-' || m, '/home/dev' || m FROM generate_series(1, 10) m;
INSERT INTO files (machine, path, archived, size, mtime_ms, list_id, stats_key, scan_offset, head_hash, lines, copied_lines, first_at, last_at, diagnostics)
  SELECT 'machine-' || (i % 10 + 1), '/home/s/rollout-' || i || '.jsonl', false, 40000, 1780000000000 + i * 1000, 'id-' || i, 'id-' || i, 40000, 'h', 120, 0,
    to_char(timestamp '2026-01-01' + (i % 365) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), to_char(timestamp '2026-01-01' + (i % 365) * interval '1 day' + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), 0
  FROM generate_series(1, 30000) i;
INSERT INTO file_tools SELECT 'machine-' || (i % 10 + 1), '/home/s/rollout-' || i || '.jsonl', t, 3, 1, 3, 900, 500 FROM generate_series(1, 30000) i, unnest(ARRAY['exec_command', 'apply_patch']) t;
INSERT INTO file_counts SELECT 'machine-' || (i % 10 + 1), '/home/s/rollout-' || i || '.jsonl', 'error', 'context_window_exceeded', 1 FROM generate_series(1, 30000) i WHERE i % 7 = 0;
INSERT INTO stat_threads SELECT 'machine-' || (i % 10 + 1), 'id-' || i, to_char(timestamp '2026-01-01' + (i % 365) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), 'cli', NULL, i % 20 = 0, NULL, 1, 120, 0,
    30000, 20000, 900, 300, 30900, 3, 3, 0, 0, 3, 9000, 4000, 6, (i % 7 = 0)::int, '/home/dev/proj' || (i % 40) FROM generate_series(1, 30000) i;
INSERT INTO stat_buckets SELECT 'machine-' || (i % 10 + 1), 'id-' || i,
    to_char(timestamp '2026-01-01' + (i % 365) * interval '1 day' + b * interval '8 hours' + (i % 96) * interval '15 minutes', 'YYYY-MM-DD"T"HH24:MI'),
    (ARRAY['gpt-5.2-codex', 'gpt-5.1-codex-mini', 'gpt-5.5'])[b + 1], CASE WHEN i % 9 = 0 THEN 'priority' ELSE '' END,
    10000, 6000, 300, 100, 10300, 1, 2, 0 FROM generate_series(1, 30000) i, generate_series(0, 2) b;
INSERT INTO stat_rollup SELECT machine, slot, model, tier, count(*), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(reasoning_output_tokens),
    sum(total_tokens), sum(turns), sum(tool_calls), sum(errors) FROM stat_buckets GROUP BY machine, slot, model, tier;
INSERT INTO threads SELECT 'machine-' || (i % 10 + 1), 'id-' || i, '/home/s/rollout-' || i || '.jsonl', '["/home/s/rollout-' || i || '.jsonl"]', 1767225600000 + i * 1000, 1780000000000 + i * 1000,
    'fix the build ' || i, '/home/dev/proj' || (i % 40), 'cli', 'openai', 'gpt-5.2-codex', 'medium', '0.169.0', 'codex_cli_rs', 'legacy', NULL, false, NULL, NULL, NULL, NULL, NULL FROM generate_series(1, 30000) i;
INSERT INTO docs (machine, path, byte_offset, seq, line, thread_id, turn_index, turn_id, kind, body)
  SELECT 'machine-' || (i % 10 + 1), '/home/s/rollout-' || i || '.jsonl', d * 100, 0, d + 2, 'id-' || i, d, NULL, CASE WHEN d = 0 THEN 'user' ELSE 'agent' END,
    'please look at module ' || md5(i::text || d) || ' the parser fails ' || (CASE WHEN i % 500 = 0 THEN 'kerfuffle ' ELSE '' END) || 'on line ' || i
  FROM generate_series(1, 30000) i, generate_series(0, 1) d;
COMMIT;
ANALYZE;`

/** A quarter of the generated year, in a zone ahead of UTC: the window walks a thread per bucket. */
const WINDOW = ["--timezone", "Asia/Tokyo", "--since", "2026-04-01", "--until", "2026-06-30"]

export const run = async ({ quick }) => {
  const cluster = await PgCluster.start()
  const home = generate(quick ? 300 : 3000)
  try {
    const url = await cluster.database("bench")
    const { bytes, files } = homeBytes(home)
    // Warm the page cache first, so the push and its baselines read the same cached bytes.
    rollout("stats", home, "--codex-home", home, "--json")
    const index = path.join(os.tmpdir(), `rollout-bench-team-${process.pid}.sqlite`)
    const [statsS] = seconds(() => rollout("stats", home, "--codex-home", home, "--json"))
    const [indexS] = seconds(() => rollout("index", "--codex-home", home, "--index", index, "--json"))
    fs.rmSync(index, { force: true })
    const [syncS, out] = seconds(() => JSON.parse(rollout("sync", "--database", url, "--codex-home", home, "--machine", "bench", "--json")))
    const [againS, again] = seconds(() => JSON.parse(rollout("sync", "--database", url, "--codex-home", home, "--machine", "bench", "--json")))
    if (out.filesPushed !== files || again.filesPushed !== 0) throw new Error(`unexpected push counts: ${JSON.stringify({ out, again })}`)
    const size = serverSize(cluster, "bench")
    report(
      `team sync of a generated home: ${files} rollout files, ${mb(bytes)} MB (whole process, one run each)`,
      ["", "seconds", "files/s", "MB/s"],
      [
        ["rollout stats over the home (baseline: the statistics fold alone)", statsS.toFixed(2), Math.round(files / statsS), mb(bytes / statsS)],
        ["rollout index, first build (baseline: the local SQLite index)", indexS.toFixed(2), Math.round(files / indexS), mb(bytes / indexS)],
        ["rollout sync --database, first push", syncS.toFixed(2), Math.round(files / syncS), mb(bytes / syncS)],
        ["rollout sync --database, second push (nothing changed)", againS.toFixed(2), "", ""],
        [`server-side size after the push: ${mb(size)} MB (${(size / bytes).toFixed(2)} × the rollouts)`, "", "", ""]
      ]
    )
    const big = await cluster.database("bench30k")
    rollout("stats", "--database", big, "--json") // migrates the empty database
    const [genS] = seconds(() => cluster.psql("bench30k", SYNTHETIC))
    const check = (name, stdout) => {
      if (name === "stats" && JSON.parse(stdout).totals.threads !== 30000) throw new Error("stats --database did not see 30,000 threads")
    }
    const times = await best(
      quick ? 2 : 3,
      {
        stats: () => rollout("stats", "--database", big, "--json"),
        statsByModel: () => rollout("stats", "--database", big, "--by", "model", "--json"),
        statsWindow: () => rollout("stats", "--database", big, ...WINDOW, "--by", "week", "--json"),
        statsProject: () => rollout("stats", "--database", big, "--timezone", "Asia/Tokyo", "--by", "project", "--json"),
        ls: () => rollout("ls", "--database", big, "--json"),
        search: () => rollout("search", "kerfuffle", "--database", big, "--json"),
        // The same report in this process: the database's share of the whole-process figure.
        inProcess: () => Effect.runPromise(Team.stats(big, { by: "day" }))
      },
      check
    )
    const [startS] = seconds(() => rollout("--version"))
    report(
      `answers from PostgreSQL over 30,000 threads of 10 machines (generated server-side in ${genS.toFixed(1)} s; ${mb(serverSize(cluster, "bench30k"))} MB), best of runs, whole process`,
      ["", "seconds", "target"],
      [
        ["rollout --version (baseline: process start-up)", startS.toFixed(2), ""],
        ["rollout stats --database (by day)", times.stats.toFixed(2), "< 1"],
        ["rollout stats --database --by model", times.statsByModel.toFixed(2), "< 1"],
        [`rollout stats --database ${WINDOW.join(" ")} --by week`, times.statsWindow.toFixed(2), "< 1"],
        ["rollout stats --database --timezone Asia/Tokyo --by project", times.statsProject.toFixed(2), "< 1"],
        ["  the stats report alone, in this process (connect, migrate check, queries)", times.inProcess.toFixed(2), ""],
        ["rollout ls --database (first page)", times.ls.toFixed(2), ""],
        ["rollout search --database (60,000 documents)", times.search.toFixed(2), ""]
      ]
    )
  } finally {
    cluster.stop()
    fs.rmSync(home, { recursive: true, force: true })
  }
}
