// The scanning thread (ScanAhead) runs only from the built package: this test has a plain Node
// process drive the built store (dist/, which turbo builds before tests) so that a refresh parses
// on the worker while it writes, then checks the index against a projection of the files, as a
// refresh on one thread is checked.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import Database from "better-sqlite3"
import { describe, expect, it } from "vitest"
import * as Home from "./support/Home.js"
import * as Projection from "./support/Projection.js"

const dist = path.resolve(import.meta.dirname, "../dist")

describe("Refresh with a scanning thread", () => {
  it("given files read ahead on the worker in small batches, some in slices, then the index equals the projection of the files", async () => {
    expect(fs.existsSync(path.join(dist, "internal/ScanWorker.js"))).toBe(true)
    const home = Home.tempDir()
    for (let n = 1; n <= 9; n++) {
      const t0 = Date.UTC(2026, 3, n)
      const turns = Array.from({ length: n * 40 }, (_, k) =>
        Home.turn(`t${n}-${k}`, t0 + k * 1000, `prompt ${n} ${k}`, `answer ${k}`, { cmd: `ls ${k}`, output: `out ${k} `.repeat(50) })
      ).flat()
      Home.write(Home.rolloutPath(home, Home.uuid(n), t0), [Home.sessionMeta(Home.uuid(n), t0), ...turns])
    }
    const index = path.join(Home.tempDir("rollout-index-"), "index.sqlite")
    const script = `
      const Store = await import(${JSON.stringify(pathToFileURL(path.join(dist, "Store.js")).href)})
      const store = Store.Store.open({ home: ${JSON.stringify(home)}, path: ${JSON.stringify(index)} })
      let progress = 0
      const r = await store.refresh({ aheadMinBytes: 0, batchFiles: 2, batchBytes: 200000, onProgress: () => progress++ })
      const hits = await store.search({ text: "prompt 9 359" }, false)
      store.close()
      console.log(JSON.stringify({ filesRead: r.filesRead, progress, hits: hits.length }))`
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 }))
    expect(out).toEqual({ filesRead: 9, progress: 9, hits: 1 })
    const db = new Database(index, { readonly: true })
    try {
      expect(Projection.ofIndex(db)).toEqual(await Projection.ofFiles(home))
    } finally {
      db.close()
    }
  })
})
