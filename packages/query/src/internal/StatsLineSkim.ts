/**
 * The other lines statistics read, typed from their bytes: turn contexts, turn starts and ends,
 * tool calls and their outputs. Within a session they repeat one shape and differ only in a few
 * values (ids, times, the output's text), so, as for token counts (`StatsTokenSkim`), each new
 * shape is parsed and decoded in full once and learnt as a skeleton (`StatsSkeleton`) whose slots
 * are those values; a line matching it is the exemplar's decoded line with the slots' values put
 * in, without `JSON.parse` of the line or a schema check. A line that matches no learnt shape is
 * parsed and decoded as before, so reports and diagnostics do not change.
 *
 * A slot is cut only where the schema takes any string (or any integer), so any value there keeps
 * the line as valid as its exemplar, and the line handed out is the one the decoder would give.
 */
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsSkeleton from "./StatsSkeleton.js"

/** The slots of a shape, by payload tag (the line type for `turn_context`): payload keys. */
interface Spec {
  readonly strings: ReadonlyArray<string>
  readonly integers: ReadonlyArray<string>
}

const started: Spec = { strings: ["turn_id", "root_turn_id", "trace_id"], integers: ["started_at", "model_context_window"] }
const ended: Spec = {
  strings: ["turn_id", "root_turn_id", "last_agent_message"],
  integers: ["started_at", "completed_at", "duration_ms", "time_to_first_token_ms"]
}
const output: Spec = { strings: ["call_id", "name", "namespace", "id", "output"], integers: [] }
const call = ["call_id", "name", "namespace", "id", "status", "encrypted_content"]

/**
 * Each field here is typed by its schema (`TurnEvents`, `ResponseItem`, `TurnContext`) as a plain
 * string or integer (or one of them among other types: a slot keeps the exemplar's type), with no
 * literal, pattern or range: what makes a slot safe.
 */
const SPECS: Readonly<Record<string, Spec>> = {
  task_started: started,
  turn_started: started,
  task_complete: ended,
  turn_complete: ended,
  turn_aborted: { strings: ["turn_id", "root_turn_id"], integers: ["started_at", "completed_at", "duration_ms"] },
  function_call: { strings: [...call, "arguments"], integers: [] },
  custom_tool_call: { strings: [...call, "input"], integers: [] },
  function_call_output: output,
  custom_tool_call_output: output,
  turn_context: {
    strings: [
      "model",
      "turn_id",
      "root_turn_id",
      "trace_id",
      "cwd",
      "current_date",
      "timezone",
      "approvals_reviewer",
      "comp_hash",
      "personality",
      "multi_agent_version",
      "user_instructions",
      "developer_instructions"
    ],
    integers: []
  }
}

interface Compiled {
  readonly slots: StatsSkeleton.Slots
  readonly wanted: ReadonlyArray<string>
  readonly keys: ReadonlyArray<string>
}

const compile = (spec: Spec): Compiled => {
  const keys = [...spec.strings, ...spec.integers]
  return {
    slots: {
      strings: new Set(spec.strings.map((k) => `payload.${k}`)),
      integers: new Set(spec.integers.map((k) => `payload.${k}`))
    },
    wanted: keys.map((k) => `payload.${k}`),
    keys
  }
}

const COMPILED = new Map(Object.entries(SPECS).map(([tag, spec]) => [tag, compile(spec)]))

/** A learnt shape: its skeleton, its exemplar as decoded, and which payload key each present slot fills. */
interface Shape {
  readonly skeleton: StatsSkeleton.Skeleton
  readonly line: RolloutLine.RolloutLine
  /** `[slot index, payload key, is a string]` for each slot the exemplar has. */
  readonly fills: ReadonlyArray<readonly [number, string, boolean]>
}

/** Shapes kept per tag, most recently matched first. */
const MAX_SHAPES = 8

/** The shape key of a line's envelope: the payload tag, or the line type when the payload has none. */
const keyOf = (type: string, tag: string | undefined): string | undefined => (type === "turn_context" ? (tag === undefined ? type : undefined) : tag)

export class Reader {
  private readonly shapes = new Map<string, Array<Shape>>()
  /** Lines of each tag offered to `learn` since one was last matched: learnt from at 1, 2, 4, 8, ... only. */
  private readonly tries = new Map<string, number>()
  private values = new Float64Array(64)
  private readonly texts: Array<string> = []

  private valuesFor(sk: StatsSkeleton.Skeleton): Float64Array {
    if (this.values.length < sk.at.length) this.values = new Float64Array(sk.at.length)
    return this.values
  }

  /** The line `prefix` was read from, typed for statistics, if it has a learnt shape; else `undefined`. */
  read(prefix: LinePrefix.Prefix): RolloutLine.RolloutLine | undefined {
    const key = keyOf(prefix.type, prefix.tag)
    if (key === undefined || !COMPILED.has(key)) return undefined
    const shapes = this.shapes.get(key) ?? []
    for (let n = 0; n < shapes.length; n++) {
      const shape = shapes[n] as Shape
      const values = this.valuesFor(shape.skeleton)
      const timestamp = StatsSkeleton.match(shape.skeleton, prefix.bytes, prefix.start, prefix.end, values, this.texts, prefix.timestamp)
      if (timestamp === undefined) continue
      if (n > 0) shapes.unshift(...shapes.splice(n, 1))
      this.tries.set(key, 0)
      return this.fill(shape, timestamp, values)
    }
    return undefined
  }

  private fill(shape: Shape, timestamp: string, values: Float64Array): RolloutLine.RolloutLine {
    const payload: Record<string, unknown> = { ...(shape.line.payload as object) }
    for (const [slot, key, text] of shape.fills) payload[key] = text ? this.texts[slot] : values[slot]
    return { ...shape.line, timestamp, payload } as RolloutLine.RolloutLine
  }

  /**
   * Learns the shape of `raw`, a line the full decoder has just typed as `line`. The skeleton must
   * give back exactly what the decoder read, or it is not kept.
   */
  learn(raw: string, line: RolloutLine.RolloutLine): void {
    const key = keyOf(line.type, line.type === "turn_context" ? undefined : (line.payload as { type?: string }).type)
    const compiled = key === undefined ? undefined : COMPILED.get(key)
    if (key === undefined || compiled === undefined) return
    // Ever more rarely while lines of the tag keep missing (shapes that vary): a skeleton costs
    // more to make than the line to parse.
    const tries = (this.tries.get(key) ?? 0) + 1
    this.tries.set(key, tries)
    if ((tries & (tries - 1)) !== 0) return
    const bytes = Buffer.from(raw, "utf8")
    const shapes = this.shapes.get(key) ?? []
    // A line of a known shape (judged before its shape was learnt) teaches nothing.
    for (const shape of shapes) if (StatsSkeleton.match(shape.skeleton, bytes, 0, bytes.length, this.valuesFor(shape.skeleton)) !== undefined) return
    const skeleton = StatsSkeleton.make(bytes, 0, bytes.length, compiled.wanted, compiled.slots)
    if (skeleton === undefined) return
    const values = new Float64Array(skeleton.at.length)
    const texts: Array<string> = []
    if (StatsSkeleton.match(skeleton, bytes, 0, bytes.length, values, texts) !== line.timestamp) return
    const payload = line.payload as Record<string, unknown>
    const fills: Array<readonly [number, string, boolean]> = []
    for (let w = 0; w < compiled.keys.length; w++) {
      const slot = skeleton.fields[w] as number
      const k = compiled.keys[w] as string
      if (slot < 0) continue
      const decoded = payload[k]
      const text = typeof decoded === "string"
      // The slot must read what the decoder gave: the very string, the very number.
      if (decoded !== (text ? texts[slot] : values[slot])) return
      fills.push([slot, k, text])
    }
    shapes.unshift({ skeleton, line, fills })
    if (shapes.length > MAX_SHAPES) shapes.pop()
    this.shapes.set(key, shapes)
  }
}
