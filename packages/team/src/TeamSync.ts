/**
 * `rollout sync`: pushes one Codex home into the team database under a machine name. Only what
 * changed since the last push is read: a file whose size, modification time and folder match its
 * row is skipped; a grown file's search text is read from its stored byte offset; its statistics
 * (`@rollout/query/StatsPool`, the very fold `rollout stats` runs, forks and segments included)
 * are folded again whole, since they are small and a fold cannot resume mid-file. Files then
 * commit a few dozen at a time (`FileWrite`), their new offsets with their facts, so a push killed
 * at any point loses nothing already committed and the next push neither repeats nor misses anything. Files gone
 * from the home are forgotten; thread names follow `session_index.jsonl`.
 */
import * as fs from "node:fs"
import type { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as StatsPool from "@rollout/query/StatsPool"
import * as FileWrite from "./internal/FileWrite.js"
import * as Names from "./internal/Names.js"
import * as TeamDatabase from "./TeamDatabase.js"
import type * as TeamError from "./TeamError.js"

export interface Options {
  readonly home: string
  readonly machine: string
  /** Worker threads for the statistics fold (`StatsPool`'s rule by default). */
  readonly jobs?: number | "auto"
  /** Files folded per round of statistics before their transactions (192). */
  readonly batchFiles?: number
  readonly onProgress?: (done: number, total: number) => void
}

export interface Result {
  readonly machine: string
  /** Rollout files in the home. */
  readonly files: number
  /** Files written to the database by this push (new or changed). */
  readonly filesPushed: number
  readonly filesRemoved: number
  readonly bytesRead: number
  readonly documents: number
  readonly namesChanged: boolean
}

/** The stored rows of a machine, as far as deciding what to read goes. */
const knownRows = async (db: TeamDatabase.Shape, machine: string) => {
  const rows = await db.query<{ path: string; size: number; mtime_ms: number; archived: boolean }>(
    "SELECT path, size, mtime_ms, archived FROM files WHERE machine = $1",
    [machine]
  )
  return new Map(rows.map((r) => [r.path, r]))
}

/** The listed files that differ from their rows (stat'ed now, before anything reads them). */
const changed = (listing: ReadonlyArray<CodexHome.RolloutFile>, known: Map<string, { size: number; mtime_ms: number; archived: boolean }>) => {
  const out: Array<FileWrite.Found> = []
  for (const file of listing) {
    const st = fs.statSync(file.path, { throwIfNoEntry: false })
    if (st === undefined) continue
    const found = { file, size: st.size, mtimeMs: Math.floor(st.mtimeMs) }
    if (!FileWrite.current(known.get(file.path), found)) out.push(found)
  }
  return out
}

/** Transactions in flight at once (the pool holds one connection more). */
const LANES = 3

/**
 * A transaction's share of files: enough that its dozen round trips are spread over many files,
 * few enough that a killed push redoes little and a statement's arrays stay small.
 */
const TX_FILES = 32
const TX_BYTES = 16 << 20

/** Consecutive runs of `files` within the transaction limits. */
const transactions = (files: ReadonlyArray<FileWrite.Item>): Array<Array<FileWrite.Item>> => {
  const out: Array<Array<FileWrite.Item>> = []
  let bytes = 0
  for (const f of files) {
    const last = out[out.length - 1]
    if (last === undefined || last.length >= TX_FILES || bytes + f.found.size > TX_BYTES) {
      out.push([f])
      bytes = f.found.size
    } else {
      last.push(f)
      bytes += f.found.size
    }
  }
  return out
}

const run = async (db: TeamDatabase.Shape, o: Options): Promise<Result> => {
  await db.query("INSERT INTO machines (name, home) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET home = excluded.home, last_sync_at = now()", [
    o.machine,
    o.home
  ])
  const listing = await CodexHome.rollouts(Files.node, o.home)
  const known = await knownRows(db, o.machine)
  const listed = new Set(listing.map((f) => f.path))
  let filesRemoved = 0
  for (const path of known.keys()) if (!listed.has(path) && (await db.transaction((tx) => FileWrite.remove(tx, o.machine, path)))) filesRemoved++
  const pending = changed(listing, known)
  const batch = o.batchFiles ?? 192
  let filesPushed = 0
  let bytesRead = 0
  let documents = 0
  let done = 0
  for (let i = 0; i < pending.length; i += batch) {
    const part = pending.slice(i, i + batch)
    const stats = await StatsPool.run({ files: Files.node, paths: part.map((f) => f.file.path), codexHome: o.home, jobs: o.jobs ?? "auto" })
    const items = part.flatMap((found, k) => {
      const fileStats = stats[k]
      return fileStats === undefined ? [] : [{ found, stats: fileStats }]
    })
    // A few transactions in flight at once: each waits mostly on the server's round trips. Their
    // locks are per file, then per thread, each set taken in one order, so they cannot deadlock.
    const queue = transactions(items)
    let next = 0
    const lane = async () => {
      for (let k = next++; k < queue.length; k = next++) {
        const files = queue[k] ?? []
        const w = await db.transaction((tx) => FileWrite.apply(tx, o.machine, files))
        filesPushed += w.written
        bytesRead += w.bytesRead
        documents += w.docs
        done += files.length
        o.onProgress?.(done, pending.length)
      }
    }
    await Promise.all(Array.from({ length: LANES }, lane))
  }
  const namesChanged = await db.transaction((tx) => Names.push(tx, o.machine, o.home))
  return { machine: o.machine, files: listing.length, filesPushed, filesRemoved, bytesRead, documents, namesChanged }
}

/** Pushes the home of `options` into the database. */
export const push = (options: Options): Effect.Effect<Result, TeamError.TeamError, TeamDatabase.TeamDatabase> => TeamDatabase.use((db) => run(db, options))
