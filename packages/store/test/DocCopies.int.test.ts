import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Refresh from "@rollout/store/Refresh"
import * as Store from "@rollout/store/Store"
import * as FtsTotals from "../src/internal/FtsTotals.js"
import * as Home from "./support/Home.js"

// Few words, so that texts repeat (ties in rank) and phrases hit many documents of many lengths.
const VOCAB = ["alpha", "beta", "gamma", "ok", "lorem", "ipsum"] as const
const QUERIES = [...VOCAB, "al", "ok lorem", "lorem ipsum", "ipsum ok al", "gamma gamma"]
const text = fc.array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 10 }).map((ws) => ws.join(" "))
const turn = fc.record({ prompt: text, answer: text, tool: fc.option(fc.record({ cmd: text, output: text }), { nil: undefined }) })
type Turn = typeof turn extends fc.Arbitrary<infer T> ? T : never

const OPS = ["append-parent", "rewrite-parent", "delete-parent", "archive-parent", "append-fork", "delete-fork"] as const
const scenario = fc.record({
  parents: fc.array(fc.array(turn, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  // `of` picks among the threads written before it, forks included (a fork of a fork).
  forks: fc.array(fc.record({ of: fc.nat(), own: fc.array(turn, { maxLength: 2 }) }), { minLength: 1, maxLength: 4 }),
  ops: fc.array(fc.record({ op: fc.constantFrom(...OPS), which: fc.nat(), more: turn }), { maxLength: 3 })
})

interface Thread {
  readonly id: string
  readonly ms: number
  file: string
  readonly fork: boolean
}

const linesOf = (n: number, ms: number, turns: ReadonlyArray<Turn>): Array<string> =>
  turns.flatMap((t, k) => Home.turn(`turn-${n}-${ms}-${k}`, ms + k, t.prompt, t.answer, t.tool))

/** Everything a reader of the index sees: hits, totals, listings with search, documents, counts, FTS5's averages. */
const answers = async (store: Store.Store) => {
  const out: Array<unknown> = []
  for (const q of QUERIES)
    for (const kinds of [undefined, ["tool_output" as const], ["user" as const]])
      for (const archived of [false, true]) {
        const query = { text: q, limit: 500, archived, ...(kinds === undefined ? {} : { kinds }) }
        out.push(await store.search(query, false), store.searchTotal(query))
      }
  for (const q of QUERIES) out.push((await store.list({ search: q, limit: 100 }, false)).data)
  const db = store.database
  out.push(db.prepare("SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM docs ORDER BY path, offset").all())
  out.push(store.documentCount(), FtsTotals.read(db))
  Refresh.fullTextCheck(db)
  return out
}

describe("DocCopies: forks' copies stored once", () => {
  it("search answers with shared copies are those with every copy stored (hits, order, snippets, totals, listings, averages), also after parents and forks change", async () => {
    let shared = 0
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const home = Home.tempDir()
        const a = Store.open({ home, path: path.join(home, "shared.sqlite") })
        const b = Store.open({ home, path: path.join(home, "stored.sqlite") })
        try {
          let clock = Date.UTC(2026, 10, 21)
          const threads: Array<Thread> = []
          const add = (fork: boolean, lines: (id: string, ms: number) => Array<string>) => {
            clock += 60_000
            const n = threads.length + 1
            const t: Thread = { id: Home.uuid(n), ms: clock, file: "", fork }
            t.file = Home.rolloutPath(home, t.id, t.ms)
            Home.write(t.file, lines(t.id, t.ms), t.ms)
            threads.push(t)
          }
          for (const turns of s.parents) add(false, (id, ms) => [Home.sessionMeta(id, ms, { cwd: "/a" }), ...linesOf(threads.length, ms, turns)])
          for (const f of s.forks) {
            const parent = threads[f.of % threads.length] as Thread
            add(true, (id, ms) => {
              const copied = Home.forkCopy(parent.file, ms)
              return [Home.sessionMeta(id, ms, { cwd: "/b", forkedFromId: parent.id }), ...copied, ...linesOf(threads.length, ms, f.own)]
            })
          }
          await a.refresh()
          await b.refresh({ shareCopies: false })
          shared += (a.database.prepare("SELECT count(*) AS n FROM doc_copies").get() as { n: number }).n
          expect((b.database.prepare("SELECT count(*) AS n FROM doc_copies").get() as { n: number }).n).toBe(0)
          expect(await answers(a)).toEqual(await answers(b))
          for (const { op, which, more } of s.ops) {
            const pool = threads.filter((t) => t.fork === op.endsWith("fork") && fs.existsSync(t.file))
            const t = pool[which % Math.max(1, pool.length)]
            if (t === undefined) continue
            clock += 60_000
            if (op === "append-parent" || op === "append-fork")
              Home.append(
                t.file,
                linesOf(99, clock, [more])
                  .map((l) => `${l}\n`)
                  .join(""),
                clock
              )
            else if (op === "rewrite-parent") Home.write(t.file, Home.completeLines(t.file).slice(0, 1 + 9), clock)
            else if (op === "archive-parent") {
              const to = Home.rolloutPath(home, t.id, t.ms, true)
              fs.mkdirSync(path.dirname(to), { recursive: true })
              fs.renameSync(t.file, to)
              t.file = to
            } else fs.rmSync(t.file)
            await a.refresh()
            await b.refresh({ shareCopies: false })
            expect(await answers(a)).toEqual(await answers(b))
          }
        } finally {
          a.close()
          b.close()
          fs.rmSync(home, { recursive: true, force: true })
        }
      }),
      { numRuns: 30 }
    )
    // Not vacuous: copies were stored once.
    expect(shared).toBeGreaterThan(0)
  })

  it.each(["parent", "fork"] as const)(
    "given an older build writing through the docs view (the %s read again), then copies are written out first and, after the next refresh, search answers as with every copy stored",
    async (which) => {
      const home = Home.tempDir()
      const a = Store.open({ home, path: path.join(home, "shared.sqlite") })
      const b = Store.open({ home, path: path.join(home, "stored.sqlite") })
      try {
        const parentId = Home.uuid(1)
        const parent = Home.rolloutPath(home, parentId, 1000)
        const turns: Array<Turn> = [
          { prompt: "alpha beta", answer: "ok lorem", tool: { cmd: "gamma", output: "lorem ipsum ok" } },
          { prompt: "ipsum", answer: "alpha alpha ok", tool: undefined },
          { prompt: "ok ok", answer: "beta", tool: { cmd: "alpha", output: "ok" } }
        ]
        Home.write(parent, [Home.sessionMeta(parentId, 1000, { cwd: "/a" }), ...linesOf(1, 1000, turns)], 1000)
        const forkId = Home.uuid(2)
        const fork = Home.rolloutPath(home, forkId, 90_000)
        const copied = Home.forkCopy(parent, 90_000)
        Home.write(fork, [Home.sessionMeta(forkId, 90_000, { cwd: "/b", forkedFromId: parentId }), ...copied, ...linesOf(2, 90_000, turns.slice(1))], 90_000)
        await a.refresh()
        await b.refresh({ shareCopies: false })
        expect((a.database.prepare("SELECT count(*) AS n FROM doc_copies").get() as { n: number }).n).toBe(1)
        type Doc = {
          path: string
          thread_id: string
          offset: number
          line: number
          turn_index: number | null
          turn_id: string | null
          kind: string
          text: string
        }
        const docsOf = (p: string) =>
          b.database
            .prepare<[string], Doc>("SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM docs WHERE path = ? ORDER BY offset")
            .all(p)
        const db = a.database
        const insert = db.prepare("INSERT INTO docs(path, thread_id, offset, line, turn_index, turn_id, kind, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        // What version 5's statements do: the parent read again whole, or the fork from inside its copy.
        const file = which === "parent" ? parent : fork
        const docs = docsOf(file)
        const from = which === "parent" ? 0 : (docs[Math.floor(docs.length / 3)]?.offset ?? 0)
        db.transaction(() => {
          db.prepare("DELETE FROM docs WHERE path = ? AND offset >= ?").run(file, from)
          for (const d of docs) if (d.offset >= from) insert.run(d.path, d.thread_id, d.offset, d.line, d.turn_index, d.turn_id, d.kind, d.text)
        })()
        expect((db.prepare("SELECT count(*) AS n FROM doc_copies").get() as { n: number }).n).toBe(0)
        await a.refresh()
        expect(await answers(a)).toEqual(await answers(b))
      } finally {
        a.close()
        b.close()
        fs.rmSync(home, { recursive: true, force: true })
      }
    }
  )
})
