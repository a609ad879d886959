// Shared set-up of the engine end-to-end tests: a temp Codex home, the scripted Responses server,
// an engine on a virtual clock and counter ids, and the checks every written rollout must pass
// (`rollout validate` finds nothing, `replay --verify` is identical), and reading back the trace
// bundle an engine with a trace root wrote.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, expect } from "vitest"
import * as Clock from "@rollout/engine/Clock"
import * as Engine from "@rollout/engine/Engine"
import * as Ids from "@rollout/engine/Ids"
import type * as ModelScript from "@rollout/engine/ModelScript"
import * as Replay from "@rollout/engine/Replay"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"
import * as Validation from "@rollout/log/Validation"
import * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as RolloutTrace from "@rollout/reduce/RolloutTrace"
import { Result } from "effect"

export const START = Date.UTC(2026, 10, 21, 9, 0, 0)

/** Virtual time whose sleeps wait for their abort signal (so a test decides when a sleep ends). */
export const manualSleepClock = (start = START): Clock.Clock => {
  const virtual = Clock.virtual(start, 7)
  return {
    now: virtual.now,
    sleep: (_ms, signal) =>
      new Promise((resolve) =>
        signal === undefined ? resolve() : signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })
      )
  }
}

export interface Setup {
  readonly home: string
  readonly server: ScriptedModelServer.ScriptedModelServer
  readonly engine: Engine.Engine
  readonly close: () => Promise<void>
}

export const setup = async (
  turns: ReadonlyArray<ModelScript.Turn>,
  options: Partial<Engine.Options> = {},
  respond?: ScriptedModelServer.Options["respond"]
): Promise<Setup> => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-engine-"))
  const server = await ScriptedModelServer.start({ turns, ...(respond === undefined ? {} : { respond }) })
  const engine = Engine.make({
    codexHome: home,
    baseURL: server.baseUrl,
    config: { cwd: "/work/demo", backoffBaseMs: 1, ...options.config },
    clockFor: () => Clock.virtual(START, 7),
    idsFor: (id) => Ids.counter(id === Engine.ROOT ? 0 : parseInt(id.slice(-4), 16)),
    durability: "none",
    ...options
  })
  return {
    home,
    server,
    engine,
    close: async () => {
      await engine.close()
      await server.close()
      fs.rmSync(home, { recursive: true, force: true })
    }
  }
}

/**
 * `setup` for one test at a time, closed after each test. Call it once at the top level of a test
 * file: `const start = perTest()`, then `await start(turns, options, respond)` in a test.
 */
export const perTest = (): ((...args: Parameters<typeof setup>) => Promise<Setup>) => {
  let current: Setup | undefined
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
  return async (...args) => (current = await setup(...args))
}

export const lines = (file: string): Array<string> => fs.readFileSync(file, "utf8").trimEnd().split("\n")
export const payloads = (file: string): Array<any> => lines(file).map((l) => JSON.parse(l))

/** The file passes `rollout validate` and replays identically. */
export const expectSound = async (home: string, file: string): Promise<void> => {
  const report = await Validation.validateFile(Files.node, file)
  expect(report.problems).toEqual([])
  expect(report.notes ?? []).toEqual([])
  const verdict = await Replay.verify(Files.node, [file], { codexHome: home })
  expect(verdict).toEqual({ identical: true, firstDifference: null })
}

/** `type` or `type/payload.type` of each line, for compact assertions on the line sequence. */
export const shapes = (file: string): Array<string> =>
  payloads(file).map((l) => (l.type === "event_msg" || l.type === "response_item" ? `${l.type}/${l.payload.type}` : l.type))

/** The one trace bundle under `root`, reduced with `RolloutTrace` (the reduction must not fail). */
export const reduceTrace = async (root: string): Promise<{ readonly dir: string; readonly trace: TraceGraph.RolloutTrace; readonly json: any }> => {
  const dirs = fs.readdirSync(root).filter((d) => d.startsWith("trace-"))
  expect(dirs.length).toBe(1)
  return reduceBundle(path.join(root, dirs[0]!))
}

/** A trace bundle directory reduced with `RolloutTrace` (the reduction must not fail). */
export const reduceBundle = async (dir: string): Promise<{ readonly dir: string; readonly trace: TraceGraph.RolloutTrace; readonly json: any }> => {
  const read = await TraceBundle.read(Files.node, dir)
  if (Result.isFailure(read)) throw new Error(read.failure.message)
  const reduced = RolloutTrace.reduce({ manifest: read.success.manifest, lines: read.success.lines, payload: TraceBundle.payloadSource(read.success) })
  if (Result.isFailure(reduced)) throw new Error(reduced.failure.message)
  return { dir, trace: reduced.success, json: JSON.parse(TraceGraph.toJson(reduced.success)) }
}
