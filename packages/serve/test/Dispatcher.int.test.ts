// The dispatcher in-process over a copy of the sample home: the handshake rules, message shapes,
// refusals and in-order answers that the oracle test does not reach.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Store from "@rollout/store/Store"
import { afterAll, describe, expect, it } from "vitest"
import * as Dispatcher from "../src/Dispatcher.js"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "serve-dispatcher-"))
const home = path.join(scratch, "home")
fs.cpSync(path.resolve(import.meta.dirname, "../../../rollouts"), home, { recursive: true })
fs.writeFileSync(path.join(home, "config.toml"), 'model_provider = "local"\n')
const store = Store.open({ home, path: path.join(scratch, "index.db") })
afterAll(() => {
  store.close()
  fs.rmSync(scratch, { recursive: true, force: true })
})

const connect = () => {
  const sent: Array<Dispatcher.Message> = []
  const connection = Dispatcher.make({ home, store })((m) => sent.push(m))
  const send = (m: object) => connection.receive(JSON.stringify(m))
  return { sent, send, connection }
}

const initialize = { id: 0, method: "initialize", params: { clientInfo: { name: "t", version: "1" } } }

describe("Dispatcher", () => {
  it("refuses thread methods before initialize and a second initialize, as Codex", async () => {
    const { sent, send } = connect()
    await send({ id: 1, method: "thread/list", params: {} })
    await send(initialize)
    await send({ method: "initialized" })
    await send({ id: 2, method: "initialize", params: { clientInfo: { name: "t" } } })
    expect(sent[0]).toEqual({ error: { code: -32600, message: "Not initialized" }, id: 1 })
    expect(sent[1]).toMatchObject({ id: 0, result: { codexHome: home } })
    expect(Object.keys(sent[1] as object)).toEqual(["id", "result"])
    expect(sent[2]).toEqual({ error: { code: -32600, message: "Already initialized" }, id: 2 })
    expect(sent).toHaveLength(3)
  })

  it("answers requests in the order they came, whatever each one costs", async () => {
    const { sent, connection } = connect()
    const lines = [
      initialize,
      { id: "a", method: "thread/read", params: { threadId: "01a1fb98-4432-78a1-8ef4-228e18981ede", includeTurns: true } },
      { id: "b", method: "thread/list", params: { limit: 1 } },
      { id: "c", method: "turn/start", params: {} }
    ].map((m) => JSON.stringify(m))
    await Promise.all(lines.map((l) => connection.receive(l)))
    expect(sent.map((m) => m["id"])).toEqual([0, "a", "b", "c"])
    expect(sent[3]).toEqual({ error: { code: -32601, message: "turn/start: rollout serve reads recorded threads and does not run models" }, id: "c" })
  })

  it("answers a line that is not JSON with a parse error and goes on", async () => {
    const { sent, connection } = connect()
    await connection.receive("{not json")
    await connection.receive("[1,2]")
    await connection.receive(JSON.stringify(initialize))
    expect(sent[0]).toEqual({ error: { code: -32700, message: "Parse error" }, id: null })
    expect(sent[1]).toMatchObject({ error: { code: -32600 }, id: null })
    expect(sent[2]).toMatchObject({ id: 0 })
  })

  it("names an unknown method as Codex's deserializer does", async () => {
    const { sent, send } = connect()
    await send(initialize)
    await send({ id: 1, method: "thread/bogus" })
    expect((sent[1] as { error: { message: string } }).error.message).toMatch(/^Invalid request: unknown variant `thread\/bogus`/)
  })

  it("filters by source kind: exec threads only when asked, sub-agent kinds by family", async () => {
    const { sent, send } = connect()
    await send(initialize)
    await send({ id: 1, method: "thread/list", params: { limit: 100 } })
    await send({ id: 2, method: "thread/list", params: { limit: 100, sourceKinds: ["exec"] } })
    const sources = (i: number) => ((sent[i] as { result: { data: Array<{ source: string }> } }).result.data ?? []).map((t) => t.source)
    expect(new Set(sources(1))).toEqual(new Set(["vscode"]))
    expect(new Set(sources(2))).toEqual(new Set(["exec"]))
  })
})
