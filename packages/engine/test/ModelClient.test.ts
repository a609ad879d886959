import { Effect, type Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import * as ModelClient from "../src/internal/ModelClient.js"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelClient from "../src/internal/ScriptedModelClient.js"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"

const servers: Array<ScriptedModelServer.ScriptedModelServer> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** The live layer, over the SDK against the scripted HTTP server. */
const live = async (turns: ReadonlyArray<ModelScript.Turn>): Promise<Layer.Layer<ModelClient.ModelClient>> => {
  const server = await ScriptedModelServer.start({ turns })
  servers.push(server)
  return ModelClient.layer({ baseURL: server.baseUrl, apiKey: "test", idleTimeoutMs: 10_000 })
}

/** The test layer, in process. */
const scripted = async (turns: ReadonlyArray<ModelScript.Turn>): Promise<Layer.Layer<ModelClient.ModelClient>> => ScriptedModelClient.layer({ turns })

const request: ModelClient.Request = {
  model: "gpt-5.5",
  instructions: "Be brief.",
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hello" }] }],
  tools: [],
  threadId: "thread",
  turnId: "turn"
}

/** One call per turn; `abortAfterItems`: the caller interrupts a call soon after it streamed that many items. */
const callAll = (layer: Layer.Layer<ModelClient.ModelClient>, count: number, abortAfterItems?: number) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const client = yield* ModelClient.ModelClient
        return yield* Effect.promise(async () => {
          const results: Array<{ readonly items: ReadonlyArray<unknown>; readonly outcome: ModelClient.Outcome }> = []
          for (let i = 0; i < count; i++) {
            const controller = new AbortController()
            if (abortAfterItems === 0) controller.abort()
            const items: Array<unknown> = []
            const outcome = await client.call(
              request,
              async (item) => {
                items.push(item)
                if (items.length === abortAfterItems) setTimeout(() => controller.abort(), 20)
              },
              controller.signal
            )
            results.push({ items, outcome })
          }
          return results
        })
      }),
      layer
    )
  )

const layers = { live, scripted }

describe("ModelClient (the same contract for the live and the scripted layer)", () => {
  for (const [name, make] of Object.entries(layers)) {
    it(`${name}: streams the items and ends with the usage, or with the failure classified as Codex does`, async () => {
      const turns: ReadonlyArray<ModelScript.Turn> = [
        ModelScript.reply("Hi there", { reasoning: "greeting", usage: { inputTokens: 12, outputTokens: 4, cachedInputTokens: 2 } }),
        ModelScript.call("sleep", { duration_ms: 5 }, "call_1"),
        ModelScript.fail("overloaded", "server_is_overloaded"),
        ModelScript.httpError(500),
        ModelScript.httpError(400, "bad input"),
        { type: "disconnect", items: [{ type: "message", text: "cut" }] }
      ]
      const results = await callAll(await make(turns), turns.length)
      expect(results).toEqual([
        {
          items: [
            { type: "reasoning", id: "rs_1_0", summary: [{ type: "summary_text", text: "greeting" }] },
            { type: "message", id: "msg_1_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hi there", annotations: [] }] }
          ].map((item) => expect.objectContaining(item)),
          outcome: {
            _tag: "Completed",
            responseId: "resp_1",
            usage: { input_tokens: 12, cached_input_tokens: 2, output_tokens: 4, reasoning_output_tokens: 0, total_tokens: 16 }
          }
        },
        {
          items: [expect.objectContaining({ type: "function_call", call_id: "call_1", name: "sleep", arguments: '{"duration_ms":5}' })],
          outcome: expect.objectContaining({ _tag: "Completed", responseId: "resp_2" })
        },
        { items: [], outcome: { _tag: "Failure", message: "overloaded", info: "server_overloaded", retryable: true, stage: "stream", aborted: false } },
        {
          items: [],
          outcome: {
            _tag: "Failure",
            message: "500 scripted HTTP 500",
            info: { response_stream_connection_failed: { http_status_code: 500 } },
            retryable: true,
            stage: "request",
            aborted: false
          }
        },
        { items: [], outcome: { _tag: "Failure", message: "400 bad input", info: "bad_request", retryable: false, stage: "request", aborted: false } },
        {
          items: [expect.objectContaining({ type: "message" })],
          outcome: {
            _tag: "Failure",
            message: "stream disconnected before completion: stream closed before response.completed",
            info: { response_stream_disconnected: { http_status_code: null } },
            retryable: true,
            stage: "stream",
            aborted: false
          }
        }
      ])
    })

    it(`${name}: a stalled answer ends once the caller aborts; a call aborted before it starts is an interrupt`, async () => {
      const [result] = await callAll(await make([ModelScript.stall([{ type: "message", text: "Starting" }])]), 1, 1)
      expect(result!.items).toHaveLength(1)
      // The SDK ends an aborted stream as if it had closed: the caller, whose signal is aborted, reads it as the interrupt.
      expect(result!.outcome).toEqual({
        _tag: "Failure",
        message: "stream disconnected before completion: stream closed before response.completed",
        info: { response_stream_disconnected: { http_status_code: null } },
        retryable: true,
        stage: "stream",
        aborted: false
      })
      const [early] = await callAll(await make([ModelScript.reply("never seen")]), 1, 0)
      expect(early).toEqual({
        items: [],
        outcome: { _tag: "Failure", message: "interrupted", info: "other", retryable: false, stage: "stream", aborted: true }
      })
    })
  }

  it("both layers report the same usage when the script leaves it to be estimated", async () => {
    const turns = [ModelScript.reply("An answer long enough to count")]
    const [fromLive] = await callAll(await live(turns), 1)
    const [fromScript] = await callAll(await scripted(turns), 1)
    expect(fromScript).toEqual(fromLive)
  })
})
