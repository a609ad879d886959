// The store opened through its Effect layer on a test host: a Codex home held in memory and a clock
// the test holds. Listing reads the files through the host; unarchiving touches the file to the
// host's time, not the machine's.
import * as path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Host from "../src/internal/Host.js"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"

describe("Store on a test host", () => {
  it("given a home in memory, when a thread is archived and unarchived, then its file moves and takes the test clock's time", async () => {
    const t0 = Date.UTC(2026, 1, 2, 3, 4, 5)
    const host = Host.test(t0)
    const home = path.resolve("/codex-home")
    const id = Home.uuid(7)
    const file = Home.rolloutPath(home, id, t0)
    host.files.write(file, `${[Home.sessionMeta(id, t0), ...Home.turn("t1", t0, "hello there", "hi")].join("\n")}\n`, t0)
    host.clock.advance(10_000)
    const index = path.join(Home.tempDir("rollout-index-"), "index.sqlite")
    const program = Effect.scoped(
      Effect.gen(function* () {
        const store = yield* Store.make({ home, path: index })
        const listed = yield* Effect.promise(() => store.list())
        const archived = yield* Effect.promise(() => store.archive(id))
        host.clock.advance(60_000)
        const back = yield* Effect.promise(() => store.unarchive(id))
        const hits = yield* Effect.promise(() => store.search({ text: "hello" }))
        return { listed, archived, back, hits }
      })
    )
    const { listed, archived, back, hits } = await Effect.runPromise(Effect.provide(program, Host.layerTest(host)))
    expect(listed.data.map((t) => t.id)).toEqual([id])
    expect(archived.paths).toEqual([Home.rolloutPath(home, id, t0, true)])
    expect(back.paths).toEqual([file])
    expect(host.files.stat(file)?.mtimeMs).toBe(t0 + 70_000)
    expect(hits.map((h) => h.threadId)).toEqual([id])
  })
})
