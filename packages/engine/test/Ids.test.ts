import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Effect, type Layer } from "effect"
import * as Ids from "@rollout/engine/Ids"

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("Ids", () => {
  it("uuidv7 is a version-7 UUID whose first 48 bits are the time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.uint8Array({ minLength: 10, maxLength: 10 }), (ms, random) => {
        const id = Ids.uuidv7(ms, random)
        expect(id).toMatch(V7)
        expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms)
      })
    )
  })

  it("replay hands back the recorded ids in order and fails loudly past the end", () => {
    const ids = Ids.replay(["a", "b"])
    expect([ids.next(), ids.next()]).toEqual(["a", "b"])
    expect(() => ids.next()).toThrow(/only 2 ids/)
  })

  it("counter sequences are deterministic per seed and distinct across seeds", () => {
    const take = (seed: number) => {
      const ids = Ids.counter(seed)
      return [ids.next(), ids.next(), ids.next()]
    }
    expect(take(1)).toEqual(take(1))
    expect(new Set([...take(1), ...take(2)]).size).toBe(6)
    for (const id of take(3)) expect(id).toMatch(V7)
  })
})

/** The service a layer provides. */
const sourceOf = (layer: Layer.Layer<Ids.IdSource>): Ids.Source =>
  Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        return yield* Ids.IdSource
      }),
      layer
    )
  )

describe("IdSource (the same contract for every layer)", () => {
  const recorded = new Map([
    ["", ["019a0000-0000-7000-8000-000000000001"]],
    ["t", ["019a0000-0000-7000-8000-000000000002", "019a0000-0000-7000-8000-000000000003"]]
  ])
  const layers = {
    live: Ids.layerLive,
    counter: Ids.layerCounter((threadId) => threadId.length),
    replay: Ids.layerReplay((threadId) => recorded.get(threadId) ?? [])
  }
  for (const [name, layer] of Object.entries(layers)) {
    it(`${name}: every thread has its own sequence of distinct UUIDv7s`, () => {
      const source = sourceOf(layer)
      const root = source.forThread("")
      const thread = source.forThread("t")
      const ids = [root.next(), thread.next(), thread.next()]
      for (const id of ids) expect(id).toMatch(V7)
      expect(new Set(ids).size).toBe(ids.length)
    })
  }
})
