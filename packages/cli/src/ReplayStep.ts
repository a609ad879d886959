/**
 * The terminal UI of `rollout replay --step`: a session's lines one at a time, with the thread
 * state (turns, as `thread/read` builds them) after each. Keys: n or → next line, p or ← previous,
 * N / P next / previous turn, g then a line number and Enter to jump, q to quit. The model is
 * `@rollout/reduce/Timeline` (snapshots make stepping back cheap); this module only reads keys from
 * the `Input` service, draws frames on `Output`, and says nothing about how the session was read.
 */
import type { LogLine } from "@rollout/log/LineFramer"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Timeline from "@rollout/reduce/Timeline"
import type * as Input from "./Input.js"
import type * as Output from "./Output.js"

/** One line of the session: its number (across the thread's files), as read, and typed if known. */
export interface Entry {
  readonly number: number
  readonly log: LogLine
  readonly typed: RolloutLine.RolloutLine | undefined
}

/** A session ready to replay: its timeline and how to see turns in its state. */
export interface Session<S> {
  readonly title: string
  readonly timeline: Timeline.Timeline<S, Entry>
  readonly turns: (state: S) => ReadonlyArray<ThreadItem.Turn>
  /** The turns as they stand mid-session (an unfinished turn stays `inProgress`), for the step UI. */
  readonly live: (state: S) => ReadonlyArray<ThreadItem.Turn>
}

/** The position after line `n` (counting every line numbered ≤ n). */
export const positionOf = <S>(session: Session<S>, n: number): number => {
  const lines = session.timeline.lines
  let lo = 0
  let hi = lines.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((lines[mid] as Entry).number <= n) lo = mid + 1
    else hi = mid
  }
  return lo
}

const clip = (s: string, max: number) => {
  const one = s.replace(/[\r\n\t]+/g, " ")
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** One item as a short line. */
export const itemLine = (item: ThreadItem.ThreadItem, width = 160): string => {
  const i = item as { type: string; text?: string; content?: ReadonlyArray<{ type: string; text?: string }>; command?: string; exitCode?: number | null; summary?: ReadonlyArray<string>; status?: string; tool?: string }
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
      return `[${i.type}${i.tool === undefined ? "" : ` ${i.tool}`}${i.status === undefined ? "" : ` ${i.status}`}]`
  }
}

/** The turns as a short transcript: every turn's header, and the items of the last `open` turns. */
export const describeTurns = (turns: ReadonlyArray<ThreadItem.Turn>, open = turns.length, maxItems = 12): Array<string> => {
  const out: Array<string> = []
  turns.forEach((turn, n) => {
    const error = turn.error === null || turn.error === undefined ? "" : `: ${turn.error.message}`
    out.push(`── turn ${n + 1} (${turn.status}${error}) · ${turn.items.length} item${turn.items.length === 1 ? "" : "s"}`)
    if (n < turns.length - open) return
    const items = turn.items.slice(-maxItems)
    if (items.length < turn.items.length) out.push(`   … ${turn.items.length - items.length} earlier`)
    for (const item of items) out.push(`   ${itemLine(item)}`)
  })
  return out
}

const lineLabel = (e: Entry): string => {
  const t = e.typed
  if (t === undefined) return `${(e.log.value as { type?: unknown }).type ?? "?"} (not a known line type)`
  const inner = (t.payload as { type?: unknown } | null)?.type
  return typeof inner === "string" ? `${t.type}/${inner}` : t.type
}

export const KEYS = "keys: n/→ next line · p/← previous · N/P next/previous turn · g N⏎ go to line · q quit"

/** The screen for a cursor: where it is, the line it just folded, and the thread state. */
export const frame = <S>(session: Session<S>, c: Timeline.Cursor<S>, message = ""): string => {
  const t = session.timeline
  const total = t.lines.length
  const entry = Timeline.current(t, c)
  const last = t.lines[total - 1]
  const turns = session.live(c.state)
  const out = [
    `${session.title}  ·  line ${entry?.number ?? 0} of ${last?.number ?? 0}  ·  step ${c.position}/${total}  ·  turn ${Timeline.turnAt(t, c.position)} of ${t.marks.length}`,
    entry === undefined ? "  (before the first line)" : `  ${lineLabel(entry)}`,
    entry === undefined ? "" : `  ${clip(entry.log.raw, 300)}`,
    "",
    `thread: ${turns.length} turn${turns.length === 1 ? "" : "s"}`,
    ...describeTurns(turns, 1, 8),
    "",
    message === "" ? KEYS : message
  ]
  return out.join("\n") + "\n"
}

/**
 * Runs the step UI from `start` until q (or the end of input) and returns where it stopped. On a
 * terminal each frame replaces the last; otherwise frames follow each other, one per key.
 */
export const run = async <S>(session: Session<S>, start: Timeline.Cursor<S>, input: Input.Shape, output: Output.Shape): Promise<Timeline.Cursor<S>> => {
  const t = session.timeline
  const clear = input.interactive && output.isTTY ? "\x1b[2J\x1b[H" : ""
  const draw = (c: Timeline.Cursor<S>, message?: string) => output.stdout(`${clear}${frame(session, c, message)}${clear === "" ? "\n" : ""}`)
  let c = start
  let goto: string | undefined
  draw(c)
  for await (const key of input.keys()) {
    if (goto !== undefined) {
      if (/^[0-9]$/.test(key)) goto += key
      else if (key === "backspace") goto = goto.slice(0, -1)
      else if (key === "enter") {
        const typed = goto
        goto = undefined
        if (typed === "") draw(c)
        else {
          c = Timeline.seek(t, c, positionOf(session, Number(typed)))
          draw(c)
        }
        continue
      } else if (key === "escape" || key === "q" || key === "ctrl-c") {
        goto = undefined
        draw(c)
        continue
      }
      draw(c, `go to line: ${goto}`)
      continue
    }
    switch (key) {
      case "n":
      case "right":
      case "down":
        c = Timeline.next(t, c)
        break
      case "p":
      case "left":
      case "up":
        c = Timeline.previous(t, c)
        break
      case "N":
        c = Timeline.nextTurn(t, c)
        break
      case "P":
        c = Timeline.previousTurn(t, c)
        break
      case "g":
        goto = ""
        draw(c, "go to line: ")
        continue
      case "q":
      case "ctrl-c":
        return c
      default:
        draw(c, `unknown key ${JSON.stringify(key)} — ${KEYS}`)
        continue
    }
    draw(c)
  }
  return c
}
