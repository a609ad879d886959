// Engine benchmark: a session of many turns (each: a tool call, its output, a reply — two model
// requests to the local scripted Responses server through the real openai client) on one thread,
// with the rollout written durably (fsync per line) and without (durability "none"), and once more
// with a rollout-trace bundle recorded. Figures: turns/s and rollout lines/s. Baseline, in the same
// run: writing the very lines the engine wrote with plain `fs.appendFileSync` (one call per line),
// and the same with an fsync per line (the durable engine's floor).
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Clock from "@rollout/engine/Clock"
import * as Engine from "@rollout/engine/Engine"
import * as Ids from "@rollout/engine/Ids"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import { best, report } from "./report.mjs"

const START = Date.UTC(2026, 10, 21, 9, 0, 0)

/** Runs `turns` turns on one thread; returns the rollout's lines. */
const session = async (server, turns, durability, traced) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-engine-"))
  try {
    const engine = Engine.make({
      codexHome: home,
      baseURL: server.baseUrl,
      config: { cwd: "/bench" },
      clockFor: () => Clock.virtual(START, 3),
      idsFor: (id) => Ids.counter(id === Engine.ROOT ? 0 : parseInt(id.slice(-4), 16)),
      durability,
      ...(traced ? { traceRoot: path.join(home, "traces") } : {})
    })
    const thread = engine.startThread()
    for (let n = 0; n < turns; n++) await thread.run(`Step ${n}: take a short nap, then say so.`)
    await engine.close()
    return fs.readFileSync(thread.path(), "utf8").trimEnd().split("\n")
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

/** The baseline: the same lines, appended one `appendFileSync` at a time (optionally fsynced). */
const append = (lines, fsync) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-bench-append-"))
  try {
    const file = path.join(dir, "rollout.jsonl")
    if (!fsync) {
      for (const line of lines) fs.appendFileSync(file, `${line}\n`)
      return lines.length
    }
    const fd = fs.openSync(file, "a")
    for (const line of lines) {
      fs.appendFileSync(fd, `${line}\n`)
      fs.fsyncSync(fd)
    }
    fs.closeSync(fd)
    return lines.length
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export const run = async ({ quick }) => {
  const turns = quick ? 10 : 200
  const reps = quick ? 1 : 3
  let n = 0
  const server = await ScriptedModelServer.start({
    // Every turn: a sleep call, then a reply (answered by request parity).
    respond: () => (n++ % 2 === 0 ? ModelScript.call("sleep", { duration_ms: 1 }) : ModelScript.reply("Rested."))
  })
  try {
    // Warm up the JIT, the HTTP connection pool and the server before anything is timed.
    let lines = await session(server, 5, "none", true)
    const times = await best(
      reps,
      {
        "engine, durability none": async () => (lines = await session(server, turns, "none", false)),
        "engine, durability fsync": () => session(server, turns, "fsync", false),
        "engine, none, with trace bundle": () => session(server, turns, "none", true)
      },
      (name, result) => {
        if (result.length !== lines.length) throw new Error(`${name}: ${result.length} lines, expected ${lines.length}`)
      }
    )
    const base = await best(reps, { appendFileSync: () => append(lines, false), "appendFileSync + fsync": () => append(lines, true) })
    const rate = (s) => lines.length / s
    // A ratio is lines/s over the baseline's lines/s (> 1: faster than the baseline).
    const row = (name, s, turnsPerS) => [
      name,
      turnsPerS,
      rate(s).toFixed(0),
      (base.appendFileSync / s).toFixed(4),
      (base["appendFileSync + fsync"] / s).toFixed(3)
    ]
    report(
      `engine: ${turns} turns, ${lines.length} rollout lines (2 model requests per turn, local scripted server)${quick ? " [quick]" : ""}`,
      ["case", "turns/s", "lines/s", "× appendFileSync", "× append+fsync"],
      [
        ...Object.entries(base).map(([name, s]) => row(`baseline: ${name}`, s, "-")),
        ...Object.entries(times).map(([name, s]) => row(name, s, (turns / s).toFixed(1)))
      ]
    )
  } finally {
    await server.close()
  }
}
