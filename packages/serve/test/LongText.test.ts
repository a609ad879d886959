// A turn's long strings cut for the web page: the head is a prefix of the string, never splitting
// a surrogate pair, the cut says where the string was and how long, and the whole is found and
// streamed back as the same text, for any string.
import * as fc from "fast-check"
import type * as WorkedTurns from "@rollout/view/WorkedTurns"
import { describe, expect, it } from "vitest"
import * as LongText from "../src/internal/LongText.js"

const view = (texts: ReadonlyArray<string>, output: string): WorkedTurns.TurnView =>
  ({
    turn: { id: "t", items: [], status: "completed", error: null, startedAt: null, completedAt: null, durationMs: null },
    n: 1,
    usage: null,
    parts: [
      { _tag: "Item", item: { type: "userMessage", id: "u", content: texts.map((text) => ({ type: "text", text, text_elements: [] })) } },
      { _tag: "Item", item: { type: "commandExecution", id: "c", command: "cat log", aggregatedOutput: output } }
    ]
  }) as unknown as WorkedTurns.TurnView

const streamed = async (s: string, size: number): Promise<string> => {
  const chunks: Array<Uint8Array> = []
  const reader = LongText.stream(s, size).getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
  return Buffer.concat(chunks).toString("utf8")
}

// Strings of any code points, lone surrogates aside (a rollout is UTF-8: it cannot hold them). The
// limits are over the length of the fixed strings of the turn (ids, types), which are never cut.
const text = fc.string({ unit: "grapheme", maxLength: 300 })

describe("LongText", () => {
  it("cuts every string over the limit to its head, keeps the rest, and finds the whole again", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), text, fc.integer({ min: 17, max: 60 }), (texts, output, limit) => {
        const t = view(texts, output)
        const { view: shown, cuts } = LongText.cut(t, limit)
        const long = [...texts.map((s, k) => ({ s, path: `item/content/${k}/text`, part: 0 })), { s: output, path: "item/aggregatedOutput", part: 1 }].filter(
          (x) => x.s.length > limit
        )
        expect(cuts.map((c) => [c.part, c.path])).toEqual(long.map((x) => [x.part, x.path]))
        for (const c of cuts) {
          const whole = LongText.at(t, c.part, c.path) as string
          const head = (LongText.at(shown, c.part, c.path) as string).slice(0, c.shown)
          // The head, then the fetched whole: the head is the whole's start, cut between code points.
          expect(whole.startsWith(head)).toBe(true)
          expect(LongText.at(shown, c.part, c.path)).toBe(head + LongText.mark(c))
          expect(c.shown === limit || c.shown === limit - 1).toBe(true)
          expect(/[\uD800-\uDBFF]$/.test(head)).toBe(false)
          expect(c.length).toBe(whole.length)
          expect(c.bytes).toBe(Buffer.byteLength(whole))
        }
        if (cuts.length === 0) expect(shown).toBe(t)
        // The turn handed in is left as it was.
        expect(t).toEqual(view(texts, output))
      })
    )
  })

  it("streams a string back as its UTF-8, whatever the chunk size and where the surrogate pairs fall", async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 20 }), async (s, size) => {
        expect(await streamed(s, size)).toBe(s)
      })
    )
  })

  it("finds nothing at a path that is not a string", () => {
    const t = view(["a"], "out")
    expect(LongText.at(t, 1, "item/aggregatedOutput")).toBe("out")
    expect(LongText.at(t, 1, "item")).toBeUndefined()
    expect(LongText.at(t, 1, "item/__proto__")).toBeUndefined()
    expect(LongText.at(t, 2, "item/aggregatedOutput")).toBeUndefined()
    expect(LongText.at(t, 0, "item/content/0/text")).toBe("a")
  })
})
