/**
 * The fast typed view of the few line shapes thread history reads on every turn (`task_started`,
 * `task_complete`, `user_message`, `agent_message` in their plain forms), declared as `FastView`
 * tables: a line with only these fields, each of the schema's JSON type, is used as parsed and the
 * schema decoder (most of the cost of reading a large rollout) is not run. Anything else gives
 * `undefined`, and the caller decodes fully with `RolloutLine.decode`. The mechanism, and its
 * own-key lookups, live in `FastView`; this module is only history's tables. It never accepts a
 * line the schema rejects (a property test checks it against the decoder).
 */
import * as FastView from "@rollout/protocol/FastView"

const { empty, nonNegativeInt, nullOr, oneOf, str, strings } = FastView

const details = FastView.arrayOf(nullOr(oneOf(["auto", "low", "high", "original"])))

/** Allowed payload fields and their checks, per event type; `true` marks required fields. */
const events: Readonly<Record<string, FastView.Fields>> = {
  task_started: FastView.turnEvents.taskStarted,
  task_complete: FastView.turnEvents.taskComplete,
  user_message: {
    client_id: [str, false],
    message: [str, true],
    kind: [str, false],
    images: [nullOr(strings), false],
    image_details: [details, false],
    local_images: [strings, false],
    local_image_details: [details, false],
    audio: [strings, false],
    local_audio: [strings, false],
    // Non-empty text elements are nested objects: left to the decoder.
    text_elements: [empty, false]
  },
  agent_message: {
    message: [str, true],
    phase: [nullOr(oneOf(["commentary", "final_answer", "partial_answer"])), false],
    // A citation is a nested object: only its absence is fast.
    memory_citation: [(v) => v === null, false],
    delivery: [str, false]
  }
}

/** The typed line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make({ event_msg: FastView.tagged(events) }, { ordinal: nonNegativeInt })
