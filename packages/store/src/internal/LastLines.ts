/**
 * The lines of which only the last ones move the index's folds: a `token_count` event sets the
 * token totals when it carries usage (ThreadFacts), a `turn_context` line sets the reasoning
 * effort and, when it names one, the model (ThreadMetadata); nothing else reads either. They are
 * nearly half of a rollout's bytes, so FileScan leaves them unparsed as it frames a chunk and
 * remembers where they start; at the end of the chunk `settle` parses them from the last one
 * back, only until one decides the state (usage given, a model named), and folds those in file
 * order. The state then equals folding every one of them in order. It reads the lines it parses
 * through the `read` it is given and holds only their offsets.
 */
import { isUtf8 } from "node:buffer"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as IndexDecode from "./IndexDecode.js"

export type Kind = "token_count" | "turn_context"

/** The last-wins kind of a line, judged from its envelope. */
export const kindOf = (p: LinePrefix.Prefix): Kind | undefined =>
  p.type === "turn_context" ? "turn_context" : p.type === "event_msg" && p.tag === "token_count" ? "token_count" : undefined

/** The last-wins kind of a decoded line. */
export const kindOfLine = (line: RolloutLine.RolloutLine): Kind | undefined =>
  line.type === "turn_context" ? "turn_context" : line.type === "event_msg" && line.payload.type === "token_count" ? "token_count" : undefined

/** Whether `line` decides its kind's part of the state, so that earlier lines of the kind cannot matter. */
const decides = (kind: Kind, line: RolloutLine.RolloutLine): boolean => {
  switch (kind) {
    case "token_count":
      return line.type === "event_msg" && line.payload.type === "token_count" && line.payload.info?.total_token_usage !== undefined
    case "turn_context":
      return line.type === "turn_context" && typeof (line.payload as { readonly model?: unknown }).model === "string"
    default: {
      const unreachable: never = kind
      return unreachable
    }
  }
}

/** Reads the bytes of the line starting at a file offset (without its LF). */
export type Read = (offset: number) => Uint8Array

/** Offsets of the lines of each kind met since the last `settle`. */
export class Pending {
  private readonly offsets: { readonly [K in Kind]: Array<number> } = { token_count: [], turn_context: [] }

  add(kind: Kind, offset: number): void {
    this.offsets[kind].push(offset)
  }

  /** Whether no line waits to be settled. */
  get isEmpty(): boolean {
    return this.offsets.token_count.length === 0 && this.offsets.turn_context.length === 0
  }

  /**
   * The decoded lines to fold, in file order: of each kind, the last one that decides and those
   * after it (all of them when none decides). Lines that are not valid UTF-8, JSON or the schema
   * are left out, as the framer and the decoder leave them out. Forgets the offsets.
   */
  settle(read: Read): Array<RolloutLine.RolloutLine> {
    const out: Array<{ readonly offset: number; readonly line: RolloutLine.RolloutLine }> = []
    for (const kind of ["token_count", "turn_context"] as const) {
      const offsets = this.offsets[kind]
      for (let i = offsets.length - 1; i >= 0; i--) {
        const offset = offsets[i] as number
        const line = decode(read(offset))
        if (line === undefined) continue
        out.push({ offset, line })
        if (decides(kind, line)) break
      }
      offsets.length = 0
    }
    return out.sort((a, b) => a.offset - b.offset).map((l) => l.line)
  }
}

const decode = (bytes: Uint8Array): RolloutLine.RolloutLine | undefined => {
  if (!isUtf8(bytes)) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const decoded = IndexDecode.decode(value as Record<string, unknown>)
  return decoded._tag === "Known" ? decoded.line : undefined
}
