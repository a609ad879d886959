/**
 * Writes that replace or create a file whole, made to survive a crash: the finished temporary
 * file is flushed to disk (fsync) before it is renamed into place, and the folder after, so a
 * power cut leaves either the old file or the complete new one, never an empty or half one. And
 * the temporary files a killed writer left behind (`<name>.tmp-<hex>`) are removed by the next
 * writer once they are old enough that no live writer can still own them; an interrupted process
 * (Ctrl-C, SIGTERM, a closed terminal) removes its own on the way out (`track`). Not a general file
 * service: it is the few steps every replacing writer (convert, fork --write, trim) shares.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"

/** A temporary file younger than this may belong to a writer still running. */
export const STALE_AFTER_MS = 60_000

/** The names replacing writers give their temporary files: `<target>.tmp-<hex>`. */
export const TEMP = /\.tmp-[0-9a-f]{6,}$/

/** Flushes the file at `path` to disk. */
export const syncFile = (path: string): void => {
  const fd = fs.openSync(path, "r+")
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Flushes a folder's entries (a rename in it) to disk, where the platform allows it. */
export const syncDir = (dir: string): void => {
  let fd: number
  try {
    fd = fs.openSync(dir, "r")
  } catch {
    return // a folder cannot be opened on some platforms (Windows): nothing more to do there
  }
  try {
    fs.fsyncSync(fd)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "EPERM" && code !== "EBADF") throw error
  } finally {
    fs.closeSync(fd)
  }
}

/** Renames the finished `temp` over `target` after flushing it, then flushes the folder. */
export const replace = (temp: string, target: string): void => {
  syncFile(temp)
  fs.renameSync(temp, target)
  syncDir(nodePath.dirname(target))
}

/**
 * Removes the temporary files in `dir` whose name matches `pattern` (default any `*.tmp-<hex>`) and
 * that were last written more than STALE_AFTER_MS before `now`: a killed writer's leftovers. Returns
 * the paths removed. Never fails: cleaning up is a courtesy, not part of the write.
 */
export const removeStale = (dir: string, pattern: RegExp = TEMP, now: number = Date.now()): Array<string> => {
  const removed: Array<string> = []
  let names: Array<string>
  try {
    names = fs.readdirSync(dir)
  } catch {
    return removed
  }
  for (const name of names) {
    if (!pattern.test(name)) continue
    const path = nodePath.join(dir, name)
    try {
      const st = fs.lstatSync(path)
      if (!st.isFile() || now - st.mtimeMs < STALE_AFTER_MS) continue
      fs.rmSync(path)
      removed.push(path)
    } catch {
      // gone meanwhile or not ours to remove
    }
  }
  return removed
}

/** Temporary files (or folders) being written now by this process. */
const inFlight = new Set<string>()
const SIGNALS: ReadonlyArray<NodeJS.Signals> = ["SIGINT", "SIGTERM", "SIGHUP"]

const onSignal = (signal: NodeJS.Signals): void => {
  for (const path of inFlight) fs.rmSync(path, { recursive: true, force: true })
  inFlight.clear()
  disarm()
  // Then the signal's own effect: the process ends as killed by it, unless someone else listens.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

const disarm = (): void => {
  for (const s of SIGNALS) process.off(s, onSignal)
}

/**
 * Marks `temp` (a file, or a folder of temporary files) as being written until the returned
 * function is called: if the process is interrupted in between, it is removed before the process ends.
 */
export const track = (temp: string): (() => void) => {
  if (inFlight.size === 0) for (const s of SIGNALS) process.on(s, onSignal)
  inFlight.add(temp)
  return () => {
    if (inFlight.delete(temp) && inFlight.size === 0) disarm()
  }
}
