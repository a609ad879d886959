// Replay and interrupts between threads: a parent's interrupt_agent cut its worker wherever the
// worker had got to (mid model call, mid sleep, or not at all: the worker had finished), but re-run
// the two threads go at their own pace (the recorded model answers at once, recorded sleeps end at
// once), so the interrupt reaches the worker at another point of its turn. Replay must still write
// both rollouts byte for byte: the recording says where each turn was cut, and the re-run cuts it
// there, whatever the interleaving. The worker's turn is made long (several naps, each a model
// round trip) so that re-run, the parent's interrupt comes early in it.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as Clock from "@rollout/engine/Clock"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Replay from "@rollout/engine/Replay"
import * as Thread from "@rollout/engine/Thread"
import * as Files from "@rollout/log/Files"
import { manualSleepClock, payloads, setup, START } from "./EngineHarness.js"

/** Where the recorded interrupt found the worker: done with its turn, waiting for its k-th model answer, or in its k-th nap. */
type Cut = { readonly at: "idle" } | { readonly at: "model"; readonly k: number } | { readonly at: "sleep"; readonly k: number }

const LONG_NAP = 60_000

/** Virtual time, except that a long nap (`asleep` is told when it starts) lasts until its turn is interrupted. */
const clock = (asleep: () => void): Clock.Clock => {
  const manual = manualSleepClock(START)
  let virtualNow = START
  return {
    now: () => {
      const stamp = virtualNow
      virtualNow += 7
      return stamp
    },
    sleep: (ms, signal) => {
      if (ms !== LONG_NAP) return Promise.resolve()
      asleep()
      return manual.sleep(ms, signal)
    }
  }
}

/** Records a parent that spawns a worker with `naps` naps, interrupts it at `cut`, then follows it up; returns both rollouts. */
const record = async (naps: number, cut: Cut): Promise<{ home: string; files: Array<string>; close: () => Promise<void> }> => {
  let rootId = ""
  let workerTurn: string | undefined
  let workerCalls = 0
  let reached: () => void = () => undefined
  const atCut = new Promise<void>((resolve) => (reached = resolve))
  const worker = () => [...s.engine.threads.values()].find((t) => t.id !== rootId)!
  const parent: Array<() => Promise<ModelScript.Turn>> = [
    async () => ModelScript.call("spawn_agent", { task_name: "worker", message: "Nap, then count" }, "call_spawn"),
    async () => {
      if (cut.at === "idle") await Thread.idle(worker())
      else await atCut
      return ModelScript.call("interrupt_agent", { target: "worker" }, "call_stop")
    },
    async () => ModelScript.call("followup_task", { target: "worker", message: "Count again" }, "call_followup"),
    async () => ModelScript.reply("Done delegating.")
  ]
  const answerWorker = (turnId: string): ModelScript.Turn => {
    workerTurn ??= turnId
    if (turnId !== workerTurn) return ModelScript.reply("1 2 3, again.")
    const k = workerCalls++
    if (cut.at === "model" && k === cut.k) {
      reached()
      return ModelScript.stall()
    }
    if (k < naps) return ModelScript.call("sleep", { duration_ms: cut.at === "sleep" && k === cut.k ? LONG_NAP : 1 }, `call_nap_${k}`)
    return ModelScript.reply("1 2 3")
  }
  const s = await setup([], { clockFor: () => clock(reached) }, (request) =>
    request.headers["session_id"] === rootId ? parent.shift()?.() : answerWorker(String(request.headers["x-rollout-turn-id"]))
  )
  const thread = s.engine.startThread()
  rootId = thread.id
  await thread.run("Delegate")
  await s.engine.close()
  return { home: s.home, files: [thread.path()!, worker().recorder!.path], close: s.close }
}

const cuts = (naps: number): fc.Arbitrary<Cut> =>
  fc.oneof(
    fc.constant<Cut>({ at: "idle" }),
    fc.integer({ min: 0, max: naps }).map((k): Cut => ({ at: "model", k })),
    ...(naps === 0 ? [] : [fc.integer({ min: 0, max: naps - 1 }).map((k): Cut => ({ at: "sleep", k }))])
  )

describe("replay of an agent interrupting another", () => {
  it("writes both rollouts identically wherever the interrupt cut the worker", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }).chain((naps) => fc.tuple(fc.constant(naps), cuts(naps))),
        async ([naps, cut]) => {
          const recorded = await record(naps, cut)
          try {
            const lines = payloads(recorded.files[1]!).map((l) => l.payload.type)
            // The recording cut the worker where it was asked to (or found it done).
            expect(lines.includes("turn_aborted")).toBe(cut.at !== "idle")
            for (const file of recorded.files) {
              const verdict = await Replay.verify(Files.node, [file], { codexHome: recorded.home, deadlineMs: 10_000 })
              expect({ file: file === recorded.files[0] ? "parent" : "worker", ...verdict }).toEqual({
                file: file === recorded.files[0] ? "parent" : "worker",
                identical: true,
                firstDifference: null
              })
            }
          } finally {
            await recorded.close()
          }
        }
      ),
      {
        numRuns: 12,
        endOnFailure: true,
        // Always: the worker done before the interrupt (re-run, it is still napping when the interrupt comes), and cut at its first answer.
        examples: [[[4, { at: "idle" }]], [[4, { at: "model", k: 0 }]]]
      }
    )
  })
})
