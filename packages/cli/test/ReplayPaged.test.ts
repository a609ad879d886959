// `replay --step` reads its pages on demand (`ReplaySession`, `Timeline`); these hold it to the
// replay as it was, every line held and each frame folded from line 1 (`ReplayHeld`), byte for
// byte: the frames of random key sequences, the diagnostics, `--at`'s thread and work log, on every
// committed fixture, the sample home (a paginated fork included) and generated recordings with
// broken lines, over pages of a line or a few bytes and the real size, read by offset or held.
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as ReplaySession from "@rollout/query/ReplaySession"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"
import * as StreamedThreads from "@rollout/query/test/support/StreamedThreads"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as Timeline from "@rollout/reduce/Timeline"
import * as Output from "@rollout/cli/Output"
import * as Input from "../src/Input.js"
import * as ReplayStep from "../src/ReplayStep.js"
import * as ReplayHeld from "./ReplayHeld.js"

const home = path.join(StreamedThreads.root, "rollouts")
const samples = (fs.readdirSync(path.join(home, "sessions"), { recursive: true }) as Array<string>)
  .filter((f) => f.endsWith(".jsonl"))
  .map((f) => path.join(home, "sessions", f))

/** A generated thread (as the huge bench makes them) with broken lines among its turns, and no LF at its end. */
const generated = (seed: number, turns: number): string => {
  const rand = StatsCorpus.prng(seed)
  const w = new StatsCorpus.Writer(`0198f2a4-5b6c-7d8e-9f00-00000000000${seed % 10}`, 1_780_000_000_000)
  const lines = [StatsCorpus.sessionMeta(w.id, 1_780_000_000_000)]
  for (let i = 0; i < turns; i++) lines.push(...w.turn(StatsCorpus.randomTurn(rand), " lorem ipsum".repeat(1 + (i % 5))))
  const broken = ["", "not json", "[1]", '{"type":"event_msg","payload":{"type":"task_started","turn_id":7}}', '{"type":"mystery","payload":{}}', "   "]
  broken.forEach((b, i) => lines.splice(1 + Math.floor(((i + 1) * lines.length) / (broken.length + 2)), 0, b))
  return lines.join("\n")
}

const forwardOnly = (files: Files.Shape): Files.Shape => ({ chunks: files.chunks, stat: files.stat, list: files.list })

const open = (files: Files.Shape, paths: ReadonlyArray<string>, size: ReplaySession.PageSize) => {
  let problems = ""
  const layer = Layer.mergeAll(
    Layer.succeed(Files.Files, files),
    Diagnostics.layer((t) => (problems += t))
  )
  return Effect.runPromise(ReplaySession.open(paths, home, size).pipe(Effect.provide(layer))).then((recording) => ({ recording, problems }))
}

const key = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("n", "p", "N", "P", "right", "left", "down", "up") },
  { weight: 1, arbitrary: fc.constantFrom("g", "enter", " ", "\t", "backspace", "escape", "x", "0", "1", "2", "3", "5", "9") }
)

interface Case {
  readonly name: string
  readonly files: Files.Shape
  readonly paths: ReadonlyArray<string>
}

const sizes: ReadonlyArray<ReplaySession.PageSize> = [{ lines: 1 }, { lines: 3, bytes: 200 }, { lines: 7 }, {}]

/** The paged replay of `c` against the held one: diagnostics, counts, the frames of random walks, and `--at`. */
const agree = async (c: Case, runs: number) => {
  const held = await ReplayHeld.read(c.files, c.paths)
  for (const size of sizes) {
    for (const files of [c.files, forwardOnly(c.files)]) {
      const { recording, problems } = await open(files, c.paths, size)
      expect(problems, c.name).toBe(held.problems)
      const reference = ReplayHeld.replay(held.entries, recording.inherited?.paginated ?? PaginatedHistory.empty, "T")
      expect(recording.lastNumber).toBe(reference.lastNumber)
      await fc.assert(
        fc.asyncProperty(fc.array(key, { maxLength: 40 }), fc.nat({ max: reference.lastNumber + 1 }), async (keys, line) => {
          const output = Output.buffer()
          const start = await ReplaySession.session(recording, "T", async (session) => {
            expect(Timeline.end(session.timeline)).toBe(reference.end)
            expect(Array.from(session.timeline.marks)).toEqual(reference.marks)
            const c = await Timeline.at(session.timeline, await ReplaySession.positionOf(session, line))
            await ReplayStep.run(session, c, Input.scripted(keys), output)
            return c.position
          })
          expect(start).toBe(reference.positionOf(line))
          expect(output.out()).toBe(reference.run(start, keys))
        }),
        { numRuns: runs }
      )
      // `--at N`: thread/read's turns and the work log of lines 1..N.
      const layer = Layer.succeed(Files.Files, files)
      for (const n of [1, Math.ceil(reference.lastNumber / 2), reference.lastNumber]) {
        const at = await Effect.runPromise(ReplaySession.threadAt(recording, n, c.name, home, "live").pipe(Effect.result, Effect.provide(layer)))
        if (at._tag === "Failure") continue
        const upTo = held.entries.filter((e) => e.number <= n).flatMap((e) => (e.typed === undefined ? [] : [e.typed]))
        expect(at.success.work).toEqual(ThreadWork.fold(upTo).work)
        expect(at.success.thread.turns.length).toBe(Number(/thread: (\d+) turn/.exec(reference.frame(reference.positionOf(n)))?.[1]))
      }
    }
  }
}

describe("replay --step over pages read on demand is the held replay, byte for byte", () => {
  it("the sample home (legacy, paginated, a paginated fork), read from disk", { timeout: 600_000 }, async () => {
    expect(samples.length).toBeGreaterThan(3)
    for (const file of samples) await agree({ name: file, files: Files.node, paths: [file] }, 4)
  })

  it("every rollout fixture and the history fixtures run together, read from memory in small chunks", { timeout: 600_000 }, async () => {
    const texts: Record<string, string> = { "/r/together.jsonl": StreamedThreads.runTogether() }
    for (const f of StreamedThreads.fixtures) texts[`/r${f.slice(StreamedThreads.root.length)}`] = fs.readFileSync(f, "utf8")
    const files = Files.memory(texts, 61)
    for (const p of Object.keys(texts)) await agree({ name: p, files, paths: [p] }, 3)
  })

  it("generated recordings with broken lines, in one file and split over two", { timeout: 600_000 }, async () => {
    const text = generated(3, 40)
    const cut = text.indexOf("\n", text.length >> 1) + 1
    const files = Files.memory({ "/g/one.jsonl": text, "/g/a.jsonl": text.slice(0, cut), "/g/b.jsonl": text.slice(cut) }, 4096)
    await agree({ name: "one", files, paths: ["/g/one.jsonl"] }, 6)
    await agree({ name: "two", files, paths: ["/g/a.jsonl", "/g/b.jsonl"] }, 6)
  })

  it("a page read again after its file changed fails instead of showing other lines", async () => {
    const text = generated(5, 6)
    const bytes: Record<string, string> = { "/c/r.jsonl": text }
    const files: Files.Shape = { ...Files.memory(bytes), read: async (p, at, n) => Files.memory(bytes).read?.(p, at, n) ?? new Uint8Array(0) }
    const { recording } = await open(files, ["/c/r.jsonl"], { lines: 4 })
    bytes["/c/r.jsonl"] = text.slice(0, 100)
    await expect(ReplaySession.session(recording, "T", (s) => Timeline.at(s.timeline, Timeline.end(s.timeline)))).rejects.toThrow(
      /changed while it was replayed/
    )
  })
})
