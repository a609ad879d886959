/**
 * What full-text search indexes from a rollout line: user and agent messages, tool calls and
 * their outputs, each tagged with the turn it belongs to. A pure fold over typed lines (the turn
 * tracker) plus a pure extractor; it neither reads files nor touches SQLite.
 *
 * Sources, chosen so each thing is indexed once: user input from `user_message` events (what the
 * user typed, without the harness context Codex injects as user-role response items) or from
 * `item_completed` UserMessage items (paginated rollouts); agent answers from `agent_message`
 * events or AgentMessage items; tool calls and outputs from response items.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as ItemRoles from "@rollout/reduce/ItemRoles"

export type Kind = "user" | "agent" | "tool_call" | "tool_output"

export interface Doc {
  readonly kind: Kind
  readonly text: string
}

/**
 * Where the line is in the thread's turns. `index` counts turns from 0 (-1 before the first);
 * `id` is the recorded turn id, null when the rollout records none (old files). Rollouts with
 * turn-started events count those; older ones start a turn at each user message.
 */
export interface Turn {
  readonly index: number
  readonly id: string | null
  /** The file has turn-started events, so user messages do not open turns. */
  readonly explicit: boolean
}

export const start: Turn = { index: -1, id: null, explicit: false }

/** Longest text kept per document: tool outputs can be megabytes, search needs their start. */
export const MAX_TEXT = 32 * 1024

const clip = (s: string): string => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s)

// Images travel inside messages and tool outputs as base64 (`data:image/png;base64,…`, or an
// `input_image` part once the output is serialised): megabytes no one searches for, which made
// the index most of the logs' size. Data URLs, and any long unbroken base64 run (mixed case and
// digits, as encoded bytes are), become `[data]`.
const DATA_URL = /data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=_-]*/g

const RUN = 256

const isBase64 = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 47

/**
 * Whether `text` holds a run of at least RUN base64 characters. Any such run covers one of the
 * positions RUN - 1, 2 RUN - 1, ...: only the runs through those are measured, so ordinary text
 * costs a look every RUN characters instead of the regular expression's try at every position
 * (about a twentieth of a cold index build's profile here).
 */
const hasLongRun = (text: string): boolean => {
  for (let probe = RUN - 1; probe < text.length; probe += RUN) {
    if (!isBase64(text.charCodeAt(probe))) continue
    let start = probe
    while (start > 0 && isBase64(text.charCodeAt(start - 1))) start--
    let end = probe + 1
    while (end < text.length && end - start < RUN && isBase64(text.charCodeAt(end))) end++
    if (end - start >= RUN) return true
  }
  return false
}

/** Whether `text[from, to)` mixes lower case, upper case and digits, as encoded bytes do. */
const mixed = (text: string, from: number, to: number): boolean => {
  let lower = false
  let upper = false
  let digit = false
  for (let i = from; i < to && !(lower && upper && digit); i++) {
    const c = text.charCodeAt(i)
    if (c >= 97 && c <= 122) lower = true
    else if (c >= 65 && c <= 90) upper = true
    else if (c >= 48 && c <= 57) digit = true
  }
  return lower && upper && digit
}

/**
 * Every maximal run of at least RUN base64 characters (with up to two `=` after it) that mixes
 * cases and digits, as `[data]`. One pass, no regular expression: a backtracking match of such a
 * run overflows the stack on a line of tens of megabytes.
 */
const withoutRuns = (text: string): string => {
  let out = ""
  let kept = 0
  let i = 0
  while (i < text.length) {
    if (!isBase64(text.charCodeAt(i))) {
      i++
      continue
    }
    let end = i + 1
    while (end < text.length && isBase64(text.charCodeAt(end))) end++
    if (end - i >= RUN && mixed(text, i, end)) {
      let stop = end
      while (stop < text.length && stop - end < 2 && text.charCodeAt(stop) === 61) stop++
      out += `${text.slice(kept, i)}[data]`
      kept = stop
      end = stop
    }
    i = end
  }
  return kept === 0 ? text : out + text.slice(kept)
}

/** `text` without embedded binary data. */
export const withoutData = (text: string): string => {
  const urls = text.includes("data:") ? text.replace(DATA_URL, "[data]") : text
  return hasLongRun(urls) ? withoutRuns(urls) : urls
}

type Loose = { readonly [k: string]: unknown }

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v))

/** Text parts of a content array (`input_text`, `output_text`, `text`, `Text`). */
const contentText = (content: unknown): string =>
  Array.isArray(content)
    ? content.flatMap((c: Loose) => (typeof c?.["text"] === "string" ? [c["text"]] : [])).join("\n")
    : typeof content === "string"
      ? content
      : ""

const userMessageStarts = (t: Turn): Turn => (t.explicit ? t : { index: t.index + 1, id: null, explicit: false })

/** The turn tracker's step. */
export const step = (t: Turn, line: RolloutLine.RolloutLine): Turn => {
  if (line.type !== "event_msg" || !EventRoles.reads("search", line.payload)) return t
  const e = line.payload
  switch (e.type) {
    case "task_started":
    case "turn_started":
      return { index: t.index + 1, id: typeof e.turn_id === "string" ? e.turn_id : null, explicit: true }
    case "user_message":
      return userMessageStarts(t)
    case "item_completed":
      return (e.item as Loose | undefined)?.["type"] === "UserMessage" ? userMessageStarts(t) : t
    case "agent_message":
      return t
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

/** The searchable documents of one line (usually none or one). */
export const extract = (line: RolloutLine.RolloutLine): ReadonlyArray<Doc> => {
  const doc = (kind: Kind, raw: string): ReadonlyArray<Doc> => {
    const text = withoutData(raw)
    return text.trim() === "" ? [] : [{ kind, text: clip(text) }]
  }
  switch (line.type) {
    case "event_msg": {
      if (!EventRoles.reads("search", line.payload)) return []
      const e = line.payload
      switch (e.type) {
        case "user_message":
          return doc("user", str(e.message))
        case "agent_message":
          return doc("agent", str(e.message))
        case "item_completed": {
          const item = e.item as Loose | undefined
          if (item?.["type"] === "UserMessage") return doc("user", contentText(item["content"]))
          if (item?.["type"] === "AgentMessage") return doc("agent", contentText(item["content"]) || str(item["text"]))
          return []
        }
        case "task_started":
        case "turn_started":
          return []
        default: {
          const unreachable: never = e
          return unreachable
        }
      }
    }
    case "response_item": {
      if (!ItemRoles.reads("search", line.payload)) return []
      const p = line.payload as Loose & ItemRoles.Read<"search">
      switch (p.type) {
        case "function_call":
          return doc("tool_call", `${str(p["name"])} ${str(p["arguments"])}`)
        case "custom_tool_call":
          return doc("tool_call", `${str(p["name"])} ${str(p["input"])}`)
        case "local_shell_call": {
          const command = (p["action"] as Loose | undefined)?.["command"]
          return doc("tool_call", Array.isArray(command) ? command.join(" ") : str(command))
        }
        case "function_call_output":
        case "custom_tool_call_output": {
          const output = p["output"]
          return doc("tool_output", typeof output === "string" ? output : contentText(output) || str((output as Loose | null)?.["content"] ?? output))
        }
        default: {
          const unreachable: never = p
          return unreachable
        }
      }
    }
    case "session_meta":
    case "turn_context":
    case "compacted":
    case "world_state":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return []
    default: {
      const unreachable: never = line
      return unreachable
    }
  }
}
