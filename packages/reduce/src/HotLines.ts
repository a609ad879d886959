/**
 * The fast typed view of the few line shapes thread history reads on every turn (`task_started`,
 * `task_complete`, `user_message`, `agent_message`): this module only names their schemas, and
 * `FastView` derives the checks from them, so a line that certainly decodes to itself is used as
 * parsed and the schema decoder (most of the cost of reading a large rollout) is not run. Anything
 * else gives `undefined`, and the caller decodes fully with `RolloutLine.decode`. It never accepts
 * a line the schema rejects (a property test checks it against the decoder).
 */
import * as FastView from "@rollout/protocol/FastView"
import * as MessageEvents from "@rollout/protocol/MessageEvents"
import * as TurnEvents from "@rollout/protocol/TurnEvents"

/** The typed line `value` is, if it is one of the plain hot shapes; else `undefined`. */
export const view: FastView.View = FastView.make([TurnEvents.TaskStarted, TurnEvents.TaskComplete, MessageEvents.UserMessage, MessageEvents.AgentMessage])
