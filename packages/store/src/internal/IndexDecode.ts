/**
 * Typing the lines the index reads, fast: the plain hot shapes (turn contexts, turn starts, token
 * counts, user and agent messages, tool calls and their outputs) are used as parsed when `FastView` finds they
 * certainly decode to themselves; anything else goes through the full `RolloutLine.decode`, so a
 * malformed line is reported exactly as before. A property test checks the view against the
 * decoder. Which lines the index reads at all is `FileScan.relevant`'s business.
 */
import * as FastView from "@rollout/protocol/FastView"
import * as MessageEvents from "@rollout/protocol/MessageEvents"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"

/** The line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make([
  TurnContext.TurnContextItem,
  TurnEvents.TaskStarted,
  TurnEvents.TurnStarted,
  TurnEvents.TokenCount,
  MessageEvents.UserMessage,
  MessageEvents.AgentMessage,
  ResponseItem.FunctionCall,
  ResponseItem.CustomToolCall,
  ResponseItem.FunctionCallOutput,
  ResponseItem.CustomToolCallOutput
])

/** The line, typed: as parsed when it is a plain hot line, else by the full schema decode. */
export const decode = (value: Record<string, unknown>): RolloutLine.Decoded => {
  const line = view(value)
  return line !== undefined ? { _tag: "Known", line } : RolloutLine.decode(value)
}
