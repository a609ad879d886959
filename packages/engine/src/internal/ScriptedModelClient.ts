/**
 * The model client's test layer: answers each call in process from a script (`ModelScript.Turn`s),
 * with the outcomes the SDK client reaches for the same answer over HTTP (the same output items,
 * the same usage, the same classified failures), so engine tests need no server. A stalled answer
 * waits for the caller's abort (then ends as a closed stream, as the SDK's does); there is no idle
 * timeout. `ScriptedModelServer` is the HTTP twin
 * (for the real SDK and for Codex itself).
 */
import { Layer } from "effect"
import * as ModelClient from "./ModelClient.js"
import * as ModelScript from "../ModelScript.js"

export interface Options {
  /** Answered in order, one per call. */
  readonly turns?: ReadonlyArray<ModelScript.Turn>
  /** Asked first for every call; returning undefined takes the next queued turn. */
  readonly respond?: (request: ModelClient.Request, callNumber: number) => ModelScript.Turn | undefined
}

const usageOf = (usage: ModelScript.JsonObject): ModelClient.Usage => {
  const count = (value: unknown) => (typeof value === "number" ? value : 0)
  const details = (key: string) => (usage[key] ?? {}) as ModelScript.JsonObject
  return {
    input_tokens: count(usage["input_tokens"]),
    cached_input_tokens: count(details("input_tokens_details")["cached_tokens"]),
    output_tokens: count(usage["output_tokens"]),
    reasoning_output_tokens: count(details("output_tokens_details")["reasoning_tokens"]),
    total_tokens: count(usage["total_tokens"])
  }
}

/** The SDK's message for an HTTP error: the status, then the body's error message. */
const httpMessage = (status: number, body: ModelScript.JsonValue | undefined): string => {
  const error = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as ModelScript.JsonObject)["error"] : undefined
  const message = typeof error === "object" && error !== null && !Array.isArray(error) ? (error as ModelScript.JsonObject)["message"] : undefined
  return `${status} ${typeof message === "string" ? message : `scripted HTTP ${status}`}`
}

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })))

const play = async (
  turn: ModelScript.Turn,
  callNumber: number,
  request: ModelClient.Request,
  onItem: (item: ModelClient.JsonObject) => Promise<void>,
  signal: AbortSignal
): Promise<ModelClient.Outcome> => {
  if (signal.aborted) return ModelClient.interrupted()
  if (turn.type === "http_error") return ModelClient.classifyStatus(turn.status, httpMessage(turn.status, turn.body))
  const output = (turn.items ?? []).map((item, index) => ModelScript.toOutputItem(item, callNumber, index))
  for (const item of output) {
    // The SDK ends a stream aborted mid-way as if it had closed; the caller knows it aborted.
    if (signal.aborted) return ModelClient.closedEarly()
    await onItem(item)
  }
  switch (turn.type) {
    case "response": {
      const bytes = Buffer.byteLength(JSON.stringify(ModelClient.body(request)))
      const responseId = turn.id ?? `resp_${callNumber}`
      return { _tag: "Completed", responseId, usage: usageOf(ModelScript.encodeUsage(turn.usage, bytes, output)) }
    }
    case "failed":
      return ModelClient.classifyFailedCode(turn.code ?? "server_error", turn.message)
    case "stall":
      await untilAborted(signal)
      return ModelClient.closedEarly()
    case "disconnect":
      return ModelClient.closedEarly()
    default: {
      const unreachable: never = turn
      return unreachable
    }
  }
}

/** A model client answering from the script. */
export const make = (options: Options = {}): ModelClient.Shape => {
  const queue = [...(options.turns ?? [])]
  let calls = 0
  return {
    call: async (request, onItem, signal) => {
      const callNumber = ++calls
      const turn = options.respond?.(request, callNumber) ?? queue.shift()
      if (turn === undefined) return ModelClient.classifyStatus(500, `500 scripted model: no turn for request ${callNumber}`)
      return play(turn, callNumber, request, onItem, signal)
    }
  }
}

export const layer = (options: Options = {}): Layer.Layer<ModelClient.ModelClient> => Layer.succeed(ModelClient.ModelClient, make(options))
