/**
 * Which history messages are real user turns, and how Codex rebuilds the history at a legacy
 * `compacted` line that has no `replacement_history`: the real user messages kept newest first
 * under a 20,000-token budget, then the summary. Pure helpers for ResumeHistory and ForkHistory;
 * it does not produce checkpoints (no model call) and does not place initial context.
 */
import { Schema } from "effect"
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import * as InterAgentCommunication from "@rollout/protocol/InterAgentCommunication"
import type * as ResponseItem from "@rollout/protocol/ResponseItem"

export type Item = ResponseItem.AnyResponseItem

/** The bundled summary prefix (`core/templates/compact/summary_prefix.md`), first words. */
export const SUMMARY_PREFIX = "Another language model started to solve this problem and produced a summary of its thinking process"

/** Budget for the user messages kept by a compaction (approximate tokens). */
export const USER_MESSAGE_BUDGET = 20_000

/** Harness-injected text wrappers: a user message carrying one is context, not the user speaking. */
const CONTEXTUAL_PREFIXES = [
  "<environment_context>",
  "<user_instructions>",
  "# AGENTS.md instructions for ",
  "<skill>",
  "<skills_instructions>",
  "<apps_instructions>",
  "<plugins_instructions>",
  "<user_shell_command>",
  "<turn_aborted>",
  "<subagent_notification>",
  "<collaboration_mode>",
  "<realtime_conversation>",
  "<context_window>"
]

const isMessage = (item: Item): item is ResponseItem.Message => item.type === "message" && "role" in item && "content" in item

const textOf = (content: ResponseItem.Message["content"]): ReadonlyArray<string> =>
  content.flatMap((c) => (c.type === "input_text" || c.type === "output_text" ? [c.text] : []))

// Codex compares the opening marker ignoring ASCII case (`<ENVIRONMENT_CONTEXT>` is context too).
const isContextualText = (text: string): boolean => {
  const t = text.trimStart()
  return (
    CONTEXTUAL_PREFIXES.some((p) => t.length >= p.length && t.slice(0, p.length).toLowerCase() === p.toLowerCase()) ||
    HookPrompt.parseFragment(text) !== undefined
  )
}

const isInterAgentJson = Schema.is(InterAgentCommunication.InterAgentCommunication)

/**
 * Content that is one inter-agent communication serialised as JSON (a single text part), the
 * way Codex records an instruction another agent sent as an assistant message.
 */
export const isInterAgentContent = (content: ResponseItem.Message["content"]): boolean => {
  const only = content.length === 1 ? content[0] : undefined
  if (only === undefined || (only.type !== "input_text" && only.type !== "output_text")) return false
  // Most assistant messages are prose: only an object can be one, so parse nothing else.
  if (!only.text.trimStart().startsWith("{")) return false
  try {
    return isInterAgentJson(JSON.parse(only.text))
  } catch {
    return false
  }
}

/** A compaction summary message (`summary prefix + newline`); not a user turn in current builds. */
export const isSummaryText = (text: string): boolean => text.startsWith(SUMMARY_PREFIX)

/** A user message whose content is harness-injected context (environment, AGENTS.md, hook prompt, ...). */
export const isContextualUserMessage = (item: Item): boolean => isMessage(item) && item.role === "user" && textOf(item.content).some(isContextualText)

/**
 * A user-turn boundary: a `user` message that is neither contextual nor a compaction summary, an
 * `assistant` message carrying an inter-agent instruction, or an `agent_message` item.
 */
export const isUserTurnBoundary = (item: Item): boolean => {
  if (item.type === "agent_message") return true
  if (isMessage(item) && item.role === "assistant") return isInterAgentContent(item.content)
  if (!isMessage(item) || item.role !== "user") return false
  const texts = textOf(item.content)
  if (texts.some(isContextualText)) return false
  return !texts.some(isSummaryText)
}

/** The text of a real user message, as Codex joins its text parts: the non-empty ones, by newlines. */
export const userText = (item: Item): string =>
  isMessage(item)
    ? textOf(item.content)
        .filter((t) => t !== "")
        .join("\n")
    : ""

/** A real user message: a user-role turn boundary (not an inter-agent instruction). */
const isRealUserMessage = (item: Item): boolean => isMessage(item) && item.role === "user" && isUserTurnBoundary(item)

const encoder = new TextEncoder()

/** Codex's byte-length token estimate. */
export const approxTokens = (text: string): number => Math.ceil(encoder.encode(text).length / 4)

/**
 * Middle truncation to about `tokens` tokens with a "tokens truncated" marker. Approximate: the
 * cut is on characters, not UTF-8 byte boundaries as Codex does.
 */
export const truncateMiddle = (text: string, tokens: number): string => {
  const total = approxTokens(text)
  if (total <= tokens) return text
  const keep = Math.max(0, tokens * 4)
  const head = text.slice(0, Math.floor(keep / 2))
  const tail = text.slice(text.length - Math.ceil(keep / 2))
  return `${head}…${total - tokens} tokens truncated…${tail}`
}

const userMessage = (text: string): ResponseItem.Message => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }]
})

/**
 * The history a legacy compaction leaves: the real user messages of `history` (newest first under
 * the budget, the first that does not fit truncated, then chronological), then `summary`
 * ("(no summary available)" when empty). No initial context.
 */
export const rebuild = (history: ReadonlyArray<Item>, summary: string): ReadonlyArray<Item> => {
  const texts = history.filter(isRealUserMessage).map(userText)
  const kept: Array<string> = []
  let remaining = USER_MESSAGE_BUDGET
  for (let i = texts.length - 1; i >= 0 && remaining > 0; i--) {
    const text = texts[i] ?? ""
    const tokens = approxTokens(text)
    if (tokens <= remaining) {
      kept.push(text)
      remaining -= tokens
    } else {
      kept.push(truncateMiddle(text, remaining))
      break
    }
  }
  kept.reverse()
  return [...kept.map(userMessage), userMessage(summary === "" ? "(no summary available)" : summary)]
}
