/**
 * Typing lines for statistics, fast. The hot lines of a rollout (turn contexts, token counts, turn
 * start and end, tool calls and their outputs) are usually plain: only fields the protocol schema
 * declares, each of the schema's type. Such a line already is what `RolloutLine.decode` would
 * give, so it is used as parsed; a full Effect Schema decode of each would cost several times the
 * JSON parse. Anything else — another line type, an unknown field, a nested shape the fast path
 * cannot read exactly, a value of a surprising type — goes through the full `RolloutLine.decode`,
 * so a malformed line is reported as invalid exactly as the slow path does. It never accepts a
 * line the schema rejects (a property test checks it against the decoder).
 *
 * This module only names the schemas of the hot shapes; `FastView` (protocol) derives the checks
 * from them. `HotLines` (reduce) names thread history's, which differ (`user_message`,
 * `agent_message`; no turn contexts, token counts or tool calls). This is not a validator:
 * `rollout validate` reports every field.
 */
import * as FastView from "@rollout/protocol/FastView"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"

/** The line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make([
  TurnEvents.TokenCount,
  TurnEvents.TaskStarted,
  TurnEvents.TurnStarted,
  TurnEvents.TaskComplete,
  TurnEvents.TurnComplete,
  TurnEvents.TurnAborted,
  ResponseItem.FunctionCall,
  ResponseItem.CustomToolCall,
  ResponseItem.FunctionCallOutput,
  ResponseItem.CustomToolCallOutput,
  TurnContext.TurnContextItem
])

/** The line, typed: as parsed when it is a plain hot line, else by the full schema decode. */
export const decode = (value: Record<string, unknown>): RolloutLine.Decoded => {
  const line = view(value)
  return line !== undefined ? { _tag: "Known", line } : RolloutLine.decode(value)
}
