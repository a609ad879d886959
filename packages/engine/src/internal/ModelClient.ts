/**
 * One model call over the openai SDK's Responses API (streaming): sends the request, hands each
 * finished output item to the caller as `response.output_item.done` arrives, and ends with the
 * response's usage or a classified failure. Failures are classified the way Codex does (which
 * `codex_error_info` they carry and whether they are retried); retrying itself is the turn's job,
 * so the SDK's own retries are off. It does not record anything and it does not read the clock:
 * a stalled stream is detected with a plain timer (the idle timeout is not part of any line).
 *
 * `ModelClient` is the service the engine calls the model through: `layer` over the SDK here,
 * `ScriptedModelClient.layer` in process for tests.
 */
import { Context, Layer } from "effect"
import OpenAI from "openai"
import type * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"

export type JsonObject = { readonly [key: string]: unknown }

export interface Usage {
  readonly input_tokens: number
  readonly cached_input_tokens: number
  readonly output_tokens: number
  readonly reasoning_output_tokens: number
  readonly total_tokens: number
}

export interface Request {
  readonly model: string
  readonly instructions: string
  readonly input: ReadonlyArray<JsonObject>
  readonly tools: ReadonlyArray<JsonObject>
  /** Sent as the `session_id` header (Codex does the same); the replay server routes on it. */
  readonly threadId: string
  /** Sent as `x-rollout-turn-id`, so a replay server can answer per turn. */
  readonly turnId: string
  /** Sent as `x-codex-inference-call-id` when the attempt is traced (rollout-trace §2.6.1). */
  readonly inferenceCallId?: string
}

/** The exact Responses API request body sent for `request` (what a trace records). */
export const body = (request: Request) => ({
  model: request.model,
  instructions: request.instructions,
  input: request.input,
  tools: request.tools,
  stream: true as const,
  store: false,
  include: ["reasoning.encrypted_content"]
})

export type Failure = {
  readonly _tag: "Failure"
  readonly message: string
  readonly info: CodexErrorInfo.CodexErrorInfo
  readonly retryable: boolean
  /** `request`: an HTTP error status before any stream; `stream`: the stream failed or broke. */
  readonly stage: "request" | "stream"
  /** True when the user interrupted (the turn is aborted, not failed). */
  readonly aborted: boolean
}

export type Outcome = { readonly _tag: "Completed"; readonly responseId: string; readonly usage: Usage } | Failure

export interface Options {
  readonly baseURL: string
  readonly apiKey: string
  /** A stream silent this long is treated as disconnected (Codex: `stream_idle_timeout_ms`). */
  readonly idleTimeoutMs?: number
}

export interface Shape {
  /** Streams the answer's items to `onItem` as they finish; never rejects (failures are outcomes). */
  readonly call: (request: Request, onItem: (item: JsonObject) => Promise<void>, signal: AbortSignal) => Promise<Outcome>
}

export class ModelClient extends Context.Service<ModelClient, Shape>()("./ModelClient.js") {}

const failure = (message: string, info: CodexErrorInfo.CodexErrorInfo, retryable: boolean, aborted = false, stage: Failure["stage"] = "stream"): Failure => ({
  _tag: "Failure",
  message,
  info,
  retryable,
  stage,
  aborted
})

/** A `response.failed` error code, classified (Codex `ApiError` mapping). */
export const classifyFailedCode = (code: string | undefined, message: string): Failure => {
  switch (code) {
    case "context_length_exceeded":
      return failure(message, "context_window_exceeded", false)
    case "insufficient_quota":
      return failure(message, "usage_limit_exceeded", false)
    case "server_is_overloaded":
    case "slow_down":
      return failure(message, "server_overloaded", true)
    case "invalid_prompt":
      return failure(message, "invalid_prompt", false)
    default:
      return failure(message, { response_stream_disconnected: { http_status_code: null } }, true)
  }
}

/** A non-2xx answer, classified: 5xx and 429 are retried, the rest end the turn. */
export const classifyStatus = (status: number, message: string): Failure => {
  if (status === 401) return failure(message, "unauthorized", false, false, "request")
  if (status === 400) return failure(message, "bad_request", false, false, "request")
  if (status === 429) return failure(message, "usage_limit_exceeded", true, false, "request")
  if (status === 503) return failure(message, "server_overloaded", true, false, "request")
  if (status >= 500) return failure(message, { response_stream_connection_failed: { http_status_code: status } }, true, false, "request")
  return failure(message, { http_connection_failed: { http_status_code: status } }, false, false, "request")
}

const toUsage = (usage: OpenAI.Responses.ResponseUsage | undefined | null): Usage => ({
  input_tokens: usage?.input_tokens ?? 0,
  cached_input_tokens: usage?.input_tokens_details?.cached_tokens ?? 0,
  output_tokens: usage?.output_tokens ?? 0,
  reasoning_output_tokens: usage?.output_tokens_details?.reasoning_tokens ?? 0,
  total_tokens: usage?.total_tokens ?? 0
})

/** A stream that ended without a terminal event (Codex retries it). */
export const closedEarly = (): Failure =>
  failure("stream disconnected before completion: stream closed before response.completed", { response_stream_disconnected: { http_status_code: null } }, true)

/** The user interrupted the call. */
export const interrupted = (): Failure => failure("interrupted", "other", false, true)

export const make = (options: Options): Shape => {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, maxRetries: 0 })
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000
  return {
    call: async (request, onItem, signal) => {
      const controller = new AbortController()
      const onAbort = () => controller.abort()
      // A listener added to an already aborted signal never fires.
      if (signal.aborted) controller.abort()
      else signal.addEventListener("abort", onAbort, { once: true })
      let idle = false
      let timer: ReturnType<typeof setTimeout> | undefined
      const arm = () => {
        if (timer !== undefined) clearTimeout(timer)
        timer = setTimeout(() => {
          idle = true
          controller.abort()
        }, idleTimeoutMs)
      }
      try {
        arm()
        const headers: Record<string, string> = { session_id: request.threadId, "x-rollout-turn-id": request.turnId }
        if (request.inferenceCallId !== undefined) headers["x-codex-inference-call-id"] = request.inferenceCallId
        const stream = await client.responses.create(body(request) as unknown as OpenAI.Responses.ResponseCreateParamsStreaming, {
          signal: controller.signal,
          headers
        })
        for await (const event of stream) {
          arm()
          if (event.type === "response.output_item.done") await onItem(event.item as unknown as JsonObject)
          else if (event.type === "response.completed") return { _tag: "Completed", responseId: event.response.id, usage: toUsage(event.response.usage) }
          else if (event.type === "response.failed") {
            const error = event.response.error
            return classifyFailedCode(error?.code ?? undefined, error?.message ?? "the model response failed")
          }
        }
        return closedEarly()
      } catch (error) {
        if (signal.aborted) return interrupted()
        if (idle)
          return failure(
            "stream disconnected before completion: idle timeout waiting for SSE",
            { response_stream_disconnected: { http_status_code: null } },
            true
          )
        if (error instanceof OpenAI.APIError && error.status !== undefined) return classifyStatus(error.status, error.message)
        const message = error instanceof Error ? error.message : String(error)
        return failure(`stream disconnected before completion: ${message}`, { response_stream_disconnected: { http_status_code: null } }, true)
      } finally {
        if (timer !== undefined) clearTimeout(timer)
        signal.removeEventListener("abort", onAbort)
      }
    }
  }
}

/** The model behind the openai SDK at `options.baseURL`. */
export const layer = (options: Options): Layer.Layer<ModelClient> => Layer.succeed(ModelClient, make(options))
