/**
 * A turn's one-line title for a table of contents: the first line of what the user asked, clipped;
 * for a turn without a user message, the first thing it shows.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

export const of = (turn: ThreadItem.Turn, max = 90): string => {
  for (const item of turn.items) {
    if (item.type === "userMessage") {
      const text = item.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join(" ")
      const line = text.split("\n").find((l) => l.trim() !== "") ?? ""
      return clip(line.trim(), max) || "(empty message)"
    }
    if (item.type === "hookPrompt") return clip(`hook: ${item.fragments[0]?.text ?? ""}`.split("\n")[0] ?? "", max)
  }
  return "(no user message)"
}
