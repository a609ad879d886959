/**
 * The turn loop: model call → tool calls → model call, until the model ends the turn (no tool call,
 * no new user input, no stop hook blocking). Every step is a recorded line, in this order:
 * `task_started`, `turn_context`, [budget reminder], the user message (`response_item` +
 * `user_message`; or the inter-agent message, when mail started the turn), then, before each model request, the mail other agents sent (`Mailbox`), then
 * per model response its items as they stream (`agent_reasoning` / `agent_message` before their
 * `response_item`), `token_count`, the tool outputs, the drained user input; and finally `task_complete` (with `error` when the turn failed) or `turn_aborted`.
 * Model failures are retried (`ModelCall`); what was written stays written.
 */
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import type * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import { seconds } from "./Clock.js"
import * as Compaction from "./Compaction.js"
import * as Mailbox from "./Mailbox.js"
import * as ModelCall from "./ModelCall.js"
import * as SessionBudget from "./SessionBudget.js"
import * as SleepTool from "./SleepTool.js"
import * as Thread from "./Thread.js"
import * as ThreadRollout from "./ThreadRollout.js"
import * as ThreadTrace from "./ThreadTrace.js"
import * as TokenCount from "./TokenCount.js"
import * as Tool from "./Tool.js"

type JsonObject = Thread.JsonObject

const userMessageItem = (text: string): JsonObject => ({ type: "message", role: "user", content: [{ type: "input_text", text }] })

/** Records a user message (`response_item` then `user_message`) and adds it to the history. */
export const recordUserMessage = async (thread: Thread.Thread, text: string): Promise<void> => {
  const item = userMessageItem(text)
  thread.history.push(item)
  ThreadTrace.accepted(thread.trace, Thread.turnId(thread), item)
  const record = Thread.recorderOf(thread).record
  await record({ type: "response_item", payload: item })
  await record({
    type: "event_msg",
    payload: { type: "user_message", message: text, images: [], local_images: [], audio: [], local_audio: [], text_elements: [] }
  })
}

export const run = async (thread: Thread.Thread, input: Thread.Input): Promise<void> => {
  const recorder = await ThreadRollout.materialize(thread)
  const record = recorder.record
  const turn = Thread.begin(thread, thread.ids.next())
  const signal = turn.controller.signal
  const turnId = turn.turnId
  const startedAt = await record((stamp) => ({
    type: "event_msg",
    payload: { type: "task_started", turn_id: turnId, started_at: seconds(stamp), model_context_window: thread.config.modelContextWindow, collaboration_mode_kind: "default" }
  }))
  ThreadTrace.turnStarted(thread.trace, turnId)
  await record({
    type: "turn_context",
    payload: {
      turn_id: turnId,
      cwd: thread.config.cwd,
      approval_policy: "never",
      model: thread.config.model,
      multi_agent_version: "v2",
      summary: "none",
      sandbox_policy: { type: "danger-full-access" }
    }
  })
  const budget = thread.services.budget
  if (budget !== undefined) {
    const reminder: JsonObject = { type: "message", role: "developer", content: [{ type: "input_text", text: SessionBudget.reminder(budget.remaining()) }] }
    thread.history.push(reminder)
    ThreadTrace.accepted(thread.trace, turnId, reminder)
    await record({ type: "response_item", payload: reminder })
  }
  // Mail from another agent starts the turn as the inter-agent message (no user message), as in Codex.
  if (typeof input === "string") await recordUserMessage(thread, input)
  else await Mailbox.receive(thread, input)

  let lastAgentMessage: string | null = null
  let firstToken: number | undefined
  let hookContinued = false
  const tools = [SleepTool.tool, ...thread.services.toolsFor(thread)]

  const finish = async (error?: { readonly message: string; readonly codex_error_info: CodexErrorInfo.CodexErrorInfo }) => {
    await complete(error)
    ThreadTrace.turnEnded(thread.trace, turnId, error === undefined ? "completed" : "failed")
    // After the turn's end, as in Codex (§2.6.4 rule 2d); an aborted turn is not final and says nothing.
    thread.services.turnCompleted?.(thread, turnId, error === undefined ? { completed: lastAgentMessage } : { errored: error.message })
  }
  const complete = (error?: { readonly message: string; readonly codex_error_info: CodexErrorInfo.CodexErrorInfo }) =>
    record((stamp) => ({
      type: "event_msg",
      payload: {
        type: "task_complete",
        turn_id: turnId,
        last_agent_message: error === undefined ? lastAgentMessage : null,
        ...(error === undefined ? {} : { error }),
        started_at: seconds(startedAt),
        completed_at: seconds(stamp),
        duration_ms: stamp - startedAt,
        ...(firstToken === undefined ? {} : { time_to_first_token_ms: firstToken - startedAt })
      }
    }))
  const fail = async (message: string, info: CodexErrorInfo.CodexErrorInfo) => {
    await record({ type: "event_msg", payload: { type: "error", message, codex_error_info: info } })
    await finish({ message, codex_error_info: info })
  }
  const abort = async () => {
    await record((stamp) => ({
      type: "event_msg",
      payload: { type: "turn_aborted", turn_id: turnId, reason: "interrupted", started_at: seconds(startedAt), completed_at: seconds(stamp), duration_ms: stamp - startedAt }
    }))
    ThreadTrace.turnEnded(thread.trace, turnId, "cancelled")
  }

  for (;;) {
    if (signal.aborted) return void (await abort())
    if (budget?.exhausted() === true) return fail(SessionBudget.EXHAUSTED_MESSAGE, "session_budget_exceeded")
    // A model-call boundary: mail from other agents enters the history here and nowhere else.
    await Mailbox.deliver(thread, signal)
    if (signal.aborted) return void (await abort())
    const calls: Array<JsonObject> = []
    const outcome = await ModelCall.sample(thread, tools.map(Tool.spec), signal, async (item) => {
      // Items the SDK still yields after an interrupt are not part of the turn.
      if (signal.aborted) return
      const stamp = await recordOutputItem(thread, item)
      firstToken ??= stamp
      if (item["type"] === "function_call") calls.push(item)
      if (item["type"] === "message" && item["role"] === "assistant") lastAgentMessage = messageText(item)
    })
    if (outcome._tag === "Failure") {
      if (outcome.aborted || signal.aborted) return void (await abort())
      return fail(outcome.message, outcome.info)
    }
    await TokenCount.record(thread, outcome.usage)

    for (const call of calls) {
      if (signal.aborted) return void (await abort())
      const args = typeof call["arguments"] === "string" ? call["arguments"] : "{}"
      const dispatch = ThreadTrace.dispatch(thread.trace, turnId, String(call["call_id"]), String(call["name"]), args)
      const { output, ok } = await runTool(thread, tools, turnId, call, signal)
      const item: JsonObject = { type: "function_call_output", call_id: call["call_id"], output }
      dispatch?.completed(ok ? "completed" : "failed", item)
      if (signal.aborted) return void (await abort())
      thread.history.push(item)
      ThreadTrace.accepted(thread.trace, turnId, item)
      await record({ type: "response_item", payload: item })
    }

    const limit = thread.config.autoCompactTokenLimit
    if (limit !== undefined && outcome.usage.total_tokens >= limit && calls.length > 0) {
      const compacted = await Compaction.compact(thread, signal)
      if (compacted !== undefined) {
        if (compacted.aborted || signal.aborted) return void (await abort())
        return fail(compacted.message, compacted.info)
      }
    }

    const drained = Thread.drain(thread)
    for (const text of drained) await recordUserMessage(thread, text)
    if (calls.length > 0 || drained.length > 0) continue
    // The boundary where the model would end the turn: mail delivered here continues it, unless
    // it is only completion notifications (they do not trigger a turn).
    if ((await Mailbox.deliver(thread, signal)).some((mail) => mail.triggerTurn)) continue

    const fragments = await thread.services.stopHooksFor(thread.id).run({
      threadId: thread.id,
      turnId,
      cwd: thread.config.cwd,
      lastAssistantMessage: lastAgentMessage,
      stopHookActive: hookContinued
    })
    // Current Codex gives the continuation message an id (`msg_<UUIDv7>`); thread/read shows it.
    const prompt = fragments.length === 0 ? undefined : HookPrompt.buildMessage(fragments, `msg_${thread.ids.next()}`)
    if (prompt !== undefined) {
      hookContinued = true
      thread.history.push(prompt as unknown as JsonObject)
      ThreadTrace.accepted(thread.trace, turnId, prompt as unknown as JsonObject)
      await record({ type: "response_item", payload: prompt as unknown as JsonObject })
      continue
    }
    return void (await finish())
  }
}

const messageText = (item: JsonObject): string =>
  (Array.isArray(item["content"]) ? (item["content"] as ReadonlyArray<JsonObject>) : [])
    .filter((part) => part["type"] === "output_text" && typeof part["text"] === "string")
    .map((part) => part["text"] as string)
    .join("")

/** Records one streamed output item (with its legacy event first) and adds it to the history. */
const recordOutputItem = async (thread: Thread.Thread, item: JsonObject): Promise<number> => {
  const record = Thread.recorderOf(thread).record
  thread.history.push(item)
  // Held by the trace until the streaming attempt's terminal event, as Codex orders them.
  ThreadTrace.accepted(thread.trace, Thread.turnId(thread), item)
  let first: number | undefined
  if (item["type"] === "reasoning" && Array.isArray(item["summary"])) {
    for (const part of item["summary"] as ReadonlyArray<JsonObject>) {
      if (typeof part["text"] === "string") {
        const stamp = await record({ type: "event_msg", payload: { type: "agent_reasoning", text: part["text"] } })
        first ??= stamp
      }
    }
  }
  if (item["type"] === "message" && item["role"] === "assistant") {
    const phase = item["phase"] ?? null
    const stamp = await record({ type: "event_msg", payload: { type: "agent_message", message: messageText(item), phase, memory_citation: null } })
    first ??= stamp
  }
  const stamp = await record({ type: "response_item", payload: item })
  return first ?? stamp
}

/** Runs one function call; `ok` is false when the call could not run (the trace's tool status). */
const runTool = async (
  thread: Thread.Thread,
  tools: ReadonlyArray<Tool.Tool>,
  turnId: string,
  call: JsonObject,
  signal: AbortSignal
): Promise<{ readonly output: string; readonly ok: boolean }> => {
  const name = String(call["name"])
  const tool = tools.find((t) => t.name === name)
  if (tool === undefined) return { output: `unsupported call: ${name}`, ok: false }
  const args = Tool.parseArguments(typeof call["arguments"] === "string" ? call["arguments"] : "{}")
  if (typeof args === "string") return { output: args, ok: false }
  try {
    const output = await tool.run(args, {
      threadId: thread.id,
      turnId,
      callId: String(call["call_id"]),
      clock: thread.clock,
      signal,
      record: Thread.recorderOf(thread).record,
      hasPendingInput: () => thread.pending.length > 0,
      inputArrived: () => Thread.inputArrived(thread)
    })
    return { output, ok: true }
  } catch (error) {
    return { output: `${name} failed: ${error instanceof Error ? error.message : String(error)}`, ok: false }
  }
}
