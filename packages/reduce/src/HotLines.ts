/**
 * The fast typed view of the few line shapes thread history reads on every turn (turn starts and
 * ends, `user_message`, `agent_message`, and the turn contexts whose model or effort changed),
 * and of the `session_meta` line (whose schema decoder alone takes tens of milliseconds to build):
 * this module only names their schemas, and
 * `FastView` derives the checks from them, so a line that certainly decodes to itself is used as
 * parsed and the schema decoder (most of the cost of reading a large rollout) is not run. Anything
 * else gives `undefined`, and the caller decodes fully with `RolloutLine.decode`. It never accepts
 * a line the schema rejects (a property test checks it against the decoder).
 */
import * as FastView from "@rollout/protocol/FastView"
import * as MessageEvents from "@rollout/protocol/MessageEvents"
import * as SessionMeta from "@rollout/protocol/SessionMeta"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as TurnEvents from "@rollout/protocol/TurnEvents"

/** The typed line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make([
  TurnEvents.TaskStarted,
  TurnEvents.TurnStarted,
  TurnEvents.TaskComplete,
  TurnEvents.TurnComplete,
  TurnEvents.TurnAborted,
  MessageEvents.UserMessage,
  MessageEvents.AgentMessage,
  TurnContext.TurnContextItem,
  SessionMeta.SessionMetaLine
])
