import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import { thread } from "./support/SampleThread.js"

const turn = thread.turns[0]!
const command = (id: string, after: number, turnId: string | null = turn.id): WorkLog.Entry => ({
  _tag: "Command",
  id,
  command: `run ${id}`,
  cwd: null,
  anchor: { turnId, after },
  result: null
})

describe("WorkedTurns", () => {
  it("given entries anchored after k items, then each sits after the k-th item, in call order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: turn.items.length + 2 }), { maxLength: 8 }), (afters) => {
        const sorted = [...afters].sort((a, b) => a - b)
        const work = sorted.map((after, k) => command(`w${k}`, after))
        const [view] = WorkedTurns.turns({ thread, work })
        const parts = view!.parts
        // Every item and every entry, once, in order.
        expect(parts.filter((p) => p._tag === "Item").map((p) => p.item.id)).toEqual(turn.items.map((i) => i.id))
        expect(parts.filter((p) => p._tag === "Work").map((p) => p.entry.id)).toEqual(work.map((w) => w.id))
        parts.forEach((p, k) => {
          if (p._tag !== "Work") return
          const itemsBefore = parts.slice(0, k).filter((q) => q._tag === "Item").length
          expect(itemsBefore).toBe(Math.min(p.entry.anchor.after, turn.items.length))
        })
      })
    )
  })

  it("given an entry thread/read already has an item for, or the turn's own error, then it is not shown twice", () => {
    const error: WorkLog.Entry = { _tag: "Notice", id: "n", level: "error", message: turn.error!.message, anchor: { turnId: turn.id, after: 0 }, result: null }
    const [view] = WorkedTurns.turns({ thread, work: [command("c", 1), error, command("new", 1)] })
    expect(view!.parts.filter((p) => p._tag === "Work").map((p) => p.entry.id)).toEqual(["new"])
  })

  it("given entries of a turn that is gone (rolled back), then they are dropped; entries before any turn open the first", () => {
    const [view] = WorkedTurns.turns({ thread, work: [command("gone", 0, "rolled-back"), command("early", 5, null)] })
    expect(view!.parts[0]).toMatchObject({ _tag: "Work", entry: { id: "early" } })
    expect(view!.parts.some((p) => p._tag === "Work" && p.entry.id === "gone")).toBe(false)
  })
})
