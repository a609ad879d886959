/**
 * One sampling step with Codex's retry policy: the request is built from the thread's history, and
 * a retryable failure (5xx, 429, overload, a broken or stalled stream) is retried up to
 * `requestMaxRetries` times for an HTTP error status (Codex default 4) or `streamMaxRetries` times
 * for a stream failure (Codex default 5), without jitter (so runs are reproducible), after an exponential backoff (200 ms × 2^(n−1)) slept
 * through the thread's clock, each retry announced by a transient `stream_error` event. A failure
 * that is not retryable, or the last one, is returned to the turn, which ends with its
 * `codex_error_info`. Items streamed before a failure are already recorded and stay recorded.
 */
import { body, type Failure, type JsonObject, type Outcome, type Request, type Usage } from "./ModelClient.js"
import * as Thread from "../Thread.js"
import * as ThreadTrace from "./ThreadTrace.js"

/** How one attempt is traced (an inference call by default; compaction traces its own). */
export type AttemptTrace = (thread: Thread.Thread, request: JsonObject) => ThreadTrace.Inference | undefined

const inferenceTrace: AttemptTrace = (thread, request) =>
  ThreadTrace.inference(thread.trace, Thread.turnId(thread), thread.config.model, thread.config.modelProvider ?? "openai", request)

/** One response's usage as Codex writes token counts (`token_count` info, the trace's inference usage). */
export const tokenUsage = (u: Usage) => ({
  input_tokens: u.input_tokens,
  cached_input_tokens: u.cached_input_tokens,
  cache_write_input_tokens: 0,
  output_tokens: u.output_tokens,
  reasoning_output_tokens: u.reasoning_output_tokens,
  total_tokens: u.total_tokens
})

/**
 * The request `input` for a history: item ids are left out (the engine's history items have none of
 * their own, so the model's ids are not sent either), except for items restored from a rollout on
 * resume (`restored`), which are sent as Codex sends them (their ids kept, the metadata passthrough
 * left in the file); reasoning without encrypted content is left out, and function calls without
 * an output (an interrupted turn) get Codex's synthetic "aborted" output. `withId`, when given,
 * shows each item as the trace names it (the traced request).
 */
export const requestInput = (
  history: ReadonlyArray<JsonObject>,
  withId?: (item: JsonObject) => JsonObject,
  restored?: WeakSet<JsonObject>
): ReadonlyArray<JsonObject> => {
  const answered = new Set(history.filter((i) => i["type"] === "function_call_output").map((i) => i["call_id"]))
  const out: Array<JsonObject> = []
  for (const item of history) {
    if (item["type"] === "reasoning" && typeof item["encrypted_content"] !== "string") continue
    if (restored?.has(item) === true) {
      const { internal_chat_message_metadata_passthrough: _passthrough, ...rest } = item
      out.push(rest)
    } else if (withId !== undefined) out.push(withId(item))
    else {
      const { id: _id, ...rest } = item
      out.push(rest)
    }
    if (item["type"] === "function_call" && !answered.has(item["call_id"])) {
      out.push({ type: "function_call_output", call_id: item["call_id"], output: "aborted" })
    }
  }
  return out
}

export const backoffMs = (base: number, attempt: number): number => base * 2 ** Math.max(0, attempt - 1)

export const sample = async (
  thread: Thread.Thread,
  tools: ReadonlyArray<JsonObject>,
  signal: AbortSignal,
  onItem: (item: JsonObject) => Promise<void>,
  extraInput: ReadonlyArray<JsonObject> = [],
  traceAttempt: AttemptTrace = inferenceTrace
): Promise<Outcome> => {
  const maxStream = thread.config.streamMaxRetries ?? 5
  const maxRequest = thread.config.requestMaxRetries ?? 4
  const base = thread.config.backoffBaseMs ?? 200
  for (let attempt = 0; ; attempt++) {
    const request: Request = {
      model: thread.config.model,
      instructions: thread.config.instructions,
      input: [...requestInput(thread.history, undefined, thread.restored), ...extraInput],
      tools,
      threadId: thread.id,
      turnId: Thread.turnId(thread)
    }
    // The traced request shows each history item under the Responses id the trace accepted it as.
    const traced =
      thread.trace === undefined
        ? request
        : { ...request, input: [...requestInput(thread.history, (item) => ThreadTrace.withId(thread.trace, item), thread.restored), ...extraInput] }
    const trace = traceAttempt(thread, body(traced))
    const items: Array<JsonObject> = []
    const outcome = await thread.services.model.call(
      trace === undefined ? request : { ...request, inferenceCallId: trace.id },
      async (item) => {
        items.push(item)
        await onItem(item)
      },
      signal
    )
    if (outcome._tag === "Completed") trace?.completed(outcome.responseId, tokenUsage(outcome.usage), items)
    else if (outcome.aborted || signal.aborted) trace?.cancelled("turn interrupted", items)
    else trace?.failed(outcome.message, items)
    if (outcome._tag === "Completed" || outcome.aborted || !outcome.retryable) return outcome
    // An HTTP error answered before any stream is a request failure (Codex `request_max_retries`).
    const maxRetries = outcome.stage === "request" ? maxRequest : maxStream
    if (attempt >= maxRetries) return exhausted(outcome)
    await Thread.recorderOf(thread).record({
      type: "event_msg",
      payload: {
        type: "stream_error",
        message: `Reconnecting... ${attempt + 1}/${maxRetries}`,
        codex_error_info: outcome.info,
        additional_details: outcome.message
      }
    })
    await thread.clock.sleep(backoffMs(base, attempt + 1), signal)
    if (signal.aborted) return { ...outcome, aborted: true }
  }
}

/** After the last retry Codex reports HTTP failures as too many failed attempts. */
const exhausted = (failure: Failure): Failure => {
  const info = failure.info
  if (typeof info === "object" && info !== null && "response_stream_connection_failed" in info) {
    return { ...failure, info: { response_too_many_failed_attempts: info.response_stream_connection_failed } }
  }
  return failure
}
