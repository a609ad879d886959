import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Clock from "../src/internal/Clock.js"

describe("Clock", () => {
  it("given a test clock, then it stands still until set or advanced, both readings together", () => {
    const clock = Clock.test(1_000_000)
    expect(clock.now()).toBe(1_000_000)
    expect(clock.monotonic()).toBe(0)
    clock.advance(250)
    expect([clock.now(), clock.monotonic()]).toEqual([1_000_250, 250])
    clock.set(2_000_000)
    expect(clock.now()).toBe(2_000_000)
  })

  it("the live clock reads the machine's time; the layers provide the clock they are given", () => {
    const before = Date.now()
    expect(Clock.live.now()).toBeGreaterThanOrEqual(before)
    const clock = Clock.test(42)
    const read = Effect.gen(function* () {
      return (yield* Clock.Clock).now()
    })
    expect(Effect.runSync(Effect.provide(read, Clock.layerTest(clock)))).toBe(42)
    expect(Effect.runSync(Effect.provide(read, Clock.layerLive))).toBeGreaterThanOrEqual(before)
  })
})
