/**
 * InterAgentCommunication: the payloads of the G3 `inter_agent_communication` line (a message one
 * agent of a multi-agent thread sends to another) and of `inter_agent_communication_metadata`
 * (whether a delivery triggers a turn). Agent addresses are validated agent paths, as Codex
 * requires. This module does not route or deliver messages.
 */
import { Schema } from "effect"
import { AgentPath } from "./AgentPath.js"
import { InternalChatMessageMetadataPassthrough } from "./ResponseItem.js"
import * as Wire from "./Wire.js"

export const InterAgentCommunication = Wire.struct({
  /** The `amsg_…` id of the matching `agent_message` response item. */
  id: Schema.optionalKey(Schema.String),
  author: AgentPath,
  recipient: AgentPath,
  /** Always written (`[]` when none); defaults to `[]` on read, so optional here. */
  other_recipients: Schema.optionalKey(Schema.Array(AgentPath)),
  content: Schema.String,
  encrypted_content: Schema.optionalKey(Schema.String),
  internal_chat_message_metadata_passthrough: Schema.optionalKey(InternalChatMessageMetadataPassthrough),
  trigger_turn: Schema.Boolean
})
export type InterAgentCommunication = typeof InterAgentCommunication.Type

export const InterAgentCommunicationMetadata = Wire.struct({ trigger_turn: Schema.Boolean })
export type InterAgentCommunicationMetadata = typeof InterAgentCommunicationMetadata.Type
