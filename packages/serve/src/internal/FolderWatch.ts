/**
 * A watch on folder trees with one watcher per folder, not per file. Node 20's recursive
 * `fs.watch` on Linux stats and watches every file of the tree synchronously as it starts (over a
 * second on a home of 3,000 rollouts, with the server answering nothing meanwhile) and again as it
 * closes; a folder's own watcher already reports changes to the files in it. Folders are found
 * asynchronously, one at a time, so starting never holds up an answer; a folder that appears later
 * is watched when its parent reports it. Roots that do not exist are left to the caller's poll.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"

export interface FolderWatch {
  /** Resolves to whether every root (or, for a root not made yet, its parent) is watched. */
  readonly started: Promise<boolean>
  readonly close: () => void
}

export const make = (roots: ReadonlyArray<string>, onChange: () => void): FolderWatch => {
  const watchers = new Map<string, fs.FSWatcher>()
  let closed = false

  const forget = (dir: string) => {
    watchers.get(dir)?.close()
    watchers.delete(dir)
  }

  /** A name in `dir` appeared or went: watch it if it is a new folder, forget it if it is gone. */
  const renamed = (dir: string, name: string) => {
    const path = nodePath.join(dir, name)
    fs.promises.stat(path).then(
      (s) => (s.isDirectory() ? add(path) : undefined),
      () => forget(path)
    )
  }

  /** Watches `dir` (only its own entries when `shallow`), then its sub-folders; false when it cannot. */
  const add = async (dir: string, shallow = false): Promise<boolean> => {
    if (closed || watchers.has(dir)) return !closed
    try {
      const w = fs.watch(dir, (event, name) => {
        if (name === null) return onChange()
        if (shallow && !roots.includes(nodePath.join(dir, String(name)))) return
        onChange()
        if (event === "rename") renamed(dir, String(name))
      })
      w.on("error", () => forget(dir))
      watchers.set(dir, w)
      if (!shallow) for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await add(nodePath.join(dir, e.name))
      return true
    } catch {
      // Gone, or not a folder we may read: the caller's poll still finds changes.
      return false
    }
  }

  /** A root, or its parent until the root is made (then its rename event adds it). */
  const root = async (dir: string): Promise<boolean> => (await add(dir)) || (await add(nodePath.dirname(dir), true))

  const started = (async () => {
    let all = roots.length > 0
    for (const r of roots) all = (await root(r)) && all
    return all
  })()
  return {
    started,
    close: () => {
      closed = true
      for (const w of watchers.values()) w.close()
      watchers.clear()
    }
  }
}
