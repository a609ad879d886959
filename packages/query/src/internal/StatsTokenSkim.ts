/**
 * `token_count` lines read from their bytes. A third of a rollout's bytes are token counts, and
 * within a session they differ only in their numbers, so each new shape is parsed and decoded in
 * full once (by the caller, which then `learn`s it) and the lines that match its skeleton
 * (`StatsSkeleton`) are read without being parsed: only the two usages statistics count. Anything
 * that matches no learnt shape is parsed and decoded as before, so what is reported never changes.
 */
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsTokens from "@rollout/reduce/StatsTokens"
import * as StatsSkeleton from "./StatsSkeleton.js"

const USAGE = ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"] as const
const WANTED = [...USAGE.map((f) => `payload.info.total_token_usage.${f}`), ...USAGE.map((f) => `payload.info.last_token_usage.${f}`)]

/** A token count as statistics read it: its timestamp, and its usages (null: no `info`). */
export interface Count {
  readonly timestamp: string
  readonly total: StatsTokens.Tokens | null
  readonly last: StatsTokens.Tokens | null
}

/** A learnt shape: its skeleton, and whether its lines carry usages (all ten slots) or none. */
interface Shape {
  readonly skeleton: StatsSkeleton.Skeleton
  readonly counts: boolean
}

/** Shapes kept, most recently matched first: a session writes one or two; a home a handful. */
const MAX_SHAPES = 8

const tokensAt = (values: Float64Array, fields: Int32Array, from: number): StatsTokens.Tokens => ({
  input: values[fields[from] as number] as number,
  cachedInput: values[fields[from + 1] as number] as number,
  output: values[fields[from + 2] as number] as number,
  reasoningOutput: values[fields[from + 3] as number] as number,
  total: values[fields[from + 4] as number] as number
})

export class Reader {
  private readonly shapes: Array<Shape> = []
  private values = new Float64Array(64)

  private valuesFor(sk: StatsSkeleton.Skeleton): Float64Array {
    if (this.values.length < sk.at.length) this.values = new Float64Array(sk.at.length)
    return this.values
  }

  /** The count in the line `prefix` was read from, if it has a learnt shape; else `undefined`. */
  read(prefix: LinePrefix.Prefix): Count | undefined {
    if (prefix.tag !== "token_count" || prefix.type !== "event_msg") return undefined
    for (let n = 0; n < this.shapes.length; n++) {
      const shape = this.shapes[n] as Shape
      const sk = shape.skeleton
      const timestamp = StatsSkeleton.match(sk, prefix.bytes, prefix.start, prefix.end, this.valuesFor(sk), prefix.timestamp)
      if (timestamp === undefined) continue
      if (n > 0) this.shapes.unshift(...this.shapes.splice(n, 1))
      if (!shape.counts) return { timestamp, total: null, last: null }
      return { timestamp, total: tokensAt(this.values, sk.fields, 0), last: tokensAt(this.values, sk.fields, 5) }
    }
    return undefined
  }

  /**
   * Learns the shape of `raw`, a token count the full decoder has just typed as `line`. The
   * skeleton must give back exactly what the decoder read, or it is not kept.
   */
  learn(raw: string, line: RolloutLine.RolloutLine): void {
    if (line.type !== "event_msg" || line.payload.type !== "token_count") return
    const bytes = Buffer.from(raw, "utf8")
    // A line of a known shape (the start of each file is parsed before skimming begins) teaches nothing.
    if (this.shapes.some((shape) => StatsSkeleton.match(shape.skeleton, bytes, 0, bytes.length, this.valuesFor(shape.skeleton)) !== undefined)) return
    const skeleton = StatsSkeleton.make(bytes, 0, bytes.length, WANTED)
    if (skeleton === undefined) return
    const info = line.payload.info
    const found = skeleton.fields.filter((f) => f >= 0).length
    const counts = info !== null && info !== undefined
    if (found !== (counts ? WANTED.length : 0)) return
    const shape = { skeleton, counts }
    const values = new Float64Array(skeleton.at.length)
    const timestamp = StatsSkeleton.match(skeleton, bytes, 0, bytes.length, values)
    if (timestamp !== line.timestamp) return
    if (counts) {
      const same =
        StatsTokens.equals(tokensAt(values, skeleton.fields, 0), StatsTokens.fromUsage(info.total_token_usage)) &&
        StatsTokens.equals(tokensAt(values, skeleton.fields, 5), StatsTokens.fromUsage(info.last_token_usage))
      if (!same) return
    }
    this.shapes.unshift(shape)
    if (this.shapes.length > MAX_SHAPES) this.shapes.pop()
  }
}
