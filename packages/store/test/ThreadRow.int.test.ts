// A thread stored in several files (segments: a compressed or binary older part and a live .jsonl
// named with the same thread id) is one row and one listing entry, searchable in every part.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as SegmentConvert from "@rollout/log/SegmentConvert"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"
import * as Zstd from "./support/Zstd.js"

const ID = Home.uuid(77)
const T1 = Date.UTC(2026, 3, 1)
const T2 = Date.UTC(2026, 3, 2)

const twoParts = async (first: "zst" | "rseg") => {
  const home = Home.tempDir()
  const older = Home.rolloutPath(home, ID, T1)
  Home.write(older, [Home.sessionMeta(ID, T1), ...Home.turn("t1", T1, "first part question", "first answer")])
  if (first === "zst") {
    fs.writeFileSync(`${older}.zst`, Zstd.encode(fs.readFileSync(older)))
    fs.rmSync(older)
  } else {
    const result = await SegmentConvert.convert(Files.node, older, older.replace(/\.jsonl$/, ".rseg"))
    expect(result).toBeDefined()
    fs.rmSync(older)
  }
  const part = first === "zst" ? `${older}.zst` : older.replace(/\.jsonl$/, ".rseg")
  fs.utimesSync(part, T1 / 1000 + 60, T1 / 1000 + 60)
  const newer = Home.rolloutPath(home, ID, T2)
  Home.write(newer, Home.turn("t2", T2, "second part question", "second answer"), T2 + 5000)
  return { home, newer }
}

describe("a thread in several files", () => {
  for (const kind of ["zst", "rseg"] as const) {
    it(`given an older .${kind} part and a live .jsonl part, then one thread lists both files and search finds both parts`, async () => {
      const { home, newer } = await twoParts(kind)
      const store = Store.open({ home, path: path.join(home, "index.sqlite") })
      try {
        const { data } = await store.list()
        expect(data.length).toBe(1)
        const [t] = data
        expect(t?.id).toBe(ID)
        expect(t?.preview).toBe("first part question")
        expect(t?.paths.length).toBe(2)
        expect(t?.paths).toContain(newer)
        expect(t?.updatedAt).toBe((T2 + 5000) / 1000)
        const hits = await store.search({ text: "part question" })
        expect(hits.map((h) => [h.threadId, h.kind, h.turn.id]).sort()).toEqual([
          [ID, "user", "t1"],
          [ID, "user", "t2"]
        ])
      } finally {
        store.close()
      }
    })
  }
})
