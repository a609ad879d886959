/**
 * Long text folded to its first and last lines, as a terminal transcript shows a command's output:
 * enough to see what ran and how it ended, with the number of lines left out in between.
 */

export interface Folded {
  readonly head: ReadonlyArray<string>
  readonly tail: ReadonlyArray<string>
  /** Lines left out between `head` and `tail`. */
  readonly omitted: number
}

/** The lines of `text` (without a final empty line), folded when there are more than `head + tail + 1`. */
export const lines = (text: string, head: number, tail: number): Folded => {
  const all = text.replace(/\n$/, "").split("\n")
  if (text === "") return { head: [], tail: [], omitted: 0 }
  if (all.length <= head + tail + 1) return { head: all, tail: [], omitted: 0 }
  return { head: all.slice(0, head), tail: all.slice(all.length - tail), omitted: all.length - head - tail }
}
