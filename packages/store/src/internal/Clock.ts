/**
 * The store's clock: wall-clock time, compared with file and folder modification times (a folder
 * changed too recently is not trusted yet, an unarchived file is touched to now), and a monotonic
 * reading for time budgets (AppendCheck). A service so that tests stand the clock where they need
 * it (`layerTest`); the live layer reads the machine's clocks. It is not a scheduler and never
 * waits.
 */
import { Context, Layer } from "effect"

export interface Shape {
  /** Wall-clock time, epoch milliseconds. */
  readonly now: () => number
  /** Milliseconds from an arbitrary origin that never go back, for measuring a budget. */
  readonly monotonic: () => number
}

export class Clock extends Context.Service<Clock, Shape>()("./Clock.js") {}

export const live: Shape = {
  now: () => Date.now(),
  monotonic: () => performance.now()
}

/** A clock that moves only when told to. */
export interface Test extends Shape {
  readonly set: (ms: number) => void
  readonly advance: (ms: number) => void
}

/** A clock standing at `start` (epoch ms); both readings move together, only by `set` and `advance`. */
export const test = (start: number): Test => {
  let t = start
  return {
    now: () => t,
    monotonic: () => t - start,
    set: (ms) => {
      t = ms
    },
    advance: (ms) => {
      t += ms
    }
  }
}

export const layerLive: Layer.Layer<Clock> = Layer.succeed(Clock, live)

export const layerTest = (clock: Shape): Layer.Layer<Clock> => Layer.succeed(Clock, clock)
