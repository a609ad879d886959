import { describe, expect, it } from "vitest"
import * as BackwardReader from "@rollout/log/BackwardReader"
import * as Files from "@rollout/log/Files"
import * as HistoryBase from "@rollout/log/HistoryBase"

const id = (n: number) => `01a1fb98-0000-7000-8000-${String(n).padStart(12, "0")}`
const file = (n: number) => `/h/sessions/2026/01/01/rollout-2026-01-01T00-00-0${n}-${id(n)}.jsonl`

const meta = (n: number, base?: { readonly parent: number; readonly ordinal: number; readonly offset: number }) =>
  JSON.stringify({
    timestamp: "t",
    ordinal: base?.ordinal ?? 0,
    type: "session_meta",
    payload: {
      id: id(n),
      history_mode: "paginated",
      ...(base === undefined ? {} : { history_base: { thread_id: id(base.parent), end_ordinal_exclusive: base.ordinal, end_byte_offset: base.offset } })
    }
  })
const line = (ordinal: number) => JSON.stringify({ timestamp: "t", ordinal, type: "event_msg", payload: { type: "task_started", turn_id: `t${ordinal}` } })
const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

/** A root (1) with three lines, its fork (2) after two of them, and a fork of that fork (3). */
const root = text([meta(1), line(1), line(2)])
const cutAt = Buffer.byteLength(text([meta(1), line(1)]))
const fork = text([meta(2, { parent: 1, ordinal: 2, offset: cutAt }), line(3)])
const grand = text([meta(3, { parent: 2, ordinal: 4, offset: Buffer.byteLength(fork) })])
const files = Files.memory({ [file(1)]: root, [file(2)]: fork, [file(3)]: grand })

const chain = async (payload: Record<string, unknown> | undefined) => {
  const out: Array<HistoryBase.Base> = []
  for await (const base of HistoryBase.chain(files, "/h", payload)) out.push(base)
  return out
}

describe("HistoryBase", () => {
  it("given a fork of a fork, walks parent then grandparent, each with its cut", async () => {
    const bases = await chain(await HistoryBase.firstMeta(files, file(3)))
    expect(bases.map((b) => [b.threadId, b.endOrdinal, b.paths])).toEqual([
      [id(2), 4, [file(2)]],
      [id(1), 2, [file(1)]]
    ])
  })

  it("bounds the parent's file at the fork: read from the end, it starts at the last line before the cut", async () => {
    const [parent] = await chain(await HistoryBase.firstMeta(files, file(2)))
    const entries: Array<string> = []
    for await (const batch of BackwardReader.batches(parent?.files ?? files, file(1))) for (const e of batch) if (e._tag === "Line") entries.push(e.raw)
    expect(entries).toEqual([line(1), meta(1)])
  })

  it("given no history_base, a malformed one, a missing parent or a cycle, ends", async () => {
    expect(await chain(await HistoryBase.firstMeta(files, file(1)))).toEqual([])
    expect(HistoryBase.of({ history_base: { thread_id: id(1) } })).toBeUndefined()
    expect(await chain({ history_base: { thread_id: id(9), end_ordinal_exclusive: 1, end_byte_offset: 1 } })).toEqual([])
    const loop = Files.memory({ [file(4)]: text([meta(4, { parent: 4, ordinal: 1, offset: 10 })]) })
    let n = 0
    for await (const _ of HistoryBase.chain(loop, "/h", { history_base: { thread_id: id(4), end_ordinal_exclusive: 1, end_byte_offset: 10 } })) n++
    expect(n).toBe(HistoryBase.MAX_DEPTH)
  })

  it("reads the first line's session_meta only", async () => {
    const notFirst = Files.memory({ "/x.jsonl": text([line(0), meta(5)]) })
    expect(await HistoryBase.firstMeta(notFirst, "/x.jsonl")).toBeUndefined()
    expect(await HistoryBase.firstMeta(files, "/missing.jsonl")).toBeUndefined()
  })
})
