import * as Http from "node:http"
import { afterEach, describe, expect, it } from "vitest"
import * as ModelScript from "../src/ModelScript.js"
import * as ScriptedModelServer from "../src/ScriptedModelServer.js"

const servers: Array<ScriptedModelServer.ScriptedModelServer> = []
const start = async (options?: ScriptedModelServer.Options) => {
  const server = await ScriptedModelServer.start(options)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

const post = (server: ScriptedModelServer.ScriptedModelServer, body: unknown, init: RequestInit = {}) =>
  fetch(`${server.baseUrl}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...init })

/** Parses a complete SSE body into `{event, data}` pairs, checking both name the same type. */
const events = async (response: Response) => {
  const text = await response.text()
  return text
    .split("\n\n")
    .filter((block) => block.length > 0)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null")
      expect(data.type).toBe(event)
      return data
    })
}

describe("ScriptedModelServer", () => {
  it("streams a scripted reply and records the request body", async () => {
    const server = await start({ turns: [ModelScript.reply("Hello there", { reasoning: "thinking", usage: { inputTokens: 7, outputTokens: 3 } })] })
    const response = await post(server, { model: "m", input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }] })

    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/event-stream")
    const stream = await events(response)
    expect(stream.map((e) => e.type)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.reasoning_summary_text.delta",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed"
    ])
    expect(stream[5]).toMatchObject({ delta: "Hello there", item_id: "msg_1_1", output_index: 1 })
    expect(stream[6].item).toEqual({
      type: "message",
      id: "msg_1_1",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello there", annotations: [] }]
    })
    expect(stream[7].response).toMatchObject({
      id: "resp_1",
      status: "completed",
      usage: { input_tokens: 7, input_tokens_details: { cached_tokens: 0 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 10 }
    })

    expect(server.modelRequests).toHaveLength(1)
    expect(server.modelRequests[0]?.body).toEqual({ model: "m", input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }] })
    expect(server.modelRequests[0]?.responseNumber).toBe(1)
    expect(server.problems).toEqual([])
  })

  it("encodes function and custom tool calls with their call ids", async () => {
    const server = await start({
      turns: [
        {
          type: "response",
          items: [
            { type: "function_call", name: "exec_command", arguments: { cmd: "ls" }, callId: "call_a" },
            { type: "custom_tool_call", name: "apply_patch", input: "*** Begin Patch\n*** End Patch\n" }
          ]
        }
      ]
    })
    const done = (await events(await post(server, {}))).filter((e) => e.type === "response.output_item.done").map((e) => e.item)
    expect(done).toEqual([
      { type: "function_call", id: "fc_1_0", status: "completed", name: "exec_command", arguments: '{"cmd":"ls"}', call_id: "call_a" },
      { type: "custom_tool_call", id: "ctc_1_1", status: "completed", name: "apply_patch", input: "*** Begin Patch\n*** End Patch\n", call_id: "call_1_1" }
    ])
  })

  it("ends a model error with response.failed", async () => {
    const server = await start({ turns: [ModelScript.fail("boom", "server_error")] })
    const stream = await events(await post(server, {}))
    expect(stream.map((e) => e.type)).toEqual(["response.created", "response.failed"])
    expect(stream[1].response).toMatchObject({ status: "failed", error: { code: "server_error", message: "boom" } })
  })

  it("answers an HTTP error status with an OpenAI-style body", async () => {
    const server = await start({ turns: [ModelScript.httpError(429, "slow down")] })
    const response = await post(server, {})
    expect(response.status).toBe(429)
    expect(await response.json()).toMatchObject({ error: { message: "slow down" } })
    expect(server.modelRequests[0]?.status).toBe(429)
  })

  it("closes a disconnect turn without a terminal event", async () => {
    const server = await start({ turns: [{ type: "disconnect", items: [{ type: "message", text: "partial" }] }] })
    const types = (await events(await post(server, {}))).map((e) => e.type)
    expect(types.at(-1)).toBe("response.output_item.done")
  })

  it("keeps a stalled stream open until the client goes away", async () => {
    const server = await start({ turns: [ModelScript.stall()] })
    const abort = new AbortController()
    const response = await post(server, {}, { signal: abort.signal })
    await server.waitForModelRequests(1, 1_000)
    const reader = response.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain("response.created")
    const next = reader.read()
    const raced = await Promise.race([next.then(() => "data"), new Promise((resolve) => setTimeout(() => resolve("pending"), 100))])
    expect(raced).toBe("pending")
    abort.abort()
    await expect(next).rejects.toThrow()
  })

  it("asks the respond function first and falls back to the queue", async () => {
    const server = await start({
      turns: [ModelScript.reply("from the queue")],
      respond: (request) => (request.body["input"] === "special" ? ModelScript.reply("from respond") : undefined)
    })
    const text = async (body: unknown) => (await events(await post(server, body))).find((e) => e.type === "response.output_text.delta")?.delta
    expect(await text({ input: "special" })).toBe("from respond")
    expect(await text({ input: "plain" })).toBe("from the queue")
    expect(server.pending()).toBe(0)
  })

  it("reports an exhausted script as a problem and a 500", async () => {
    const server = await start()
    const response = await post(server, { input: [] })
    expect(response.status).toBe(500)
    expect(server.problems).toEqual(["no scripted turn left for model request 1"])
    server.enqueue(ModelScript.reply("late"))
    expect((await post(server, {})).status).toBe(200)
  })

  it("refuses a model request whose body is not JSON", async () => {
    const server = await start({ turns: [ModelScript.reply("unused")] })
    const response = await fetch(`${server.baseUrl}/responses`, { method: "POST", body: "not json" })
    expect(response.status).toBe(400)
    expect(server.requests[0]?.body).toBe("not json")
    expect(server.problems).toHaveLength(1)
    expect(server.pending()).toBe(1)
  })

  it("records and refuses other routes and WebSocket upgrades with 404", async () => {
    const server = await start()
    expect((await fetch(`${server.baseUrl}/models`)).status).toBe(404)
    const upgrade = await new Promise<number | undefined>((resolve, reject) => {
      const request = Http.request(`${server.baseUrl}/responses`, { headers: { connection: "Upgrade", upgrade: "websocket" } })
      request.on("response", (response) => resolve(response.statusCode))
      request.on("upgrade", () => reject(new Error("upgraded")))
      request.on("error", reject)
      request.end()
    })
    expect(upgrade).toBe(404)
    expect(server.requests.map((r) => [r.method, r.path, r.status, r.upgrade])).toEqual([
      ["GET", "/v1/models", 404, false],
      ["GET", "/v1/responses", 404, true]
    ])
    expect(server.modelRequests).toEqual([])
  })

  it("waits for model requests and times out with a clear error", async () => {
    const server = await start({ turns: [ModelScript.reply("a")] })
    const waiting = server.waitForModelRequests(1, 1_000)
    await post(server, {})
    expect(await waiting).toHaveLength(1)
    await expect(server.waitForModelRequests(2, 50)).rejects.toThrow("waited 50 ms for 2 model requests, got 1")
  })
})
