// Child process of EngineCrash.test.ts: runs one engine turn against the given model server with
// durable appends, and prints every line the engine acknowledged (published after its append
// resolved), so the parent can kill -9 it and check that each acknowledged line survived.
import * as Engine from "@rollout/engine/Engine"

const [home, baseURL, cwd] = process.argv.slice(2)
const engine = Engine.make({ codexHome: home, baseURL, config: { cwd } })
const thread = engine.startThread()
thread.subscribe((event) => {
  if (event.persisted) process.stdout.write(`ACK ${JSON.stringify({ path: thread.path(), text: event.text })}\n`)
})
await thread.run("Sleep for a minute, then report")
