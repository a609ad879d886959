// `export` of a large legacy thread reads it twice (`ExportCommand.write`): a first pass learns
// the table of contents and totals from the turns as they are handed out, the second writes
// the head and then each turn. The document must be the held render's bytes (`Markdown.render`,
// `Html.render`), in both formats: on every rollout fixture and on the history fixtures' lines
// run together (ids repeat, rollbacks reach back, turns complete late). Files are served in small
// chunks so that turns are handed out between almost every line.
import * as fs from "node:fs"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as Html from "@rollout/view/Html"
import * as Markdown from "@rollout/view/Markdown"
import * as ExportCommand from "../src/ExportCommand.js"
import * as StreamedThreads from "@rollout/query/test/support/StreamedThreads"

const { home, file, run } = StreamedThreads
const zone = "UTC"

/** The document `export` writes, in pieces as they come, and its number of turns. */
const written = (format: "markdown" | "html", options: TranscriptRead.StreamOptions, keepBytes?: number) => {
  let out = ""
  let puts = 0
  const f = format === "html" ? ExportCommand.formats.html(zone, keepBytes) : ExportCommand.formats.markdown(zone, keepBytes)
  return ExportCommand.write(f as ExportCommand.Format<unknown>, file, home, (t) => ((out += t), puts++), options).pipe(
    Effect.map((turns) => ({ out, turns, puts }))
  )
}

/** Documents written in pieces (the two-pass path), which must happen often or this test proves nothing. */
let twoPass = 0

const both = async (text: string, chunk = 97) => {
  // The thread is read once, whole, for both formats' held documents: only the streamed side needs small chunks.
  const thread = await run(text, StreamedThreads.whole, TranscriptRead.read(file, home))
  for (const format of ["markdown", "html"] as const) {
    const render = format === "html" ? Html.render : Markdown.render
    const held = { ...thread, r: Result.map(thread.r, (t) => ({ doc: render(t, zone), turns: t.thread.turns.length })) }
    // Last, streamed with a table of contents kept in memory only up to 40 characters (`ExportRows`: the rest in a file).
    for (const [streamFrom, keepBytes] of [
      [undefined, undefined],
      [0, undefined],
      [0, 40]
    ]) {
      const s = await run(text, chunk, written(format, streamFrom === undefined ? {} : { streamFrom, seenBitsLog2: StreamedThreads.seenBitsLog2 }, keepBytes))
      expect(s.r._tag).toBe(held.r._tag)
      expect(s.problems).toBe(held.problems)
      if (held.r._tag === "Success" && s.r._tag === "Success") {
        expect(s.r.success.out).toBe(held.r.success.doc)
        expect(s.r.success.turns).toBe(held.r.success.turns)
        if (streamFrom === 0 && s.r.success.puts > 1) twoPass++
      }
    }
  }
}

const all = StreamedThreads.fixtures

describe("ExportCommand.write", () => {
  it("given each rollout fixture, then the streamed document is the held one's bytes, in both formats", async () => {
    expect(all.length).toBeGreaterThan(100)
    twoPass = 0
    for (const f of all) await both(fs.readFileSync(f, "utf8"))
    expect(twoPass).toBeGreaterThan(50)
  }, 240_000)

  it("given the history fixtures' lines run together under one session_meta, then the streamed document is the held one's bytes", async () => {
    await both(StreamedThreads.runTogether(), 61)
  }, 60_000)
})
