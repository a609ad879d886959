import { describe, expect, it } from "vitest"
import * as HeapTrim from "../src/internal/HeapTrim.js"

describe("HeapTrim (a full collection between a refresh's batches)", () => {
  it("given a heap below the bound, then nothing is collected", () => {
    expect(HeapTrim.afterBatch(Number.MAX_SAFE_INTEGER)).toBe(false)
  })

  it("given a heap past the bound, then the garbage of a batch is collected", async () => {
    let batch: Array<string> | undefined = Array.from({ length: 20_000 }, (_, i) => `document ${i} `.repeat(20))
    const held = new WeakRef(batch)
    batch = undefined
    // A WeakRef keeps its target alive until the end of the job that made it.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(HeapTrim.afterBatch(0)).toBe(true)
    expect(held.deref()).toBeUndefined()
  })
})
