/**
 * A fork's copied history taken from its parent's scan instead of read again. A legacy fork's file
 * is its own `session_meta` and then its parent's lines with new timestamps and the same bytes
 * after them (Codex writes `{"timestamp":"T","type":…`), then its own lines. While a run scans a
 * plain file whole, `Cache.note` keeps its document count (the first and last documents) and end
 * state; a later scan of a fork of that thread, in the same run, compares the lines after its first
 * with the parent's (both read from disk) and, when they are the parent's every line, takes the
 * parent's state and a `FileScan.Copy` standing for the parent's documents (at the fork's offsets
 * and line numbers; the writer stores it as a pointer at the parent's rows) instead of framing,
 * parsing and folding them, and reads on from there. Anything else (a line left out, another
 * timestamp length, a parent changed or read in another thread, a budget spent, a copy the writer
 * refused) reads the fork as before.
 *
 * Why it is exact. Each parent line opens `{"timestamp":"T","type":"` with T plain (printable
 * ASCII, no quote or escape), and so does the fork's, with the same length of T, and the rest of
 * the bytes are equal: both lines are then framed, judged and parsed alike, to the same object but
 * for `timestamp` (a later duplicate key is in both), a plain string to every schema. The folds
 * read a timestamp in one place only (`ThreadMetadata`'s turn start without `started_at`), which
 * the parent's notes say (`stamped`). From the fork's state after its own `session_meta` (that
 * meta, nothing else), folding the parent's lines gives the parent's end state with the fork's
 * meta: a later `session_meta` changes no fold, and every other field starts where the parent's
 * did. Documents depend on their line alone and their turn on the turn tracker, which starts
 * where the parent's did. The parent must still have the size, modification time and inode it had
 * when scanned, and the notes are only this run's (`Cache`, one per refresh and per read-ahead
 * thread); its bytes are compared anyway.
 */
import * as LinePrefix from "@rollout/log/LinePrefix"
import type * as FileScan from "../FileScan.js"
import type * as SyncFiles from "./SyncFiles.js"

const OPEN = LinePrefix.OPEN
/** `,"type":"`, the bytes after a plain timestamp's closing quote. */
const TYPE = LinePrefix.TYPE
const LF = 0x0a

/**
 * Characters a cache keeps (each file's first and last documents, and `STATE` for its state);
 * past it the oldest files' notes are dropped. The documents themselves are not kept: a copy is
 * stored once, as a pointer at the parent's rows (`DocCopies`).
 */
export const BUDGET = 12 << 20

/** What a file's notes are reckoned to hold besides its two documents (a fold state). */
const STATE = 2048

const CHUNK = 1 << 20

/** A file's identity when it was scanned. */
export interface Seen {
  readonly size: number
  readonly mtimeMs: number
  readonly ino: number | undefined
}

const same = (a: Seen, b: Seen): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino

/** What a file's scans (from its start, slice after slice) left: enough to stand for its lines. */
interface Notes {
  readonly path: string
  readonly seen: Seen
  /** The documents of the scans so far, and the first and last of them. */
  count: number
  first: FileScan.IndexedDoc | undefined
  last: FileScan.IndexedDoc | undefined
  chars: number
  /** Where the last scan stopped, and the state there. */
  end: number
  state: FileScan.State
  /** The file was read to its end, every line LF-terminated, with nothing to report. */
  whole: boolean
  /** The last turn start folded took its time from the line's timestamp (or none was folded: false). */
  stamped: boolean
}

/** What one scan tells the notes. */
export interface Scanned {
  readonly from: number
  readonly offset: number
  readonly size: number
  readonly partial: boolean
  readonly tail: FileScan.State | null
  readonly state: FileScan.State
  readonly docs: ReadonlyArray<FileScan.IndexedDoc>
  /** Documents before `docs` that are a copy (a fork's scan that took one). */
  readonly copy?: FileScan.Copy
  readonly diagnostics: ReadonlyArray<unknown>
  /** Whether the scan's last turn start took its time from its timestamp (undefined: it folded none). */
  readonly stamped: boolean | undefined
}

/** A fork's copy taken whole: where reading goes on, the state there, and the copy for the writer (`FileScan.Copy`). */
export interface Taken {
  readonly offset: number
  readonly state: FileScan.State
  readonly copy: FileScan.Copy
}

/** Notes of one run. */
export class Cache {
  private readonly byPath = new Map<string, Notes>()
  private readonly byThread = new Map<string, Notes>()
  private readonly refused = new Set<string>()
  private chars = 0
  /** Copies taken so far (what tests and benches look at). */
  taken = 0
  constructor(readonly budget: number = BUDGET) {}

  /** Characters held: live memory a collection between batches cannot free. */
  get held(): number {
    return this.chars
  }

  /** No copy is taken for `path` from now on (its writer could not store one: it is read whole). */
  refuse(path: string): void {
    this.refused.add(path)
  }

  /** Notes a plain scan of `path` (`threadId` its thread, `seen` the file when opened). */
  note(path: string, threadId: string | undefined, seen: Seen, scan: Scanned): void {
    let notes = this.byPath.get(path)
    if (notes !== undefined && (scan.from !== notes.end || !same(notes.seen, seen) || notes.whole)) {
      this.drop(notes)
      notes = undefined
    }
    if (notes === undefined) {
      if (scan.from !== 0) return
      notes = { path, seen, count: 0, first: undefined, last: undefined, chars: STATE, end: 0, state: scan.state, whole: false, stamped: false }
      this.byPath.set(path, notes)
      this.chars += STATE
    }
    if (scan.diagnostics.length > 0 || scan.tail !== null) {
      this.drop(notes)
      return
    }
    if (scan.copy !== undefined && notes.count === 0) notes.first = scan.copy.first
    if (scan.copy !== undefined) notes.last = scan.copy.last
    notes.count += (scan.copy?.docs ?? 0) + scan.docs.length
    notes.first ??= scan.docs[0]
    notes.last = scan.docs[scan.docs.length - 1] ?? notes.last
    const chars = STATE + (notes.first?.text.length ?? 0) + (notes.last?.text.length ?? 0)
    this.chars += chars - notes.chars
    notes.chars = chars
    notes.end = scan.offset
    notes.state = scan.state
    notes.stamped = scan.stamped ?? notes.stamped
    notes.whole = !scan.partial && scan.offset === scan.size
    if (threadId !== undefined) this.byThread.set(threadId, notes)
    // Oldest first; a file larger than the whole budget is not kept at all.
    // A Map's iteration goes on past the entry deleted under it: no copy of the notes per scan.
    for (const old of this.byPath.values()) {
      if (this.chars <= this.budget) break
      if (old !== notes || notes.chars > this.budget) this.drop(old)
    }
  }

  private drop(notes: Notes): void {
    if (this.byPath.get(notes.path) !== notes) return
    this.byPath.delete(notes.path)
    for (const [id, n] of this.byThread) if (n === notes) this.byThread.delete(id)
    this.chars -= notes.chars
  }

  /**
   * The fork `fork` (open, its own `session_meta` folded into `first`, the state after its first
   * line, which ends at `at`) with its parent `parentId`'s lines taken from the notes, when the
   * lines from `at` on are the parent's every line; else undefined.
   */
  take(files: SyncFiles.Shape, fork: SyncFiles.Handle, forkPath: string, at: number, parentId: string, first: FileScan.State): Taken | undefined {
    const notes = this.byThread.get(parentId)
    if (notes === undefined || !notes.whole || notes.stamped || notes.path === forkPath || notes.end === 0 || this.refused.has(forkPath)) return undefined
    if (at + notes.end > fork.size) return undefined
    let parent: SyncFiles.Handle
    try {
      parent = files.open(notes.path)
    } catch {
      return undefined
    }
    try {
      if (!same({ size: parent.size, mtimeMs: parent.mtimeMs, ino: parent.ino }, notes.seen)) return undefined
      if (!copied(parent, fork, notes.end, at, notes.state.line)) return undefined
    } finally {
      parent.close()
    }
    const p = notes.state
    const moved = (d: FileScan.IndexedDoc) => ({ ...d, offset: d.offset + at, line: d.line + first.line })
    const state: FileScan.State = {
      metadata: { ...p.metadata, meta: first.metadata.meta },
      turn: p.turn,
      ...(p.facts === undefined ? {} : { facts: p.facts }),
      line: first.line + p.line
    }
    this.taken++
    const copy: FileScan.Copy = {
      parent: notes.path,
      docs: notes.count,
      offset: at,
      line: first.line,
      parentSize: notes.seen.size,
      parentMtimeMs: Math.floor(notes.seen.mtimeMs),
      parentEnd: notes.end,
      ...(notes.first === undefined || notes.last === undefined ? {} : { first: moved(notes.first), last: moved(notes.last) })
    }
    return { offset: at + notes.end, state, copy }
  }
}

/** Whether `buf[s, e)` opens `{"timestamp":"T","type":"` with T plain; the index of T's closing quote, or -1. */
const plainOpen = (buf: Uint8Array, s: number, e: number): number => {
  if (e - s < OPEN.length + TYPE.length + 1) return -1
  for (let k = 0; k < OPEN.length; k++) if (buf[s + k] !== OPEN[k]) return -1
  const q = LinePrefix.stringEnd(buf, s + OPEN.length, e)
  if (q < 0 || q + TYPE.length >= e) return -1
  for (let k = 0; k < TYPE.length; k++) if (buf[q + 1 + k] !== TYPE[k]) return -1
  return q
}

/**
 * Whether the fork's bytes from `at` hold the parent's `[0, end)` (its `lines` lines) with only
 * the timestamps changed, each to a plain one of the same length. The parent's bytes are read a
 * chunk at a time; each line's timestamp is overwritten with the fork's (checked plain) and the
 * chunk then compared with the fork's bytes at once.
 */
const copied = (parent: SyncFiles.Handle, fork: SyncFiles.Handle, end: number, at: number, lines: number): boolean => {
  let pbuf = Buffer.allocUnsafe(Math.min(CHUNK, end))
  let fbuf = Buffer.allocUnsafe(pbuf.length)
  let pos = 0
  let seen = 0
  while (pos < end) {
    const want = Math.min(pbuf.length, end - pos)
    if (parent.read(pbuf, pos, want) !== want || fork.read(fbuf, at + pos, want) !== want) return false
    // The complete lines of this chunk; a line longer than the buffer grows it.
    const last = pbuf.lastIndexOf(LF, want - 1)
    if (last < 0) {
      if (want < pbuf.length) return false
      pbuf = Buffer.allocUnsafe(pbuf.length * 2)
      fbuf = Buffer.allocUnsafe(pbuf.length)
      continue
    }
    let s = 0
    while (s <= last) {
      const nl = pbuf.indexOf(LF, s)
      const q = plainOpen(pbuf, s, nl)
      if (q < 0) return false
      const t = s + OPEN.length
      // The fork's timestamp: as plain, and as long (its closing quote where the parent's is).
      if (LinePrefix.stringEnd(fbuf, t, q + 1) !== q) return false
      fbuf.copy(pbuf, t, t, q)
      seen++
      s = nl + 1
    }
    if (!pbuf.subarray(0, s).equals(fbuf.subarray(0, s))) return false
    pos += s
  }
  return seen === lines
}
