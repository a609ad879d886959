/**
 * What the store needs from the machine besides its database: the Codex home's files (SyncFiles)
 * and the clock (Clock). The store's work is synchronous and called from many places, so this is a
 * plain record handed to `Store.open` (and down to the modules that touch files or time) rather
 * than an Effect requirement on every function; the `Host` service and its layers let Effect
 * programs build that record from the SyncFiles and Clock services (`Store.make`).
 */
import { Context, Effect, Layer } from "effect"
import * as Clock from "./Clock.js"
import * as SyncFiles from "./SyncFiles.js"

export interface Shape {
  readonly files: SyncFiles.Shape
  readonly clock: Clock.Shape
}

export class Host extends Context.Service<Host, Shape>()("./Host.js") {}

/** The real file system and clocks. */
export const live: Shape = { files: SyncFiles.node, clock: Clock.live }

/** Files in memory and a clock standing at `start` (both returned, for the test to move on). */
export const test = (start: number): Shape & { readonly files: SyncFiles.Memory; readonly clock: Clock.Test } => {
  const clock = Clock.test(start)
  return { files: SyncFiles.memory(clock.now), clock }
}

/** The host made of whichever SyncFiles and Clock are provided. */
export const layer: Layer.Layer<Host, never, SyncFiles.SyncFiles | Clock.Clock> = Layer.effect(
  Host,
  Effect.gen(function* () {
    return { files: yield* SyncFiles.SyncFiles, clock: yield* Clock.Clock }
  })
)

export const layerLive: Layer.Layer<Host> = layer.pipe(Layer.provide(Layer.mergeAll(SyncFiles.layerNode, Clock.layerLive)))

/** The host of a test: files in memory and a test clock (see `test`). */
export const layerTest = (host: { readonly files: SyncFiles.Memory; readonly clock: Clock.Shape }): Layer.Layer<Host> =>
  layer.pipe(Layer.provide(Layer.mergeAll(SyncFiles.layerMemory(host.files), Clock.layerTest(host.clock))))
