/**
 * The `item_completed` records a paginated rollout holds for what the engine writes: the user
 * message (a fresh id from the thread's sequence), the assistant message and the reasoning summary
 * (the model's item ids), in Codex's `TurnItem` shapes. In legacy history mode there are none (the
 * legacy message events carry the transcript). It records nothing itself.
 */
import type * as Recorder from "./Recorder.js"
import * as Thread from "../Thread.js"

type JsonObject = Thread.JsonObject

const completed =
  (thread: Thread.Thread, item: JsonObject) =>
  (stamp: number): Recorder.Body => ({
    type: "event_msg",
    payload: { type: "item_completed", thread_id: thread.id, turn_id: Thread.turnId(thread), item, started_at_ms: stamp, completed_at_ms: stamp }
  })

export const isPaginated = (thread: Thread.Thread): boolean => thread.config.historyMode === "paginated"

/** The user message's record (its id is taken from the thread's sequence, as Codex mints one). */
export const userMessage = (thread: Thread.Thread, text: string) =>
  completed(thread, { type: "UserMessage", id: thread.ids.next(), content: [{ type: "text", text, text_elements: [] }] })

/** An assistant message's or a reasoning item's record, or undefined for other output items. */
export const outputItem = (thread: Thread.Thread, item: JsonObject, text: string) => {
  const id = typeof item["id"] === "string" ? item["id"] : thread.ids.next()
  if (item["type"] === "message" && item["role"] === "assistant") {
    const phase = item["phase"]
    return completed(thread, { type: "AgentMessage", id, content: [{ type: "Text", text }], ...(typeof phase === "string" ? { phase } : {}) })
  }
  if (item["type"] === "reasoning" && Array.isArray(item["summary"])) {
    const summary = (item["summary"] as ReadonlyArray<JsonObject>).flatMap((part) => (typeof part["text"] === "string" ? [part["text"]] : []))
    return completed(thread, { type: "Reasoning", id, summary_text: summary, raw_content: [] })
  }
  return undefined
}
