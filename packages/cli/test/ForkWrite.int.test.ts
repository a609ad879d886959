import * as NodeServices from "@effect/platform-node/NodeServices"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { Command } from "effect/cli"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as ForkWrite from "@rollout/query/ForkWrite"
import * as Output from "@rollout/cli/Output"
import * as ResumeCommand from "../src/ResumeCommand.js"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"

const FIXTURES = path.resolve(import.meta.dirname, "../../../fixtures/resume")
const SOURCE = path.join(FIXTURES, "fork-past-last-user-message", "input.jsonl")
const SOURCE_ID = "01a1fb98-0000-7000-8000-00000000000a"
const NOW = Date.UTC(2026, 10, 21, 1, 2, 3, 456)
const fixedIds: ForkWrite.ThreadIdsShape = { now: () => NOW, randomBytes: (n) => new Uint8Array(n).fill(0xab) }

/** Runs `rollout <argv>` (resume or fork) in-process with a fixed clock and id source. */
const run = async (argv: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const services = Layer.mergeAll(NodeServices.layer, Output.layer(output), Layer.succeed(Files.Files, Files.node))
  const [name, ...rest] = argv
  const program =
    name === "resume" ? Command.runWith(ResumeCommand.resume, { version: "test" })(rest) : Command.runWith(ResumeCommand.fork, { version: "test" })(rest)
  await Effect.runPromise(program.pipe(Effect.provide(services), Effect.provideService(ForkWrite.ThreadIds, fixedIds)))
  return { out: output.out(), err: output.err() }
}

let home: string
let thread: string
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-fork-"))
  thread = path.join(home, "sessions", "2026", "01", "01", `rollout-2026-01-01T00-00-00-${SOURCE_ID}.jsonl`)
  fs.mkdirSync(path.dirname(thread), { recursive: true })
  fs.copyFileSync(SOURCE, thread)
})
afterEach(() => fs.rmSync(home, { recursive: true, force: true }))

describe("ForkWrite", () => {
  it("given --write, writes a new thread named as Codex names it and leaves the source untouched", async () => {
    const before = fs.readFileSync(thread)
    const r = await run(["fork", SOURCE_ID, "--before-user-message", "1", "--write", "--json", "--codex-home", home])
    const result = JSON.parse(r.out)
    const id = result.threadId
    // A UUIDv7 of the injected clock and random bytes.
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(NOW)
    expect(id.endsWith("abababababab")).toBe(true)
    expect(result.forkedFromId).toBe(SOURCE_ID)
    // The fork resumes in Codex from the folder its session_meta names (the source's).
    const cwd = JSON.parse(fs.readFileSync(result.path, "utf8").split("\n")[0] ?? "{}").payload.cwd
    expect(result.resumeCommand).toBe(`cd ${cwd} && codex resume ${id}`)
    expect(result.path).toBe(CodexHome.newRolloutPath(home, NOW, id))
    const d = new Date(NOW)
    const p2 = (n: number) => String(n).padStart(2, "0")
    expect(path.relative(home, result.path)).toBe(
      path.join(
        "sessions",
        String(d.getFullYear()),
        p2(d.getMonth() + 1),
        p2(d.getDate()),
        `rollout-${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}-${id}.jsonl`
      )
    )
    expect(fs.readFileSync(thread)).toEqual(before)
    // No temporary file is left next to it.
    expect(fs.readdirSync(path.dirname(result.path)).filter((n) => n.endsWith(".tmp"))).toEqual([])

    const written = fs.readFileSync(result.path, "utf8").split("\n")
    expect(written.at(-1)).toBe("")
    const first = JSON.parse(written[0] ?? "")
    expect(first).toMatchObject({ timestamp: new Date(NOW).toISOString(), type: "session_meta" })
    expect(Object.keys(first.payload).slice(0, 3)).toEqual(["session_id", "id", "forked_from_id"])
    expect(first.payload).toMatchObject({ id, session_id: id, forked_from_id: SOURCE_ID, timestamp: new Date(NOW).toISOString(), model_provider: "local" })
    // Then the source's lines before user message 1, byte for byte: "c", as "b" was rolled back.
    const source = before.toString("utf8").split("\n")
    const cut = source.findIndex((l) => l.includes('"input_text","text":"c"'))
    expect(written.slice(1, -1)).toEqual(source.slice(0, cut))

    // The new thread is found by id, and resumes to the fork's history.
    const resumed = await run(["resume", id, "--json", "--codex-home", home])
    expect(JSON.parse(resumed.out).history).toEqual(result.history)
    const forked = await run(["fork", SOURCE_ID, "--before-user-message", "1", "--json", "--codex-home", home])
    expect(JSON.parse(forked.out)).toEqual({ history: result.history })
  })

  it("given N past the last user message, copies every line", async () => {
    const r = await run(["fork", thread, "--before-user-message", "99", "--write", "--codex-home", home])
    const [, written] = r.out.trim().split("\n")
    expect(r.out).toContain(`forked ${SOURCE_ID} into `)
    const lines = fs.readFileSync(written ?? "", "utf8").split("\n")
    expect(lines.slice(1)).toEqual(fs.readFileSync(thread, "utf8").split("\n"))
  })

  it("plan: unknown line types are copied, broken lines are not, and a source without session_meta cannot be forked", () => {
    const meta = `{"timestamp":"t","type":"session_meta","payload":{"id":"${SOURCE_ID}","timestamp":"t","history_mode":"paginated","history_base":{"x":1},"context_window":{"window_id":"w"}}}`
    const records: Array<ForkWrite.ReadLine> = [
      { raw: meta, known: { type: "session_meta" } as never },
      { raw: '{"timestamp":"t","type":"future_line","payload":{}}', known: undefined }
    ]
    const fork = ForkWrite.plan(home, records, 0, NOW, new Uint8Array(10))
    expect(fork?.lines.slice(1)).toEqual(records.map((r) => r.raw))
    const payload = JSON.parse(fork?.lines[0] ?? "").payload
    expect(payload.history_mode).toBe("legacy")
    expect(payload).not.toHaveProperty("history_base")
    expect(payload).not.toHaveProperty("context_window")
    expect(ForkWrite.plan(home, records.slice(1), 0, NOW, new Uint8Array(10))).toBeUndefined()
  })
})

describe("fork of a paginated fork (its history lives in its parent's rollout, via history_base)", () => {
  // In the sample home: an exec fork whose first three user messages are its parent's.
  const FORK = "01a1fb98-5691-7263-94fa-5eed69d583aa"
  const sample = path.resolve(import.meta.dirname, "../../../rollouts")
  const userTexts = (history: ReadonlyArray<{ type?: string; role?: string; content?: ReadonlyArray<{ text?: string }> }>) =>
    history
      .filter((i) => i.type === "message" && i.role === "user")
      .map((i) => i.content?.[0]?.text ?? "")
      .filter((t) => !t.startsWith("<"))

  it("counts N over the whole history (the parent's user messages first), and --write saves the same history", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-fork-base-"))
    try {
      fs.cpSync(sample, copy, { recursive: true, filter: (src) => !path.basename(src).startsWith("rollout-index") })
      for (const [n, expected] of [
        [1, ["List the workspace"]],
        [3, ["List the workspace", "Continue after resume", "This resumed turn fails"]]
      ] as const) {
        const cut = JSON.parse((await run(["fork", FORK, "--before-user-message", String(n), "--json", "--codex-home", copy])).out)
        expect(userTexts(cut.history)).toEqual(expected)
        const written = JSON.parse((await run(["fork", FORK, "--before-user-message", String(n), "--write", "--json", "--codex-home", copy])).out)
        expect(written.history).toEqual(cut.history)
        // The saved thread resumes to that history: nothing of the parent is lost, nothing after N kept.
        const resumed = JSON.parse((await run(["resume", written.path, "--json", "--codex-home", copy])).out)
        expect(userTexts(resumed.history)).toEqual(expected)
        fs.rmSync(written.path)
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })
})
