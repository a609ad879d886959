/**
 * Statistics over any set of rollouts, named as a user names them (files, folders, whole Codex
 * homes, thread ids): each name is expanded, a file named twice is read once, the files are folded
 * in parallel (`StatsPool`) and merged by thread (`StatsReport`). Names that match nothing become
 * `read_error` diagnostics at the head of the report. It prints nothing.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsReport from "@rollout/reduce/StatsReport"
import * as StatsCache from "./internal/StatsCache.js"
import * as StatsPool from "./StatsPool.js"

export interface Options {
  readonly paths: ReadonlyArray<string>
  readonly by: StatsReport.By
  /** Zone, date window and prices of the report (`StatsReport.Options`). */
  readonly window?: StatsReport.Options
  readonly codexHome: string
  readonly jobs: StatsPool.Options["jobs"]
  readonly onProgress?: (done: number, total: number) => void
  /**
   * Where to keep each file's statistics between runs (`StatsCache`), so that files unchanged
   * since an earlier run are not read again; none when undefined (and for files not on disk).
   */
  readonly cacheDir?: string
}

export interface Answer {
  readonly report: StatsReport.Report
  /** The names that matched nothing (also at the head of `report.diagnostics`). */
  readonly missing: ReadonlyArray<StatsFile.Diagnostic>
  /** Entries of a walked folder named like rollouts that are not files to read (a FIFO, a dangling link): said, not errors. */
  readonly skipped: ReadonlyArray<CodexHome.Skipped>
  /**
   * When nothing at all could be read (every name matched nothing and every file found failed as a
   * whole), the errors that say why, in report order: they are the whole answer, not a table of
   * zeros. Empty when anything was read.
   */
  readonly unread: ReadonlyArray<StatsFile.Diagnostic>
}

/** `report` as a plain promise over the given files, for a caller that runs no Effect (the CLI's quick stats path). */
export const run = async (files: Files.Shape, options: Options): Promise<Answer> => {
  const found: Array<string> = []
  const missing: Array<StatsFile.Diagnostic> = []
  const skipped: Array<CodexHome.Skipped> = []
  for (const arg of options.paths) {
    const expanded = await CodexHome.expand(files, arg, options.codexHome)
    if (expanded._tag === "NotFound") {
      missing.push({ path: arg, line: 0, kind: "read_error", message: expanded.message })
      continue
    }
    found.push(...expanded.paths)
    skipped.push(...expanded.skipped)
    for (const u of expanded.unreadable) missing.push({ path: u.path, line: 0, kind: "read_error", message: u.message })
  }
  // A home and a file inside it name the same file twice: count it once.
  const unique = [...new Set(found.map((p) => nodePath.resolve(p)))]
  const pool: StatsPool.Options = {
    files,
    paths: unique,
    codexHome: options.codexHome,
    jobs: options.jobs,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  }
  const stats = options.cacheDir !== undefined && Files.isNode(files) ? await cached(pool, options.cacheDir) : await StatsPool.run(pool)
  const merged = StatsReport.merge(stats, options.by, options.window ?? {})
  const diagnostics = [...missing, ...merged.diagnostics]
  return { report: { ...merged, diagnostics }, missing, skipped, unread: unreadOf(unique, diagnostics) }
}

/** The read errors, when every file failed as a whole (`Answer.unread`); none when any was read. */
const unreadOf = (paths: ReadonlyArray<string>, diagnostics: ReadonlyArray<StatsFile.Diagnostic>): ReadonlyArray<StatsFile.Diagnostic> => {
  const errors = diagnostics.filter((d) => d.kind === "read_error")
  const failed = new Set(errors.filter((d) => d.line === 0).map((d) => nodePath.resolve(d.path)))
  return errors.length > 0 && paths.every((p) => failed.has(p)) ? errors : []
}

/**
 * The code that makes the entries: the running module's file, rewritten by every build. Undefined
 * when it cannot be told: then nothing is kept, since entries of an unknown build could be stale.
 */
const build = (): string | undefined => {
  try {
    const s = fs.statSync(fileURLToPath(import.meta.url))
    return `${s.size}:${s.mtimeMs}`
  } catch {
    return undefined
  }
}

/** `StatsPool.run` reading only the files `StatsCache` has no current entry for, and keeping theirs. */
const cached = async (pool: StatsPool.Options, dir: string): Promise<Array<StatsFile.FileStats>> => {
  const by = build()
  if (by === undefined) return StatsPool.run(pool)
  const cache = StatsCache.load(StatsCache.fileIn(dir), by)
  const find = StatsPool.threadFinder(pool.files, StatsPool.indexOf(pool.paths), pool.codexHome)
  // Keys taken before reading: a file that grows meanwhile is read again next time.
  const keys = pool.paths.map(StatsCache.keyOf)
  const known = new Map<string, StatsFile.FileStats>()
  for (const [i, p] of pool.paths.entries()) {
    const hit = await StatsCache.lookup(cache, p, keys[i], find)
    if (hit !== undefined) known.set(p, hit)
  }
  const stats = await StatsPool.run({ ...pool, known })
  for (const [i, p] of pool.paths.entries()) if (!known.has(p)) await StatsCache.remember(cache, p, keys[i], stats[i] as StatsFile.FileStats, find)
  StatsCache.save(cache)
  return stats
}

export const report = (options: Options): Effect.Effect<Answer, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    return yield* Effect.promise(() => run(files, options))
  })
