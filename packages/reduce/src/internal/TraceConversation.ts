/**
 * TraceConversation: how the trace reducer reads one model item (a Responses `input` or
 * `output_items` entry, or a compaction history entry) into a normalized conversation item —
 * role, channel, kind, body parts, call id — and when two such items are "the same" (rollout-trace
 * spec §4.4, §4.5.1). Pure functions of the item and the id of the payload it came from; choosing
 * ids and linking is `TraceIdentity`'s business.
 */
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import { fail } from "./TraceError.js"
import { canonicalJson, isRecord } from "./TraceState.js"

type Part = TraceGraph.ConversationPart

export interface Normalized {
  readonly role: TraceGraph.Role
  readonly channel: TraceGraph.Channel | null
  readonly kind: TraceGraph.ItemKind
  readonly agent_message: TraceGraph.AgentMessageMeta | null
  readonly parts: ReadonlyArray<Part>
  readonly call_id: string | null
  /** The item's Responses `id` when it has a string one (read by schema 2 bundles only). */
  readonly responses_item_id: string | null
}

type Body = Omit<Normalized, "responses_item_id">

const SUMMARY_BYTES = 240

/**
 * How JSON summaries order object keys: `sorted` (schema 1, §4.4's canonical form) or `source`
 * (schema 2: Codex 0.169 keeps the order the keys came in).
 */
export type JsonOrder = "sorted" | "source"

/** Compact JSON, cut to 240 bytes on a character boundary, then `...` (§4.12 "JSON summary"). */
export const jsonSummary = (value: unknown, order: JsonOrder = "sorted"): string => {
  // Source order is the parsed object's order, which only differs for integer-like keys (moved first).
  const text = order === "sorted" ? canonicalJson(value) : (JSON.stringify(value) ?? "null")
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: short text needs no byte count.
  if (text.length * 3 <= SUMMARY_BYTES || Buffer.byteLength(text, "utf8") <= SUMMARY_BYTES) return text
  const bytes = Buffer.from(text, "utf8")
  let cut = SUMMARY_BYTES
  // Back off over UTF-8 continuation bytes (10xxxxxx) so the cut never splits a character.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--
  return `${bytes.subarray(0, cut).toString("utf8")}...`
}

const json = (value: unknown, payload: string, order: JsonOrder): Part => ({ type: "json", summary: jsonSummary(value, order), raw_payload_id: payload })
const ref = (label: string, payload: string): Part => ({ type: "payload_ref", label, raw_payload_id: payload })

/** Message `content` and array tool outputs. */
export const contentParts = (content: unknown, payload: string): Array<Part> => {
  if (!Array.isArray(content)) return [ref("content", payload)]
  const parts: Array<Part> = []
  for (const entry of content) {
    const type = isRecord(entry) ? entry.type : undefined
    if (typeof type !== "string") parts.push(ref("content", payload))
    else if (type === "input_text" || type === "output_text" || type === "text") {
      if (isRecord(entry) && typeof entry.text === "string") parts.push({ type: "text", text: entry.text })
    } else parts.push(ref(type, payload))
  }
  return parts.length === 0 ? [ref("empty_content", payload)] : parts
}

const outputParts = (item: Record<string, unknown>, payload: string, order: JsonOrder): Array<Part> => {
  if (!("output" in item)) return [ref("tool_output", payload)]
  const output = item.output
  if (typeof output === "string") return [{ type: "text", text: output }]
  if (Array.isArray(output)) return contentParts(output, payload)
  return [json(output, payload, order)]
}

const ROLES: ReadonlySet<string> = new Set(["system", "developer", "user", "assistant", "tool"])
const callId = (item: Record<string, unknown>): string | null => (typeof item.call_id === "string" ? item.call_id : null)

const phaseChannel = (phase: unknown): TraceGraph.Channel | null =>
  phase === "commentary" ? "commentary" : phase === "final_answer" ? "final" : phase === "summary" ? "summary" : null

const agentMessage = (item: Record<string, unknown>, payload: string): Body => {
  const bad = () => fail(`failed to parse agent_message item in payload ${payload}`)
  if (typeof item.author !== "string" || typeof item.recipient !== "string" || !Array.isArray(item.content)) return bad()
  const parts = item.content.map((entry): Part => {
    if (!isRecord(entry)) return bad()
    if (entry.type === "input_text" && typeof entry.text === "string") return { type: "text", text: entry.text }
    if (entry.type === "encrypted_content" && typeof entry.encrypted_content === "string") {
      return { type: "encoded", label: "encrypted_content", value: entry.encrypted_content }
    }
    return bad()
  })
  if (parts.length === 0) fail(`agent_message item in payload ${payload} contained no content`)
  return { role: "assistant", channel: "analysis", kind: "message", agent_message: { author: item.author, recipient: item.recipient }, parts, call_id: null }
}

const reasoning = (item: Record<string, unknown>, payload: string): Body => {
  const err = (what: string) => fail(`reasoning item in payload ${payload} ${what}`)
  const entries = (key: "content" | "summary"): ReadonlyArray<Record<string, unknown>> => {
    if (!(key in item) || (key === "content" && item[key] === null)) return []
    const list = item[key]
    if (!Array.isArray(list)) return err(`had non-array ${key}`)
    return list.map((e) => (isRecord(e) && typeof e.type === "string" ? e : err(`had ${key} entry without string type`)))
  }
  const parts: Array<Part> = []
  for (const e of entries("content")) {
    if (e.type !== "reasoning_text" && e.type !== "text") err(`had unsupported content type ${String(e.type)}`)
    if (typeof e.text !== "string") return err("had content entry without string text")
    parts.push({ type: "text", text: e.text })
  }
  for (const e of entries("summary")) {
    if (e.type !== "summary_text") err(`had unsupported summary type ${String(e.type)}`)
    if (typeof e.text !== "string") return err("had summary entry without string text")
    parts.push({ type: "summary", text: e.text })
  }
  const enc = item.encrypted_content
  if (typeof enc === "string") parts.push({ type: "encoded", label: "encrypted_content", value: enc })
  else if (enc !== undefined && enc !== null) err("had non-string encrypted_content")
  if (parts.length === 0) err("contained no content, summary, or encrypted_content")
  return { role: "assistant", channel: "analysis", kind: "reasoning", agent_message: null, parts, call_id: null }
}

/**
 * Normalizes the items of one payload array: `additional_tools` entries are dropped and the
 * top-level `internal_chat_message_metadata_passthrough` key is ignored (nested ones stay).
 */
export const normalizeAll = (items: ReadonlyArray<unknown>, payload: string, order: JsonOrder = "sorted"): Array<Normalized> =>
  items.flatMap((raw) => {
    if (isRecord(raw) && raw.type === "additional_tools") return []
    if (!isRecord(raw)) return fail(`model item in payload ${payload} did not contain a string type`)
    const { internal_chat_message_metadata_passthrough: _, ...item } = raw
    return [normalize(item, payload, order)]
  })

export const normalize = (item: Record<string, unknown>, payload: string, order: JsonOrder = "sorted"): Normalized => ({
  ...normalizeBody(item, payload, order),
  responses_item_id: typeof item.id === "string" ? item.id : null
})

const normalizeBody = (item: Record<string, unknown>, payload: string, order: JsonOrder): Body => {
  const type = item.type
  if (typeof type !== "string") return fail(`model item in payload ${payload} did not contain a string type`)
  const commentary = (role: TraceGraph.Role, kind: TraceGraph.ItemKind, parts: Array<Part>): Body => ({
    role,
    channel: "commentary",
    kind,
    agent_message: null,
    parts,
    call_id: callId(item)
  })
  switch (type) {
    case "message": {
      const role = item.role
      if (typeof role !== "string") return fail(`message item in payload ${payload} did not contain a string role`)
      if (!ROLES.has(role)) return fail(`unsupported message role ${role} in payload ${payload}`)
      const parts = contentParts(item.content, payload)
      return { role: role as TraceGraph.Role, channel: phaseChannel(item.phase), kind: "message", agent_message: null, parts, call_id: null }
    }
    case "agent_message":
      return agentMessage(item, payload)
    case "reasoning":
      return reasoning(item, payload)
    case "function_call": {
      const args = item.arguments
      let part: Part
      if (!("arguments" in item)) part = ref("payload", payload)
      else if (typeof args !== "string") part = json(args, payload, order)
      else {
        let parsed: { value: unknown } | undefined
        try {
          parsed = { value: JSON.parse(args) }
        } catch {
          parsed = undefined
        }
        part = parsed === undefined ? { type: "text", text: args } : json(parsed.value, payload, order)
      }
      return commentary("assistant", "function_call", [part])
    }
    case "function_call_output":
      return commentary("tool", "function_call_output", outputParts(item, payload, order))
    case "custom_tool_call_output":
      return commentary("tool", "custom_tool_call_output", outputParts(item, payload, order))
    case "custom_tool_call": {
      const input = item.input
      const part: Part =
        typeof input !== "string"
          ? json(item, payload, order)
          : item.name === "exec"
            ? { type: "code", language: "javascript", source: input }
            : { type: "text", text: input }
      return commentary("assistant", "custom_tool_call", [part])
    }
    case "tool_search_call":
    case "web_search_call":
    case "image_generation_call":
    case "local_shell_call":
      return commentary("assistant", "function_call", [json(item, payload, order)])
    case "tool_search_output":
    case "mcp_tool_call_output":
      return commentary("tool", "function_call_output", [json(item, payload, order)])
    case "compaction":
    case "compaction_summary":
    case "context_compaction": {
      const enc = item.encrypted_content
      if (typeof enc !== "string") return fail(`compaction item in payload ${payload} did not contain string encrypted_content`)
      return {
        role: "assistant",
        channel: "summary",
        kind: "message",
        agent_message: null,
        parts: [{ type: "encoded", label: "encrypted_content", value: enc }],
        call_id: null
      }
    }
    default:
      return fail(`unsupported model item type ${type} in payload ${payload}`)
  }
}

/** Json parts compare by summary only (the payload they came from does not matter); others by every field. */
const samePart = (a: Part, b: Part): boolean => {
  switch (a.type) {
    case "text":
    case "summary":
      return b.type === a.type && a.text === b.text
    case "encoded":
      return b.type === "encoded" && a.label === b.label && a.value === b.value
    case "json":
      return b.type === "json" && a.summary === b.summary
    case "code":
      return b.type === "code" && a.language === b.language && a.source === b.source
    case "payload_ref":
      return b.type === "payload_ref" && a.label === b.label && a.raw_payload_id === b.raw_payload_id
    default: {
      const never: never = a
      return never
    }
  }
}

const sameParts = (a: ReadonlyArray<Part>, b: ReadonlyArray<Part>): boolean => a.length === b.length && a.every((p, i) => samePart(p, b[i] as Part))

const firstEncoded = (parts: ReadonlyArray<Part>) => parts.find((p) => p.type === "encoded")

/** Whether an existing item and a normalized one are the same conversation item (§4.5.1). */
export const matches = (existing: TraceGraph.ConversationItem, n: Normalized): boolean => {
  if (existing.role !== n.role || existing.channel !== n.channel || existing.kind !== n.kind || existing.call_id !== n.call_id) return false
  const meta = existing.agent_message ?? null
  if ((meta === null) !== (n.agent_message === null)) return false
  if (meta !== null && n.agent_message !== null && (meta.author !== n.agent_message.author || meta.recipient !== n.agent_message.recipient)) return false
  const parts = existing.body.parts
  if (existing.kind === "reasoning" && n.kind === "reasoning") {
    if (sameParts(parts, n.parts)) return true
    const a = firstEncoded(parts)
    const b = firstEncoded(n.parts)
    return a !== undefined && b !== undefined && a.type === "encoded" && b.type === "encoded" && a.label === b.label && a.value === b.value
  }
  return sameParts(parts, n.parts)
}

/**
 * Reasoning merge on a re-sighting: the first readable text and summary win, the encrypted
 * identity is kept (§4.5.1).
 */
export const mergeReasoning = (existing: ReadonlyArray<Part>, incoming: ReadonlyArray<Part>): Array<Part> | undefined => {
  if (sameParts(existing, incoming)) return undefined
  const a = firstEncoded(existing)
  const b = firstEncoded(incoming)
  if (a !== undefined && b !== undefined && !samePart(a, b)) fail("reasoning item merge attempted with different encrypted_content identity")
  const texts = existing.filter((p) => p.type === "text")
  const summaries = existing.filter((p) => p.type === "summary")
  if (texts.length > 0 && summaries.length > 0) return undefined
  return [
    ...(texts.length > 0 ? texts : incoming.filter((p) => p.type === "text")),
    ...(summaries.length > 0 ? summaries : incoming.filter((p) => p.type === "summary")),
    ...existing.filter((p) => p.type === "encoded")
  ]
}
