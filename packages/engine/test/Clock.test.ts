import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Effect, type Layer } from "effect"
import * as Clock from "@rollout/engine/Clock"

describe("Clock", () => {
  it("replay hands back the recorded stamps in order, then counts on from the last", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 45 }), { maxLength: 20 }), (stamps) => {
        const clock = Clock.replay(stamps)
        const read = stamps.map(() => clock.now())
        expect(read).toEqual(stamps)
        const last = stamps.at(-1) ?? 0
        expect([clock.now(), clock.now()]).toEqual([last + 1, last + 2])
      })
    )
  })

  it("virtual time advances by its step per reading and by the slept time", async () => {
    const clock = Clock.virtual(1000, 5)
    expect(clock.now()).toBe(1000)
    await clock.sleep(250)
    expect(clock.now()).toBe(1255)
    const aborted = new AbortController()
    aborted.abort()
    await clock.sleep(10_000, aborted.signal)
    expect(clock.now()).toBe(1260)
  })

  it("a live sleep ends early when its signal aborts", async () => {
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 20)
    await Clock.live.sleep(10_000, controller.signal)
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it("turn events use Unix seconds", () => {
    expect(Clock.seconds(1_795_251_600_999)).toBe(1_795_251_600)
  })
})

/** The service a layer provides. */
const clocksOf = (layer: Layer.Layer<Clock.ClockSource>): Clock.Source =>
  Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        return yield* Clock.ClockSource
      }),
      layer
    )
  )

describe("ClockSource (the same contract for every layer)", () => {
  const layers = {
    live: Clock.layerLive,
    virtual: Clock.layerVirtual(1_000, 3),
    replay: Clock.layerReplay((threadId) => (threadId === "a" ? [10, 20, 20, 35] : undefined))
  }
  for (const [name, layer] of Object.entries(layers)) {
    it(`${name}: each thread's readings never go back, and a sleep whose signal aborted resolves at once`, async () => {
      const clocks = clocksOf(layer)
      for (const threadId of ["a", "b"]) {
        const clock = clocks.forThread(threadId)
        const readings = Array.from({ length: 6 }, () => clock.now())
        expect([...readings].sort((x, y) => x - y)).toEqual(readings)
        const aborted = new AbortController()
        aborted.abort()
        const started = Date.now()
        await clock.sleep(60_000, aborted.signal)
        expect(Date.now() - started).toBeLessThan(5_000)
      }
    })
  }
})
