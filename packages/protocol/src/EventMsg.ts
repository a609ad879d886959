/**
 * EventMsg: the payload of `event_msg` rollout lines, a family tagged on `type` (snake_case, tag
 * first). It assembles every tag of the spec's catalog and legacy table from the per-concern
 * modules (turn and thread lifecycle, messages, review, tools, prompts, multi-agent, transient
 * session events, legacy tags). Decoding never normalises: the read aliases `turn_started` /
 * `turn_complete` are variants of their own and legacy values stay as written; see
 * {@link canonicalTag}. Unknown tags decode as `Unknown` so the reader keeps the raw line (Codex
 * itself would drop it). What gets persisted is the recorder's concern, not this module's.
 */
import * as CollabEvents from "./CollabEvents.js"
import * as LegacyEvents from "./internal/LegacyEvents.js"
import * as MessageEvents from "./MessageEvents.js"
import * as MiscEvents from "./internal/MiscEvents.js"
import * as RequestEvents from "./internal/RequestEvents.js"
import * as ReviewEvents from "./ReviewEvents.js"
import * as ToolEvents from "./ToolEvents.js"
import * as TurnEvents from "./TurnEvents.js"
import * as Wire from "./Wire.js"

export const EventMsg = Wire.family([
  ...TurnEvents.members,
  ...MessageEvents.members,
  ...ReviewEvents.members,
  ...ToolEvents.members,
  ...RequestEvents.members,
  ...CollabEvents.members,
  ...MiscEvents.members,
  ...LegacyEvents.members
])
export type EventMsg = typeof EventMsg.schema.Type

/** The event of one tag. */
export type Of<Tag extends EventMsg["type"]> = Extract<EventMsg, { readonly type: Tag }>

/** Tags Codex accepts on read but never writes, and the tag it writes instead. */
export const ReadAliases: ReadonlyMap<string, string> = new Map(
  (
    [
      [TurnEvents.TurnStarted, TurnEvents.TaskStarted],
      [TurnEvents.TurnComplete, TurnEvents.TaskComplete]
    ] as const
  ).map(([alias, written]) => [Wire.tagOf(alias), Wire.tagOf(written)])
)

/** The tag Codex would write for `tag` (`turn_started` → `task_started`); other tags unchanged. */
export const canonicalTag = (tag: string): string => ReadAliases.get(tag) ?? tag

/** Tags of the legacy table: unknown to G2.9+ Codex, never to be written again. */
export const LegacyTags: ReadonlySet<string> = new Set(
  [
    ...LegacyEvents.members,
    TurnEvents.ThreadNameUpdated,
    MessageEvents.AgentMessageDelta,
    MessageEvents.AgentReasoningDelta,
    MessageEvents.AgentReasoningRawContentDelta
  ].map(Wire.tagOf)
)
