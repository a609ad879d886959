/**
 * The shapes (`StatsShape`) learnt so far, by line type and payload tag, shared by the files one
 * thread scans (a home's lines are alike). A shape is learnt only from a line the hot-line view
 * (`StatsDecode.view`) types as parsed, and a line rebuilt from a shape is typed by that view
 * again: so a line read here is exactly the line `JSON.parse` and `StatsDecode.decode` give, and
 * anything else (no shape matches, the view refuses) is left to the caller to parse as usual.
 */
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as StatsDecode from "./StatsDecode.js"
import * as StatsShape from "./StatsShape.js"

/** Shapes kept per kind, most recently matched first. */
const MAX_SHAPES = 16
/**
 * Shapes made per kind before giving up on it: a kind whose lines keep matching none (text where
 * no slot is) would otherwise pay for a new shape on every line.
 */
const MAX_LEARNT = 64

interface Kind {
  readonly shapes: Array<StatsShape.Shape>
  learnt: number
}

const keyOf = (p: LinePrefix.Prefix): string => (p.tag === undefined ? p.type : `${p.type}\u0000${p.tag}`)

export class Shapes {
  private readonly kinds = new Map<string, Kind>()
  private readonly values: Array<unknown> = []

  /** The typed line `p` was read from, if it matches a learnt shape and the view types it; else `undefined`. */
  read(p: LinePrefix.Prefix): RolloutLine.RolloutLine | undefined {
    const kind = this.kinds.get(keyOf(p))
    if (kind === undefined) return undefined
    const shapes = kind.shapes
    for (let n = 0; n < shapes.length; n++) {
      const shape = shapes[n] as StatsShape.Shape
      if (!StatsShape.match(shape, p.bytes, p.start, p.end, this.values)) continue
      if (n > 0) shapes.unshift(...shapes.splice(n, 1))
      return StatsDecode.view(StatsShape.rebuild(shape, this.values))
    }
    return undefined
  }

  /**
   * Learns the shape of the line `p` was read from, whose parsed value is `value` (which matched
   * no shape): only a token count's is not learnt (`StatsTokenSkim` reads those), nor a line the
   * view does not type as parsed.
   */
  learn(p: LinePrefix.Prefix, value: Record<string, unknown>): void {
    if (p.tag === "token_count") return
    const key = keyOf(p)
    let kind = this.kinds.get(key)
    if (kind !== undefined && kind.learnt >= MAX_LEARNT) return
    if (StatsDecode.view(value) === undefined) return
    if (kind === undefined) {
      kind = { shapes: [], learnt: 0 }
      this.kinds.set(key, kind)
    }
    kind.learnt++
    const shape = StatsShape.make(p.bytes, p.start, p.end, value)
    if (shape === undefined) return
    kind.shapes.unshift(shape)
    if (kind.shapes.length > MAX_SHAPES) kind.shapes.pop()
  }
}
