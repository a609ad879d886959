/**
 * The server following its home: while a page listens, a watch on the rollout folders (and a poll
 * beside it, for file systems that do not report changes) refreshes the index the bounded way a
 * listing does, compares each thread's update instant with the last look, and tells every
 * listener which threads appeared or grew. One refresh runs at a time; nothing runs while no page
 * listens.
 */
import * as fs from "node:fs"
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"

export interface Options {
  readonly source: ThreadSource.ThreadSource
  readonly report: (text: string) => void
  /** How often to look without a watch event (default 1000 ms). */
  readonly pollMs?: number
}

export interface LiveFeed {
  /** Starts following the home if nobody was; returns the unsubscribe. */
  readonly subscribe: (listener: (change: Api.LiveChange) => void) => () => void
  readonly close: () => void
}

export const make = (options: Options): LiveFeed => {
  const listeners = new Set<(change: Api.LiveChange) => void>()
  let seen: Map<string, string> | undefined
  let running = false
  let again = false
  let timer: NodeJS.Timeout | undefined
  let soon: NodeJS.Timeout | undefined
  let watchers: Array<fs.FSWatcher> = []

  const look = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      await options.source.refresh()
      const now = await options.source.changes()
      const before = seen
      seen = now
      if (before === undefined) return
      const threads = [...now].filter(([id, u]) => before.get(id) !== u).map(([id]) => id)
      if (threads.length > 0) for (const l of listeners) l({ threads })
    } catch (e) {
      options.report(`rollout serve: live refresh: ${e instanceof Error ? e.message : String(e)}\n`)
    } finally {
      running = false
      if (again) {
        again = false
        void look()
      }
    }
  }

  // A burst of writes (a turn's lines) makes one look, shortly after the first.
  const nudge = () => {
    if (soon === undefined) soon = setTimeout(() => ((soon = undefined), void look()), 50)
  }

  const start = () => {
    seen = undefined
    void look()
    for (const dir of options.source.watched) {
      try {
        watchers.push(fs.watch(dir, { recursive: true }, nudge))
      } catch {
        // No such folder yet, or no recursive watch here: the poll finds the changes.
      }
    }
    timer = setInterval(nudge, options.pollMs ?? 1000)
  }

  const stop = () => {
    for (const w of watchers) w.close()
    watchers = []
    if (timer !== undefined) clearInterval(timer)
    if (soon !== undefined) clearTimeout(soon)
    timer = undefined
    soon = undefined
  }

  return {
    subscribe: (listener) => {
      if (listeners.size === 0) start()
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) stop()
      }
    },
    close: () => {
      listeners.clear()
      stop()
    }
  }
}
