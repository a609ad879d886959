import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Input from "../src/Input.js"
import * as Output from "@rollout/cli/Output"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"

const root = path.resolve(import.meta.dirname, "../../..")
const home = path.join(root, "rollouts")
const sessions = path.join(home, "sessions/2026/11/21")
const fileOf = (id: string) => path.join(sessions, fs.readdirSync(sessions).find((n) => n.includes(id)) ?? id)
/** Legacy, paginated, and a paginated fork (its earlier turns come from its parent). */
const LEGACY = "01a1fb98-42cd-7e63-930d-df43c823f2b4"
const PAGINATED = "01a1fb98-4634-7d53-914c-e8f65aa50a8e"
const FORK = "01a1fb98-5691-7263-94fa-5eed69d583aa"
const ID = LEGACY

const run = async (args: ReadonlyArray<string>, keys?: ReadonlyArray<string>) => {
  const output = Output.buffer()
  const code = await main([...args, "--codex-home", home], output, undefined, keys === undefined ? undefined : Input.scripted(keys))
  return { code, out: output.out(), err: output.err() }
}

const typedOf = (id: string) =>
  fs
    .readFileSync(fileOf(id), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const d = RolloutLine.decode(JSON.parse(l))
      if (d._tag !== "Known") throw new Error("sample line not known")
      return d.line
    })
const typed = typedOf(LEGACY)

describe("rollout replay --at N", () => {
  it("--json: {line, thread} whose turns are thread/read's turns of lines 1..N only (legacy and paginated)", async () => {
    const expected = {
      [LEGACY]: (n: number) => ThreadHistory.turns(typedOf(LEGACY).slice(0, n)),
      [PAGINATED]: (n: number) => PaginatedHistory.turns(PaginatedHistory.fold(typedOf(PAGINATED).slice(0, n)))
    }
    for (const [id, turnsAt] of Object.entries(expected)) {
      for (const n of [1, 5, 17, typedOf(id).length - 1]) {
        const r = await run(["replay", id, "--at", String(n), "--json"])
        expect(r.code).toBe(0)
        const doc = JSON.parse(r.out)
        expect(doc.line).toBe(n)
        expect(doc.thread.id).toBe(id)
        expect(doc.thread.turns).toEqual(JSON.parse(JSON.stringify(turnsAt(n))))
      }
    }
  })

  it("at the last line it is exactly `rollout history` (a fork's earlier turns included)", async () => {
    for (const id of [LEGACY, PAGINATED, FORK]) {
      const at = JSON.parse((await run(["replay", fileOf(id), "--at", String(typedOf(id).length), "--json"])).out)
      const history = JSON.parse((await run(["history", fileOf(id), "--json"])).out)
      expect(at.thread).toEqual(history.thread)
    }
  })

  it("says the problems of lines 1..N only, as it folds only those (with and without --json)", async () => {
    const lines = fs
      .readFileSync(fileOf(LEGACY), "utf8")
      .split("\n")
      .filter((l) => l !== "")
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-replay-"))
    const file = path.join(dir, path.basename(fileOf(LEGACY)))
    fs.writeFileSync(file, `${[...lines.slice(0, 4), "{not json", ...lines.slice(4), "garbage"].join("\n")}\n`)
    try {
      for (const json of [["--json"], []]) {
        const early = await run(["replay", file, "--at", "6", ...json])
        expect(early.code).toBe(0)
        expect(early.err).toContain(`${file}:5: invalid_json`)
        expect(early.err).not.toContain("garbage")
        const late = await run(["replay", file, "--at", String(lines.length + 2), ...json])
        expect(late.err).toContain(`${file}:5: invalid_json`)
        expect(late.err).toContain(`${file}:${lines.length + 2}: invalid_json`)
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("without --json, a readable summary", async () => {
    const r = await run(["replay", ID, "--at", "20"])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(new RegExp(`^thread ${ID} after line 20 of ${typed.length}: \\d+ turns?\\n`))
    expect(r.out).toMatch(/── turn 1 \(/)
  })

  it("usage errors exit 2: no mode, N out of range, --verify with --at, --step with --json", async () => {
    for (const args of [
      ["replay", ID],
      ["replay", ID, "--at", "0"],
      ["replay", ID, "--at", "9999"],
      ["replay", ID, "--verify", "--at", "3"],
      ["replay", ID, "--step", "--json"]
    ]) {
      const r = await run(args)
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.err).toMatch(/^rollout replay: .*See .rollout replay --help.\.\n$/)
    }
    expect((await run(["replay", "01a1fb98-0000-7000-8000-000000000000", "--at", "1"])).code).toBe(2)
  })
})

describe("rollout replay --step (scripted keys through the Input service)", () => {
  const frames = (out: string) => out.split(/\n(?=thread |\S+ · line)/).filter((f) => f.trim() !== "")
  const header = (frame: string) => /line (\d+) of (\d+) {2}· {2}step (\d+)\/(\d+) {2}· {2}turn (\d+) of (\d+)/.exec(frame)?.slice(1).map(Number)

  it("n/p/→/← move a line, N/P a turn, g N⏎ jumps, q quits; each frame shows the line and the thread", async () => {
    const r = await run(["replay", ID, "--step"], ["n", "n", "right", "p", "left", "N", "N", "P", "g", "2", "0", "enter", "q", "n"])
    expect(r.code).toBe(0)
    const shown = frames(r.out).map(header)
    // One frame per key: the g prompt redraws with what was typed so far.
    expect(shown.map((h) => h?.[0]).slice(0, 6)).toEqual([0, 1, 2, 3, 2, 1])
    expect(shown.map((h) => h?.[0]).slice(-1)).toEqual([20])
    expect(shown.length).toBe(13)
    // N lands on the line that starts a turn; P goes back to the previous one.
    expect(shown.slice(5, 9).map((h) => h?.[4])).toEqual([0, 1, 2, 1])
    const turnStarts = typed.flatMap((l, i) => (l.type === "event_msg" && l.payload.type === "task_started" ? [i + 1] : []))
    expect(shown.slice(6, 9).map((h) => h?.[0])).toEqual([turnStarts[0], turnStarts[1], turnStarts[0]])
    expect(frames(r.out)[10]).toContain("go to line: 2")
    const last = frames(r.out).at(-1) ?? ""
    expect(last).toMatch(/thread: \d+ turns?/)
    expect(last).toContain(JSON.stringify(typed[19]).slice(0, 40))
  })

  it("--at N --step starts at line N; the end of input ends the session", async () => {
    const r = await run(["replay", ID, "--step", "--at", "10"], ["n"])
    expect(frames(r.out).map((f) => header(f)?.[0])).toEqual([10, 11])
  })

  it("stepping stays within the session", async () => {
    const r = await run(["replay", ID, "--step"], ["p", "P", "g", "9", "9", "9", "enter", "n", "N", "q"])
    const lines = frames(r.out).map((f) => header(f)?.[0])
    expect(lines[0]).toBe(0)
    expect(lines[1]).toBe(0)
    expect(lines.at(-1)).toBe(typed.length)
  })

  it("on a terminal, every frame fits its size (read again at each draw: the window may be resized)", async () => {
    let size = { columns: 50, rows: 14 }
    let out = ""
    const output = Output.make(
      (t) => (out += t),
      () => {},
      true,
      false,
      () => size
    )
    const keys = Input.scripted(["N", "N", "N"])
    const terminal = { ...keys, interactive: true }
    const sizes: Array<{ columns: number; rows: number }> = []
    const resizing = {
      ...terminal,
      keys: async function* () {
        for await (const k of keys.keys()) {
          sizes.push(size)
          yield k
          size = { columns: 30, rows: 10 }
        }
      }
    }
    expect(await main(["replay", ID, "--step", "--codex-home", home], output, undefined, resizing)).toBe(0)
    const screens = out.split("\x1b[2J\x1b[H").filter((f) => f !== "")
    expect(screens.length).toBe(4)
    const fits = (screen: string, s: { columns: number; rows: number }) => {
      const lines = screen.replace(/\n$/, "").split("\n")
      expect(lines.length).toBeLessThanOrEqual(s.rows - 1)
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(s.columns)
    }
    fits(screens[0] ?? "", { columns: 50, rows: 14 })
    for (const screen of screens.slice(2)) fits(screen, { columns: 30, rows: 10 })
    // The position line and the keys stay; what is cut is said.
    expect(screens.at(-1)).toMatch(/^thread \S+/)
    expect(screens.at(-1)).toMatch(/more lines above/)
    expect(screens.at(-1)?.trimEnd().split("\n").at(-1)).toMatch(/^keys: /)
  })
})
