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
import { seconds } from "../Clock.js"
import * as Compaction from "./Compaction.js"
import * as Mailbox from "./Mailbox.js"
import type * as Recorder from "./Recorder.js"
import * as ModelCall from "./ModelCall.js"
import * as PaginatedItems from "./PaginatedItems.js"
import * as SessionBudget from "./SessionBudget.js"
import * as SleepTool from "./SleepTool.js"
import * as Thread from "../Thread.js"
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
  if (PaginatedItems.isPaginated(thread)) await record(PaginatedItems.userMessage(thread, text))
}

type ErrorInfo = { readonly message: string; readonly codex_error_info: CodexErrorInfo.CodexErrorInfo }

/** One running turn as its steps see it; the last three fields change as the turn goes on. */
interface TurnRun {
  readonly thread: Thread.Thread
  readonly turnId: string
  readonly signal: AbortSignal
  readonly record: Recorder.Recorder["record"]
  readonly startedAt: number
  readonly tools: ReadonlyArray<Tool.Tool>
  lastAgentMessage: string | null
  /** The stamp of the turn's first streamed line (`time_to_first_token_ms`). */
  firstToken: number | undefined
  /** Whether a stop hook already continued the turn (`stop_hook_active`). */
  hookContinued: boolean
}

/** What a step decided: go on with another model call, or the turn has ended (its end is recorded). */
type Next = "continue" | "ended"

export const run = async (thread: Thread.Thread, input: Thread.Input): Promise<void> => {
  const turn = await open(thread, input)
  while ((await step(turn)) === "continue");
}

/** Opens the turn: `task_started`, `turn_context`, the budget reminder, then its input. */
const open = async (thread: Thread.Thread, input: Thread.Input): Promise<TurnRun> => {
  const recorder = await ThreadRollout.materialize(thread)
  const record = recorder.record
  const running = Thread.begin(thread, thread.ids.next())
  const turnId = running.turnId
  const startedAt = await record((stamp) => ({
    type: "event_msg",
    payload: {
      type: "task_started",
      turn_id: turnId,
      started_at: seconds(stamp),
      model_context_window: thread.config.modelContextWindow,
      collaboration_mode_kind: "default"
    }
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
    accept(thread, turnId, reminder)
    await record({ type: "response_item", payload: reminder })
  }
  // Mail from another agent starts the turn as the inter-agent message (no user message), as in Codex.
  if (typeof input === "string") await recordUserMessage(thread, input)
  else await Mailbox.receive(thread, input)
  const tools = [SleepTool.tool, ...thread.services.toolsFor(thread)]
  return { thread, turnId, signal: running.controller.signal, record, startedAt, tools, lastAgentMessage: null, firstToken: undefined, hookContinued: false }
}

/** Adds an item the engine made to the history (and the trace) before it is recorded. */
const accept = (thread: Thread.Thread, turnId: string, item: JsonObject): void => {
  thread.history.push(item)
  ThreadTrace.accepted(thread.trace, turnId, item)
}

/** One model call and what follows it: its tool calls, a compaction, and whether the turn goes on. */
const step = async (turn: TurnRun): Promise<Next> => {
  const { thread, signal } = turn
  if (signal.aborted) return abort(turn)
  if (thread.services.budget?.exhausted() === true) return fail(turn, SessionBudget.EXHAUSTED_MESSAGE, "session_budget_exceeded")
  // A model-call boundary: mail from other agents enters the history here and nowhere else.
  await Mailbox.deliver(thread, signal)
  if (signal.aborted) return abort(turn)
  const calls: Array<JsonObject> = []
  const outcome = await ModelCall.sample(thread, turn.tools.map(Tool.spec), signal, async (item) => {
    // Items the SDK still yields after an interrupt are not part of the turn.
    if (signal.aborted) return
    const stamp = await recordOutputItem(thread, item)
    turn.firstToken ??= stamp
    if (item["type"] === "function_call") calls.push(item)
    if (item["type"] === "message" && item["role"] === "assistant") turn.lastAgentMessage = messageText(item)
  })
  if (outcome._tag === "Failure") return outcome.aborted || signal.aborted ? abort(turn) : fail(turn, outcome.message, outcome.info)
  await TokenCount.record(thread, outcome.usage)
  if ((await runCalls(turn, calls)) === "ended") return "ended"
  const limit = thread.config.autoCompactTokenLimit
  if (limit !== undefined && outcome.usage.total_tokens >= limit && calls.length > 0) {
    const failure = await Compaction.compact(thread, signal)
    if (failure !== undefined) return failure.aborted || signal.aborted ? abort(turn) : fail(turn, failure.message, failure.info)
  }
  const drained = Thread.drain(thread)
  for (const text of drained) await recordUserMessage(thread, text)
  if (calls.length > 0 || drained.length > 0) return "continue"
  return endOrContinue(turn)
}

/** Runs the response's function calls in order, recording each output. */
const runCalls = async (turn: TurnRun, calls: ReadonlyArray<JsonObject>): Promise<Next> => {
  const { thread, turnId, signal } = turn
  for (const call of calls) {
    if (signal.aborted) return abort(turn)
    const args = typeof call["arguments"] === "string" ? call["arguments"] : "{}"
    const dispatch = ThreadTrace.dispatch(thread.trace, turnId, String(call["call_id"]), String(call["name"]), args)
    const { output, ok } = await runTool(thread, turn.tools, turnId, call, signal)
    const item: JsonObject = { type: "function_call_output", call_id: call["call_id"], output }
    dispatch?.completed(ok ? "completed" : "failed", item)
    if (signal.aborted) return abort(turn)
    accept(thread, turnId, item)
    await turn.record({ type: "response_item", payload: item })
  }
  return "continue"
}

/**
 * The model would end the turn here: mail delivered at this boundary continues it (unless it is
 * only completion notifications, which do not trigger a turn), so does a blocking stop hook.
 */
const endOrContinue = async (turn: TurnRun): Promise<Next> => {
  const { thread, turnId } = turn
  if ((await Mailbox.deliver(thread, turn.signal)).some((mail) => mail.triggerTurn)) return "continue"
  const fragments = await thread.services.stopHooksFor(thread.id).run({
    threadId: thread.id,
    turnId,
    cwd: thread.config.cwd,
    lastAssistantMessage: turn.lastAgentMessage,
    stopHookActive: turn.hookContinued
  })
  // Current Codex gives the continuation message an id (`msg_<UUIDv7>`); thread/read shows it.
  const prompt = fragments.length === 0 ? undefined : HookPrompt.buildMessage(fragments, `msg_${thread.ids.next()}`)
  if (prompt === undefined) return finish(turn)
  turn.hookContinued = true
  accept(thread, turnId, prompt as unknown as JsonObject)
  await turn.record({ type: "response_item", payload: prompt as unknown as JsonObject })
  return "continue"
}

/** Ends the turn with `task_complete` (carrying `error` when it failed), then tells the parent. */
const finish = async (turn: TurnRun, error?: ErrorInfo): Promise<Next> => {
  const { thread, turnId, startedAt, firstToken } = turn
  await turn.record((stamp) => ({
    type: "event_msg",
    payload: {
      type: "task_complete",
      turn_id: turnId,
      last_agent_message: error === undefined ? turn.lastAgentMessage : null,
      ...(error === undefined ? {} : { error }),
      started_at: seconds(startedAt),
      completed_at: seconds(stamp),
      duration_ms: stamp - startedAt,
      ...(firstToken === undefined ? {} : { time_to_first_token_ms: firstToken - startedAt })
    }
  }))
  ThreadTrace.turnEnded(thread.trace, turnId, error === undefined ? "completed" : "failed")
  // After the turn's end, as in Codex (§2.6.4 rule 2d); an aborted turn is not final and says nothing.
  thread.services.turnCompleted?.(thread, turnId, error === undefined ? { completed: turn.lastAgentMessage } : { errored: error.message })
  return "ended"
}

const fail = async (turn: TurnRun, message: string, info: CodexErrorInfo.CodexErrorInfo): Promise<Next> => {
  await turn.record({ type: "event_msg", payload: { type: "error", message, codex_error_info: info } })
  return finish(turn, { message, codex_error_info: info })
}

const abort = async (turn: TurnRun): Promise<Next> => {
  const { startedAt, turnId } = turn
  await turn.record((stamp) => ({
    type: "event_msg",
    payload: {
      type: "turn_aborted",
      turn_id: turnId,
      reason: "interrupted",
      started_at: seconds(startedAt),
      completed_at: seconds(stamp),
      duration_ms: stamp - startedAt
    }
  }))
  ThreadTrace.turnEnded(turn.thread.trace, turnId, "cancelled")
  return "ended"
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
  // Paginated: the canonical item comes before its response item, as Codex writes it (the message events were only published).
  const paginated = PaginatedItems.isPaginated(thread) ? PaginatedItems.outputItem(thread, item, messageText(item)) : undefined
  if (paginated !== undefined) first = await record(paginated)
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
