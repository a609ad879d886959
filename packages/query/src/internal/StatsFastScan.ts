/**
 * `StatsScan.scan` for the common file, without the general reader: a plain `.jsonl` rollout on
 * disk whose every line is LF-terminated, valid UTF-8 and opens as a JSON object. It is read by
 * blocking reads into one reused buffer and its lines go to the same fold (`StatsBuilder`), in the
 * same order, through the same calls `scan` makes for them: lines statistics do not read are
 * counted from their envelope (`LinePrefix`), token counts of a learnt shape are read from their
 * bytes (`StatsTokenSkim`, copied ones too), a fork's copy is matched against its parent on bytes
 * (`StatsCopyBytes`), and only the other lines statistics read are parsed and decoded. No entry
 * object, string, batch or async step per line it does not parse.
 *
 * Each line is judged (parsed or skimmed) as `scan`'s reader judges it, in the batches it would
 * frame (`StatsBatches`). It vouches for a whole file or for none: at the first thing the reader
 * would report (a BOM, a blank line, invalid UTF-8, a line `JSON.parse` refuses, a torn last line,
 * a read error, a file changing size) it gives up, and the caller reads the file again through
 * `scan`. So every diagnostic of the reader still comes from `scan`, and the fold's from the fold.
 */
import * as fs from "node:fs"
import { isUtf8 } from "node:buffer"
import type * as Files from "@rollout/log/Files"
import * as LinePrefix from "@rollout/log/LinePrefix"
import * as StatsBuilder from "@rollout/reduce/StatsBuilder"
import type * as StatsFile from "@rollout/reduce/StatsFile"
import * as StatsBatches from "./StatsBatches.js"
import * as StatsCopyBytes from "./StatsCopyBytes.js"
import * as StatsScan from "./StatsScan.js"
import type * as StatsSkim from "./StatsSkim.js"
import type * as StatsTokenSkim from "./StatsTokenSkim.js"

const LF = 0x0a
const OPEN_BRACE = 0x7b
// 1 MiB, not 4: the same CPU, 3 MiB less peak memory per lane (docs/performance.md, stats round 13).
const START_BYTES = 1 << 20
/** Longest line read here; a file with a longer one is left to `scan`, which streams it. */
const MAX_LINE_BYTES = 64 << 20

/** A buffer kept between files (a thread scans one file at a time; a second one concurrently gets its own). */
let spare: Buffer | undefined

/** Thrown when the file holds something only `scan` reads exactly. */
class GiveUp extends Error {}

const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

type Step = Promise<void> | undefined

/** One file's fold, fed line by line: `scan`'s loop body, with the reader's judgement inlined. */
class FileScan {
  readonly b: StatsBuilder.Builder
  lineNo = 0
  /** What `scan` does with lines now (`StatsSkim.Mode`). */
  private mode: StatsSkim.Mode = "off"
  /** The mode the current batch was judged in: `scan`'s reader judges a whole batch before the fold sees it. */
  private judged: StatsSkim.Mode = "off"
  private parent: StatsCopyBytes.Copy | null = null
  private sawMeta = false
  /** The last line parsed, as text (a token count's shape is learnt from it). */
  private raw = ""
  /** Whether a parsed line was not what its envelope said (`StatsScan.namedBy`): the file is then vouched for to nobody. */
  misnamed = false

  constructor(
    readonly files: Files.Shape,
    readonly path: string,
    readonly findThread: StatsScan.FindThread,
    private readonly cuts: StatsBatches.Cuts
  ) {
    this.b = new StatsBuilder.Builder(path)
  }

  /** The line `buf[s, e)`, whose LF is at file offset `lf`. */
  step(buf: Buffer, s: number, e: number, lf: number): Step {
    this.lineNo++
    if (this.cuts.starts(lf)) this.judged = this.mode
    // A blank line, a BOM or any line not opening as an object: the reader skips or reports it.
    if (buf[s] !== OPEN_BRACE) throw new GiveUp()
    const p = LinePrefix.read(buf, s, e)
    if (p !== undefined) {
      // What `StatsSkim.Skim.judge` leaves unparsed in this batch's mode, read here without a string.
      switch (this.judged) {
        case "off":
          break
        case "copy":
          if (!StatsScan.wantedPrefix(p)) return this.unread(buf, s, e, p.timestamp)
          break
        case "on": {
          const count = StatsScan.tokens.read(p)
          if (count !== undefined) {
            this.b.tokenCount(count.timestamp, count.total, count.last)
            return undefined
          }
          if (!StatsScan.wantedPrefix(p)) {
            this.b.skipped(p.timestamp)
            return undefined
          }
          break
        }
        default: {
          const never: never = this.judged
          return never
        }
      }
      // A token count the general reader parses here (a fork's copy, the first batch) is read from its bytes all the same.
      const count = p.tag === "token_count" ? StatsScan.tokens.read(p) : undefined
      if (count !== undefined) return this.countLine(buf, s, e, count)
      // Only a line statistics read: its parent's copy was parsed (and so vouched for) in the parent's own read.
      if (this.parent !== null && StatsScan.wantedPrefix(p) && !StatsScan.movesWhenCopied(p)) return this.copiedUnparsed(this.parent, buf, s, e, p)
    }
    const value = this.parse(buf, s, e, p)
    return this.parent !== null ? this.copiedLine(this.parent, buf, s, e, value) : this.own(value)
  }

  /** The line parsed: a JSON object, or the file is left to `scan`. */
  private parse(buf: Buffer, s: number, e: number, p: LinePrefix.Prefix | undefined): Record<string, unknown> {
    let value: unknown
    try {
      this.raw = buf.toString("utf8", s, e)
      value = JSON.parse(this.raw)
    } catch {
      throw new GiveUp()
    }
    if (!isJsonObject(value)) throw new GiveUp()
    // What a fork's reader may take on trust from this file (`StatsCopyBytes.vouch`): its envelope says what it is.
    if (p !== undefined && !StatsScan.namedBy(value, p)) this.misnamed = true
    return value
  }

  /**
   * A line statistics read while a copy is matched, that would move nothing if copied: a copy of
   * a line this thread parsed in a vouched parent is not parsed again (`StatsCopyBytes.Match`).
   */
  private copiedUnparsed(parent: StatsCopyBytes.Copy, buf: Buffer, s: number, e: number, p: LinePrefix.Prefix): Step {
    const match = parent.match(buf, s, e)
    if (match === StatsCopyBytes.Match.Trusted) {
      this.b.copied(null)
      return undefined
    }
    const value = this.parse(buf, s, e, p)
    if (match === StatsCopyBytes.Match.Copied) return this.copied(value)
    this.stopMatching()
    return this.own(value)
  }

  /** A token count read from its bytes (`StatsTokenSkim`): copied, or of the file's own history. */
  private countLine(buf: Buffer, s: number, e: number, count: StatsTokenSkim.Count): Step {
    if (this.parent !== null) {
      if (this.parent.matches(buf, s, e)) {
        this.b.copiedTokenCount(count.total)
        return undefined
      }
      this.stopMatching()
    }
    this.b.tokenCount(count.timestamp, count.total, count.last)
    return undefined
  }

  /** A line statistics do not read, while a copy is matched: copied, or the fork's own and the copy's end. */
  private unread(buf: Buffer, s: number, e: number, timestamp: string): Step {
    if (this.parent?.matches(buf, s, e) === true) {
      this.b.copied(null)
      return undefined
    }
    this.stopMatching()
    this.b.skipped(timestamp)
    return undefined
  }

  /** A parsed line statistics read, while a copy is matched: copied, or the fork's own and the copy's end. */
  private copiedLine(parent: StatsCopyBytes.Copy, buf: Buffer, s: number, e: number, value: Record<string, unknown>): Step {
    if (parent.matches(buf, s, e)) return this.copied(value)
    this.stopMatching()
    return this.own(value)
  }

  private copied(value: Record<string, unknown>): Step {
    this.b.copied(StatsScan.wantedWhenCopied(value) ? StatsScan.known({ line: this.lineNo, value }, this.b, this.path) : null)
    return undefined
  }

  /** A parsed line of the file's own history. */
  private own(value: Record<string, unknown>): Step {
    if (!StatsScan.wanted(value)) {
      this.b.skipped(StatsScan.stampOf(value))
      return undefined
    }
    const line = StatsScan.known({ line: this.lineNo, value }, this.b, this.path)
    if (line === null) {
      this.b.skipped(StatsScan.stampOf(value))
      return undefined
    }
    if (this.mode === "on") StatsScan.tokens.learn(this.raw, line)
    this.b.line(line)
    if (this.sawMeta || line.type !== "session_meta") return undefined
    this.sawMeta = true
    return StatsScan.forkParent(this.files, this.path, line.payload, this.findThread, this.b, (paths) => new StatsCopyBytes.Copy(paths)).then((parent) => {
      this.parent = parent
      this.mode = parent !== null ? "copy" : "on"
    })
  }

  stopMatching(): void {
    this.parent?.close()
    this.parent = null
    this.mode = "on"
  }

  /** Folds the complete lines of `buf[0, end)` (file offset `base`); where the first incomplete one starts. */
  async lines(buf: Buffer, end: number, base: number): Promise<number> {
    const last = buf.lastIndexOf(LF, end - 1)
    if (last < 0) return 0
    if (!isUtf8(buf.subarray(0, last))) throw new GiveUp()
    let s = 0
    while (s <= last) {
      const nl = buf.indexOf(LF, s)
      const pending = this.step(buf, s, nl, base + nl)
      if (pending !== undefined) await pending
      s = nl + 1
    }
    return s
  }
}

/**
 * Given a turn between two reads: reads are blocking, so a thread that also answers messages (the
 * main thread's lane hands the workers their files) must yield now and then or they wait.
 */
export type Pause = () => Promise<void>

/** Reads `path` whole; its statistics, or undefined to leave it to `scan`. */
export const read = async (files: Files.Shape, path: string, findThread: StatsScan.FindThread, pause?: Pause): Promise<StatsFile.FileStats | undefined> => {
  let buffer = spare ?? Buffer.allocUnsafe(START_BYTES)
  spare = undefined
  let fd: number | undefined
  let file: FileScan | undefined
  try {
    fd = fs.openSync(path, "r")
    const seen = StatsCopyBytes.seenOf(fs.fstatSync(fd))
    const size = seen.size
    file = new FileScan(files, path, findThread, new StatsBatches.Cuts(size))
    let carry = 0
    let position = 0
    for (;;) {
      if (carry === buffer.length) {
        if (buffer.length >= MAX_LINE_BYTES) return undefined
        const bigger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(bigger, 0, 0, carry)
        buffer = bigger
      }
      // No further than the size at open: a file Codex appends to meanwhile is counted as it was
      // then (its cache key was taken then too), and `Cuts` frames only the bytes that size holds.
      const n = fs.readSync(fd, buffer, carry, Math.min(buffer.length - carry, size - position), position)
      position += n
      // Empty, torn at the end, or changed meanwhile: `scan` reports or delivers those.
      if (n === 0) {
        if (carry !== 0 || file.lineNo === 0 || position !== size) return undefined
        if (!file.misnamed) StatsCopyBytes.vouch(path, seen)
        return file.b.result()
      }
      const end = carry + n
      const next = await file.lines(buffer, end, position - end)
      buffer.copy(buffer, 0, next, end)
      carry = end - next
      if (pause !== undefined) await pause()
    }
  } catch {
    // A `GiveUp`, or a failed read: `scan` reads the file again and reports what it finds.
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
    file?.stopMatching()
    if (buffer.length === START_BYTES) spare = buffer
  }
}

/** Starts a run: what earlier runs in this thread vouched for is not trusted (`StatsCopyBytes.forget`). */
export const forget = StatsCopyBytes.forget

/**
 * `StatsScan.scan`, through this reader when the file is a plain rollout on disk (`disk`: `files`
 * reads the real file system) and the reader vouches for it.
 */
export const scan = async (files: Files.Shape, path: string, findThread: StatsScan.FindThread, disk: boolean, pause?: Pause): Promise<StatsFile.FileStats> => {
  if (disk && path.endsWith(".jsonl")) {
    const stats = await read(files, path, findThread, pause)
    if (stats !== undefined) return stats
  }
  return StatsScan.scan(files, path, findThread)
}
