/**
 * ContentItemMetadata: the per-part attribution Codex 0.171 writes in
 * `internal_chat_message_metadata_passthrough.content_item_metadata`, one entry per position of an
 * item's `content`, saying who supplied that part (`provenance`: the user, the harness, a tool, a
 * skill, AGENTS.md, developer instructions). Older entries carry `harness_injected` /
 * `source_tool_namespace` instead, which Codex still reads. It is harness bookkeeping, never shown
 * to the model; this module describes the shape and does not interpret it.
 */
import { Schema } from "effect"
import * as Wire from "./Wire.js"

export const UnknownProvenance = Wire.tagged("unknown", {})
export const DeveloperInstructions = Wire.tagged("developer_instructions", { from_additional_requirements: Schema.Boolean })
export const Skills = Wire.tagged("skills", {})
export const AgentsMd = Wire.tagged("agents_md", {})
/** `hook` defaults to false on read; kept absent when the entry lacks it. */
export const Harness = Wire.tagged("harness", { hook: Schema.optionalKey(Schema.Boolean) })
/** A tool's namespace (`tool_search`, `functions`, an MCP server, ...); omitted when unknown. */
export const Tool = Wire.tagged("tool", { namespace: Schema.optionalKey(Schema.NullOr(Schema.String)) })
export const User = Wire.tagged("user", {})

const known = [UnknownProvenance, DeveloperInstructions, Skills, AgentsMd, Harness, Tool, User] as const
const knownTags: ReadonlySet<string> = new Set(known.map(Wire.tagOf))

/**
 * A provenance tag this version does not type (Codex reads `user_configured` as `unknown`; a newer
 * Codex may add sources): kept as written. A known tag with a bad payload never falls through here.
 */
export const OtherProvenance = Wire.struct({
  type: Schema.String.check(Schema.makeFilter((tag: string) => !knownTags.has(tag), { expected: "a provenance tag without a typed schema" }))
})

export const Provenance = Schema.Union([...known, OtherProvenance])
export type Provenance = typeof Provenance.Type

/** One content part's attribution. Every field is optional on read (`null` too), as in Codex. */
export const ContentItemMetadata = Wire.struct({
  provenance: Schema.optionalKey(Schema.NullOr(Provenance)),
  /** Before provenance: `true` read as a harness part. */
  harness_injected: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  /** Before provenance: read as a tool part of this namespace. */
  source_tool_namespace: Schema.optionalKey(Schema.NullOr(Schema.String))
})
export type ContentItemMetadata = typeof ContentItemMetadata.Type
