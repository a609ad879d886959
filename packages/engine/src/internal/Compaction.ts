/**
 * Compaction when the context limit is reached: one model call with the summarization prompt, then
 * a `compacted` line whose `replacement_history` (the thread's user messages, then the summary as a
 * user message with Codex's summary prefix) replaces the model-visible history, a
 * `context_compacted` event and the call's `token_count`. When the session budget is exhausted the
 * compaction fails the turn at once (`session_budget_exceeded`, not retried).
 */
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import type { Failure, JsonObject } from "./ModelClient.js"
import * as ModelCall from "./ModelCall.js"
import * as SessionBudget from "./SessionBudget.js"
import * as Thread from "../Thread.js"
import * as TokenCount from "./TokenCount.js"
import * as TraceNames from "./TraceNames.js"
import * as TraceCompaction from "./TraceCompaction.js"

export const PROMPT = "You are performing a CONTEXT CHECKPOINT COMPACTION. Create a handoff summary for another LLM that will resume the task."
export const SUMMARY_PREFIX =
  "Another language model started to solve this problem and produced a summary of its thinking process. You also have access to the state of the tools that were used by that language model. Use this to build on the work that has already been done and avoid duplicating work. Here is the summary produced by the other language model, use the information in this summary to assist with your own analysis:"

const isRealUserMessage = (item: JsonObject): boolean => {
  if (item["type"] !== "message" || item["role"] !== "user" || !Array.isArray(item["content"])) return false
  const content = item["content"] as ReadonlyArray<HookPrompt.HookPromptFragment & JsonObject>
  return !HookPrompt.isHookPromptMessage(content as never)
}

/** Compacts the thread's history; undefined on success, the failure otherwise. */
export const compact = async (thread: Thread.Thread, signal: AbortSignal): Promise<Failure | undefined> => {
  if (thread.services.budget?.exhausted() === true) {
    const failure: Failure = {
      _tag: "Failure",
      message: SessionBudget.EXHAUSTED_MESSAGE,
      info: "session_budget_exceeded",
      retryable: false,
      stage: "request",
      aborted: false
    }
    return failure
  }
  let summary = ""
  const input = [...thread.history]
  // One compaction id for every attempt; each attempt is a compaction request (rollout-trace §2.6.4 rule 7).
  let compaction: TraceCompaction.CompactionTrace | undefined
  const compactionId = thread.trace === undefined ? "" : TraceNames.uuidv4(`${thread.id}:compaction:${++thread.trace.invented}`)
  const traceAttempt: ModelCall.AttemptTrace = (t, request) => {
    compaction = TraceCompaction.start(t.trace, Thread.turnId(t), compactionId, t.config.model, t.config.modelProvider ?? "openai", request)
    const attempt = compaction
    if (attempt === undefined) return undefined
    return {
      id: compactionId,
      completed: (_id, _usage, items) => attempt.completed(items),
      failed: (error) => attempt.failed(error),
      cancelled: (reason) => attempt.failed(reason)
    }
  }
  const outcome = await ModelCall.sample(
    thread,
    [],
    signal,
    async (item) => {
      if (item["type"] === "message" && Array.isArray(item["content"])) {
        summary += (item["content"] as ReadonlyArray<JsonObject>).map((p) => (typeof p["text"] === "string" ? p["text"] : "")).join("")
      }
    },
    [{ type: "message", role: "user", content: [{ type: "input_text", text: PROMPT }] }],
    traceAttempt
  )
  if (outcome._tag === "Failure") return outcome
  const replacement: Array<JsonObject> = [
    ...thread.history.filter(isRealUserMessage),
    { type: "message", role: "user", content: [{ type: "input_text", text: `${SUMMARY_PREFIX}\n${summary}` }] }
  ]
  thread.history.splice(0, thread.history.length, ...replacement)
  compaction?.installed(input, replacement)
  const record = Thread.recorderOf(thread).record
  await record({
    type: "compacted",
    payload: { message: summary, replacement_history: replacement, compaction_response_id: null, latest_token_usage_record: null }
  })
  await record({ type: "event_msg", payload: { type: "context_compacted" } })
  await TokenCount.record(thread, outcome.usage)
  return undefined
}
