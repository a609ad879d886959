/**
 * The model-visible history a resumed thread starts from, folded forward over its rollout lines:
 * response items replayed, `compacted` checkpoints applied (replacement history replaces, legacy
 * ones are rebuilt), `thread_rolled_back` undoing whole user turns (checkpoints inside them
 * included), plus the previous turn settings, the reference context item and the last token
 * usage. A pure fold (`step` / `finish`) over typed lines; it does no I/O, no request-time
 * preparation (base instructions, image placeholders, aborted outputs) and no tool-output
 * truncation.
 *
 * How it differs from Codex's reverse scan, on purpose: a turn is undone by restoring the state
 * saved when it started, so rolling back past a checkpoint restores the history before that
 * checkpoint (Codex keeps replaying from just after the discarded checkpoint: its "known edge").
 * Not reproduced: clearing the reference when a rolled-back developer message mixed contextual and
 * persistent text.
 *
 * Reading from the end: `ResumeTail` folds only the tail after the newest checkpoint that
 * survives the rollbacks after it, starting from a state whose older parts are placeholders, and
 * checks that no placeholder reaches the answer, which is then this fold's of the whole rollout
 * (otherwise it reads further back). What that needs
 * of this module: `step` never inspects the view it restores or passes on, except the history a
 * legacy compaction rebuilds from; token usage is the last non-null `token_count.info`, whatever
 * the rollbacks. `fromCheckpoint` seeds a fold at a replacement-history checkpoint for callers that
 * know the settings and token usage there.
 */
import { Schema } from "effect"
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as InterAgentCommunication from "@rollout/protocol/InterAgentCommunication"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TokenUsage from "@rollout/protocol/TokenUsage"
import * as TurnContext from "@rollout/protocol/TurnContext"
import * as Compaction from "./internal/Compaction.js"
import * as Reducer from "./internal/Reducer.js"
import * as EventRoles from "./EventRoles.js"

export type Item = ResponseItem.AnyResponseItem

/** An immutable stack, newest first: snapshots share their tails, so saving a state is O(1). */
export interface Stack<A> {
  readonly head: A
  readonly tail: Stack<A> | null
}

const push = <A>(tail: Stack<A> | null, head: A): Stack<A> => ({ head, tail })

export const toArray = <A>(stack: Stack<A> | null): ReadonlyArray<A> => {
  const out: Array<A> = []
  for (let s = stack; s !== null; s = s.tail) out.push(s.head)
  return out.reverse()
}

export const fromArray = <A>(items: ReadonlyArray<A>): Stack<A> | null => items.reduce<Stack<A> | null>(push, null)

/** `previousTurnSettings`, in the output's snake_case shape. */
export interface Settings {
  readonly model: string
  readonly comp_hash: string | null
  readonly realtime_active: boolean | null
}

/** The baseline the next turn diffs against: never set, cleared by a compaction, or a turn_context. */
export type Reference =
  | { readonly _tag: "NeverSet" }
  | { readonly _tag: "Cleared" }
  | { readonly _tag: "Latest"; readonly context: TurnContext.TurnContextItem }

/** What a rollback restores: everything model-visible as of a turn's start. */
export interface View {
  readonly history: Stack<Item> | null
  readonly settings: Settings | null
  readonly reference: Reference
  /** A legacy compaction (no replacement history) was replayed since the last real checkpoint. */
  readonly legacyCompaction: boolean
}

/** The turn being read. `implicit`: opened without a `turn_started` (old files). */
export interface Turn {
  readonly start: View
  readonly id: string | null
  readonly implicit: boolean
  /** Counted as a user turn (pushed on the user-turn stack). */
  readonly user: boolean
  /** Saw a user-turn boundary response item (an implicit turn holds at most one). */
  readonly boundaryItem: boolean
  /** The first compatible turn_context's settings (Codex's reverse scan keeps the oldest). */
  readonly settings: Settings | null
  /** The newest of turn_context / compacted in this turn. */
  readonly reference: Reference
}

export interface State {
  readonly view: View
  readonly turn: Turn | null
  /** Start views of the user turns that survive, newest first. */
  readonly userTurns: Stack<View> | null
  /** `info` of the last `token_count` whose info is not null. */
  readonly tokenUsage: TokenUsage.TokenUsageInfo | null
}

const neverSet: Reference = { _tag: "NeverSet" }
const cleared: Reference = { _tag: "Cleared" }

export const empty: State = {
  view: { history: null, settings: null, reference: neverSet, legacyCompaction: false },
  turn: null,
  userTurns: null,
  tokenUsage: null
}

/** A state that starts at a replacement-history checkpoint (for a backward reader). */
export const fromCheckpoint = (replacementHistory: ReadonlyArray<Item>, settings: Settings | null, tokenUsage: TokenUsage.TokenUsageInfo | null): State => ({
  ...empty,
  view: { history: fromArray(replacementHistory.filter(isReplayed)), settings, reference: cleared, legacyCompaction: false },
  tokenUsage
})

/** Items the model never sees are not replayed (ghost snapshots, request-only triggers, system messages). */
const isReplayed = (item: Item): boolean =>
  item.type !== "ghost_snapshot" && item.type !== "compaction_trigger" && !(item.type === "message" && "role" in item && item.role === "system")

const openTurn = (view: View, id: string | null, implicit: boolean): Turn => ({
  start: view,
  id,
  implicit,
  user: false,
  boundaryItem: false,
  settings: null,
  reference: neverSet
})

/** Newest qualifying turn wins: a user turn's settings and reference, or any turn's Cleared. */
const settle = (view: View, turn: Turn): View => ({
  ...view,
  settings: turn.user && turn.settings !== null ? turn.settings : view.settings,
  reference: turn.reference._tag === "Cleared" || (turn.user && turn.reference._tag === "Latest") ? turn.reference : view.reference
})

const closeTurn = (s: State): State => (s.turn === null ? s : { ...s, view: settle(s.view, s.turn), turn: null })

const ensureTurn = (s: State): State & { readonly turn: Turn } =>
  s.turn === null ? { ...s, turn: openTurn(s.view, null, true) } : (s as State & { readonly turn: Turn })

const markUser = (s: State & { readonly turn: Turn }): State =>
  s.turn.user ? s : { ...s, turn: { ...s.turn, user: true }, userTurns: push(s.userTurns, s.turn.start) }

const compatible = (a: string | null, b: string | null | undefined): boolean => a === null || b === undefined || b === null || a === b

const responseItem = (s: State, item: Item): State => {
  if (!isReplayed(item)) return s
  if (!Compaction.isUserTurnBoundary(item)) {
    return { ...s, view: { ...s.view, history: push(s.view.history, item) } }
  }
  // An implicit turn holds one user message: the next one starts the next turn.
  const before = s.turn?.implicit && s.turn.boundaryItem ? closeTurn(s) : s
  const opened = ensureTurn(before)
  const counted = markUser({ ...opened, turn: { ...opened.turn, boundaryItem: true } })
  return { ...counted, view: { ...counted.view, history: push(counted.view.history, item) } }
}

const rollback = (s: State, numTurns: number): State => {
  const closed = closeTurn(s)
  let node = closed.userTurns
  if (numTurns <= 0 || node === null) return closed
  for (let i = 1; i < numTurns && node.tail !== null; i++) node = node.tail
  return { ...closed, view: node.head, userTurns: node.tail }
}

const event = (s: State, e: EventMsg.EventMsg): State => {
  if (!EventRoles.reads("resume", e)) return s
  switch (e.type) {
    case "task_started":
    case "turn_started": {
      // Lines read since the last turn ended belong to this turn, as in Codex's segments.
      if (s.turn?.implicit) return { ...s, turn: { ...s.turn, id: e.turn_id, implicit: false } }
      const closed = closeTurn(s)
      return { ...closed, turn: openTurn(closed.view, e.turn_id, false) }
    }
    case "task_complete":
    case "turn_complete":
      return closeTurn(s)
    case "turn_aborted":
      // An abort naming another turn leaves this one open: its later turn_context still counts.
      return s.turn !== null && !compatible(s.turn.id, e.turn_id) ? s : closeTurn(s)
    case "user_message":
      return markUser(ensureTurn(s))
    case "thread_rolled_back":
      return rollback(s, e.num_turns)
    case "token_count":
      return e.info === undefined || e.info === null ? s : { ...s, tokenUsage: e.info }
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

const turnContext = (s: State, context: TurnContext.TurnContextItem): State => {
  const opened = ensureTurn(s)
  const turn = opened.turn
  if (!compatible(turn.id, context.turn_id)) return s
  const settings: Settings = { model: context.model, comp_hash: context.comp_hash ?? null, realtime_active: context.realtime_active ?? null }
  return {
    ...opened,
    turn: { ...turn, id: turn.id ?? context.turn_id ?? null, settings: turn.settings ?? settings, reference: { _tag: "Latest", context } }
  }
}

const compacted = (s: State, message: string, replacement: ReadonlyArray<Item> | undefined): State => {
  const opened = ensureTurn(s)
  const turn = { ...opened.turn, reference: cleared }
  const history = replacement !== undefined ? fromArray(replacement.filter(isReplayed)) : fromArray(Compaction.rebuild(toArray(opened.view.history), message))
  return { ...opened, turn, view: { ...opened.view, history, legacyCompaction: replacement === undefined } }
}

/**
 * The model input of an inter-agent message: plain text, or for an encrypted one a header naming
 * the kind of message, the task and the sender, then the encrypted payload.
 */
const interAgentInput = (m: InterAgentCommunication.InterAgentCommunication): Item => {
  const header = `Message Type: ${m.trigger_turn ? "NEW_TASK" : "MESSAGE"}\nTask name: ${m.recipient}\nSender: ${m.author}\nPayload:\n`
  const content: ReadonlyArray<ResponseItem.AgentMessageContent> =
    m.encrypted_content === undefined
      ? [{ type: "input_text", text: m.content }]
      : [
          { type: "input_text", text: header },
          { type: "encrypted_content", encrypted_content: m.encrypted_content }
        ]
  return {
    type: "agent_message",
    ...(m.id === undefined ? {} : { id: m.id }),
    author: m.author,
    recipient: m.recipient,
    content,
    ...(m.internal_chat_message_metadata_passthrough === undefined
      ? {}
      : { internal_chat_message_metadata_passthrough: m.internal_chat_message_metadata_passthrough })
  } as Item
}

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  switch (line.type) {
    case "response_item":
      return responseItem(s, line.payload)
    case "compacted":
      return compacted(s, line.payload.message, line.payload.replacement_history)
    case "turn_context":
      return turnContext(s, line.payload)
    case "event_msg":
      return event(s, line.payload)
    case "inter_agent_communication": {
      // A user turn, whose message the model sees as the typed `agent_message` item.
      const counted = markUser(ensureTurn(s))
      return { ...counted, view: { ...counted.view, history: push(counted.view.history, interAgentInput(line.payload)) } }
    }
    case "session_meta":
    case "inter_agent_communication_metadata":
    case "world_state":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return s
    default: {
      const never: never = line
      return never
    }
  }
}

export const fold = Reducer.foldWith(step, empty)

/** `rollout resume --json`: every value in rollout wire shape. */
export interface Output {
  readonly history: ReadonlyArray<unknown>
  readonly previousTurnSettings: Settings | null
  readonly referenceContextItem: unknown
  readonly tokenUsage: unknown
}

const encodeTurnContext = Schema.encodeUnknownSync(TurnContext.TurnContextItem as unknown as Schema.Codec<unknown, unknown>)
const encodeTokenUsage = Schema.encodeUnknownSync(TokenUsage.TokenUsageInfo as unknown as Schema.Codec<unknown, unknown>)

/** One history item as wire JSON (unknown tags are kept as read). Pass through `Json.stringify`. */
export const encodeItem = (item: Item): unknown =>
  ResponseItem.ResponseItem.tags.has(item.type) ? ResponseItem.ResponseItem.encode(item as ResponseItem.ResponseItem) : item

/** The settled view: the open turn counted as if it ended now. */
export const current = (s: State): View => (s.turn === null ? s.view : settle(s.view, s.turn))

export const finish = (s: State): Output => {
  const view = current(s)
  const reference = view.legacyCompaction || view.reference._tag !== "Latest" ? null : view.reference.context
  return {
    history: toArray(view.history).map(encodeItem),
    previousTurnSettings: view.settings,
    referenceContextItem: reference === null ? null : encodeTurnContext(reference),
    tokenUsage: s.tokenUsage === null ? null : encodeTokenUsage(s.tokenUsage)
  }
}
