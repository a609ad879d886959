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
  readonly itemCount: number
  readonly status: Turn["status"]
  readonly json: string
}

export const freeze = (turn: Turn): FrozenTurn => ({ id: turn.id, itemCount: turn.items.length, status: turn.status, json: JSON.stringify(turn) })

export const thaw = (f: FrozenTurn): Turn => JSON.parse(f.json) as Turn
