// A database pushed under schema version 1 (day buckets, no thread projects), upgraded: the next
// push migrates it to version 2, folds every file's statistics again without reading its search
// text twice, and the report equals the local one in any zone. The version 1 database is made by
// pushing, then putting the version 1 tables back as they were, so its files' rows are real.
// A version 2 database (no rollup) is filled by version 3 from its buckets, with no push at all. A
// version 3 database (no rollout bytes) gets every file's bytes from the next push, which reads no
// search text again.
import * as fs from "node:fs"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsQuery from "@rollout/query/StatsQuery"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as Migrations from "@rollout/team/Migrations"
import * as Team from "@rollout/team/Team"
import * as PgCluster from "./support/PgCluster.js"
import * as TeamChecks from "./support/TeamChecks.js"
import * as TeamHome from "./support/TeamHome.js"

let cluster: PgCluster.Cluster
let url: string
let home: string

beforeAll(async () => {
  cluster = await PgCluster.shared()
  url = await cluster.database("migration_test")
  home = TeamHome.generate({ sessions: 8, seed: 5, word: "quagmire" })
})
afterAll(() => {
  cluster?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)
const local = (by: StatsReport.By, window: StatsReport.Options) =>
  Effect.runPromise(StatsQuery.report({ paths: [home], by, window, codexHome: home, jobs: 1 }).pipe(Effect.provide(Files.layerNode))).then((a) => a.report)

/** The version 1 statistics tables, as that version created them, with one old-style day bucket per thread. */
const downgrade = () =>
  cluster.psql(
    "migration_test",
    `BEGIN;
     DROP TABLE file_bytes;
     ALTER TABLE files DROP COLUMN bytes_end;
     DROP TABLE stat_rollup;
     DROP TABLE stat_buckets;
     ALTER TABLE stat_threads DROP COLUMN cwd;
     CREATE TABLE stat_buckets (machine text NOT NULL, key text NOT NULL, day text COLLATE "C" NOT NULL, model text COLLATE "C" NOT NULL,
       input_tokens bigint NOT NULL, cached_input_tokens bigint NOT NULL, output_tokens bigint NOT NULL, reasoning_output_tokens bigint NOT NULL,
       total_tokens bigint NOT NULL, turns bigint NOT NULL, tool_calls bigint NOT NULL, errors bigint NOT NULL,
       PRIMARY KEY (machine, key, day, model), FOREIGN KEY (machine, key) REFERENCES stat_threads ON DELETE CASCADE);
     CREATE INDEX stat_buckets_day ON stat_buckets (day, model);
     INSERT INTO stat_buckets SELECT machine, key, '2026-06-01', 'gpt-5.2-codex', input_tokens, cached_input_tokens, output_tokens,
       reasoning_output_tokens, total_tokens, turns_started, tool_calls, errors FROM stat_threads;
     DELETE FROM schema_migrations WHERE version > 1;
     COMMIT;`
  )

describe("Migrations", () => {
  it("given a version 1 database, when a newer rollout pushes, then it migrates, refolds every file, reads no search text again and answers as locally", async () => {
    const first = await run(Team.sync(url, { home, machine: "m", jobs: 1 }))
    downgrade()
    expect(cluster.psql("migration_test", "SELECT max(version) FROM schema_migrations")).toBe("1")
    const again = await run(Team.sync(url, { home, machine: "m", jobs: 1 }))
    expect(cluster.psql("migration_test", "SELECT max(version) FROM schema_migrations")).toBe(String(Migrations.latest))
    expect(again).toMatchObject({ files: first.files, filesPushed: first.files, bytesRead: 0 })
    expect(cluster.psql("migration_test", "SELECT count(*) FROM docs")).not.toBe("0")
    for (const by of ["day", "project", "session"] as const) {
      const window = { timezone: "Pacific/Kiritimati" }
      const want = await local(by, window)
      const got = await run(Team.stats(url, { ...window, by }))
      expect(got.totals).toEqual(want.totals)
      expect(got.rows.map(({ machine: _m, ...r }) => r)).toEqual(want.rows)
      expect(got.days).toEqual(want.days)
    }
    expect(await run(Team.sync(url, { home, machine: "m", jobs: 1 }))).toMatchObject({ filesPushed: 0 })
    expect(TeamChecks.rollupDrift(cluster, "migration_test")).toBe("0")
  })

  it("given a version 2 database, when any command opens it, then version 3 fills the rollup from the buckets and the answers stay the local ones", async () => {
    cluster.psql(
      "migration_test",
      "BEGIN; DROP TABLE file_bytes; ALTER TABLE files DROP COLUMN bytes_end; DROP TABLE stat_rollup; ALTER TABLE stat_buckets DROP COLUMN quarter; DELETE FROM schema_migrations WHERE version > 2; COMMIT;"
    )
    const window = { timezone: "Asia/Kathmandu" }
    const got = await run(Team.stats(url, { ...window, by: "week" }))
    expect(cluster.psql("migration_test", "SELECT max(version) FROM schema_migrations")).toBe(String(Migrations.latest))
    expect(Number(cluster.psql("migration_test", "SELECT count(*) FROM stat_rollup"))).toBeGreaterThan(0)
    expect(TeamChecks.rollupDrift(cluster, "migration_test")).toBe("0")
    const want = await local("week", window)
    expect(got.totals).toEqual(want.totals)
    expect(got.rows).toEqual(want.rows)
    expect(got.days).toEqual(want.days)
  })
  it("given a version 3 database, when a push runs, then every file's bytes are pushed whole, no search text is read again, and the answers stay", async () => {
    cluster.psql(
      "migration_test",
      "BEGIN; DROP TABLE file_bytes; ALTER TABLE files DROP COLUMN bytes_end; DELETE FROM schema_migrations WHERE version > 3; COMMIT;"
    )
    const again = await run(Team.sync(url, { home, machine: "m", jobs: 1 }))
    expect(cluster.psql("migration_test", "SELECT max(version) FROM schema_migrations")).toBe("4")
    expect(again).toMatchObject({ filesPushed: again.files, bytesRead: 0 })
    const bytes = fs.readdirSync(home, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /^rollout-.*\.jsonl$/.test(e.name))
    const total = bytes.reduce((n, e) => n + fs.statSync(`${e.parentPath}/${e.name}`).size, 0)
    expect(Number(cluster.psql("migration_test", "SELECT sum(length) FROM file_bytes"))).toBe(total)
    expect(cluster.psql("migration_test", "SELECT count(*) FROM files WHERE bytes_end <> size")).toBe("0")
    const want = await local("day", {})
    const got = await run(Team.stats(url, { by: "day" }))
    expect(got.totals).toEqual(want.totals)
  })
})
