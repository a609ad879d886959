import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import * as Clock from "@rollout/engine/Clock"
import * as Engine from "@rollout/engine/Engine"
import * as Ids from "@rollout/engine/Ids"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Replay from "@rollout/engine/Replay"
import * as ScriptedModelClient from "../src/internal/ScriptedModelClient.js"
import * as Files from "@rollout/log/Files"

const START = Date.UTC(2026, 10, 21, 9, 0, 0)
const homes: Array<string> = []
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true })
})

const script: ReadonlyArray<ModelScript.Turn> = [
  ModelScript.reply("Hello! What shall we build?", { reasoning: "The user greets me." }),
  ModelScript.call("sleep", { duration_ms: 200 }, "call_nap"),
  ModelScript.reply("I rested for a moment; ready.")
]

/** The engine's test layers: virtual time, counter ids, the model answered in process. */
const testServices = (turns: ReadonlyArray<ModelScript.Turn>): Layer.Layer<Engine.Services> =>
  Layer.mergeAll(
    Clock.layerVirtual(START, 7),
    Ids.layerCounter((threadId) => (threadId === Engine.ROOT ? 0 : parseInt(threadId.slice(-4), 16))),
    ScriptedModelClient.layer({ turns })
  )

/** Runs a two-turn conversation on the test layers; the rollout written. */
const converse = async (): Promise<{ readonly home: string; readonly file: string }> => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-engine-layers-"))
  homes.push(home)
  const engine = Effect.runSync(Effect.provide(Engine.build({ codexHome: home, config: { cwd: "/work/demo" }, durability: "none" }), testServices(script)))
  const thread = engine.startThread()
  await thread.run("Hello")
  await thread.run("Take a short break, then tell me you are ready")
  await engine.close()
  return { home, file: thread.path()! }
}

describe("Engine on its test layers", () => {
  it("given the scripted model, virtual time and counter ids, when two turns run, then the rollout is the same every time", async () => {
    const first = await converse()
    const second = await converse()
    const text = fs.readFileSync(first.file, "utf8")
    expect(fs.readFileSync(second.file, "utf8")).toBe(text)
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
    expect(lines[0].timestamp).toBe(new Date(START).toISOString())
    expect(lines.filter((line) => line.payload.type === "task_complete").map((line) => line.payload.last_agent_message)).toEqual([
      "Hello! What shall we build?",
      "I rested for a moment; ready."
    ])
  })

  it("writes what the engine writes over HTTP: the in-process rollout replays identically through the SDK", async () => {
    const { home, file } = await converse()
    expect(await Replay.verify(Files.node, [file], { codexHome: home })).toEqual({ identical: true, firstDifference: null })
  })
})
