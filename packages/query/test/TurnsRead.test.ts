// `TurnsRead.page` of a large legacy thread keeps only the turns the page can need while the thread
// streams by; its page must be the one `TurnsPage.page` gives over the whole held thread, to the
// byte: for pages from both ends, cursors taken from the thread's own turns (with and without the
// anchor, first and repeated ids), unknown and unreadable cursors, and every items view; on every
// rollout fixture, on the fixtures' lines run together and on generated turns with late events and
// rollbacks. Files are served in small chunks so that turns are handed out between most lines.
import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as TurnsPage from "@rollout/reduce/TurnsPage"
import * as HistoryRead from "../src/HistoryRead.js"
import * as TurnsRead from "../src/TurnsRead.js"
import * as StreamedThreads from "./support/StreamedThreads.js"

const { root, home, file, run } = StreamedThreads

const text = (r: { readonly r: { readonly _tag: string; readonly success?: unknown; readonly failure?: unknown } }) =>
  JSON.stringify(r.r._tag === "Success" ? r.r.success : r.r.failure)

/** Requests worth asking of a thread with these turn ids: both ends, cursors on its own turns, bad cursors. */
const requests = (ids: ReadonlyArray<string>): Array<TurnsPage.Params> => {
  const picked = [...new Set([ids[0], ids[1], ids[Math.floor(ids.length / 2)], ids.at(-2), ids.at(-1)])].filter((x) => x !== undefined)
  const cursors = [null, '{"turnId":"nope","includeAnchor":true}', "not a cursor"]
  for (const id of picked) for (const includeAnchor of [true, false]) cursors.push(JSON.stringify({ turnId: id, includeAnchor }))
  const out: Array<TurnsPage.Params> = []
  for (const cursor of cursors)
    for (const sortDirection of ["asc", "desc"] as const)
      for (const limit of [1, 2, undefined]) out.push({ cursor, sortDirection, limit, itemsView: limit === 1 ? "full" : limit === 2 ? "notLoaded" : "summary" })
  return out
}

let compared = 0

/**
 * Every request's streamed page against the held one's, for `text`. The held page is `TurnsPage.page`
 * over the thread read once (what `TurnsRead.page` does below its streaming threshold, checked on
 * the first request), rather than one more read per request: that was half of this file's time.
 */
const same = async (input: string, chunk = 97) => {
  const held = await run(input, StreamedThreads.whole, HistoryRead.read(file, home))
  const ids = held.r._tag === "Success" ? held.r.success.thread.turns.map((t) => t.id) : []
  const heldPage = (params: TurnsPage.Params) => {
    if (held.r._tag !== "Success") return undefined
    const { thread, anchors } = held.r.success
    return { r: { _tag: "Success", success: TurnsPage.page(thread.turns, params, anchors, thread.id) }, problems: held.problems }
  }
  for (const [i, params] of requests(ids).entries()) {
    const kept = heldPage(params)
    const whole = kept === undefined || i === 0 ? await run(input, chunk, TurnsRead.page(file, home, params)) : kept
    if (kept !== undefined) expect([text(whole), whole.problems]).toEqual([text(kept), kept.problems])
    const streamed = await run(input, chunk, TurnsRead.page(file, home, params, { streamFrom: 0 }))
    expect(text(streamed)).toBe(text(whole))
    expect(streamed.problems).toBe(whole.problems)
    compared++
  }
}

const all = StreamedThreads.fixtures

describe("TurnsRead.page streamed", () => {
  it("given each rollout fixture, then every page is the held thread's page", async () => {
    expect(all.length).toBeGreaterThan(100)
    compared = 0
    for (const f of all) await same(fs.readFileSync(f, "utf8"), 211)
    expect(compared).toBeGreaterThan(1000)
  }, 240_000)

  it("given the history fixtures' lines run together under one session_meta, then every page is the held thread's page", async () => {
    await same(StreamedThreads.runTogether(), 61)
  }, 120_000)

  // Turns from a pool of four ids (so ids repeat and cursors meet their first one), completions,
  // aborts and items for any of them at any time, and rollbacks.
  const event = (payload: Record<string, unknown>) => JSON.stringify({ timestamp: "2026-07-14T07:06:00.000Z", type: "event_msg", payload })
  const id = (n: number) => `0198f2a5-0000-7000-8000-00000000000${n}`
  const op = fc.oneof(
    fc.nat(3).map((n) => event({ type: "task_started", turn_id: id(n), started_at: 1784012760 + n, model_context_window: 258400 })),
    fc.nat(3).map((n) => event({ type: "task_complete", turn_id: id(n), last_agent_message: null, completed_at: 1784012761, duration_ms: 1000 })),
    fc.nat(3).map((n) => event({ type: "turn_aborted", turn_id: id(n), reason: "replaced" })),
    fc.nat(3).map((n) => event({ type: "thread_rolled_back", num_turns: n })),
    fc.string({ maxLength: 8 }).map((m) => event({ type: "user_message", message: m, local_images: [], local_audio: [], text_elements: [] })),
    fc.string({ maxLength: 8 }).map((m) => event({ type: "agent_message", message: m, phase: null, memory_citation: null }))
  )
  const meta = fs.readFileSync(path.join(root, "fixtures/history/rollback/input.jsonl"), "utf8").split("\n")[0] as string

  it("given generated turns with late events and rollbacks, then every page is the held thread's page", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.integer({ min: 16, max: 400 }), async (ops, chunk) => {
        await same(`${[meta, ...ops].join("\n")}\n`, chunk)
      }),
      { numRuns: 60 }
    )
  }, 240_000)
})
