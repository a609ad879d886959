/**
 * The interruptible `sleep` tool (Codex's `clock.sleep` extension): waits `duration_ms` (bounded)
 * through the thread's clock, ends early when new user input arrives, and records the Sleep item in
 * its current shape: `item_started` (transient) and `item_completed` (persisted in legacy mode)
 * with `{"type":"Extension","kind":"clock.sleep","id","durationMs","outcome","elapsedMs"}`. The
 * elapsed time is the difference of the two line stamps, so it never reads the clock itself.
 */
import type * as Tool from "./Tool.js"

/** Codex bounds the requested duration; longer requests are clamped. */
export const MAX_DURATION_MS = 3_600_000

const item = (callId: string, durationMs: number, outcome?: string, elapsedMs?: number) => ({
  type: "Extension",
  kind: "clock.sleep",
  id: callId,
  durationMs,
  ...(outcome === undefined ? {} : { outcome }),
  ...(elapsedMs === undefined ? {} : { elapsedMs })
})

export const tool: Tool.Tool = {
  name: "sleep",
  description: "Wait for duration_ms milliseconds (at most one hour). Ends early when the user sends new input.",
  parameters: {
    type: "object",
    properties: { duration_ms: { type: "integer", description: "How long to wait, in milliseconds." } },
    required: ["duration_ms"],
    additionalProperties: false
  },
  run: async (args, context) => {
    const requested = args["duration_ms"]
    if (typeof requested !== "number" || !Number.isFinite(requested) || requested < 0) return "sleep: duration_ms must be a non-negative number"
    const durationMs = Math.min(Math.floor(requested), MAX_DURATION_MS)
    // item_started is transient: it carries the last written line's stamp, which is the start.
    const started = await context.record({
      type: "event_msg",
      payload: { type: "item_started", thread_id: context.threadId, turn_id: context.turnId, item: item(context.callId, durationMs) }
    })
    let interrupted = context.hasPendingInput()
    if (!interrupted && !context.signal.aborted) {
      const wake = new AbortController()
      const onAbort = () => wake.abort()
      context.signal.addEventListener("abort", onAbort, { once: true })
      const arrived = context.inputArrived().then(() => {
        interrupted = true
        wake.abort()
      })
      await context.clock.sleep(durationMs, wake.signal)
      wake.abort()
      context.signal.removeEventListener("abort", onAbort)
      void arrived
      interrupted = interrupted || context.hasPendingInput()
    }
    // An interrupted turn records nothing more: the turn ends with turn_aborted.
    if (context.signal.aborted) return "aborted"
    const outcome = interrupted ? "interrupted" : "completed"
    let elapsed = 0
    await context.record((stamp) => {
      elapsed = Math.max(0, stamp - started)
      return {
        type: "event_msg",
        payload: {
          type: "item_completed",
          thread_id: context.threadId,
          turn_id: context.turnId,
          item: item(context.callId, durationMs, outcome, elapsed),
          started_at_ms: started,
          completed_at_ms: stamp
        }
      }
    })
    return interrupted ? `Sleep interrupted by new user input after ${elapsed} ms.` : `Slept for ${elapsed} ms.`
  }
}
