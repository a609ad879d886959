/**
 * The script format of the scripted model: what one Responses API call answers (a list of output
 * items, a model error, an HTTP error, a stalled or cut stream) and how such an answer is encoded
 * as the server-sent events Codex and the `openai` SDK read. Pure data and pure encoding: the HTTP
 * side lives in `ScriptedModelServer`.
 */

export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }
export type JsonObject = { readonly [key: string]: JsonValue }

/** One output item of a model response. Ids left out are derived from the response number. */
export type Item =
  | { readonly type: "message"; readonly text: string; readonly id?: string; readonly phase?: "commentary" | "final_answer" }
  | {
      readonly type: "reasoning"
      readonly summary?: ReadonlyArray<string>
      readonly content?: ReadonlyArray<string>
      readonly encryptedContent?: string
      readonly id?: string
    }
  | {
      readonly type: "function_call"
      readonly name: string
      /** A JSON string as the model sends it, or an object to be stringified. */
      readonly arguments: string | JsonObject
      readonly callId?: string
      readonly namespace?: string
      readonly id?: string
    }
  | { readonly type: "custom_tool_call"; readonly name: string; readonly input: string; readonly callId?: string; readonly id?: string }
  /** Any other Responses API output item (web_search_call, compaction, ...), streamed verbatim. */
  | { readonly type: "raw"; readonly item: JsonObject }

/** Token usage reported in `response.completed`; omitted counts are estimated from the bytes. */
export interface Usage {
  readonly inputTokens?: number
  readonly cachedInputTokens?: number
  readonly outputTokens?: number
  readonly reasoningOutputTokens?: number
}

/** What one POST /responses answers. */
export type Turn =
  /** A successful response: the items, then `response.completed`. */
  | { readonly type: "response"; readonly items: ReadonlyArray<Item>; readonly usage?: Usage; readonly id?: string }
  /** A model error: the items (if any), then `response.failed` with `{code, message}`. */
  | { readonly type: "failed"; readonly message: string; readonly code?: string; readonly items?: ReadonlyArray<Item> }
  /** A non-2xx HTTP answer with an OpenAI-style error body (or the given body). */
  | { readonly type: "http_error"; readonly status: number; readonly body?: JsonValue; readonly headers?: Readonly<Record<string, string>> }
  /** Streams the items, then keeps the stream open until the client goes away: for interrupts. */
  | { readonly type: "stall"; readonly items?: ReadonlyArray<Item> }
  /** Streams the items, then closes the stream without a terminal event. */
  | { readonly type: "disconnect"; readonly items?: ReadonlyArray<Item> }

// Builders for the common cases, so scripts read as a conversation.
export const reply = (text: string, options: { readonly usage?: Usage; readonly reasoning?: string } = {}): Turn => ({
  type: "response",
  items: [...(options.reasoning === undefined ? [] : [{ type: "reasoning", summary: [options.reasoning] } as const]), { type: "message", text }],
  ...(options.usage === undefined ? {} : { usage: options.usage })
})
export const call = (name: string, args: string | JsonObject, callId?: string): Turn => ({
  type: "response",
  items: [{ type: "function_call", name, arguments: args, ...(callId === undefined ? {} : { callId }) }]
})
export const fail = (message: string, code?: string): Turn => ({ type: "failed", message, ...(code === undefined ? {} : { code }) })
export const httpError = (status: number, message = `scripted HTTP ${status}`): Turn => ({
  type: "http_error",
  status,
  body: { error: { message, type: "scripted_error", code: null, param: null } }
})
export const stall = (items: ReadonlyArray<Item> = []): Turn => ({ type: "stall", items })

/** One server-sent event: `type` is both the SSE `event:` name and the `type` field of `data`. */
export interface Event {
  readonly type: string
  readonly data: JsonObject
}

export const encodeEvent = (event: Event): string => `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`

/** The complete output item as it appears in `response.output_item.done` and `response.output`. */
export const toOutputItem = (item: Item, responseNumber: number, index: number): JsonObject => {
  const suffix = `${responseNumber}_${index}`
  switch (item.type) {
    case "message":
      return {
        type: "message",
        id: item.id ?? `msg_${suffix}`,
        status: "completed",
        role: "assistant",
        ...(item.phase === undefined ? {} : { phase: item.phase }),
        content: [{ type: "output_text", text: item.text, annotations: [] }]
      }
    case "reasoning":
      return {
        type: "reasoning",
        id: item.id ?? `rs_${suffix}`,
        summary: (item.summary ?? []).map((text) => ({ type: "summary_text", text })),
        ...(item.content === undefined ? {} : { content: item.content.map((text) => ({ type: "reasoning_text", text })) }),
        encrypted_content: item.encryptedContent ?? null
      }
    case "function_call":
      return {
        type: "function_call",
        id: item.id ?? `fc_${suffix}`,
        status: "completed",
        name: item.name,
        ...(item.namespace === undefined ? {} : { namespace: item.namespace }),
        arguments: typeof item.arguments === "string" ? item.arguments : JSON.stringify(item.arguments),
        call_id: item.callId ?? `call_${suffix}`
      }
    case "custom_tool_call":
      return {
        type: "custom_tool_call",
        id: item.id ?? `ctc_${suffix}`,
        status: "completed",
        name: item.name,
        input: item.input,
        call_id: item.callId ?? `call_${suffix}`
      }
    case "raw":
      return item.item
  }
}

/** The events announcing and completing one item: `added`, the deltas, `done`. */
export const itemEvents = (item: JsonObject, outputIndex: number): ReadonlyArray<Event> => {
  const events: Array<Event> = []
  const itemId = typeof item["id"] === "string" ? item["id"] : undefined
  const idField = itemId === undefined ? {} : { item_id: itemId }
  const added = item["type"] === "message" ? { ...item, status: "in_progress", content: [] } : item
  events.push({ type: "response.output_item.added", data: { type: "response.output_item.added", output_index: outputIndex, item: added } })
  if (item["type"] === "message" && Array.isArray(item["content"])) {
    item["content"].forEach((part, contentIndex) => {
      if (isObject(part) && part["type"] === "output_text" && typeof part["text"] === "string") {
        events.push({
          type: "response.output_text.delta",
          data: { type: "response.output_text.delta", ...idField, output_index: outputIndex, content_index: contentIndex, delta: part["text"] }
        })
      }
    })
  }
  if (item["type"] === "reasoning" && Array.isArray(item["summary"])) {
    item["summary"].forEach((part, summaryIndex) => {
      if (isObject(part) && typeof part["text"] === "string") {
        events.push({
          type: "response.reasoning_summary_text.delta",
          data: { type: "response.reasoning_summary_text.delta", ...idField, output_index: outputIndex, summary_index: summaryIndex, delta: part["text"] }
        })
      }
    })
  }
  events.push({ type: "response.output_item.done", data: { type: "response.output_item.done", output_index: outputIndex, item } })
  return events
}

/** The Responses API `usage` object; counts not given are estimated as bytes / 4. */
export const encodeUsage = (usage: Usage | undefined, requestBytes: number, output: ReadonlyArray<JsonObject>): JsonObject => {
  const inputTokens = usage?.inputTokens ?? Math.ceil(requestBytes / 4)
  const outputTokens = usage?.outputTokens ?? Math.ceil(JSON.stringify(output).length / 4)
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: usage?.cachedInputTokens ?? 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: usage?.reasoningOutputTokens ?? 0 },
    total_tokens: inputTokens + outputTokens
  }
}

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value)
