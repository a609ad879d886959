/**
 * Trimming a rollout: the lines a new thread needs so that resuming it gives exactly what resuming
 * the original gives (`ResumeHistory.finish`: history, previous turn settings, reference context,
 * token usage), and nothing that no resume can reach. A pure builder fed lines newest first, as the
 * backward reader delivers them; it holds only the part it keeps. It is not the writer: the caller
 * puts a `session_meta` of its own in front of `finish().lines` and saves them.
 *
 * How. Lines are taken from the end until `ResumeTail.settle` says the tail alone decides the
 * answer (right after a turn-closing line, at or before the newest checkpoint that survives the
 * rollbacks after it): every older line is dropped, superseded checkpoints, rolled-back turns and
 * their images included. The newest non-null `token_count` is carried over when it lies in the
 * dropped part. Within the kept part, three reductions are tried in turn, and each is kept only if
 * the fold of the result still gives the same answer: turns undone by a rollback go with the
 * rollback; lines before the newest checkpoint that the fold does not read are dropped and inline
 * images there are replaced by a placeholder; repeated identical token counts are dropped. Then the
 * whole is done again on its own output until nothing changes, so trimming a trimmed thread
 * changes nothing. If no line settles within `maxTailBytes`, nothing is trimmed (`TooLong`).
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as TrimReductions from "./internal/TrimReductions.js"
import * as ResumeTail from "./ResumeTail.js"

/** One well-formed line: its raw text and its typed line (undefined for a type this version does not know). */
export type Entry = TrimReductions.Entry

export type Need = "lines" | "token_usage" | "nothing"

export type Plan =
  /** The body of the trimmed thread, in file order, without any `session_meta`. */
  | { readonly _tag: "Trimmed"; readonly lines: ReadonlyArray<string> }
  /** The newest `maxTailBytes` of the file did not settle the answer: nothing is trimmed. */
  | { readonly _tag: "TooLong"; readonly maxTailBytes: number }

const { closesTurn, isCheckpoint } = ResumeTail

export const DEFAULT_MAX_TAIL_BYTES = 64 << 20

export class ResumeTrim {
  /** Newest first; a string is a line whose typed form is made again when needed (`retype`). */
  private tail: Array<Entry | string> = []
  private typed: Array<RolloutLine.RolloutLine> = []
  private checkpoint = false
  private triedAt = 0
  private bytes = 0
  private cut = false
  private tooLong = false
  /** The newest line with a non-null token usage, and whether it lies before the cut. */
  private token: Entry | undefined
  private tokenDropped = false

  /**
   * With `retype` (the caller's decoding of a raw line, exactly as it typed the entries it feeds),
   * lines fed before any checkpoint are held as text alone and typed again once one shows (or at
   * `finish`): no answer can settle before a checkpoint, and a tail that never meets one (trimmed
   * to nothing) then costs its text, not its decoded lines too.
   */
  constructor(
    private readonly maxTailBytes: number = DEFAULT_MAX_TAIL_BYTES,
    private readonly retype?: (raw: string) => RolloutLine.RolloutLine | undefined
  ) {}

  /** The held lines, every one typed again where it was held as text. */
  private typedTail(): Array<Entry> {
    const retype = this.retype
    return this.tail.map((e) => (typeof e === "string" ? { raw: e, line: retype?.(e) } : e))
  }

  /** What older lines are still needed for: every line, only `token_count` events, or none. */
  need(): Need {
    if (this.tooLong) return "nothing"
    if (!this.cut) return "lines"
    return this.token === undefined ? "token_usage" : "nothing"
  }

  /** Feeds the next older line; returns what is still needed. */
  add(entry: Entry): Need {
    const line = entry.line
    if (this.token === undefined && line !== undefined && TrimReductions.hasTokenInfo(line)) {
      this.token = entry
      this.tokenDropped = this.cut
    }
    if (this.cut || this.tooLong) return this.need()
    if (line !== undefined && this.checkpoint && closesTurn(line) && this.typed.length >= 2 * this.triedAt) {
      if (ResumeTail.settle(this.typed) !== undefined) {
        this.cut = true
        this.typed = []
        return this.need()
      }
      this.triedAt = this.typed.length
    }
    if (this.retype !== undefined && !this.checkpoint) {
      this.tail.push(entry.raw)
      if (line !== undefined && isCheckpoint(line)) {
        this.checkpoint = true
        this.tail = this.typedTail()
        this.typed = this.tail.flatMap((e) => (typeof e === "string" || e.line === undefined ? [] : [e.line]))
      }
    } else {
      this.tail.push(entry)
      if (line !== undefined) this.typed.push(line)
      if (line !== undefined && isCheckpoint(line)) this.checkpoint = true
    }
    this.bytes += entry.raw.length + 1
    if (this.bytes > this.maxTailBytes) {
      this.tooLong = true
      this.tail = []
      this.typed = []
    }
    return this.need()
  }

  /** The kept lines before any reduction: the tail in file order, the carried token count first. */
  kept(): ReadonlyArray<Entry> | undefined {
    if (this.tooLong) return undefined
    const body = this.typedTail()
      .filter((e) => e.line?.type !== "session_meta")
      .reverse()
    return this.token !== undefined && this.tokenDropped ? [this.token, ...body] : body
  }

  finish(): Plan {
    const kept = this.kept()
    if (kept === undefined) return { _tag: "TooLong", maxTailBytes: this.maxTailBytes }
    return { _tag: "Trimmed", lines: refine(kept).map((e) => e.raw) }
  }
}

export const make = (maxTailBytes?: number, retype?: (raw: string) => RolloutLine.RolloutLine | undefined): ResumeTrim => new ResumeTrim(maxTailBytes, retype)

/** The cut alone of lines in file order (no reductions). */
const recut = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  const trim = new ResumeTrim(Number.POSITIVE_INFINITY)
  for (let i = entries.length - 1; i >= 0 && trim.need() !== "nothing"; i--) trim.add(entries[i] as Entry)
  return trim.kept() ?? entries
}

const same = (a: ReadonlyArray<Entry>, b: ReadonlyArray<Entry>): boolean => a.length === b.length && a.every((e, i) => e.raw === b[i]?.raw)

/** Cut and reduce until a round changes nothing (a few rounds at most: each only removes). */
const refine = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  let current = entries
  for (let round = 0; round < 8; round++) {
    const next = TrimReductions.reduce(recut(current))
    if (same(next, current)) return next
    current = next
  }
  return current
}

/** Trims `lines` (file order) in one go: what `make`, `add` newest first and `finish` give. */
export const trim = (entries: ReadonlyArray<Entry>, maxTailBytes?: number): Plan => {
  const t = make(maxTailBytes)
  for (let i = entries.length - 1; i >= 0 && t.need() !== "nothing"; i--) t.add(entries[i] as Entry)
  return t.finish()
}
