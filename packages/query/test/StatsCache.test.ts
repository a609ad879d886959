import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as StatsCache from "../src/internal/StatsCache.js"
import * as StatsPool from "../src/StatsPool.js"
import * as StatsQuery from "../src/StatsQuery.js"
import * as Corpus from "./support/StatsCorpus.js"

const root = fs.mkdtempSync(nodePath.join(os.tmpdir(), "stats-cache-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const PARENT = "0198f2a4-0000-7000-8000-000000000001"
const FORK = "0198f2a4-0000-7000-8000-000000000002"
const OTHER = "0198f2a4-0000-7000-8000-000000000003"
const T0 = Date.UTC(2026, 6, 14, 7, 0, 0)

/** One session's lines: its meta and `turns` generated turns (a legacy fork copies `parent`'s first lines). */
const session = (id: string, turns: number, seed: number, parent?: ReadonlyArray<string>): Array<string> => {
  const rand = Corpus.prng(seed)
  const w = new Corpus.Writer(id, T0 + seed * 1000)
  const copy = parent === undefined ? [] : Corpus.copied(parent, Math.min(parent.length, 9), T0 + seed * 1000)
  if (parent !== undefined) w.running = Corpus.runningAt(parent, Math.min(parent.length, 9))
  const lines = [Corpus.sessionMeta(id, T0 + seed * 1000, parent === undefined ? {} : { forkedFromId: PARENT }), ...copy]
  for (let i = 0; i < turns; i++) lines.push(...w.turn(Corpus.randomTurn(rand)))
  return lines
}

const write = (home: string, id: string, lines: ReadonlyArray<string>) =>
  fs.writeFileSync(nodePath.join(home, Corpus.fileName(id, T0)), lines.map((l) => `${l}\n`).join(""))

const answer = async (home: string, cacheDir?: string) =>
  JSON.stringify(
    (
      await StatsQuery.run(Files.node, {
        paths: [home],
        by: "day",
        codexHome: home,
        jobs: 1,
        window: { timezone: "UTC", since: null, until: null },
        ...(cacheDir === undefined ? {} : { cacheDir })
      })
    ).report
  )

type Op = { readonly kind: "append" | "rewrite"; readonly which: 0 | 1 | 2; readonly seed: number } | { readonly kind: "removeParent" }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("append" as const, "rewrite" as const),
    which: fc.constantFrom(0 as const, 1 as const, 2 as const),
    seed: fc.integer({ min: 1, max: 500 })
  }),
  fc.constant({ kind: "removeParent" as const })
)

describe("StatsCache", () => {
  it("a cached run answers what reading every file answers, whatever changed in between (appends, rewrites, a fork's parent changing or going)", async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 5 }), async (ops) => {
        const home = nodePath.join(root, `home-${n}`)
        const cache = nodePath.join(root, `cache-${n++}`)
        fs.mkdirSync(home)
        const ids = [PARENT, FORK, OTHER] as const
        const files: Array<Array<string>> = [session(PARENT, 3, 1)]
        files.push(session(FORK, 2, 2, files[0]), session(OTHER, 2, 3))
        ids.forEach((id, i) => write(home, id, files[i] as Array<string>))
        expect(await answer(home, cache)).toBe(await answer(home))
        for (const o of ops) {
          const parentPath = nodePath.join(home, Corpus.fileName(PARENT, T0))
          if (o.kind === "removeParent") fs.rmSync(parentPath, { force: true })
          else {
            const id = ids[o.which]
            const path = nodePath.join(home, Corpus.fileName(id, T0))
            const more = session(id, 1 + (o.seed % 3), o.seed)
            if (o.kind === "append" && fs.existsSync(path))
              fs.appendFileSync(
                path,
                more
                  .slice(1)
                  .map((l) => `${l}\n`)
                  .join("")
              )
            else write(home, id, id === FORK ? session(FORK, 1 + (o.seed % 3), o.seed, files[0]) : more)
          }
          expect(await answer(home, cache)).toBe(await answer(home))
          // And once more from the entries just made.
          expect(await answer(home, cache)).toBe(await answer(home))
        }
      }),
      { numRuns: 25 }
    )
  })

  it("serves an unchanged file from its entry, and neither a file that grew nor a fork whose parent grew", async () => {
    const home = nodePath.join(root, "lookup")
    const dir = nodePath.join(root, "lookup-cache")
    fs.mkdirSync(home)
    const parent = session(PARENT, 3, 1)
    write(home, PARENT, parent)
    write(home, FORK, session(FORK, 2, 2, parent))
    write(home, OTHER, session(OTHER, 2, 3))
    await answer(home, dir)
    const paths = fs.readdirSync(home).map((f) => nodePath.join(home, f))
    const find = StatsPool.threadFinder(Files.node, StatsPool.indexOf(paths), home)
    const saved = JSON.parse(fs.readFileSync(StatsCache.fileIn(dir), "utf8")) as { build: string }
    const cache = StatsCache.load(StatsCache.fileIn(dir), saved.build)
    expect(cache.entries.size).toBe(3)
    const pathOf = (id: string) => paths.find((p) => p.includes(id)) as string
    const hit = (id: string) => StatsCache.lookup(cache, pathOf(id), StatsCache.keyOf(pathOf(id)), find)
    for (const id of [PARENT, FORK, OTHER]) expect((await hit(id))?.path).toBe(pathOf(id))
    fs.appendFileSync(pathOf(PARENT), `${session(PARENT, 1, 9)[1]}\n`)
    expect(await hit(PARENT)).toBeUndefined()
    expect(await hit(FORK)).toBeUndefined()
    expect(await hit(OTHER)).toBeDefined()
    // Another build's entries are not trusted.
    expect(StatsCache.load(StatsCache.fileIn(dir), "another build").entries.size).toBe(0)
  })
})
