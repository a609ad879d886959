/**
 * The terminal UI of `rollout replay --step`: a session's lines one at a time, with the thread
 * state (turns, as `thread/read` builds them) after each. Keys: n or → next line, p or ← previous,
 * N / P next / previous turn, g then a line number and Enter to jump, q to quit. The model is
 * `@rollout/reduce/Timeline` (pages read on demand, snapshots make stepping back cheap); this module only reads keys from
 * the `Input` service, draws frames on `Output`, and says nothing about how the session was read.
 */
import * as ReplaySession from "@rollout/query/ReplaySession"
import * as Timeline from "@rollout/reduce/Timeline"
import * as WorkLog from "@rollout/reduce/WorkLog"
import * as Transcript from "@rollout/view/Transcript"
import type * as Input from "./Input.js"
import type * as Output from "./Output.js"

/**
 * A frame made to fit a terminal of `size`: each line cut to the width, and when there are more
 * lines than rows, the turns cut from the top (the newest state is what a step shows), keeping the
 * position lines above and the keys below.
 */
export const fitTo = (text: string, size: Output.Size): string => {
  const width = Math.max(10, size.columns)
  const lines = text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l))
  const room = Math.max(6, size.rows - 1)
  if (lines.length <= room) return `${lines.join("\n")}\n`
  const head = lines.slice(0, 4)
  const foot = lines.slice(-2)
  const body = lines.slice(4, -2)
  const keep = Math.max(1, room - head.length - foot.length - 1)
  return `${[...head, `  … ${body.length - keep} more lines above`, ...body.slice(-keep), ...foot].join("\n")}\n`
}

const clip = (s: string, max: number) => {
  const one = s.replace(/[\r\n\t]+/g, " ")
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

const lineLabel = (e: ReplaySession.Entry): string => {
  const t = e.typed
  if (t === undefined) return `${(e.log.value as { type?: unknown }).type ?? "?"} (not a known line type)`
  const inner = (t.payload as { type?: unknown } | null)?.type
  return typeof inner === "string" ? `${t.type}/${inner}` : t.type
}

/** Keys that only separate other keys when they come from a pipe. */
export const SEPARATORS: ReadonlySet<string> = new Set([" ", "\t", "enter"])

export const KEYS = "keys: n/→ next line · p/← previous · N/P next/previous turn · g N⏎ go to line · q quit"

/** The screen for a cursor: where it is, the line it just folded, and the thread state. */
export const frame = <S>(session: ReplaySession.Session<S>, c: Timeline.Cursor<S, ReplaySession.Entry>, message = ""): string => {
  const t = session.timeline
  const total = Timeline.end(t)
  const entry = Timeline.current(t, c)
  const turns = session.live(c.state)
  // The work log of the lines folded so far (carried by the state), so the frame shows commands and their output too.
  const folded = session.work(c.state)
  const out = [
    `${session.title}  ·  line ${entry?.number ?? 0} of ${session.lastNumber}  ·  step ${c.position}/${total}  ·  turn ${Timeline.turnAt(t, c.position)} of ${t.marks.length}`,
    entry === undefined ? "  (before the first line)" : `  ${lineLabel(entry)}`,
    entry === undefined ? "" : `  ${clip(entry.log.raw, 300)}`,
    "",
    `thread: ${turns.length} turn${turns.length === 1 ? "" : "s"}`,
    ...Transcript.describeTurns(turns, 1, 8, { work: WorkLog.finish(folded), usage: WorkLog.usageByTurn(folded) }),
    "",
    message === "" ? KEYS : message
  ]
  return `${out.join("\n")}\n`
}

/**
 * Runs the step UI from `start` until q (or the end of input) and returns where it stopped. On a
 * terminal each frame replaces the last; otherwise frames follow each other, one per key.
 */
export const run = async <S>(
  session: ReplaySession.Session<S>,
  start: Timeline.Cursor<S, ReplaySession.Entry>,
  input: Input.Shape,
  output: Output.Shape
): Promise<Timeline.Cursor<S, ReplaySession.Entry>> => {
  const t = session.timeline
  const clear = input.interactive && output.isTTY ? "\x1b[2J\x1b[H" : ""
  // On a terminal each frame fits its size, read again at every draw (the window may be resized).
  const sized = (text: string) => {
    const size = clear === "" ? undefined : output.size()
    return size === undefined ? text : fitTo(text, size)
  }
  const draw = (c: Timeline.Cursor<S, ReplaySession.Entry>, message?: string) =>
    output.stdout(`${clear}${sized(frame(session, c, message))}${clear === "" ? "\n" : ""}`)
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
          c = await Timeline.seek(t, c, await ReplaySession.positionOf(session, Number(typed)))
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
    // Piped keys (`printf 'n n g12\n q'`) may be spaced or one a line: between keys that is no key.
    if (!input.interactive && SEPARATORS.has(key)) continue
    switch (key) {
      case "n":
      case "right":
      case "down":
        c = await Timeline.next(t, c)
        break
      case "p":
      case "left":
      case "up":
        c = await Timeline.previous(t, c)
        break
      case "N":
        c = await Timeline.nextTurn(t, c)
        break
      case "P":
        c = await Timeline.previousTurn(t, c)
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
