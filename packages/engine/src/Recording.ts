/**
 * What a rollout written by this engine recorded, recovered for a replay (a pure function of the
 * file's lines): the thread's clock readings (one per line), its id sequence (in the order
 * documented in `Ids`), the configuration, the user input of each turn (the first message starts
 * the turn, later ones were taken in after the k-th model response), the stop-hook continuations,
 * the mail from other agents each model-call boundary delivered (mail written before a turn's
 * input is that input: it started the turn of an idle agent),
 * where an interrupt cut a turn (after how many of its lines), and the model's output per turn and call
 * (items up to each `token_count`, a compaction summary, or the failure that ended the turn).
 * A paginated thread (one the engine resumed in that mode) records its user messages as
 * `item_completed` records instead of `user_message` events. It does not run anything; `Replay` does.
 */
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import * as Mail from "./internal/Mail.js"
import type * as ModelScript from "./ModelScript.js"
import * as SessionBudget from "./internal/SessionBudget.js"

type Json = { readonly [key: string]: any }

export interface TurnRecord {
  readonly turnId: string
  readonly input: string | undefined
  /** Steered input by the number of `token_count` lines of the turn before it. */
  readonly steers: Map<number, Array<string>>
  readonly hookPrompts: Array<ReadonlyArray<HookPrompt.HookPromptFragment>>
  /** Mail delivered, in order, by the number of `token_count` lines of the turn before it (see `Mailbox`). */
  readonly deliveries: Map<number, Array<Mail.Mail>>
  readonly modelCalls: Array<ModelScript.Turn>
  /**
   * When the turn was interrupted (by the user or by another agent): its lines, from its
   * `task_started`, written before its `turn_aborted` (see `InterruptPlan`).
   */
  interruptedAfter: number | undefined
}

export interface Recording {
  readonly threadId: string
  readonly parentThreadId: string | undefined
  readonly stamps: ReadonlyArray<number>
  readonly ids: ReadonlyArray<string>
  readonly turns: ReadonlyArray<TurnRecord>
  readonly config: {
    readonly model: string
    readonly cwd: string
    readonly instructions: string
    readonly modelContextWindow: number
    readonly originator: string
    readonly cliVersion: string
    readonly modelProvider: string
  }
  /** The budget limit stated by the first reminder, if the thread had a session budget. */
  readonly budgetRemainingAtStart: number | undefined
  /** The smallest response total that led to a compaction (the auto-compact limit), if any. */
  readonly compactLimit: number | undefined
  readonly children: ReadonlyArray<string>
}

const ENGINE_ITEMS = new Set(["function_call_output"])

const textOf = (content: unknown): string => (Array.isArray(content) ? content.map((p: Json) => (typeof p["text"] === "string" ? p["text"] : "")).join("") : "")

const strip = (message: string, status: number): string => (message.startsWith(`${status} `) ? message.slice(`${status} `.length) : message)

/** A scripted answer that makes the engine fail the same way (same `codex_error_info`, same message). */
export const failureTurn = (error: Json): ModelScript.Turn | undefined => {
  const info = error["codex_error_info"]
  const message = String(error["message"] ?? "")
  const http = (status: number): ModelScript.Turn => ({
    type: "http_error",
    status,
    body: { error: { message: strip(message, status), type: "scripted_error", code: null, param: null } }
  })
  if (typeof info === "string") {
    switch (info) {
      case "server_overloaded":
        return { type: "failed", code: "server_is_overloaded", message }
      case "context_window_exceeded":
        return { type: "failed", code: "context_length_exceeded", message }
      case "usage_limit_exceeded":
        return { type: "failed", code: "insufficient_quota", message }
      case "invalid_prompt":
        return { type: "failed", code: "invalid_prompt", message }
      case "unauthorized":
        return http(401)
      case "bad_request":
        return http(400)
      default:
        return undefined
    }
  }
  if (typeof info === "object" && info !== null) {
    const [key, value] = Object.entries(info as Json)[0] ?? []
    const status = (value as Json | undefined)?.["http_status_code"]
    if (key === "response_stream_disconnected") return { type: "failed", code: "server_error", message }
    if (typeof status === "number") return http(status)
  }
  return undefined
}

/** What reading a file carries from line to line. */
interface Reading {
  readonly ids: Array<string>
  readonly turns: Array<TurnRecord>
  readonly children: Array<string>
  model: string
  contextWindow: number
  budget: number | undefined
  compactLimit: number | undefined
  current: TurnRecord | undefined
  /** The model output items since the last `token_count` (the next recorded response). */
  items: Array<ModelScript.Item>
  tokenCounts: number
  lastTotal: number
  /** The summary of a compaction whose `token_count` is still to come. */
  compacting: string | undefined
  /** Whether the current turn's input (user message, or the mail that started it) was seen. */
  hasInput: boolean
  /** The line index of the current turn's `task_started`. */
  turnStart: number
}

export const fromLines = (values: ReadonlyArray<Json>, _root: boolean): Recording => {
  const reading: Reading = {
    ids: [],
    turns: [],
    children: [],
    model: "gpt-5.5",
    contextWindow: 258_400,
    budget: undefined,
    compactLimit: undefined,
    current: undefined,
    items: [],
    tokenCounts: 0,
    lastTotal: 0,
    compacting: undefined,
    hasInput: false,
    turnStart: 0
  }
  values.forEach((line, index) => readLine(reading, line, index))
  const meta = (values[0]?.["payload"] ?? {}) as Json
  return {
    threadId: String(meta["id"]),
    parentThreadId: typeof meta["parent_thread_id"] === "string" ? meta["parent_thread_id"] : undefined,
    stamps: values.map((v) => Date.parse(String(v["timestamp"]))),
    ids: reading.ids,
    turns: reading.turns,
    config: {
      model: reading.model,
      cwd: String(meta["cwd"] ?? "/"),
      instructions: String((meta["base_instructions"] as Json | null)?.["text"] ?? ""),
      modelContextWindow: reading.contextWindow,
      originator: String(meta["originator"] ?? "rollout"),
      cliVersion: String(meta["cli_version"] ?? "0.169.0"),
      modelProvider: String(meta["model_provider"] ?? "openai")
    },
    budgetRemainingAtStart: reading.budget,
    compactLimit: reading.compactLimit,
    children: reading.children
  }
}

const readLine = (r: Reading, line: Json, index: number): void => {
  const payload = (line["payload"] ?? {}) as Json
  if (line["type"] === "turn_context") r.model = String(payload["model"] ?? r.model)
  if (line["type"] === "compacted") {
    r.compacting = String(payload["message"] ?? "")
    r.compactLimit = r.compactLimit === undefined ? r.lastTotal : Math.min(r.compactLimit, r.lastTotal)
    r.items = []
  }
  if (line["type"] === "response_item") readItem(r, payload)
  if (line["type"] === "event_msg") readEvent(r, payload, index)
}

const readItem = (r: Reading, payload: Json): void => {
  const type = payload["type"]
  const current = r.current
  const mail = Mail.parse(payload)
  if (type === "message" && payload["role"] === "developer") {
    r.budget ??= SessionBudget.parseReminder(textOf(payload["content"]))
  } else if (type === "message" && payload["role"] === "user") {
    const fragments = HookPrompt.parse(payload["content"] as never)
    if (fragments !== undefined) {
      current?.hookPrompts.push(fragments)
      if (typeof payload["id"] === "string" && payload["id"].startsWith("msg_")) r.ids.push(payload["id"].slice("msg_".length))
    }
  } else if (mail !== undefined) {
    // Mail before any input is the input that started the turn (sent to an idle agent), not a delivery.
    if (current !== undefined && !r.hasInput) r.hasInput = true
    else current?.deliveries.set(r.tokenCounts, [...(current.deliveries.get(r.tokenCounts) ?? []), mail])
  } else if (!ENGINE_ITEMS.has(String(type))) {
    r.items.push({ type: "raw", item: payload as ModelScript.JsonObject })
  }
}

const readEvent = (r: Reading, payload: Json, index: number): void => {
  const current = r.current
  switch (payload["type"]) {
    case "task_started":
      r.turnStart = index
      return startTurn(r, payload)
    case "user_message":
      return takeInput(r, String(payload["message"]))
    case "item_completed": {
      // A paginated thread's user message is this record (its id minted from the thread's sequence), not a user_message event.
      const item = (payload["item"] ?? {}) as Json
      if (item["type"] !== "UserMessage") return
      r.ids.push(String(item["id"]))
      return takeInput(r, textOf(item["content"]))
    }
    case "token_count":
      return readTokenCount(r, payload)
    case "sub_agent_activity":
      if (payload["kind"] === "started") {
        r.ids.push(String(payload["agent_thread_id"]))
        r.children.push(String(payload["agent_thread_id"]))
      }
      return
    case "task_complete": {
      const error = payload["error"] as Json | undefined
      const failure = error === undefined ? undefined : failureTurn(error)
      // Items streamed before the failure came with the first failed attempt; the retries
      // that followed failed bare.
      if (failure?.type === "failed" && r.items.length > 0) current?.modelCalls.push({ ...failure, items: r.items })
      if (failure !== undefined) current?.modelCalls.push(failure)
      r.items = []
      return
    }
    case "turn_aborted":
      if (current !== undefined) {
        current.interruptedAfter = index - r.turnStart
        current.modelCalls.push({ type: "stall", items: r.items })
      }
      r.items = []
      return
    default:
      // Raw JSON of any event type: only the ones above say something a replay needs.
      return
  }
}

/** The turn's input (its first user message) or input steered into it (a later one). */
const takeInput = (r: Reading, text: string): void => {
  const current = r.current
  if (current === undefined) return
  if (!r.hasInput) (current as { input: string | undefined }).input = text
  else current.steers.set(r.tokenCounts, [...(current.steers.get(r.tokenCounts) ?? []), text])
  r.hasInput = true
}

const startTurn = (r: Reading, payload: Json): void => {
  r.ids.push(String(payload["turn_id"]))
  r.contextWindow = typeof payload["model_context_window"] === "number" ? payload["model_context_window"] : r.contextWindow
  r.current = {
    turnId: String(payload["turn_id"]),
    input: undefined,
    steers: new Map(),
    hookPrompts: [],
    deliveries: new Map(),
    modelCalls: [],
    interruptedAfter: undefined
  }
  r.hasInput = false
  r.turns.push(r.current)
  r.items = []
  r.tokenCounts = 0
}

/** A `token_count` closes one model response: what was streamed (or the compaction summary) and its usage. */
const readTokenCount = (r: Reading, payload: Json): void => {
  const last = (payload["info"] as Json | null)?.["last_token_usage"] as Json | undefined
  r.lastTotal = Number(last?.["total_tokens"] ?? 0)
  const usage: ModelScript.Usage = {
    inputTokens: Number(last?.["input_tokens"] ?? 0),
    cachedInputTokens: Number(last?.["cached_input_tokens"] ?? 0),
    outputTokens: Number(last?.["output_tokens"] ?? 0),
    reasoningOutputTokens: Number(last?.["reasoning_output_tokens"] ?? 0)
  }
  const served: ReadonlyArray<ModelScript.Item> = r.compacting !== undefined ? [{ type: "message", text: r.compacting }] : r.items
  r.current?.modelCalls.push({ type: "response", items: served, usage })
  r.compacting = undefined
  r.items = []
  r.tokenCounts++
}
