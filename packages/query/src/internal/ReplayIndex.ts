/**
 * The first pass of a replay over a thread's files: every line read, typed and numbered once, its
 * problems reported once, and only what stepping needs kept — where each page of lines starts
 * (file, byte offset, line number), the turn marks, the first session_meta and the counts — so a
 * session of any size is replayed in the memory of the pages a move reads. Pages are read again
 * from their offsets (`load`). Files that cannot be read from an offset (`.zst`, binary segments,
 * a file system without ranged reads) are held whole as before: their pages are slices.
 */
import * as Files from "@rollout/log/Files"
import { type LogLine, LineFramer } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as SegmentFormat from "@rollout/log/SegmentFormat"
import * as RolloutLine from "@rollout/protocol/RolloutLine"

/** One line of the session: its number (across the thread's files), as read, and typed if known. */
export interface Entry {
  readonly number: number
  readonly log: LogLine
  readonly typed: RolloutLine.RolloutLine | undefined
}

export type Meta = Extract<RolloutLine.RolloutLine, { readonly type: "session_meta" }>["payload"]

/** Where a page's first line is. */
interface Page {
  readonly file: number
  readonly offset: number
  readonly line: number
  readonly number: number
}

export interface Index {
  readonly paths: ReadonlyArray<string>
  /** The lines (entries) of the session. */
  readonly length: number
  /** Positions where pages start, and where their first lines are. */
  readonly starts: ReadonlyArray<number>
  readonly pages: ReadonlyArray<Page>
  /** Per file, what its line numbers add to be the session's (the lines of the files before it). */
  readonly bases: ReadonlyArray<number>
  /** Positions just after each line that starts a turn, and those lines' numbers. */
  readonly marks: Uint32Array
  readonly markNumbers: Uint32Array
  readonly meta: Meta | undefined
  /** The number of the last line (0 when there is none). */
  readonly lastNumber: number
  /** The message of a file that could not be read, if any. */
  readonly unreadable: string | undefined
  /** Every entry, for files read whole (see the module comment). */
  readonly held: ReadonlyArray<Entry> | undefined
}

/** A page ends after this many lines, or once it passes `PAGE_BYTES`, so a page is small whatever the lines. */
export const PAGE_LINES = 256
export const PAGE_BYTES = 4 << 20

/** How large pages are (tests make them small to cross many page starts). */
export interface PageSize {
  readonly lines?: number
  readonly bytes?: number
}

/** Sorted unsigned integers, appended one by one into a typed array that doubles as it fills. */
class Ints {
  private data = new Uint32Array(1024)
  length = 0
  push(n: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = n
  }
  done(): Uint32Array {
    return this.data.slice(0, this.length)
  }
}

const isTurnStart = (t: RolloutLine.RolloutLine | undefined) =>
  t?.type === "event_msg" && (t.payload.type === "task_started" || t.payload.type === "turn_started")
const isUserMessage = (t: RolloutLine.RolloutLine | undefined) => t?.type === "event_msg" && t.payload.type === "user_message"

const typedOf = (value: LogLine["value"]) => RolloutLine.decode(value)

/** Whether the thread's files must be held whole: a file that cannot be read from an offset. */
export const mustHold = async (files: Files.Shape, paths: ReadonlyArray<string>): Promise<boolean> => {
  if (!Files.canSeek(files)) return true
  for (const path of paths) {
    if (RolloutReader.isZstdPath(path) || SegmentFormat.isSegmentPath(path)) return true
    // A segment under another name is read as one (`RolloutReader` sniffs its magic).
    const head = await (files.read as NonNullable<Files.Shape["read"]>)(path, 0, SegmentFormat.MAGIC.length).catch(() => new Uint8Array(0))
    if (SegmentFormat.hasMagic(head)) return true
  }
  return false
}

/**
 * Reads the thread's files (oldest first) once; problems go to `report`, as `path:line: kind: message`
 * (those of lines numbered up to `reportUntil` only).
 */
export const read = async (
  files: Files.Shape,
  paths: ReadonlyArray<string>,
  hold: boolean,
  report: (text: string) => void,
  size: PageSize = {},
  reportUntil = Number.POSITIVE_INFINITY
): Promise<Index> => {
  const pageLines = size.lines ?? PAGE_LINES
  const pageBytes = size.bytes ?? PAGE_BYTES
  const starts: Array<number> = []
  const pages: Array<Page> = []
  const bases: Array<number> = []
  const turnStarts = new Ints()
  const turnNumbers = new Ints()
  // Rollouts older than task_started events mark their turns by the user's messages: kept until a turn start shows.
  let userMessages: Ints | undefined = new Ints()
  let userNumbers: Ints | undefined = new Ints()
  const held: Array<Entry> | undefined = hold ? [] : undefined
  let meta: Meta | undefined
  let length = 0
  let lastNumber = 0
  let base = 0
  let unreadable: string | undefined
  for (let file = 0; file < paths.length; file++) {
    const path = paths[file] as string
    bases.push(base)
    let last = 0
    let page: Page | undefined
    for await (const batch of RolloutReader.batches(files, path)) {
      for (const e of batch) {
        last = Math.max(last, e.line)
        const told = base + e.line <= reportUntil
        if (e._tag === "Diagnostic") {
          if (e.kind === "read_error") unreadable = e.message
          if (told) report(`${e.path}:${e.line}: ${e.kind}: ${e.message}\n`)
          continue
        }
        const decoded = typedOf(e.value)
        if (decoded._tag === "Invalid" && told) report(`${path}:${e.line}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
        const typed = decoded._tag === "Known" ? decoded.line : undefined
        const number = base + e.line
        if (page === undefined || length - (starts.at(-1) as number) >= pageLines || e.offset - page.offset >= pageBytes) {
          page = { file, offset: e.offset, line: e.line, number }
          starts.push(length)
          pages.push(page)
        }
        length++
        lastNumber = number
        if (meta === undefined && typed?.type === "session_meta") meta = typed.payload
        if (isTurnStart(typed)) {
          turnStarts.push(length)
          turnNumbers.push(number)
          userMessages = userNumbers = undefined
        } else if (userMessages !== undefined && isUserMessage(typed)) {
          userMessages.push(length)
          userNumbers?.push(number)
        }
        held?.push({ number, log: e, typed })
      }
    }
    base += last
  }
  const [marks, markNumbers] = userMessages === undefined || userNumbers === undefined ? [turnStarts, turnNumbers] : [userMessages, userNumbers]
  return { paths, length, starts, pages, bases, marks: marks.done(), markNumbers: markNumbers.done(), meta, lastNumber, unreadable, held }
}

/** The lines of page `k`: a slice of the held entries, or read again from the page's offset. */
export const load = async (files: Files.Shape, index: Index, k: number): Promise<ReadonlyArray<Entry>> => {
  const from = index.starts[k] as number
  const count = (index.starts[k + 1] ?? index.length) - from
  if (index.held !== undefined) return index.held.slice(from, from + count)
  const page = index.pages[k] as Page
  const path = index.paths[page.file] as string
  const base = index.bases[page.file] as number
  const after = index.pages[k + 1]
  const out: Array<Entry> = []
  // The framer starts at the page's first line: its line numbers and offsets are relative to it.
  const sink = {
    line: (value: LogLine["value"], line: number, offset: number, raw: string, terminated: boolean) => {
      if (out.length === count) return
      const log: LogLine = { _tag: "Line", line: page.line + line - 1, offset: page.offset + offset, raw, value, terminated }
      const decoded = typedOf(value)
      out.push({ number: base + log.line, log, typed: decoded._tag === "Known" ? decoded.line : undefined })
    },
    other: () => {}
  }
  const framer = new LineFramer(path)
  for await (const chunk of Files.range(files, path, page.offset, after?.file === page.file ? after.offset : undefined)) framer.pushTo(chunk, sink)
  if (out.length < count) framer.endTo(sink)
  if (out.length < count) throw new Error(`${path} changed while it was replayed: lines from ${page.line} are no longer as first read`)
  return out
}
