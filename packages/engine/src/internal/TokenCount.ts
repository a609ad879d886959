/**
 * A thread's token accounting: one model response's usage is added to the thread's running total,
 * charged to the session budget and recorded as a `token_count` line (the turn's responses and a
 * compaction's alike). It does not call the model; it only books what a call used.
 */
import * as ModelCall from "./ModelCall.js"
import type { Usage } from "./ModelClient.js"
import * as Thread from "../Thread.js"

const add = (a: Usage, b: Usage): Usage => ({
  input_tokens: a.input_tokens + b.input_tokens,
  cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
  output_tokens: a.output_tokens + b.output_tokens,
  reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
  total_tokens: a.total_tokens + b.total_tokens
})

/** Records the usage of one model response on the thread and charges the session budget. */
export const record = async (thread: Thread.Thread, usage: Usage): Promise<void> => {
  thread.total = add(thread.total, usage)
  Thread.current(thread).usages++
  thread.services.budget?.charge(usage.total_tokens)
  const total = thread.total
  await Thread.recorderOf(thread).record({
    type: "event_msg",
    payload: {
      type: "token_count",
      info: {
        total_token_usage: ModelCall.tokenUsage(total),
        last_token_usage: ModelCall.tokenUsage(usage),
        model_context_window: thread.config.modelContextWindow
      },
      rate_limits: null
    }
  })
}
