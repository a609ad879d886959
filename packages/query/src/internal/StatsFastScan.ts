/**
 * `StatsScan.scan` for the common file, without the general reader: a plain `.jsonl` rollout on
 * disk whose every line is LF-terminated, valid UTF-8 and opens as a JSON object. It is read by
 * blocking reads into one reused buffer and its lines go to the same fold (`StatsBuilder`), in the
 * same order, through the same calls `scan` makes for them: lines statistics do not read are
 * counted from their envelope (`LinePrefix`), token counts of a learnt shape are read from their
 * bytes (`StatsTokenSkim`), a fork's copy is matched against its parent (`StatsCopy`), and only the
 * lines statistics read are parsed and decoded. No entry object, batch or async step per line.
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
import type * as StatsCopy from "./StatsCopy.js"
import * as StatsScan from "./StatsScan.js"
import * as StatsShapes from "./StatsShapes.js"
import * as StatsSkim from "./StatsSkim.js"

const LF = 0x0a
const OPEN_BRACE = 0x7b
const START_BYTES = 4 << 20
/** Longest line read here; a file with a longer one is left to `scan`, which streams it. */
const MAX_LINE_BYTES = 64 << 20

/** A buffer kept between files (a thread scans one file at a time; a second one concurrently gets its own). */
let spare: Buffer | undefined

/** Line shapes learnt so far, shared by the files this thread scans (`StatsShapes`). */
const shapes = new StatsShapes.Shapes()

/** Thrown when the file holds something only `scan` reads exactly. */
class GiveUp extends Error {}

const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

type Step = Promise<void> | undefined

/** One file's fold, fed line by line: `scan`'s loop body, with the reader's judgement inlined. */
class FileScan {
  readonly b: StatsBuilder.Builder
  lineNo = 0
  /** What `scan` does with lines now (`StatsSkim.Mode`); the skim's own mode is the one its batch was judged in. */
  private mode: StatsSkim.Mode = "off"
  private readonly skim = new StatsSkim.Skim(StatsScan.tokens, StatsScan.wantedPrefix)
  private parent: StatsCopy.Copy | null = null
  private sawMeta = false

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
    if (this.cuts.starts(lf)) this.skim.mode = this.mode
    // A blank line, a BOM or any line not opening as an object: the reader skips or reports it.
    if (buf[s] !== OPEN_BRACE) throw new GiveUp()
    const p = LinePrefix.read(buf, s, e)
    if (p !== undefined && !this.skim.judge(p)) return this.skimmed(p.timestamp, this.skim.take())
    if (p !== undefined && this.parent === null) {
      // A line of a learnt shape is read from its bytes: the same typed line, without parsing it.
      const line = shapes.read(p)
      if (line !== undefined) {
        this.b.line(line)
        return undefined
      }
    }
    const raw = buf.toString("utf8", s, e)
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      throw new GiveUp()
    }
    if (!isJsonObject(value)) throw new GiveUp()
    if (this.parent !== null) return this.copiedLine(this.parent, raw, value)
    if (p !== undefined && StatsScan.wanted(value)) shapes.learn(p, value)
    return this.own(raw, value)
  }

  private skimmed(timestamp: string, what: StatsSkim.Taken): Step {
    if (typeof what === "string" && this.parent !== null) {
      const copied = this.parent.matchesKey(what)
      if (copied instanceof Promise) return copied.then((c) => this.afterSkimmedMatch(c, timestamp))
      return this.afterSkimmedMatch(copied, timestamp)
    }
    if (what === null || typeof what === "string") this.b.skipped(timestamp)
    else this.b.tokenCount(what.timestamp, what.total, what.last)
    return undefined
  }

  private afterSkimmedMatch(copied: boolean, timestamp: string): Step {
    if (copied) {
      this.b.copied(null)
      return undefined
    }
    const stopped = this.stopMatching()
    this.b.skipped(timestamp)
    return stopped
  }

  private copiedLine(parent: StatsCopy.Copy, raw: string, value: Record<string, unknown>): Step {
    const copied = parent.matches(raw)
    if (copied instanceof Promise) return copied.then((c) => this.afterLineMatch(c, raw, value))
    return this.afterLineMatch(copied, raw, value)
  }

  private afterLineMatch(copied: boolean, raw: string, value: Record<string, unknown>): Step {
    if (copied) {
      this.b.copied(StatsScan.wantedWhenCopied(value) ? StatsScan.known({ line: this.lineNo, value }, this.b, this.path) : null)
      return undefined
    }
    return this.stopMatching().then(() => this.own(raw, value))
  }

  /** A parsed line of the file's own history. */
  private own(raw: string, value: Record<string, unknown>): Step {
    if (!StatsScan.wanted(value)) {
      this.b.skipped(StatsScan.stampOf(value))
      return undefined
    }
    const line = StatsScan.known({ line: this.lineNo, value }, this.b, this.path)
    if (line === null) {
      this.b.skipped(StatsScan.stampOf(value))
      return undefined
    }
    if (this.mode === "on") StatsScan.tokens.learn(raw, line)
    this.b.line(line)
    if (this.sawMeta || line.type !== "session_meta") return undefined
    this.sawMeta = true
    return StatsScan.forkParent(this.files, this.path, line.payload, this.findThread, this.b).then((parent) => {
      this.parent = parent
      this.mode = parent !== null ? "copy" : "on"
    })
  }

  stopMatching(): Promise<void> {
    const parent = this.parent
    this.parent = null
    this.mode = "on"
    return parent === null ? Promise.resolve() : parent.close()
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

/** Reads `path` whole; its statistics, or undefined to leave it to `scan`. */
export const read = async (files: Files.Shape, path: string, findThread: StatsScan.FindThread): Promise<StatsFile.FileStats | undefined> => {
  let buffer = spare ?? Buffer.allocUnsafe(START_BYTES)
  spare = undefined
  let fd: number | undefined
  let file: FileScan | undefined
  try {
    fd = fs.openSync(path, "r")
    const size = fs.fstatSync(fd).size
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
      const n = fs.readSync(fd, buffer, carry, buffer.length - carry, position)
      position += n
      // Empty, torn at the end, or changed meanwhile: `scan` reports or delivers those.
      if (n === 0) return carry === 0 && file.lineNo > 0 && position === size ? file.b.result() : undefined
      const end = carry + n
      const next = await file.lines(buffer, end, position - end)
      buffer.copy(buffer, 0, next, end)
      carry = end - next
    }
  } catch {
    // A `GiveUp`, or a failed read: `scan` reads the file again and reports what it finds.
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
    await file?.stopMatching()
    if (buffer.length === START_BYTES) spare = buffer
  }
}

/**
 * `StatsScan.scan`, through this reader when the file is a plain rollout on disk (`disk`: `files`
 * reads the real file system) and the reader vouches for it.
 */
export const scan = async (files: Files.Shape, path: string, findThread: StatsScan.FindThread, disk: boolean): Promise<StatsFile.FileStats> => {
  if (disk && path.endsWith(".jsonl")) {
    const stats = await read(files, path, findThread)
    if (stats !== undefined) return stats
  }
  return StatsScan.scan(files, path, findThread)
}
