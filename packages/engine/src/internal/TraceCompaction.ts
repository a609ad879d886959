/**
 * The trace of one compaction attempt (rollout-trace spec, compaction events): its request
 * started, then completed or failed, then installed as a checkpoint. Split from `ThreadTrace`,
 * whose handles and payload writing it uses; a thread without a trace gets `undefined`.
 */
import * as ThreadTrace from "./ThreadTrace.js"

type JsonObject = { readonly [key: string]: unknown }

export interface CompactionTrace {
  readonly completed: (items: ReadonlyArray<JsonObject>) => void
  readonly failed: (error: string) => void
  readonly installed: (input: ReadonlyArray<JsonObject>, replacement: ReadonlyArray<JsonObject>) => void
}

/**
 * One compaction (one attempt): request started now, then completed or failed, then installed (the
 * checkpoint shows items under their accepted ids; the new replacement items are accepted after it).
 */
export const start = (
  trace: ThreadTrace.ThreadTrace | undefined,
  turnId: string,
  compactionId: string,
  model: string,
  provider: string,
  request: JsonObject
): CompactionTrace | undefined => {
  if (trace === undefined) return undefined
  const requestId = `compaction_request:${++trace.bundle.compactions}`
  const ref = ThreadTrace.writePayload(trace, "compaction_request", request)
  if (ref !== undefined) {
    ThreadTrace.inTurn(trace, turnId, {
      type: "compaction_request_started",
      compaction_id: compactionId,
      compaction_request_id: requestId,
      thread_id: trace.threadId,
      codex_turn_id: turnId,
      model,
      provider_name: provider,
      request_payload: ref
    })
  }
  return {
    completed: (items) => {
      const response = ThreadTrace.writePayload(trace, "compaction_response", { output_items: items })
      if (response !== undefined)
        ThreadTrace.inTurn(trace, turnId, {
          type: "compaction_request_completed",
          compaction_id: compactionId,
          compaction_request_id: requestId,
          response_payload: response
        })
    },
    failed: (error) =>
      ThreadTrace.inTurn(trace, turnId, { type: "compaction_request_failed", compaction_id: compactionId, compaction_request_id: requestId, error }),
    installed: (input, replacement) => {
      // The replacement history is new history: every item (a kept user message too) gets a fresh
      // id, as Codex re-sends a compacted context, and is accepted once installed.
      const show = (items: ReadonlyArray<JsonObject>) => items.map((i) => ThreadTrace.withId(trace, i))
      const inputHistory = show(input)
      const fresh = replacement.map((item) => ThreadTrace.name(trace, item, true))
      const checkpoint = ThreadTrace.writePayload(trace, "compaction_checkpoint", { input_history: inputHistory, replacement_history: show(replacement) })
      if (checkpoint !== undefined)
        ThreadTrace.inTurn(trace, turnId, { type: "compaction_installed", compaction_id: compactionId, checkpoint_payload: checkpoint })
      for (const itemId of fresh) ThreadTrace.writeAccepted(trace, turnId, itemId)
    }
  }
}
