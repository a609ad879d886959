// `rollout resume` and `rollout fork` of paginated forks against what the real Codex 0.171 sent and
// wrote (fixtures/resume/codex-forks, recorded by test/oracle/ResumeForks.test.ts with
// RECORD_RESUME_FORKS=1). A paginated fork holds none of its parent's lines; resumed, it starts from
// the parent's history before the fork. Each case puts the home back as it was when Codex acted
// (every file cut to its size then) and asks our command the same question.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Files from "@rollout/log/Files"
import * as ResumeRead from "@rollout/query/ResumeRead"

type Item = Record<string, unknown>

interface Step {
  readonly name: string
  readonly threadId: string
  readonly prompt: string
  /** Every rollout file of the home (by its path under the home) and its size when Codex acted. */
  readonly sizes: Readonly<Record<string, number>>
  /** The `input` of Codex's first model request: base instructions, the history, the prompt. */
  readonly input: ReadonlyArray<Item>
}

interface Cases {
  readonly parent: string
  readonly resumes: ReadonlyArray<Step>
  readonly cutFork: Step & { readonly source: string; readonly beforeUserMessage: number; readonly turns: unknown }
}

const FIXTURE = path.resolve(import.meta.dirname, "../../../fixtures/resume/codex-forks")
const cases: Cases = JSON.parse(fs.readFileSync(path.join(FIXTURE, "cases.json"), "utf8"))

const homes: Array<string> = []
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true })
})

/** A Codex home holding the fixture's rollouts as they were at `step`. */
const homeAt = (step: Step): string => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-codex-forks-"))
  homes.push(home)
  for (const [file, size] of Object.entries(step.sizes)) {
    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true })
    fs.writeFileSync(path.join(home, file), fs.readFileSync(path.join(FIXTURE, "home", file)).subarray(0, size))
  }
  return home
}

const rollout = async (...argv: Array<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  expect(code, output.err()).toBe(0)
  return JSON.parse(output.out())
}

/** What Codex sends of a history item: the metadata passthrough stays in the file. */
const asSent = (items: ReadonlyArray<Item>) => items.map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)

const firstLine = (file: string) => JSON.parse(fs.readFileSync(file, "utf8").split("\n")[0] ?? "{}")

describe("a paginated fork resumes from its parent's history, as codex exec resume sent it", () => {
  it.each(cases.resumes.map((step) => [step.name, step] as const))("%s", async (_, step) => {
    const home = homeAt(step)
    const ours = await rollout("resume", step.threadId, "--json", "--codex-home", home)
    // Codex sends its base instructions first and the new prompt last.
    expect(asSent(ours.history)).toEqual(step.input.slice(1, -1))
    // Read backward in small blocks, into the parent's bounded file, the answer is the same.
    const own = Object.keys(step.sizes).filter((file) => file.endsWith(`${step.threadId}.jsonl`))
    const small = await ResumeRead.read(
      Files.node,
      own.map((file) => path.join(home, file)),
      () => {},
      { blockSize: 61, home }
    )
    expect(asSent(JSON.parse(JSON.stringify(small.output.history)))).toEqual(step.input.slice(1, -1))
    // Without the home the parent cannot be found: only the fork's own part.
    const alone = await ResumeRead.read(
      Files.node,
      own.map((file) => path.join(home, file)),
      () => {}
    )
    expect(alone.output.history.length).toBeLessThan(ours.history.length)
  })

  it("the parent's lines written after the fork are not the fork's", () => {
    const [fork] = cases.resumes
    expect(JSON.stringify(fork?.input)).not.toContain("Parent only")
    const parent = Object.keys(fork?.sizes ?? {}).find((file) => file.endsWith(`${cases.parent}.jsonl`)) ?? ""
    const forkFile = Object.keys(fork?.sizes ?? {}).find((file) => file.endsWith(`${fork?.threadId}.jsonl`)) ?? ""
    // The parent had grown past the fork's end when Codex resumed the fork.
    expect(fork?.sizes[parent]).toBeGreaterThan(firstLine(path.join(FIXTURE, "home", forkFile)).payload.history_base.end_byte_offset)
  })
})

describe("a fork before user message N, as Codex's thread/fork before that turn", () => {
  const step = cases.cutFork
  const codexFork = (fs.readdirSync(path.join(FIXTURE, "home", "sessions"), { recursive: true }) as Array<string>).find((file) =>
    file.endsWith(`${step.threadId}.jsonl`)
  )

  it("fork --json prints the history Codex sent the cut fork's first turn", async () => {
    const home = homeAt(step)
    const ours = await rollout("fork", step.source, "--before-user-message", String(step.beforeUserMessage), "--json", "--codex-home", home)
    expect(asSent(ours.history)).toEqual(step.input.slice(1, -1))
  })

  it("fork --write names the cut Codex's fork names (history_base, forked_from_*, ordinal), and history reads it as Codex's thread/read", async () => {
    const home = homeAt(step)
    const written = await rollout("fork", step.source, "--before-user-message", String(step.beforeUserMessage), "--write", "--json", "--codex-home", home)
    const ours = firstLine(written.path)
    const codex = firstLine(path.join(FIXTURE, "home", "sessions", codexFork ?? ""))
    expect(ours.ordinal).toBe(codex.ordinal)
    for (const key of ["forked_from_id", "forked_from_ordinal_exclusive", "history_mode", "history_base"]) expect(ours.payload[key]).toEqual(codex.payload[key])
    expect(fs.readFileSync(written.path, "utf8").trimEnd().split("\n")).toHaveLength(1)
    // The fork's turns are the source's before the cut, as Codex's thread/read gave them.
    const history = await rollout("history", written.threadId, "--json", "--codex-home", home)
    expect(history.thread.turns).toEqual((step.turns as ReadonlyArray<unknown>).slice(0, step.beforeUserMessage))
  })
})

describe("fork --write of a paginated thread, for every N", () => {
  it("the fork resumes to the history fork --json prints, and its turns are the source's before the cut (the fork of a fork, whose first turns live in two parents)", async () => {
    const last = cases.resumes.at(-1) as Step
    const home = homeAt({
      ...last,
      sizes: Object.fromEntries(Object.keys(last.sizes).map((file) => [file, fs.statSync(path.join(FIXTURE, "home", file)).size]))
    })
    const source = (await rollout("history", last.threadId, "--json", "--codex-home", home)).thread.turns
    expect(source.length).toBeGreaterThanOrEqual(4)
    for (let n = 0; n <= source.length + 1; n++) {
      const printed = await rollout("fork", last.threadId, "--before-user-message", String(n), "--json", "--codex-home", home)
      const written = await rollout("fork", last.threadId, "--before-user-message", String(n), "--write", "--json", "--codex-home", home)
      expect(written.history).toEqual(printed.history)
      expect((await rollout("resume", written.threadId, "--json", "--codex-home", home)).history).toEqual(printed.history)
      const turns = (await rollout("history", written.threadId, "--json", "--codex-home", home)).thread.turns
      expect(turns).toEqual(source.slice(0, n))
    }
  })
})
