/**
 * Mail between agents, as data: one message (`Mail`), the inter-agent message item Codex puts in a
 * recipient's history for it, the reverse (recognising such an item in a recording), a child's
 * completion notification, and the replay plan of deliveries. Pure: putting mail into a thread's
 * mailbox is `Thread.post`, delivering it at a model-call boundary is `Mailbox`.
 */

type JsonObject = { readonly [key: string]: unknown }

export interface Mail {
  /** The sender's agent path. */
  readonly author: string
  readonly content: string
  /** Whether the mail starts (or continues) a turn of an idle recipient (Codex's `trigger_turn`). */
  readonly triggerTurn: boolean
}

/** The messages the boundary `index` of turn `turnId` delivered in the recording, in order. */
export type Plan = (turnId: string, index: number) => ReadonlyArray<Mail>

/** Whether two messages are the same (sender, text and trigger): what a replay matches mail by. */
export const same = (a: Mail, b: Mail): boolean => a.author === b.author && a.content === b.content && a.triggerTurn === b.triggerTurn

/** The inter-agent message item of `mail` delivered to `recipient` (Codex's model-input shape). */
export const item = (mail: Mail, recipient: string): JsonObject => ({
  type: "message",
  role: "assistant",
  content: [
    {
      type: "output_text",
      text: JSON.stringify({ author: mail.author, recipient, other_recipients: [], content: mail.content, trigger_turn: mail.triggerTurn })
    }
  ]
})

/** The message of an inter-agent item, if `item` is one (what `Recording` recognises). */
export const parse = (item: { readonly [key: string]: unknown }): Mail | undefined => {
  if (item["type"] !== "message" || item["role"] !== "assistant" || !Array.isArray(item["content"]) || item["content"].length !== 1) return undefined
  const part = item["content"][0] as { readonly [key: string]: unknown } | undefined
  if (typeof part?.["text"] !== "string" || !part["text"].startsWith("{")) return undefined
  try {
    const value = JSON.parse(part["text"]) as { readonly [key: string]: unknown }
    if (
      typeof value["author"] !== "string" ||
      typeof value["recipient"] !== "string" ||
      typeof value["content"] !== "string" ||
      typeof value["trigger_turn"] !== "boolean"
    )
      return undefined
    return { author: value["author"], content: value["content"], triggerTurn: value["trigger_turn"] }
  } catch {
    return undefined
  }
}

/** The final status of a sub-agent's turn, as Codex's `AgentStatus` serializes it. */
export type AgentStatus = { readonly completed: string | null } | { readonly errored: string }

/** The text of a child's completion notification (Codex's `<subagent_notification>` fragment). */
export const notification = (agentPath: string, status: AgentStatus): string =>
  `<subagent_notification>\n${JSON.stringify({ agent_id: agentPath, status })}\n</subagent_notification>`
