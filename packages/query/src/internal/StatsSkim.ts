/**
 * Which lines `StatsScan` leaves unparsed, judged from each line's envelope (`LinePrefix`) as the
 * reader frames it, and what each of them stands for when it comes out as a `Skimmed` entry: a
 * line statistics do not read (skipped), a token count read from its bytes (`StatsTokenSkim`), or,
 * while a legacy fork's copied history is matched against its parent, the line's copy key (its
 * text from `"type":` on, which is all `StatsCopy` compares). Lines statistics read are parsed as
 * usual, so a copy that ends at one of them is read exactly. Like any skimmed line, a broken line
 * left unparsed is not reported: `rollout validate` is the check.
 */
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type * as StatsTokenSkim from "./StatsTokenSkim.js"

/** `off`: parse every line; `copy`: a fork's copy is being matched; `on`: skim what statistics do not read. */
export type Mode = "off" | "copy" | "on"

/** What a skimmed line stands for: skipped (null), a token count, or a copy key (a string). */
export type Taken = StatsTokenSkim.Count | string | null

const TYPE_KEY = Buffer.from('"type":', "latin1")

/** The copy key of the line a prefix was read from (`StatsCopy.copyKey` of its text). */
const copyKey = (p: LinePrefix.Prefix): string => {
  const buf = Buffer.isBuffer(p.bytes) ? p.bytes : Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength)
  // The envelope was read, so its `type` key is there, and it is the first: the timestamp before it holds no quote.
  return buf.toString("utf8", buf.indexOf(TYPE_KEY, p.start), p.end)
}

export class Skim {
  mode: Mode = "off"
  /** One entry per line left unparsed, in line order, as the reader hands them out. */
  private readonly queue: Array<Taken> = []
  private taken = 0

  constructor(
    private readonly tokens: StatsTokenSkim.Reader,
    /** Whether statistics read a line with this envelope. */
    private readonly wanted: (p: LinePrefix.Prefix) => boolean
  ) {}

  /** The reader's `skim` option: whether to parse the line. */
  readonly judge = (p: LinePrefix.Prefix): boolean => {
    switch (this.mode) {
      case "off":
        return true
      case "copy":
        if (this.wanted(p)) return true
        this.queue.push(copyKey(p))
        return false
      case "on": {
        const count = this.tokens.read(p)
        if (count !== undefined) this.queue.push(count)
        else if (this.wanted(p)) return true
        else this.queue.push(null)
        return false
      }
      default: {
        const never: never = this.mode
        return never
      }
    }
  }

  /** What the next `Skimmed` entry stands for. */
  take(): Taken {
    const what = this.queue[this.taken++] ?? null
    if (this.taken === this.queue.length) this.queue.length = this.taken = 0
    return what
  }
}
