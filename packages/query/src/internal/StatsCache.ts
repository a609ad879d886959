/**
 * Each file's statistics (`StatsFile.FileStats`, bucketed by UTC quarter hour, so one entry
 * serves every zone and window) kept between runs in one JSON file in the user's cache folder,
 * so a second `rollout stats` over a home reads only the files that changed. An entry holds while
 * the file system says its file, and the files of the thread it forked from (a legacy fork's copy
 * is matched against them), are the ones it was made from: same size, modification and change
 * times, and inode. Rollouts only grow or are replaced, and either changes that key. It is a
 * projection: a missing, stale or unreadable cache file only costs reading the rollouts again.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import type * as StatsFile from "@rollout/reduce/StatsFile"

/** Bumped whenever a `FileStats` could differ for the same bytes (a fold or reader change). */
const FORMAT = 1

/** What the file system says of a file; a different key means different bytes may be behind it. */
export type Key = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number]

interface Entry {
  readonly key: Key
  /** The parent threads' ids and the files they were found in when the entry was made, with their keys. */
  readonly deps: ReadonlyArray<readonly [id: string, files: ReadonlyArray<readonly [string, Key]>]>
  readonly stats: StatsFile.FileStats
}

interface Saved {
  readonly format: number
  readonly build: string
  readonly entries: Record<string, Entry>
}

/** Finds a thread's files, as the scan does (inputs first, then the Codex home). */
export type Find = (id: string) => Promise<ReadonlyArray<string>>

export const keyOf = (path: string): Key | undefined => {
  try {
    const s = fs.statSync(path)
    return s.isFile() ? [s.size, s.mtimeMs, s.ctimeMs, s.ino] : undefined
  } catch {
    return undefined
  }
}

const sameKey = (a: Key | undefined, b: Key): boolean => a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]

/** The ids of the threads a file's statistics were read against (a fork's parent). */
const parentIds = (stats: StatsFile.FileStats): ReadonlyArray<string> => {
  const t = stats.thread
  if (t === null) return []
  return [...new Set([t.historyBase?.threadId, t.forkedFromId].filter((id): id is string => typeof id === "string"))]
}

const depsOf = async (path: string, stats: StatsFile.FileStats, find: Find): Promise<Entry["deps"] | undefined> => {
  const deps: Array<readonly [string, ReadonlyArray<readonly [string, Key]>]> = []
  for (const id of parentIds(stats)) {
    const files: Array<readonly [string, Key]> = []
    for (const p of await find(id)) {
      if (p === path) continue
      const key = keyOf(p)
      if (key === undefined) return undefined
      files.push([p, key])
    }
    deps.push([id, files])
  }
  return deps
}

/** The cache of one run: entries read at the start, the ones made during it, saved at the end. */
export interface Cache {
  readonly file: string
  readonly build: string
  readonly entries: Map<string, Entry>
  /** The paths this run looked up: the others are kept only while their files exist. */
  readonly used: Set<string>
  /** Whether this run made entries: an unchanged cache is not written again. */
  dirty: boolean
}

/** The cache file in `dir`: one for all homes, since entries are keyed by absolute path. */
export const fileIn = (dir: string): string => nodePath.join(dir, `stats-v${FORMAT}.json`)

/**
 * `build` names the code that made the entries (the running module's own file size and time): a
 * rebuilt reader or fold never trusts its predecessor's entries.
 */
export const load = (file: string, build: string): Cache => {
  const entries = new Map<string, Entry>()
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Saved
    if (saved.format === FORMAT && saved.build === build) for (const [p, e] of Object.entries(saved.entries)) entries.set(p, e)
  } catch {
    // Missing or unreadable: start empty.
  }
  return { file, build, entries, used: new Set(), dirty: false }
}

/** The stored statistics of `path` when its file and its parents' files are unchanged. */
export const lookup = async (cache: Cache, path: string, key: Key | undefined, find: Find): Promise<StatsFile.FileStats | undefined> => {
  cache.used.add(path)
  const entry = cache.entries.get(path)
  if (entry === undefined || key === undefined || !sameKey(key, entry.key)) return undefined
  for (const [id, files] of entry.deps) {
    const now = (await find(id)).filter((p) => p !== path)
    if (now.length !== files.length) return undefined
    for (let i = 0; i < now.length; i++) {
      const [p, k] = files[i] as readonly [string, Key]
      if (now[i] !== p || !sameKey(keyOf(p), k)) return undefined
    }
  }
  return entry.stats
}

/**
 * Records the statistics just read from `path`; `key` is the file's key taken before reading it,
 * so a file that grew meanwhile is read again next time rather than trusted for bytes not read.
 */
export const remember = async (cache: Cache, path: string, key: Key | undefined, stats: StatsFile.FileStats, find: Find): Promise<void> => {
  if (key === undefined || stats.diagnostics.some((d) => d.kind === "read_error")) return
  const deps = await depsOf(path, stats, find)
  if (deps === undefined) return
  cache.entries.set(path, { key, deps, stats })
  cache.dirty = true
}

/** Writes the cache whole (a temporary file renamed over it: readers see the old or the new one). */
export const save = (cache: Cache): void => {
  if (!cache.dirty) return
  try {
    fs.mkdirSync(nodePath.dirname(cache.file), { recursive: true })
    const temp = `${cache.file}.tmp-${crypto.randomBytes(6).toString("hex")}`
    const kept = [...cache.entries].filter(([p]) => cache.used.has(p) || fs.existsSync(p))
    const saved: Saved = { format: FORMAT, build: cache.build, entries: Object.fromEntries(kept) }
    try {
      fs.writeFileSync(temp, JSON.stringify(saved))
      fs.renameSync(temp, cache.file)
    } catch (error) {
      fs.rmSync(temp, { force: true })
      throw error
    }
  } catch {
    // A cache that cannot be written costs the next run its speed, not its answer.
  }
}
