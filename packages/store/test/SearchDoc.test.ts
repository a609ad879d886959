import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as SearchDoc from "@rollout/store/SearchDoc"
import * as Home from "./support/Home.js"

const typed = (raw: string): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(JSON.parse(raw))
  if (d._tag !== "Known") throw new Error(`not a known line: ${raw}`)
  return d.line
}

const fold = (lines: ReadonlyArray<string>) => {
  let turn = SearchDoc.start
  const out: Array<[string, string, number, string | null]> = []
  for (const raw of lines) {
    const line = typed(raw)
    turn = SearchDoc.step(turn, line)
    for (const d of SearchDoc.extract(line)) out.push([d.kind, d.text, turn.index, turn.id])
  }
  return out
}

describe("SearchDoc", () => {
  it("given turns with tool calls, then each message, call and output is one document in its turn", () => {
    const lines = [
      Home.sessionMeta(Home.uuid(1), 0),
      ...Home.turn("t1", 0, "fix it", "fixed", { cmd: "make", output: "ok" }),
      ...Home.turn("t2", 5, "again", "done")
    ]
    expect(fold(lines)).toEqual([
      ["user", "fix it", 0, "t1"],
      ["tool_call", 'exec_command {"cmd":"make"}', 0, "t1"],
      ["tool_output", "ok", 0, "t1"],
      ["agent", "fixed", 0, "t1"],
      ["user", "again", 1, "t2"],
      ["agent", "done", 1, "t2"]
    ])
  })

  it("given an old rollout without turn events, then each user message starts a turn without id", () => {
    const line = (type: string, payload: unknown) => JSON.stringify({ timestamp: "2025-01-01T00:00:00.000Z", type, payload })
    const lines = [
      line("event_msg", { type: "user_message", message: "one", images: null }),
      line("event_msg", { type: "agent_message", message: "first" }),
      line("event_msg", { type: "user_message", message: "two", images: null })
    ]
    expect(fold(lines)).toEqual([
      ["user", "one", 0, null],
      ["agent", "first", 0, null],
      ["user", "two", 1, null]
    ])
  })

  it("does not index the harness context Codex sends as user-role response items, nor blank text", () => {
    const line = (type: string, payload: unknown) => JSON.stringify({ timestamp: "2025-01-01T00:00:00.000Z", type, payload })
    expect(
      SearchDoc.extract(typed(line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>…" }] })))
    ).toEqual([])
    expect(SearchDoc.extract(typed(line("event_msg", { type: "agent_message", message: "  " })))).toEqual([])
  })

  it("does not index base64 image data: data URLs, input_image parts and long base64 runs become [data]", () => {
    const png = `iVBORw0KGgo${"A".repeat(2000)}==`
    const line = (payload: object) => JSON.stringify({ timestamp: "2026-01-01T00:00:00.000Z", type: "response_item", payload })
    const docs = fold([
      line({
        type: "function_call_output",
        call_id: "c1",
        output: [
          { type: "input_text", text: "screenshot:" },
          { type: "input_image", image_url: `data:image/png;base64,${png}` }
        ]
      }),
      line({ type: "function_call_output", call_id: "c2", output: { content: `screenshot data:image/png;base64,${png}`, success: true } }),
      line({ type: "function_call_output", call_id: "c3", output: `see data:image/jpeg;base64,${png} and raw ${png} end` })
    ])
    for (const [, text] of docs) expect(text).not.toContain("iVBORw0KGgo")
    expect(docs.map(([, text]) => text)).toContain("see [data] and raw [data] end")
    expect(SearchDoc.withoutData("a short c2VjcmV0 token stays")).toBe("a short c2VjcmV0 token stays")
  })

  it("given text of base64 runs around 256 characters, data URLs and words, then it strips exactly what the plain expressions strip", () => {
    const DATA_URL = /data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=_-]*/g
    const BASE64_RUN = /[A-Za-z0-9+/]{256,}={0,2}/g
    const reference = (text: string) =>
      text.replace(DATA_URL, "[data]").replace(BASE64_RUN, (run) => (/[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run) ? "[data]" : run))
    const base64 = fc
      .stringMatching(/^[A-Za-z0-9+/]{0,8}$/)
      .chain((unit) => fc.integer({ min: 200, max: 300 }).map((n) => (unit === "" ? "aB3" : unit).repeat(Math.ceil(n / Math.max(1, unit.length))).slice(0, n)))
    const piece = fc.oneof(base64, fc.constantFrom(" ", "=", "==", "\n", "data:image/png;base64,", "é", "word", "-_"), fc.string({ maxLength: 20 }))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join("")
        expect(SearchDoc.withoutData(text)).toBe(reference(text))
      }),
      { numRuns: 2000 }
    )
  })

  it("given one base64-like run of tens of megabytes, then it is stripped or kept without overflowing the stack", () => {
    const plain = "x".repeat(40 << 20)
    expect(SearchDoc.withoutData(`say ${plain} end`)).toBe(`say ${plain} end`)
    expect(SearchDoc.withoutData(`say ${"aB3".repeat(14 << 20)}== end`)).toBe("say [data] end")
  })

  it("clips very long outputs", () => {
    const line = JSON.stringify({
      timestamp: "2025-01-01T00:00:00.000Z",
      type: "response_item",
      payload: { type: "function_call_output", call_id: "c", output: "x".repeat(100_000) }
    })
    expect(SearchDoc.extract(typed(line))[0]?.text.length).toBe(SearchDoc.MAX_TEXT)
  })
})
