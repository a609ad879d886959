/**
 * TraceWriter: writes a Codex rollout-trace bundle with the recorder's writer semantics
 * (rollout-trace spec §1.3, §1.7): `manifest.json` at creation, `payloads/<n>.json` (pretty) from
 * one shared ordinal, and `trace.jsonl` envelopes (compact, one per line) with contiguous `seq`.
 * The schema version (manifest and every envelope) is 2 by default, as Codex 0.169 writes it;
 * schema 1 (the spec's) is still available for tests of old bundles.
 * Writes are synchronous, so seq order is file order and every payload is on disk before the
 * event that references it. Event fields are written in Codex's order with `null` for absent
 * options. It is not the recorder (which events to emit, enabling via `CODEX_ROLLOUT_TRACE_ROOT`)
 * nor the reader (`TraceBundle`).
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Schema } from "effect"
import * as TraceEvent from "@rollout/protocol/TraceEvent"
import { EVENT_LOG, MANIFEST, PAYLOADS } from "./TraceBundle.js"

export interface Context {
  readonly thread_id: string | null
  readonly codex_turn_id: string | null
}

export interface Options {
  /** Milliseconds since the epoch; injected so tests are deterministic. */
  readonly clock?: () => number
  /** `schema_version` of the manifest and every envelope; Codex 0.169 writes 2 (the default). */
  readonly schemaVersion?: 1 | 2
}

/** The schema version Codex 0.169 writes. */
export const SCHEMA_VERSION = 2

const encodePayload = Schema.encodeSync(TraceEvent.TraceEventPayload)
const encodeSummary = Schema.encodeSync(TraceEvent.ToolCallSummary)

type Fielded = { readonly fields: Readonly<Record<string, unknown>> }
const fieldsOf = (members: ReadonlyArray<unknown>, tag: unknown): ReadonlyArray<string> => {
  for (const m of members) {
    const fields = (m as Fielded).fields
    const literal = (fields["type"] as { readonly ast?: { readonly literal?: unknown } } | undefined)?.ast?.literal
    if (literal === tag) return Object.keys(fields)
  }
  return []
}

/** Serde writes every field of a struct in declaration order, `None` as null. */
const complete = (members: ReadonlyArray<unknown>, value: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of fieldsOf(members, value.type)) out[key] = value[key] ?? null
  return out
}

/** The payload as Codex writes it: validated, fields in order, absent options as null. */
export const canonicalPayload = (payload: TraceEvent.TraceEventPayload): Record<string, unknown> => {
  const out = complete(TraceEvent.TraceEventPayload.members, encodePayload(payload) as Record<string, unknown>)
  if (payload.type === "tool_call_started")
    out.summary = complete(TraceEvent.ToolCallSummary.members, encodeSummary(payload.summary) as Record<string, unknown>)
  // Codex skips this option when absent (`{"type":"history_item_accepted","item_id":…}`).
  if (payload.type === "history_item_accepted" && out.agent_message_payload === null) delete out.agent_message_payload
  return out
}

export class TraceWriter {
  private nextSeq = 1
  private nextPayload = 1
  private readonly fd: number

  private constructor(
    readonly dir: string,
    readonly manifest: TraceEvent.TraceManifest,
    private readonly clock: () => number,
    private readonly schemaVersion: number
  ) {
    this.fd = fs.openSync(nodePath.join(dir, EVENT_LOG), "a")
  }

  /** Creates the bundle directory, its `payloads/` folder and manifest, and opens the event log. Throws on failure. */
  static create(
    dir: string,
    ids: { readonly trace_id: string; readonly rollout_id: string; readonly root_thread_id: string },
    options: Options = {}
  ): TraceWriter {
    const clock = options.clock ?? Date.now
    const schemaVersion = options.schemaVersion ?? SCHEMA_VERSION
    fs.mkdirSync(nodePath.join(dir, PAYLOADS), { recursive: true })
    const manifest: TraceEvent.TraceManifest = {
      schema_version: schemaVersion,
      trace_id: ids.trace_id,
      rollout_id: ids.rollout_id,
      root_thread_id: ids.root_thread_id,
      started_at_unix_ms: clock(),
      raw_event_log: EVENT_LOG,
      payloads_dir: PAYLOADS
    }
    fs.writeFileSync(nodePath.join(dir, MANIFEST), JSON.stringify(manifest, null, 2))
    return new TraceWriter(dir, manifest, clock, schemaVersion)
  }

  /** Writes `payloads/<n>.json`; the ordinal is used up even if the write fails (then it throws). */
  writeJsonPayload(kind: TraceEvent.RawPayloadKind["type"], value: unknown): TraceEvent.RawPayloadRef {
    const n = this.nextPayload++
    const path = `${PAYLOADS}/${n}.json`
    fs.writeFileSync(nodePath.join(this.dir, path), JSON.stringify(value, null, 2))
    return { raw_payload_id: `raw_payload:${n}`, kind: { type: kind }, path }
  }

  append(payload: TraceEvent.TraceEventPayload): TraceEvent.TraceEvent {
    return this.appendWithContext({ thread_id: null, codex_turn_id: null }, payload)
  }

  /** Appends one envelope (next seq, the clock's time) as a compact line, flushed before returning. */
  appendWithContext(context: Context, payload: TraceEvent.TraceEventPayload): TraceEvent.TraceEvent {
    const event = {
      schema_version: this.schemaVersion,
      seq: this.nextSeq,
      wall_time_unix_ms: this.clock(),
      rollout_id: this.manifest.rollout_id,
      thread_id: context.thread_id,
      codex_turn_id: context.codex_turn_id,
      payload: canonicalPayload(payload)
    }
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`)
    this.nextSeq++
    return { ...event, payload }
  }

  close(): void {
    fs.closeSync(this.fd)
  }
}
