/**
 * Threads as plain text for a terminal: the transcript `rollout history` prints (messages, and the
 * work between them: commands with exit codes and folded output, diffs, tool calls), and the short
 * per-turn lines `rollout replay` shows after a line and in its step frames. Pure string builders;
 * where the text goes is the caller's business.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import type * as ThreadWork from "@rollout/reduce/ThreadWork"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as Human from "./internal/Human.js"
import * as PatchText from "./internal/PatchText.js"
import * as TranscriptWork from "./internal/TranscriptWork.js"
import * as Terminal from "./Terminal.js"
import * as WorkedTurns from "./WorkedTurns.js"

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
    case "webSearch":
      return `⌕ web search: ${clip((item as ThreadItem.Of<"webSearch">).query, width)}`
    case "fileChange":
      return `✎ ${clip((item as ThreadItem.Of<"fileChange">).changes.map((c) => `${c.path} (${c.kind.type})`).join(", "), width)}${i.status === undefined ? "" : ` [${i.status}]`}`
    default:
      return Terminal.field(`[${i.type}${i.tool === undefined ? "" : ` ${i.tool}`}${i.status === undefined ? "" : ` ${i.status}`}]`)
  }
}

/**
 * The turns as a short transcript: every turn's header, and the parts of the last `open` turns
 * (their items, and the work log's entries between them when `work` is given).
 */
export const describeTurns = (
  turns: ReadonlyArray<ThreadItem.Turn>,
  open = turns.length,
  maxItems = 12,
  work?: { readonly work: ReadonlyArray<WorkLog.Entry>; readonly usage: ReadonlyMap<string | null, WorkedTurns.Use> }
): Array<string> => {
  const out: Array<string> = []
  WorkedTurns.ofTurns(turns, work?.work, work?.usage).forEach((view, n) => {
    const turn = view.turn
    const error = turn.error === null || turn.error === undefined ? "" : `: ${Terminal.field(turn.error.message)}`
    out.push(`── turn ${n + 1} (${turn.status}${error}) · ${turn.items.length} item${turn.items.length === 1 ? "" : "s"}`)
    if (n < turns.length - open) return
    const parts = view.parts.slice(-maxItems)
    if (parts.length < view.parts.length) out.push(`   … ${view.parts.length - parts.length} earlier`)
    for (const p of parts) {
      if (p._tag === "Item") out.push(`   ${itemLine(p.item)}`)
      else out.push(...TranscriptWork.entry(p.entry).map((l) => Terminal.text(` ${l}`)))
    }
  })
  return out
}

const clipText = (s: string, max = 400) => Terminal.text(s.length > max ? `${s.slice(0, max - 1)}…` : s)

const historyLine = (item: ThreadItem.ThreadItem): Array<string> => {
  const i = item as Shown
  switch (i.type) {
    case "userMessage":
      return [`> ${clipText((i.content ?? []).map((c) => c.text ?? `[${c.type}]`).join(" "))}`]
    case "agentMessage":
      return [clipText(i.text ?? "")]
    case "reasoning":
      return [`  (thinking) ${clipText((i.summary ?? []).join(" "), 200)}`]
    case "commandExecution": {
      const c = item as ThreadItem.Of<"commandExecution">
      return TranscriptWork.command(c.command, c.exitCode, c.durationMs, c.aggregatedOutput ?? "")
    }
    case "fileChange":
      return (item as ThreadItem.Of<"fileChange">).changes.flatMap((c) =>
        TranscriptWork.diff(`${c.path} (${c.kind.type})`, PatchText.ofChange(c.kind.type, c.diff))
      )
    case "webSearch":
      return [`  ⌕ web search: ${clipText((item as ThreadItem.Of<"webSearch">).query, 200)}`]
    case "plan":
      return [`  ☰ plan: ${clipText(i.text ?? "", 300)}`]
    default:
      return [`  [${i.type}${i.tool === undefined ? "" : ` ${i.tool}`}${i.status === undefined ? "" : ` ${i.status}`}]`]
  }
}

const turnHead = (t: WorkedTurns.TurnView, zone: string | undefined): string => {
  const turn = t.turn
  const error = turn.error === null || turn.error === undefined ? "" : `: ${Terminal.field(turn.error.message)}`
  const facts = [
    `${turn.status}${error}`,
    Human.time(turn.startedAt, zone),
    Human.duration(turn.durationMs),
    t.usage === null ? "" : TranscriptWork.usage(t.usage)
  ].filter((f) => f !== "")
  return `── turn ${t.n} · ${facts.join(" · ")} ──`
}

/** The transcript's first lines: the thread's id and name. */
export const head = (thread: ThreadItem.Thread): string =>
  Terminal.text(`thread ${Terminal.field(thread.id)}${thread.name ? `  "${Terminal.field(thread.name)}"` : ""}\n\n`)

/** One turn of the transcript, its blank line included. */
export const turn = (t: WorkedTurns.TurnView, zone?: string): string => {
  const out: Array<string> = [turnHead(t, zone)]
  for (const p of t.parts) out.push(...(p._tag === "Item" ? historyLine(p.item) : TranscriptWork.entry(p.entry)))
  // Whatever else a rollout put in an item (a type, a status) is escaped on the way out too.
  return Terminal.text(`${out.join("\n")}\n\n`)
}

/** A turn a streamed read handed out (`ThreadWork.release`), as `render` shows it among the others. */
export const released = (r: ThreadWork.Released, zone?: string): string => turn(WorkedTurns.ofReleased(r), zone)

/** The turns of `input`, numbered from `offset + 1` (the turns after those handed out). */
export const turns = (input: WorkedTurns.Input, offset = 0, zone?: string): string =>
  WorkedTurns.turns(input)
    .map((t) => turn({ ...t, n: t.n + offset }, zone))
    .join("")

/** The transcript's last line: how many turns it showed. */
export const tail = (count: number): string => Terminal.text(`${Human.plural(count, "turn")}\n`)

/**
 * The whole thread as `rollout history` prints it without `--json`: each turn's messages with the
 * work between them (commands with exit code and folded output, patches as diffs, searches, tool
 * calls, plans, errors) and the turn's token use. `zone` is the IANA zone times are shown in.
 * (`head`, `turn` and `tail` are its pieces, for a caller that writes the turns as they come.)
 */
export const render = (input: WorkedTurns.Input | ThreadItem.Thread, zone?: string): string => {
  const i: WorkedTurns.Input = "turns" in input ? { thread: input } : input
  return `${head(i.thread)}${turns(i, 0, zone)}${tail(i.thread.turns.length)}`
}
