/**
 * The read side's diagnostics on stderr, capped: the first `LIMIT` as they come, then one line
 * counting the rest. A damaged file can hold hundreds of thousands of bad lines, and a line each
 * buries the answer and costs seconds of terminal output; `rollout validate --json` lists every
 * one. The same limit and wording family as `stats` (`… and N more`). Not a logger: it only counts.
 */
import * as Terminal from "@rollout/view/Terminal"

/** Diagnostics shown before the rest are only counted (as `stats` lists 20). */
export const LIMIT = 20

export interface Cap {
  /** One diagnostic (one or more lines of text ending in a newline). */
  readonly report: (text: string) => void
  /** Writes the count of the diagnostics not shown, if any. Call once, when the command is done. */
  readonly end: () => void
}

/**
 * One diagnostic as a terminal may show it: a diagnostic quotes the line it could not read, and
 * that text is the rollout's, so every control character in it is escaped (one line each).
 */
export const line = (text: string): string =>
  text
    .split("\n")
    .map((l, i, all) => (i === all.length - 1 && l === "" ? "" : `${Terminal.field(l)}\n`))
    .join("")

const int = (n: number): string => n.toLocaleString("en-US")

/** A cap writing through `write`; `command` names the command in the closing line (`rollout history`). */
export const make = (write: (text: string) => void, command: string, limit: number = LIMIT): Cap => {
  let seen = 0
  let ended = false
  return {
    report: (text) => {
      seen++
      if (seen <= limit) write(line(text))
    },
    end: () => {
      if (ended || seen <= limit) return
      ended = true
      const more = seen - limit
      write(`${command}: … and ${int(more)} more diagnostic${more === 1 ? "" : "s"} (${int(seen)} in all; rollout validate lists every one)\n`)
    }
  }
}
