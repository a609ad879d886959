/**
 * The server following its home: while a page listens, a watch on the rollout folders (and a poll
 * beside it, for file systems that do not report changes) refreshes the index the bounded way a
 * listing does, compares each thread's update instant with the last look, and tells every
 * listener which threads appeared or grew. One refresh runs at a time; nothing runs once no page
 * has listened for half a minute (a reload comes back at once and finds the watch set up).
 */
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"
import * as FolderWatch from "./FolderWatch.js"

/** How long the home is still followed after the last page left. */
const LINGER_MS = 30_000
/** How often to look anyway while every folder is watched. */
const WATCHED_POLL_MS = 5_000

export interface Options {
  readonly source: ThreadSource.ThreadSource
  readonly report: (text: string) => void
  /** How often to look without a watch event (default 1000 ms). */
  readonly pollMs?: number
  /** How long to go on following after the last listener left (default 30 s). */
  readonly lingerMs?: number
}

export interface LiveFeed {
  /** Starts following the home if nobody was; returns the unsubscribe. */
  readonly subscribe: (listener: (change: Api.LiveChange) => void) => () => void
  /** Resolves once the feed has had its first look, from which changes are told. */
  readonly ready: () => Promise<void>
  readonly close: () => void
}

export const make = (options: Options): LiveFeed => {
  const listeners = new Set<(change: Api.LiveChange) => void>()
  let seen: Map<string, string> | undefined
  let running = false
  let again = false
  let timer: NodeJS.Timeout | undefined
  let soon: NodeJS.Timeout | undefined
  let watch: FolderWatch.FolderWatch | undefined
  let linger: NodeJS.Timeout | undefined
  const waiting: Array<() => void> = []

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
      for (const w of waiting.splice(0)) w()
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
    const w = FolderWatch.make(options.source.watched, nudge)
    watch = w
    const poll = options.pollMs ?? 1000
    timer = setInterval(nudge, poll)
    // Each look costs a bounded refresh of the index: with every folder watched, the poll is only
    // a safety net and need not run every second.
    void w.started.then((all) => {
      if (!all || watch !== w || timer === undefined) return
      clearInterval(timer)
      timer = setInterval(nudge, Math.max(poll, WATCHED_POLL_MS))
    })
  }

  const stop = () => {
    watch?.close()
    watch = undefined
    if (timer !== undefined) clearInterval(timer)
    if (soon !== undefined) clearTimeout(soon)
    if (linger !== undefined) clearTimeout(linger)
    timer = undefined
    soon = undefined
    linger = undefined
  }

  return {
    subscribe: (listener) => {
      if (linger !== undefined) clearTimeout(linger)
      linger = undefined
      if (listeners.size === 0 && timer === undefined) start()
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
        // A reload or a second tab comes back at once: following goes on a while for it.
        if (listeners.size === 0 && linger === undefined) linger = setTimeout(stop, options.lingerMs ?? LINGER_MS)
      }
    },
    ready: () => (seen !== undefined ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    close: () => {
      listeners.clear()
      for (const w of waiting.splice(0)) w()
      stop()
    }
  }
}
