/**
 * The engine's only source of time, injected so that a run is reproducible. The engine reads it in
 * one fixed order: exactly once per written rollout line (its `timestamp`), at write time, and
 * nowhere else; every time inside a payload (`started_at`, `duration_ms`, `occurred_at_ms`, a
 * sleep's elapsed time, ...) is derived from those stamps. Waiting (the sleep tool, retry backoff)
 * also goes through the clock, so a replay clock that hands back the recorded stamps in order
 * reproduces a run without waiting. Each thread has its own clock (its own line sequence).
 *
 * `ClockSource` is the service the engine takes its clocks from (one per thread id): `layerLive`
 * in production, `layerVirtual` or `layerReplay` in tests and replays.
 *
 * It is not a scheduler: it never decides what happens next.
 */
import { Context, Layer } from "effect"

export interface Clock {
  /** Epoch milliseconds for the next written line. */
  readonly now: () => number
  /** Waits `ms` (or until `signal` aborts; then it resolves early, it never rejects). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Wall-clock time and real timers. */
export const live: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener("abort", done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      signal?.addEventListener("abort", done, { once: true })
    })
}

/**
 * Hands back `stamps` in order (the recorded line timestamps of one thread), then keeps returning
 * the last one plus one millisecond per further read. Sleeps resolve at once.
 */
export const replay = (stamps: ReadonlyArray<number>): Clock => {
  let next = 0
  let last = stamps.length > 0 ? (stamps[stamps.length - 1] as number) : 0
  return {
    now: () => {
      const stamp = stamps[next]
      next++
      if (stamp !== undefined) return stamp
      last += 1
      return last
    },
    sleep: () => Promise.resolve()
  }
}

/**
 * Deterministic virtual time for tests and the demo: starts at `start`, each read advances `step`
 * ms, and a sleep of `ms` advances the virtual time by `ms` at once (an aborted sleep by nothing).
 */
export const virtual = (start: number, step = 1): Clock => {
  let time = start
  return {
    now: () => {
      const stamp = time
      time += step
      return stamp
    },
    sleep: (ms, signal) => {
      if (signal?.aborted !== true) time += Math.max(0, Math.floor(ms))
      return Promise.resolve()
    }
  }
}

/** Unix seconds of a stamp (turn events). */
export const seconds = (epochMs: number): number => Math.floor(epochMs / 1000)

/** The engine's clocks: one per thread id (and one per trace bundle, `trace:<root thread id>`). */
export interface Source {
  readonly forThread: (threadId: string) => Clock
}

export class ClockSource extends Context.Service<ClockSource, Source>()("@rollout/engine/Clock/ClockSource") {}

/** Every thread on the wall clock. */
export const layerLive: Layer.Layer<ClockSource> = Layer.succeed(ClockSource, { forThread: () => live })

/** Each thread on its own virtual time (see `virtual`), all starting at `start`. */
export const layerVirtual = (start: number, step = 1): Layer.Layer<ClockSource> => Layer.succeed(ClockSource, { forThread: () => virtual(start, step) })

/** Each thread hands back its recorded stamps (see `replay`); an unrecorded thread gets virtual time from 0. */
export const layerReplay = (stampsFor: (threadId: string) => ReadonlyArray<number> | undefined): Layer.Layer<ClockSource> =>
  Layer.succeed(ClockSource, {
    forThread: (threadId) => {
      const stamps = stampsFor(threadId)
      return stamps === undefined ? virtual(0) : replay(stamps)
    }
  })

/** Any clock per thread (a test that decides when sleeps end, say). */
export const layer = (forThread: (threadId: string) => Clock): Layer.Layer<ClockSource> => Layer.succeed(ClockSource, { forThread })
