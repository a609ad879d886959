// A pushed home read back through `TeamFiles` must be the home on disk as the log's `Files` service
// sees it: the same rollout listing, the same bytes whole and at any range, the same names, and
// the same thread rebuilt by `HistoryRead`. After an append only the new pieces are written; after
// a rewrite of a file's head its pieces are replaced; either way the bytes are the file's again.
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as HistoryRead from "@rollout/query/HistoryRead"
import * as Team from "@rollout/team/Team"
import * as TeamFiles from "@rollout/team/TeamFiles"
import * as PgCluster from "./support/PgCluster.js"
import * as TeamHome from "./support/TeamHome.js"

let cluster: PgCluster.Cluster
let url: string
let home: string

beforeAll(async () => {
  cluster = await PgCluster.shared()
  url = await cluster.database("files_test")
  home = TeamHome.generate({ sessions: 8, seed: 41, word: "bytewise" })
}, 120_000)
afterAll(() => {
  cluster?.stop()
  if (home !== undefined) fs.rmSync(home, { recursive: true, force: true })
})

const push = () => Effect.runPromise(Team.sync(url, { home, machine: "m1", jobs: 1 }))

/** Runs `work` on the machine's pushed home. */
const pushed = <A>(work: (h: TeamFiles.Home) => Promise<A>): Promise<A> =>
  Effect.runPromise(
    Team.open(url, async (db) => {
      const h = await TeamFiles.open(db, "m1")
      if (h === undefined) throw new Error("machine m1 was not pushed")
      return work(h)
    })
  )

const whole = async (files: Files.Shape, path: string): Promise<Buffer> => {
  const parts: Array<Buffer> = []
  for await (const c of files.chunks(path)) parts.push(Buffer.from(c))
  return Buffer.concat(parts)
}

/** A deterministic walk of ranges over every file: starts, lengths and piece boundaries. */
const ranges = (size: number): Array<readonly [number, number]> => {
  const out: Array<readonly [number, number]> = [
    [0, 1],
    [0, size],
    [Math.max(0, size - 7), 100],
    [size, 10]
  ]
  let x = size * 2654435761
  for (let i = 0; i < 12; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    out.push([x % Math.max(1, size), 1 + (x % 70000)])
  }
  return out
}

const readRange = (h: TeamFiles.Home, path: string, at: number, n: number) => (h.files.read as NonNullable<Files.Shape["read"]>)(path, at, n)

const sameAsDisk = async (h: TeamFiles.Home): Promise<number> => {
  const local = await CodexHome.rollouts(Files.node, home)
  expect(await CodexHome.rollouts(h.files, h.home)).toEqual(local)
  for (const f of local) {
    const disk = fs.readFileSync(f.path)
    expect((await h.files.stat(f.path)).size).toBe(disk.length)
    expect((await whole(h.files, f.path)).equals(disk)).toBe(true)
    // Compared as bytes: a deep equality of megabyte buffers would cost more than the reads.
    for (const [at, n] of ranges(disk.length))
      expect(Buffer.from(await readRange(h, f.path, at, n)).equals(disk.subarray(at, at + n)), `${f.path} ${at}+${n}`).toBe(true)
  }
  return local.length
}

const history = (files: Files.Shape, path: string, at: string) =>
  Effect.runPromise(
    HistoryRead.read(path, at).pipe(
      Effect.provide(
        Layer.mergeAll(
          Layer.succeed(Files.Files, files),
          Diagnostics.layer(() => {})
        )
      )
    )
  )

const pieces = () => Number(cluster.psql("files_test", "SELECT count(*) FROM file_bytes"))

describe("TeamFiles", () => {
  it("given a pushed home, then its listing, bytes, ranges, names and rebuilt threads are the disk's", async () => {
    await push()
    await pushed(async (h) => {
      expect(h.home).toBe(home)
      expect(await sameAsDisk(h)).toBeGreaterThan(8)
      for (const f of await CodexHome.rollouts(Files.node, home)) {
        expect(await history(h.files, f.path, h.home)).toEqual(await history(Files.node, f.path, home))
        const names = await Promise.all([CodexHome.threadName(h.files, h.home, f.id), CodexHome.threadName(Files.node, home, f.id)])
        expect(names[0]).toBe(names[1])
      }
      await expect(h.files.stat(nodePath.join(home, "sessions", "nope.jsonl"))).rejects.toThrow(/ENOENT/)
    })
  }, 60_000)

  it("given an appended file, then only new pieces are written; given a rewritten head, then the file's pieces are replaced", async () => {
    await push()
    const target = (await CodexHome.rollouts(Files.node, home)).find((f) => f.path.endsWith(".jsonl") && !f.archived)?.path as string
    const lines = fs.readFileSync(target, "utf8").trimEnd().split("\n")
    const before = pieces()
    // More than a piece (1 MiB), so the append spans pieces.
    let grown = ""
    while (grown.length < 1_500_000) grown += `${lines.slice(1).join("\n")}\n`
    fs.appendFileSync(target, grown)
    await push()
    expect(pieces()).toBe(before + 2)
    await pushed(async (h) => {
      await sameAsDisk(h)
      expect(Buffer.from(await readRange(h, target, 1_000_000, 200_000)).equals(fs.readFileSync(target).subarray(1_000_000, 1_200_000))).toBe(true)
    })
    fs.writeFileSync(target, fs.readFileSync(target, "utf8").replace('"type":"session_meta"', '"type":"session_meta" '))
    await push()
    await pushed(sameAsDisk)
    expect(Number(cluster.psql("files_test", "SELECT count(*) FROM files WHERE bytes_end <> size"))).toBe(0)
  }, 60_000)
})
