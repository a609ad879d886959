/**
 * The fast typed view of every rollout line: `FastView` over every payload schema of every line
 * type (a tagged family's members, else the payload itself). A line it answers for decodes under
 * `RolloutLine.decode` to itself, `Known`, and carries only declared fields, so a reader may use
 * it as parsed and skip the schema decoder; anything else gives `undefined` and is decoded fully.
 */
import type { Schema } from "effect"
import * as FastView from "@rollout/protocol/FastView"
import * as RolloutLine from "@rollout/protocol/RolloutLine"

const payloads = RolloutLine.RolloutLine.members.flatMap((line): ReadonlyArray<Schema.Top> => {
  const payload: Schema.Top = line.schema.fields.payload
  return "members" in payload ? (payload.members as ReadonlyArray<Schema.Top>) : [payload]
})

export const view: FastView.View = FastView.make(payloads)
