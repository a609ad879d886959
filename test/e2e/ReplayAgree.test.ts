// `replay --at N` (the real bin, human view) and the `--step` screen at line N (its fold,
// in-process) say the same of a turn that is still running at line N: in progress, not interrupted.
// (`--at N --json` keeps the contract: thread/read of lines 1..N.)
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import { Diagnostics } from "@rollout/query/Diagnostics"
import * as ReplaySession from "@rollout/query/ReplaySession"
import * as Timeline from "@rollout/reduce/Timeline"
import { rollout, root, sampleFiles } from "./Bin.js"

const THREAD = "01a1fb98-42cd-7e63-930d-df43c823f2b4"

describe("replay --at N and --step at line N", () => {
  it("agree on a turn still running at line N (in progress), and on the finished ones", async () => {
    const file = sampleFiles().find((f) => f.includes(THREAD))!
    const recording = await Effect.runPromise(
      ReplaySession.open([file], `${root}/rollouts`).pipe(Effect.provide(Layer.mergeAll(Files.layerNode, Layer.succeed(Diagnostics, { report: () => {} }))))
    )
    const stepStatuses = (n: number) =>
      ReplaySession.session(recording, "", async (s) => s.live(await Timeline.stateAt(s.timeline, await ReplaySession.positionOf(s, n))).map((t) => t.status))
    // Every line where some turn is still running, and the last line.
    const lines: Array<number> = []
    for (let n = 1; n <= recording.lastNumber; n++) if ((await stepStatuses(n)).includes("inProgress")) lines.push(n)
    expect(lines.length).toBeGreaterThan(0)
    for (const n of [...lines.slice(0, 3), recording.lastNumber]) {
      const r = rollout("replay", THREAD, "--at", String(n))
      expect(r.status, r.stderr).toBe(0)
      const shown = [...r.stdout.matchAll(/^── turn \d+ \((\w+)/gm)].map((m) => m[1])
      expect(shown, `line ${n}`).toEqual(await stepStatuses(n))
    }
  })
})
