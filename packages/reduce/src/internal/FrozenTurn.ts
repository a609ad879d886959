/**
 * A finished turn of the history builder, kept as its JSON text with the few facts the builder
 * still asks of it (id, item count, status). Late events rarely touch a finished turn, so a long
 * thread's history costs about its output size in memory and next to nothing to the garbage
 * collector (strings hold no pointers); a turn is parsed back only when an event changes it, and
 * `thread/read`'s JSON can be written from the texts directly. It is not a cache: the text is the turn.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

type Turn = ThreadItem.Turn

export interface FrozenTurn {
  readonly id: string
  /** Its items, those already handed out (`written`) included. */
  readonly itemCount: number
  /**
   * How many of its first items a streaming writer has already handed out (`ThreadHistory.releaseItems`):
   * `json` is then the turn without them, and `tailJson` what is left to write of it. Usually 0.
   */
  readonly written: number
  readonly status: Turn["status"]
  readonly json: string
}

/**
 * `JSON.stringify` builds a long result as a rope of parts; V8 flattens a rope on first use, so
 * every kept turn would be copied once more when the answer is written — an extra output-sized
 * allocation at the very end, when the heap is largest. Converting to a number (`{` gives NaN at
 * once) flattens it now, while the parts are still young garbage. The store to `sink` (a
 * module variable, which the compiler keeps) stops the call being dropped as dead code.
 */
// biome-ignore lint/correctness/noUnusedVariables: written only, on purpose (see above)
let sink = 0
const flat = (s: string): string => {
  sink ^= Number(s) | 0
  return s
}

export const freeze = (turn: Turn, written = 0): FrozenTurn => ({
  id: turn.id,
  itemCount: written + turn.items.length,
  written,
  status: turn.status,
  json: flat(JSON.stringify(turn))
})

const ITEMS = '"items":['

/** A turn's JSON text up to its items (opened): `{"id":…,"rootTurnId":…,"items":[`. */
export const headJson = (turn: Turn): string => {
  const json = JSON.stringify({ ...turn, items: [] })
  // A quote inside a JSON string is escaped, so the first unescaped `"items":[` is the field.
  return json.slice(0, json.indexOf(ITEMS) + ITEMS.length)
}

/**
 * What is left to write of a turn's text `json` (written without its first items) once its head
 * (`headJson`) and those items were written: a comma if items remain, then the text past its head.
 */
export const tailJson = (json: string): string => {
  const at = json.indexOf(ITEMS) + ITEMS.length
  return (json.charCodeAt(at) === 93 /* ] */ ? "" : ",") + json.slice(at)
}

export const thaw = (f: FrozenTurn): Turn => JSON.parse(f.json) as Turn
