// Pages rebuilt from the turn index equal the whole-file read (`rollout history`'s fold) on every
// committed legacy rollout: each page size, each page, each turn as `thread/read` has it (item ids
// included) and as it is drawn, the thread's totals; and an index extended
// after the file grew equals one built from scratch.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import { afterAll, describe, expect, it } from "vitest"
import * as Store from "@rollout/store/Store"
import type * as TurnIndex from "../src/internal/TurnIndex.js"
import * as TurnIndexCache from "../src/internal/TurnIndexCache.js"
import * as TurnIndexer from "../src/internal/TurnIndexer.js"
import * as TurnPages from "../src/internal/TurnPages.js"
import * as WebTranscript from "../src/internal/WebTranscript.js"
import * as WebTurn from "../src/internal/WebTurn.js"
import * as LegacyRollouts from "./support/LegacyRollouts.js"

const { root, files } = LegacyRollouts
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "turn-pages-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const fileOf = (p: string) => {
  const s = fs.statSync(p)
  return { path: p, head: "test", size: s.size, mtimeMs: s.mtimeMs }
}

/** The page entries the whole-file read gives (what the server answered before the index). */
const whole = async (p: string) => {
  const read = await WebTranscript.runRead(TranscriptRead.read(p, path.dirname(p)), () => {})
  const views = WorkedTurns.turns(read)
  return { entries: views.map((v) => ({ ...WebTurn.entry(v, WebTurn.largest(views)), turn: v.turn })), totals: WebTurn.totals(views) }
}

const pages = async (index: TurnIndex.Paged, size: number) => {
  const out = []
  for (let from = 0; from < index.count; from += size)
    out.push(...(await TurnPages.views(index, from, size)).map((v) => ({ ...WebTurn.entry(v, index.sums.largest), turn: v.turn })))
  return out
}

const paged = async (p: string, size: number) => {
  const index = await TurnIndexer.build(fileOf(p))
  return { index, entries: await pages(TurnPages.inMemory(index), size) }
}

describe("TurnPages", () => {
  it("rebuilds every page of every committed legacy rollout as the whole-file read shows it", async () => {
    let indexed = 0
    const skipped: Array<string> = []
    for (const p of files) {
      const expected = await whole(p).catch(() => undefined)
      if (expected === undefined) continue
      let first: Awaited<ReturnType<typeof paged>>
      try {
        first = await paged(p, 1)
      } catch (e) {
        if (!(e instanceof TurnIndexer.Unindexable)) throw e
        skipped.push(`${path.relative(root, p)}: ${e.message}`)
        continue
      }
      indexed++
      expect({ p, entries: first.entries }).toEqual({ p, entries: expected.entries })
      for (const size of [3, 20]) expect({ p, size, entries: (await paged(p, size)).entries }).toEqual({ p, size, entries: expected.entries })
      const t = TurnPages.sums(first.index)
      expect({ p, tokens: t.tokens, costUSD: t.costUSD }).toEqual({ p, ...expected.totals })
    }
    expect(skipped).toEqual([])
    expect(indexed).toBeGreaterThan(100)
  }, 120_000)

  it("extends an index as its file grows, to the index of the whole file", async () => {
    let grown = 0
    for (const p of files) {
      const text = fs.readFileSync(p, "utf8")
      const lines = text.split("\n")
      if (lines.length < 6) continue
      const copy = path.join(scratch, `${grown}.jsonl`)
      let built: Awaited<ReturnType<typeof TurnIndexer.build>>
      try {
        built = await TurnIndexer.build(fileOf(p))
      } catch {
        continue
      }
      for (const cut of [Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3)]) {
        // A cut in the middle of a line: the index stops before it and reads it once it is whole.
        const head = `${lines.slice(0, cut).join("\n")}\n${lines[cut]?.slice(0, 5) ?? ""}`
        fs.writeFileSync(copy, head)
        const before = await TurnIndexer.build(fileOf(copy))
        fs.writeFileSync(copy, text)
        const after = await TurnIndexer.extend(before, fileOf(copy))
        const strip = (ix: typeof built) => ix.turns.map(({ ck, ...t }) => ({ ...t, ck: { ...ck } }))
        expect({ p, cut, turns: strip(after.index), touches: after.index.touches }).toEqual({ p, cut, turns: strip(built), touches: built.touches })
      }
      grown++
    }
    expect(grown).toBeGreaterThan(50)
  }, 120_000)

  it("keeps indexes in the store's database: a new server pages a thread from its rows, and follows the file as it grows", async () => {
    const home = path.join(scratch, "home")
    fs.mkdirSync(home, { recursive: true })
    const store = Store.open({ home, path: path.join(scratch, "index.db") })
    const log: Array<string> = []
    const many = files
      .filter((f) => /"type":"session_meta"/.test(fs.readFileSync(f, "utf8")) && fs.readFileSync(f, "utf8").split('"task_started"').length > 4)
      .slice(0, 12)
    expect(many.length).toBeGreaterThan(5)
    for (const p of many) {
      const expected = (await whole(p)).entries
      const copy = path.join(home, path.basename(p))
      const text = fs.readFileSync(p, "utf8")
      fs.writeFileSync(copy, text.slice(0, Math.floor(text.length / 2)))
      await TurnIndexCache.make(store, (t) => log.push(t)).get(copy)
      fs.writeFileSync(copy, text)
      const first = await TurnIndexCache.make(store, (t) => log.push(t)).get(copy)
      expect({ p, entries: await pages(first, 2) }).toEqual({ p, entries: expected })
      // Another server: the rows, read a page at a time.
      const again = await TurnIndexCache.make(store, (t) => log.push(t)).get(copy)
      expect(again).not.toBe(first)
      expect({ p, entries: await pages(again, 3) }).toEqual({ p, entries: expected })
    }
    expect(log).toEqual([])
    store.close()
  }, 120_000)
})
