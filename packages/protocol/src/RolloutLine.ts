/**
 * One line of a rollout: the envelope `{timestamp, ordinal?, type, payload, metadata?}` and its
 * typed payload for every line type Codex writes. `decode` dispatches on `type` (and on the
 * payload's own tag for `response_item` and `event_msg`), so a line is `Known` (typed),
 * `Unknown` (a type or tag this version does not know: keep its raw text) or `Invalid` (a known
 * type whose payload breaks its schema: Codex would skip it). `encode` writes a line built in code
 * the way Codex would; a line read from a file is written back from its raw text instead.
 */
import { Result, Schema } from "effect"
import * as Compacted from "./Compacted.js"
import * as EventMsg from "./EventMsg.js"
import * as InterAgentCommunication from "./InterAgentCommunication.js"
import * as Json from "./Json.js"
import * as ResponseItem from "./ResponseItem.js"
import * as ResponseItemMetadata from "./ResponseItemMetadata.js"
import * as SessionMeta from "./SessionMeta.js"
import * as TokenUsage from "./TokenUsage.js"
import * as TurnContext from "./TurnContext.js"
import * as Wire from "./Wire.js"
import * as WorldState from "./internal/WorldState.js"

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the only timestamp spelling Codex writes. */
export const Timestamp = Schema.String

const Ordinal = Schema.optionalKey(Wire.Int)
const Metadata = Schema.optionalKey(Wire.Json)

const line = <const T extends string, P extends Schema.Top>(type: T, payload: P) =>
  Wire.struct({ timestamp: Timestamp, ordinal: Ordinal, type: Schema.Literal(type), payload, metadata: Metadata })

/** Only `response_item` lines carry a typed `metadata` (G3); on other lines it stays opaque. */
const ItemMetadata = Schema.optionalKey(ResponseItemMetadata.ResponseItemMetadata)

export const SessionMetaLine = line("session_meta", SessionMeta.SessionMetaLine)
export const ResponseItemLine = Wire.struct({
  timestamp: Timestamp,
  ordinal: Ordinal,
  type: Schema.Literal("response_item"),
  payload: ResponseItem.ResponseItem.schema,
  metadata: ItemMetadata
})
export const CompactedLine = line("compacted", Compacted.CompactedItem)
export const TurnContextLine = line("turn_context", TurnContext.TurnContextItem)
export const EventMsgLine = line("event_msg", EventMsg.EventMsg.schema)
export const InterAgentCommunicationLine = line("inter_agent_communication", InterAgentCommunication.InterAgentCommunication)
export const InterAgentCommunicationMetadataLine = line("inter_agent_communication_metadata", InterAgentCommunication.InterAgentCommunicationMetadata)
export const WorldStateLine = line("world_state", WorldState.WorldStateItem)
export const TokenUsageRecordLine = line("token_usage_record", TokenUsage.TokenUsageRecord)
/** G3 line types Codex itself treats as opaque; kept verbatim. */
export const RetainedContextLine = line("retained_context", Wire.Json)
export const SecurityRiskScoreLine = line("security_risk_score", Wire.Json)
export const RealtimeItemLine = line("realtime_item", Wire.Json)

const lines = [
  SessionMetaLine,
  ResponseItemLine,
  CompactedLine,
  TurnContextLine,
  EventMsgLine,
  InterAgentCommunicationLine,
  InterAgentCommunicationMetadataLine,
  WorldStateLine,
  TokenUsageRecordLine,
  RetainedContextLine,
  SecurityRiskScoreLine,
  RealtimeItemLine
] as const

export const RolloutLine = Schema.Union(lines)
export type RolloutLine = typeof RolloutLine.Type
export type Type = RolloutLine["type"]

/** Every line type this version knows. */
export const types: ReadonlySet<string> = new Set(lines.map((l) => Wire.tagOf(l)))

/** The envelope alone, payload opaque: decoded first, so a bad envelope is reported as such. */
const Envelope = Wire.struct({ timestamp: Timestamp, ordinal: Ordinal, type: Schema.String, payload: Wire.Json, metadata: Metadata })
const decodeEnvelope = Schema.decodeUnknownResult(Envelope)
const decodeItemMetadata = Schema.decodeUnknownResult(ResponseItemMetadata.ResponseItemMetadata)

const ResponseItemLineType = Wire.tagOf(ResponseItemLine)

const families = new Map<string, Wire.Family<ReadonlyArray<Schema.Top>>>([
  [Wire.tagOf(ResponseItemLine), ResponseItem.ResponseItem as unknown as Wire.Family<ReadonlyArray<Schema.Top>>],
  [Wire.tagOf(EventMsgLine), EventMsg.EventMsg as unknown as Wire.Family<ReadonlyArray<Schema.Top>>]
])

/** Payload decoders of the line types that are not tagged families, read off the line schemas. */
const single = new Map<string, (u: unknown) => Result.Result<unknown, Schema.SchemaError>>(
  lines
    .filter((l) => !families.has(Wire.tagOf(l)))
    .map((l) => [Wire.tagOf(l), Schema.decodeUnknownResult(l.schema.fields.payload as Schema.Codec<unknown, unknown>)])
)

export type Decoded =
  | { readonly _tag: "Known"; readonly line: RolloutLine }
  /** A line type, or a payload tag, this version does not know. `what` names it (`event_msg/foo`). */
  | { readonly _tag: "Unknown"; readonly what: string }
  /** A known line type whose envelope or payload breaks the schema. */
  | { readonly _tag: "Invalid"; readonly what: string; readonly message: string }

/** Types a parsed JSON line. Never throws. */
export const decode = (json: unknown): Decoded => {
  const env = decodeEnvelope(json)
  if (Result.isFailure(env)) return { _tag: "Invalid", what: "envelope", message: env.failure.message }
  const envelope = env.success
  const type = envelope.type
  const family = families.get(type)
  if (family !== undefined) {
    const payload = family.decode(envelope.payload)
    switch (payload._tag) {
      case "Known": {
        // A response item's metadata is typed, so a malformed one is reported like a malformed payload.
        if (type === ResponseItemLineType && envelope.metadata !== undefined) {
          const metadata = decodeItemMetadata(envelope.metadata)
          if (Result.isFailure(metadata)) return { _tag: "Invalid", what: "envelope", message: `metadata: ${metadata.failure.message}` }
          return { _tag: "Known", line: { ...envelope, payload: payload.value, metadata: metadata.success } as RolloutLine }
        }
        return { _tag: "Known", line: { ...envelope, payload: payload.value } as RolloutLine }
      }
      case "Unknown":
        return { _tag: "Unknown", what: `${type}/${payload.tag}` }
      case "Invalid":
        return { _tag: "Invalid", what: payload.tag === "" ? type : `${type}/${payload.tag}`, message: payload.message }
    }
  }
  const decodePayload = single.get(type)
  if (decodePayload === undefined) return { _tag: "Unknown", what: type }
  const payload = decodePayload(envelope.payload)
  return Result.isSuccess(payload)
    ? { _tag: "Known", line: { ...envelope, payload: payload.success } as RolloutLine }
    : { _tag: "Invalid", what: type, message: payload.failure.message }
}

const encoders = new Map<string, (u: unknown) => unknown>(
  lines.map((l) => [Wire.tagOf(l), Schema.encodeUnknownSync(l as unknown as Schema.Codec<unknown, unknown>)])
)

/** The JSON text Codex would write for a line built in code (no trailing newline). */
export const encode = (value: RolloutLine): string => {
  const encoder = encoders.get(value.type)
  if (encoder === undefined) throw new Error(`RolloutLine.encode: unknown line type ${value.type}`)
  return Json.stringify(encoder(value))
}

/** Codex's envelope timestamp for an instant: UTC, exactly three fractional digits, `Z`. */
export const timestamp = (epochMs: number): string => new Date(epochMs).toISOString()
