import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { describe, expect, it, vi } from "vitest"

// Records flushes, links and renames in the order TrimWrite makes them; `grow` appends to a file
// while the trimmed copy is written, as a Codex still writing the thread would.
const calls: Array<string> = []
const grow: { file: string | undefined } = { file: undefined }
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>()
  const fsyncSync = (fd: number) => {
    calls.push(`fsync ${path.basename(real.readlinkSync(`/proc/self/fd/${fd}`))}`)
    return real.fsyncSync(fd)
  }
  const renameSync = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`rename ${path.basename(String(a))}`)
    return real.renameSync(a, b)
  }
  const link = (a: fs.PathLike, b: fs.PathLike) => {
    calls.push(`link ${path.basename(String(b))}`)
    return real.promises.link(a, b)
  }
  const writeFile = async (...args: Parameters<typeof real.promises.writeFile>) => {
    await real.promises.writeFile(...args)
    if (grow.file !== undefined)
      real.appendFileSync(grow.file, '{"timestamp":"2026-01-01T00:00:09.000Z","type":"event_msg","payload":{"type":"agent_message","message":"late"}}\n')
  }
  const mocked = { ...real, fsyncSync, renameSync, promises: { ...real.promises, link, writeFile } }
  return { ...mocked, default: mocked }
})

const Files = await import("@rollout/log/Files")
const TrimWrite = await import("@rollout/query/TrimWrite")

const ID = "01a1fb98-0000-7000-8000-00000000000a"
const fixture = path.resolve(import.meta.dirname, "../../../fixtures/resume/checkpoint-replaces-history/input.jsonl")
const run = <A, E>(effect: Effect.Effect<A, E, import("@rollout/log/Files").Files>) =>
  Effect.runPromiseExit(effect.pipe(Effect.provideService(Files.Files, Files.node)))

const scratch = (): { home: string; file: string } => {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "trim-write-")))
  const file = path.join(home, `rollout-2026-01-01T00-00-00-${ID}.jsonl`)
  fs.copyFileSync(fixture, file)
  return { home, file }
}

describe("TrimWrite.header", () => {
  const meta = { session_id: "a", id: "a", forked_from_id: "p", timestamp: "2026-01-01T00:00:00.000Z", cwd: "/w", history_mode: "paginated", history_base: 3 }
  it("given a new thread, gives it the new id, the original as forked_from_id right after id, the time, legacy history", () => {
    const line = JSON.parse(TrimWrite.header(meta, "b", Date.UTC(2026, 1, 2), true))
    expect(Object.keys(line.payload)).toEqual(["session_id", "id", "forked_from_id", "timestamp", "cwd", "history_mode"])
    expect(line.payload).toEqual({ session_id: "b", id: "b", forked_from_id: "a", timestamp: "2026-02-02T00:00:00.000Z", cwd: "/w", history_mode: "legacy" })
  })
  it("given the same thread (--replace), keeps its id, creation time and own forked_from_id", () => {
    const line = JSON.parse(TrimWrite.header(meta, "a", Date.UTC(2026, 1, 2), false))
    expect(line.payload).toEqual({ session_id: "a", id: "a", forked_from_id: "p", timestamp: "2026-01-01T00:00:00.000Z", cwd: "/w", history_mode: "legacy" })
  })
})

describe("TrimWrite.replace", () => {
  it("flushes the trimmed file, links the original to its backup, then renames the trimmed file over it", async () => {
    const { home, file } = scratch()
    try {
      const original = fs.readFileSync(file)
      calls.length = 0
      const exit = await run(TrimWrite.replace(file, home))
      if (exit._tag !== "Success") throw new Error(String(exit.cause))
      const w = exit.value
      expect(w).toMatchObject({ threadId: ID, sourceId: ID, path: file, bytesBefore: original.length, bytesAfter: fs.statSync(file).size })
      const temp = calls.find((c) => c.startsWith("rename "))?.slice("rename ".length) ?? ""
      expect(temp).toMatch(/\.tmp-[0-9a-f]+$/)
      expect(calls).toEqual([
        `link ${path.basename(w.backup ?? "")}`,
        `fsync ${home.split(path.sep).at(-1)}`,
        `fsync ${temp}`,
        `rename ${temp}`,
        `fsync ${home.split(path.sep).at(-1)}`
      ])
      expect(fs.readFileSync(w.backup ?? "")).toEqual(original)
      expect(fs.readdirSync(home).sort()).toEqual([path.basename(file), path.basename(w.backup ?? "")].sort())
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  })

  it("given a file that grows while it is trimmed, replaces nothing and leaves no backup or temporary file", async () => {
    const { home, file } = scratch()
    try {
      grow.file = file
      const exit = await run(TrimWrite.replace(file, home))
      grow.file = undefined
      expect(exit._tag).toBe("Failure")
      expect(String(exit._tag === "Failure" ? exit.cause : "")).toContain("grew while it was trimmed")
      expect(fs.readdirSync(home)).toEqual([path.basename(file)])
      expect(fs.readFileSync(file, "utf8")).toContain('"message":"late"')
    } finally {
      grow.file = undefined
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})

describe("TrimWrite.measurePaths", () => {
  it("given a .jsonl.zst file, refuses it: it cannot be read from its end", async () => {
    const exit = await Effect.runPromiseExit(TrimWrite.measurePaths(Files.memory({ "/h/a.jsonl.zst": "" }), ["/h/a.jsonl.zst"]))
    expect(exit._tag).toBe("Failure")
    expect(String(exit._tag === "Failure" ? exit.cause : "")).toContain("decompress it first")
  })
})
