import { describe, expect, it } from "vitest"
import * as Clock from "@rollout/engine/Clock"
import * as Engine from "@rollout/engine/Engine"
import * as Ids from "@rollout/engine/Ids"
import * as StopHooks from "../src/internal/StopHooks.js"
import * as Thread from "@rollout/engine/Thread"

const services: Thread.Services = {
  model: { call: () => Promise.reject(new Error("no model in this test")) },
  clockFor: () => Clock.virtual(0),
  idsFor: () => Ids.counter(1),
  stopHooksFor: () => StopHooks.none,
  budget: undefined,
  codexHome: "/nowhere",
  toolsFor: () => []
}

const fresh = () => Thread.make("thread", Engine.defaultConfig("/work"), services)

describe("Thread lifecycle", () => {
  it("given a new thread, then it is idle and has no rollout", () => {
    const thread = fresh()
    expect(thread.activity).toEqual({ _tag: "Idle" })
    expect(thread.rollout).toEqual({ _tag: "Unwritten" })
    expect(thread.recorder).toBeUndefined()
    expect(Thread.turnId(thread)).toBe("")
  })

  it("when input arrives, the turn starts, begins with its id, and the thread is idle again after it", async () => {
    const thread = fresh()
    const seen: Array<string> = []
    let release = () => {}
    const runTurn = async (t: Thread.Thread) => {
      await Promise.resolve()
      seen.push(t.activity._tag)
      Thread.begin(t, "turn-1")
      seen.push(`${t.activity._tag}:${Thread.turnId(t)}:${Thread.current(t).usages}`)
      await new Promise<void>((resolve) => (release = resolve))
    }
    Thread.submit(thread, "hello", runTurn)
    expect(thread.activity._tag).toBe("Starting")
    expect(Thread.isRunning(thread)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 0))
    // Input for a running turn is queued, not a second turn.
    Thread.submit(thread, "more", runTurn)
    expect(thread.pending).toEqual(["more"])
    expect(Thread.drain(thread)).toEqual(["more"])
    release()
    await Thread.idle(thread)
    expect(seen).toEqual(["Starting", "Running:turn-1:0"])
    expect(thread.activity).toEqual({ _tag: "Idle" })
    expect(() => Thread.current(thread)).toThrow(/no running turn/)
  })

  it("a turn that throws leaves the thread idle and keeps the error", async () => {
    const thread = fresh()
    Thread.submit(thread, "hello", async () => {
      throw new Error("write failed")
    })
    await Thread.idle(thread)
    expect(thread.activity).toEqual({ _tag: "Idle" })
    expect(thread.failure).toEqual(new Error("write failed"))
  })
})
