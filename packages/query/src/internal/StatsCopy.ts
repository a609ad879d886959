/**
 * A legacy fork's copied prefix, found by reading the parent alongside the fork. Codex writes the
 * parent's lines into the fork's file with new timestamps and the same payloads, filtered by the
 * persistence policy of the version that forked, so the copy is the parent's lines in order, with
 * perhaps a few left out. `Copy.matches` says whether the fork's next line is the next copied one;
 * the first line that matches nothing close ahead in the parent is the fork's own. Reading only,
 * no statistics: `StatsScan` decides what a copied line counts for (nothing).
 */
import type * as Files from "@rollout/log/Files"
import * as SegmentFormat from "@rollout/log/SegmentFormat"

/** A line's text (no LF) and the offset of its first byte. */
export interface RawLine {
  readonly raw: string
  readonly offset: number
}

const LF = 0x0a

/**
 * The raw lines of a plain `.jsonl` file, one array per chunk read, without parsing them: matching
 * a copy compares text, and parsing the parent a second time would double the cost of every fork.
 * Blank lines are skipped; a leading BOM is dropped. A `.zst` file or a segment (`.rseg`, which
 * keeps each line's original bytes) goes through the full reader.
 */
async function* rawBatches(files: Files.Shape, path: string): AsyncGenerator<ReadonlyArray<RawLine>> {
  if (path.endsWith(".zst") || SegmentFormat.isSegmentPath(path)) {
    // Loaded only for such a parent: the full reader brings zstd and segment codecs (`StatsReader`).
    const RolloutReader = await import("@rollout/log/RolloutReader")
    for await (const batch of RolloutReader.batches(files, path)) yield batch.flatMap((e) => (e._tag === "Line" ? [{ raw: e.raw, offset: e.offset }] : []))
    return
  }
  /** The partial line's pieces (copies), joined once its LF arrives: a long line costs one copy. */
  let carry: Array<Buffer> = []
  let carryOffset = 0
  let consumed = 0
  try {
    for await (const chunk of files.chunks(path)) {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const out: Array<RawLine> = []
      let start = 0
      for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
        const offset = carry.length === 0 ? consumed + start : carryOffset
        const raw: string = carry.length === 0 ? buf.toString("utf8", start, nl) : Buffer.concat([...carry, buf.subarray(start, nl)]).toString("utf8")
        carry = []
        const text = offset === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
        if (text.trim() !== "") out.push({ raw: text, offset })
        start = nl + 1
      }
      if (start < buf.length) {
        // The reader may reuse the chunk's memory: keep a copy of the partial line.
        if (carry.length === 0) carryOffset = consumed + start
        carry.push(Buffer.from(buf.subarray(start)))
      }
      consumed += buf.length
      if (out.length > 0) yield out
    }
  } catch {
    // An unreadable parent is reported when the parent itself is read; here it just ends the copy.
    return
  }
  const last = Buffer.concat(carry).toString("utf8")
  if (last.trim() !== "") yield [{ raw: last, offset: carryOffset }]
}

/**
 * The raw lines of several files in order. `next` answers synchronously within a read batch and
 * only awaits to read the next one, so matching a long copied prefix costs little more than
 * reading it.
 */
export class Lines {
  private readonly paths: Array<string>
  private batches: AsyncGenerator<ReadonlyArray<RawLine>> | null = null
  private batch: ReadonlyArray<RawLine> = []
  private i = 0

  constructor(
    private readonly files: Files.Shape,
    paths: ReadonlyArray<string>
  ) {
    this.paths = [...paths]
  }

  next(): RawLine | undefined | Promise<RawLine | undefined> {
    if (this.i < this.batch.length) return this.batch[this.i++]
    return this.refill()
  }

  private async refill(): Promise<RawLine | undefined> {
    for (;;) {
      if (this.batches === null) {
        const path = this.paths.shift()
        if (path === undefined) return undefined
        this.batches = rawBatches(this.files, path)
      }
      const r = await this.batches.next()
      if (r.done === true) {
        this.batches = null
        continue
      }
      this.batch = r.value
      this.i = 0
      if (this.batch.length > 0) return this.batch[this.i++]
    }
  }

  async close(): Promise<void> {
    if (this.batches !== null) await this.batches.return(undefined)
    this.batches = null
    this.paths.length = 0
  }
}

/** Parent lines a copy may leave out in a row (lines a newer persistence policy no longer writes). */
export const WINDOW = 64

/** A line's identity across a fork copy: everything from `"type":` on (the timestamp is rewritten). */
export const copyKey = (raw: string): string => {
  const i = raw.indexOf('"type":')
  return i < 0 ? raw : raw.slice(i)
}

export class Copy {
  private readonly lines: Lines
  /** Keys of parent lines read ahead and not yet matched. */
  private readonly ahead: Array<string> = []

  constructor(files: Files.Shape, parentPaths: ReadonlyArray<string>) {
    this.lines = new Lines(files, parentPaths)
  }

  /** Whether the fork's line `raw` is the parent's next line (synchronous within a read batch). */
  matches(raw: string): boolean | Promise<boolean> {
    return this.matchesKey(copyKey(raw))
  }

  /** `matches`, given the line's copy key. */
  matchesKey(key: string): boolean | Promise<boolean> {
    if (this.ahead.length === 0) {
      const next = this.lines.next()
      if (next instanceof Promise) return next.then((line) => (line === undefined ? false : (this.ahead.push(copyKey(line.raw)), this.search(key))))
      if (next === undefined) return false
      this.ahead.push(copyKey(next.raw))
    }
    if (this.ahead[0] === key) {
      this.ahead.shift()
      return true
    }
    return this.search(key)
  }

  /** Looks for `key` among the next `WINDOW` parent lines; on a hit, the ones before it were left out of the copy. */
  private async search(key: string): Promise<boolean> {
    for (let i = 0; i < WINDOW; i++) {
      if (i >= this.ahead.length) {
        const line = await this.lines.next()
        if (line === undefined) return false
        this.ahead.push(copyKey(line.raw))
      }
      if (this.ahead[i] === key) {
        this.ahead.splice(0, i + 1)
        return true
      }
    }
    return false
  }

  close(): Promise<void> {
    this.ahead.length = 0
    return this.lines.close()
  }
}
