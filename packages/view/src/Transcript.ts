/**
 * Threads as plain text for a terminal: the transcript `rollout history` prints, and the short
 * per-turn lines `rollout replay` shows after a line and in its step frames. Pure string builders;
 * where the text goes is the caller's business.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Terminal from "./Terminal.js"

const clip = (s: string, max: number) => {
  const one = Terminal.field(s.replace(/[\r\n\t]+/g, " "))
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** The fields of any item that a transcript line shows (each item type has some of them). */
type Shown = {
  readonly type: string
  readonly text?: string
  readonly content?: ReadonlyArray<{ type: string; text?: string }>
  readonly command?: string
  readonly exitCode?: number | null
  readonly summary?: ReadonlyArray<string>
  readonly status?: string
  readonly tool?: string
}

/** One item as a short line. */
export const itemLine = (item: ThreadItem.ThreadItem, width = 160): string => {
  const i = item as Shown
  switch (i.type) {
    case "userMessage":
      return `> ${clip((i.content ?? []).map((c) => c.text ?? `[${c.type}]`).join(" "), width)}`
    case "agentMessage":
      return clip(i.text ?? "", width)
    case "reasoning":
      return `(thinking) ${clip((i.summary ?? []).join(" "), width)}`
    case "commandExecution":
      return `$ ${clip(i.command ?? "", width)}${i.exitCode === undefined || i.exitCode === null ? "" : `  [exit ${i.exitCode}]`}`
    default:
      return Terminal.field(`[${i.type}${i.tool === undefined ? "" : ` ${i.tool}`}${i.status === undefined ? "" : ` ${i.status}`}]`)
  }
}

/** The turns as a short transcript: every turn's header, and the items of the last `open` turns. */
export const describeTurns = (turns: ReadonlyArray<ThreadItem.Turn>, open = turns.length, maxItems = 12): Array<string> => {
  const out: Array<string> = []
  turns.forEach((turn, n) => {
    const error = turn.error === null || turn.error === undefined ? "" : `: ${Terminal.field(turn.error.message)}`
    out.push(`── turn ${n + 1} (${turn.status}${error}) · ${turn.items.length} item${turn.items.length === 1 ? "" : "s"}`)
    if (n < turns.length - open) return
    const items = turn.items.slice(-maxItems)
    if (items.length < turn.items.length) out.push(`   … ${turn.items.length - items.length} earlier`)
    for (const item of items) out.push(`   ${itemLine(item)}`)
  })
  return out
}

const clipText = (s: string, max = 400) => Terminal.text(s.length > max ? `${s.slice(0, max - 1)}…` : s)

const historyLine = (item: ThreadItem.ThreadItem): string => {
  const i = item as Shown
  switch (i.type) {
    case "userMessage":
      return `> ${clipText((i.content ?? []).map((c) => c.text ?? `[${c.type}]`).join(" "))}`
    case "agentMessage":
      return clipText(i.text ?? "")
    case "reasoning":
      return `  (thinking) ${clipText((i.summary ?? []).join(" "), 200)}`
    case "commandExecution":
      return `  $ ${clipText(i.command ?? "", 200)}${i.exitCode === undefined || i.exitCode === null ? "" : `  [exit ${i.exitCode}]`}`
    default:
      return `  [${i.type}${i.status === undefined ? "" : ` ${i.status}`}]`
  }
}

/** The whole thread as `rollout history` prints it without `--json`. */
export const render = (thread: ThreadItem.Thread): string => {
  const out: Array<string> = [`thread ${Terminal.field(thread.id)}${thread.name ? `  "${Terminal.field(thread.name)}"` : ""}`, ""]
  thread.turns.forEach((turn, n) => {
    const error = turn.error === null || turn.error === undefined ? "" : `: ${Terminal.field(turn.error.message)}`
    out.push(`── turn ${n + 1} (${turn.status}${error}) ──`)
    for (const item of turn.items) out.push(historyLine(item))
    out.push("")
  })
  out.push(`${thread.turns.length} turn${thread.turns.length === 1 ? "" : "s"}`)
  // Whatever else a rollout put in an item (a type, a status) is escaped on the way out too.
  return `${Terminal.text(out.join("\n"))}\n`
}
