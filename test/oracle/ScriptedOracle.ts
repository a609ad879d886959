// The scripted model a live oracle test drives the real Codex and `rollout run` against: started
// before the describe's tests and closed after them, with `OPENAI_API_KEY` set meanwhile (`rollout
// run` insists on a key; the scripted model ignores it) and restored afterwards.
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import { afterAll, beforeAll, expect } from "vitest"

type Item = Record<string, unknown>

export interface ScriptedOracle {
  /** The running server (only inside tests and hooks: it starts in `beforeAll`). */
  readonly server: ScriptedModelServer.ScriptedModelServer
  /** The `input` of the next model request `act` makes, answered with `reply`. */
  readonly nextInput: (reply: string, act: () => Promise<unknown>) => Promise<Array<Item>>
}

/** Call at the top of a `describe`: registers the hooks that start and close the server. */
export const setup = (): ScriptedOracle => {
  let server: ScriptedModelServer.ScriptedModelServer | undefined
  const savedKey = process.env["OPENAI_API_KEY"]
  beforeAll(async () => {
    server = await ScriptedModelServer.start()
    process.env["OPENAI_API_KEY"] = "oracle"
  })
  afterAll(async () => {
    if (savedKey === undefined) delete process.env["OPENAI_API_KEY"]
    else process.env["OPENAI_API_KEY"] = savedKey
    await server?.close()
  })
  const running = (): ScriptedModelServer.ScriptedModelServer => {
    if (server === undefined) throw new Error("the scripted model runs only inside tests (it starts in beforeAll)")
    return server
  }
  return {
    get server() {
      return running()
    },
    nextInput: async (reply, act) => {
      const s = running()
      const seen = s.modelRequests.length
      s.enqueue(ModelScript.reply(reply))
      await act()
      expect(s.problems).toEqual([])
      return JSON.parse(JSON.stringify(s.modelRequests[seen]?.body["input"]))
    }
  }
}
