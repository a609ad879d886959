// The first turns read from a file's beginning (while its turn index is built) equal the whole-file
// read's, as `thread/read` has them and with their work and token use, on every committed legacy
// rollout whose early turns no later line changes (those are drawn again once the index is built).
import * as fs from "node:fs"
import * as path from "node:path"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import { describe, expect, it } from "vitest"
import * as TurnHead from "../src/internal/TurnHead.js"
import * as TurnIndexer from "../src/internal/TurnIndexer.js"
import * as WebTranscript from "../src/internal/WebTranscript.js"
import * as LegacyRollouts from "./support/LegacyRollouts.js"

const { files } = LegacyRollouts

/** Whether a line after turn `b` began changes one of the turns before it. */
const reachedBack = async (p: string, b: number): Promise<boolean | undefined> => {
  const s = fs.statSync(p)
  const index = await TurnIndexer.build({ path: p, head: "test", size: s.size, mtimeMs: s.mtimeMs }).catch(() => undefined)
  if (index === undefined) return undefined
  const start = index.turns[b]?.offset
  if (start === undefined) return true
  return index.turns.slice(0, b).some((t) => t.reach > start) || index.touches.some((t) => t.target < b && t.at >= start)
}

describe("TurnHead", () => {
  it("reads a page of first turns as the whole-file read has them, and stops within its budget", async () => {
    let compared = 0
    for (const p of files) {
      const whole = await WebTranscript.runRead(TranscriptRead.read(p, path.dirname(p)), () => {}).catch(() => undefined)
      if (whole === undefined) continue
      const views = WorkedTurns.turns(whole)
      for (const [from, limit] of [
        [0, 1],
        [0, 3],
        [1, 2]
      ] as const) {
        const b = from + limit
        if ((await reachedBack(p, b)) !== false) continue
        const head = await TurnHead.read(p, undefined, from, limit, Number.MAX_SAFE_INTEGER)
        expect({ p, from, limit, head: head?.views }).toEqual({ p, from, limit, head: views.slice(from, b) })
        expect(head?.thread.id).toBe(whole.thread.id)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(40)
    // A budget that ends before the turns asked for are finished: the index must answer.
    const long = files.find((f) => fs.statSync(f).size > 20_000) as string
    expect(await TurnHead.read(long, undefined, 0, 1, 100)).toBeUndefined()
  }, 120_000)
})
