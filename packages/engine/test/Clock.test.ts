import fc from "fast-check"
import { describe, expect, it } from "vitest"
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
