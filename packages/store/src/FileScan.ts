/**
 * Reading one rollout file for the index, from where the index stopped: a plain `.jsonl` is read
 * from the stored byte offset (always just after a complete line) and the stored fold state, so a
 * grown file costs only its new bytes; a `.jsonl.zst` or a binary segment (`.rseg`) is read whole
 * (neither can be entered in the middle, and both are written once: Codex compresses cold files). The fold is
 * `@rollout/reduce/ThreadMetadata` plus the search-document turn tracker and the turn and token
 * counts (`ThreadFacts`); the framing is IndexLines (plain files: `LineFramer`'s rules without an object per line) and `RolloutReader` (zstd). It reads through SyncFiles
 * (the machine's files unless told otherwise) and writes nothing.
 */
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as ItemRoles from "@rollout/reduce/ItemRoles"
import { isUtf8 } from "node:buffer"
import { createHash } from "node:crypto"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import type { Entry } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as RefreshDiagnostic from "./RefreshDiagnostic.js"
import * as SearchDoc from "./SearchDoc.js"
import type * as ForkCopies from "./internal/ForkCopies.js"
import * as IndexDecode from "./internal/IndexDecode.js"
import * as IndexLines from "./internal/IndexLines.js"
import * as LastLines from "./internal/LastLines.js"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"
import * as SyncFiles from "./internal/SyncFiles.js"

/** The fold state at a byte offset, as stored (JSON) in the `files` table. */
export interface State {
  readonly metadata: ThreadMetadata.State
  readonly turn: SearchDoc.Turn
  /** Turns and token totals (`ls`); absent from states an older build stored. */
  readonly facts?: ThreadFacts.State
  /** Lines (newlines) before the offset: line numbers after it continue from here. */
  readonly line: number
}

export const empty: State = { metadata: ThreadMetadata.empty, turn: SearchDoc.start, facts: ThreadFacts.empty, line: 0 }

/** Where a previous scan stopped. */
export interface Resume {
  readonly offset: number
  readonly headHash: string
  readonly state: State
}

export interface IndexedDoc extends SearchDoc.Doc {
  readonly offset: number
  readonly line: number
  readonly turnIndex: number | null
  readonly turnId: string | null
}

/**
 * A fork's first `docs` documents, which its scan leaves out of `Scan.docs`: a copy of every
 * document of its parent at `parent` as it was when scanned (`ForkCopies`), each at `offset` bytes
 * and `line` lines further on, with the same kind, text and turn. The writer stores them once, as
 * a pointer at the parent's rows (`DocCopies`), once it has checked those are what the copy was
 * taken from (by the parent's row and `first` and `last`, the copy's first and last documents);
 * else the fork is read again without notes.
 */
export interface Copy {
  readonly parent: string
  readonly docs: number
  readonly offset: number
  readonly line: number
  /** The parent as scanned: its size, modification time (whole ms) and where its scan ended. */
  readonly parentSize: number
  readonly parentMtimeMs: number
  readonly parentEnd: number
  readonly first?: IndexedDoc
  readonly last?: IndexedDoc
}

export interface Scan {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  /** The offset the scan started at: stored documents at or after it are replaced by `docs`. */
  readonly from: number
  /** Just after the last complete line read. */
  readonly offset: number
  readonly headHash: string
  /** The state at `offset`. */
  readonly state: State
  /** The state after a last line that has no newline yet but parses (re-read next time), else null. */
  readonly tail: State | null
  /** The documents read, in file order (after `copy`'s, when the scan took one). */
  readonly docs: ReadonlyArray<IndexedDoc>
  /** A `session_meta` the schema refused: without it the thread cannot be listed, so it is said. */
  readonly diagnostics: ReadonlyArray<RefreshDiagnostic.RefreshDiagnostic>
  /** The fork's copy of its parent's documents, before `docs` (a scan from the start only). */
  readonly copy?: Copy
  /**
   * The scan stopped at `Options.maxBytes`, at a line boundary, before the end of the file: `size`
   * is then `offset` (the file as far as it was read), so the stored row reads as a file that has
   * grown since, and the next scan goes on from there.
   */
  readonly partial: boolean
}

export interface Options {
  /**
   * Stop after about this many bytes (at the first line end past them) and return a partial scan:
   * a big file's search text is then never held whole. Plain `.jsonl` only; the others are read
   * whole (they cannot be entered at an offset).
   */
  readonly maxBytes?: number
  /**
   * The run's notes of the plain files it scanned (`ForkCopies`): a fork's copy of a parent read
   * earlier in the run is then taken from them instead of read again. The scan is the same either
   * way but for the copied documents, which it leaves out (`Scan.copy`).
   */
  readonly copies?: ForkCopies.Cache
}

const HEAD = 4096
const CHUNK = 1 << 20

/**
 * One read buffer for every plain scan (they are synchronous, and the framer copies what it keeps
 * of a chunk): a fresh 1 MiB buffer per file is fresh memory whose page faults cost more than
 * reading a small file.
 */
let shared: Buffer | undefined
const chunkBuffer = (): Buffer => (shared ??= Buffer.allocUnsafe(CHUNK))

/** Identifies the bytes before the offset, so a file rewritten in place is read from scratch. */
const headHash = (file: SyncFiles.Handle, offset: number): string => {
  const n = Math.min(offset, HEAD)
  const buf = Buffer.alloc(n)
  file.read(buf, 0, n)
  return createHash("sha1").update(buf).digest("hex")
}

/** The session_meta payload without the bulky fields no listing needs (instructions, tools). */
const trim = (m: ThreadMetadata.State): ThreadMetadata.State => {
  if (m.meta === null || (m.meta.base_instructions == null && m.meta.dynamic_tools === undefined)) return m
  const { base_instructions: _b, dynamic_tools: _d, ...rest } = m.meta
  return { ...m, meta: { ...rest, base_instructions: null } as typeof m.meta }
}

/**
 * The lines the fold reads: `ThreadMetadata.step`, `SearchDoc.step`, `SearchDoc.extract` and
 * `ThreadFacts.step` leave their state unchanged for every other line, so those are not
 * schema-decoded at all (most of a rollout: reasoning, assistant message items, exec events). The test is on the
 * parsed JSON's own tags, which are exactly what `RolloutLine.decode` dispatches on, so a line it
 * lets through decodes (and is validated) as before. The sets come from the `search` and `metadata`
 * columns of `EventRoles`/`ItemRoles` and `ThreadFacts.TAGS`; `FileScan.test` checks them
 * against the folds.
 */
const EVENTS: ReadonlySet<unknown> = new Set([...EventRoles.where("search", true), ...EventRoles.where("metadata", true), ...ThreadFacts.TAGS])
const RESPONSE_ITEMS: ReadonlySet<unknown> = ItemRoles.where("search")

/** Whether the folds read a line of this type and payload tag. */
const reads = (type: unknown, tag: unknown): boolean => {
  if (type === "session_meta" || type === "turn_context") return true
  const tags = type === "event_msg" ? EVENTS : type === "response_item" ? RESPONSE_ITEMS : undefined
  return tags?.has(tag) === true
}

export const relevant = (value: { readonly [key: string]: unknown }): boolean => {
  const payload = value["payload"]
  return reads(value["type"], typeof payload === "object" && payload !== null ? (payload as { readonly type?: unknown }).type : undefined)
}

/**
 * `relevant`, judged from a line's envelope alone (`LinePrefix`): the framer leaves the lines it
 * refuses unparsed (token counts, reasoning and assistant message items are most of a rollout's
 * bytes). A payload whose tag is not its first key cannot be judged here: it is parsed.
 */
export const relevantPrefix = (p: LinePrefix.Prefix): boolean =>
  (p.tag === undefined && (p.type === "event_msg" || p.type === "response_item")) || reads(p.type, p.tag)

/**
 * What plain files' framing (IndexLines) does with a line, from its envelope: lines the folds
 * ignore (`relevantPrefix`) are left, the last-wins kinds (LastLines) are noted by offset for
 * `settle`, the rest are parsed. Shared by every scan: the verdicts are the same for every file.
 */
const envelopes = new IndexLines.Envelopes<LastLines.Kind>((p) => {
  if (!relevantPrefix(p)) return "skip"
  const kind = LastLines.kindOf(p)
  return kind === undefined ? "parse" : { mark: kind }
})

/** The fold over lines, shared by both file kinds. */
class Fold {
  private metadata: ThreadMetadata.State
  private turn: SearchDoc.Turn
  private facts: ThreadFacts.State
  private readonly line: number
  /** The state as last built; rebuilt when a line moved a part (`moved`), so unmoved states keep their identity. */
  private built: State
  private moved = false
  /** Lines folded so far. */
  folded = 0
  /** Whether the last turn start folded took its time from the line's timestamp (`ThreadMetadata`); undefined before one. */
  stamped: boolean | undefined
  readonly docs: Array<IndexedDoc> = []
  readonly diagnostics: Array<RefreshDiagnostic.RefreshDiagnostic> = []
  readonly pending = new LastLines.Pending()
  constructor(
    start: State,
    private readonly lineBase: number,
    private readonly path: string,
    /** How noted last-wins lines are read (plain files); none are noted without it. */
    private readonly read?: LastLines.Read
  ) {
    this.built = start
    this.metadata = start.metadata
    this.turn = start.turn
    this.facts = start.facts ?? ThreadFacts.empty
    this.line = start.line
  }
  get state(): State {
    if (this.moved) {
      this.built = { metadata: this.metadata, turn: this.turn, facts: this.facts, line: this.line }
      this.moved = false
    }
    return this.built
  }
  /** A parsed line (from IndexLines or a whole file's entries), at file offset `offset`. */
  readonly parsed = (value: { readonly [key: string]: unknown }, offset: number, lineNo: number): void => {
    if (!relevant(value)) return
    const decoded = IndexDecode.decode(value)
    if (decoded._tag === "Invalid" && value["type"] === "session_meta")
      this.diagnostics.push(
        RefreshDiagnostic.make(this.path, this.lineBase + lineNo, "invalid_payload", `session_meta skipped: ${decoded.message.split("\n")[0]}`)
      )
    if (decoded._tag !== "Known") return
    // A last-wins line parsed here (its envelope was not in Codex's exact shape) comes after the
    // ones noted before it: those are folded first, so the order is the file's.
    if (this.read !== undefined && !this.pending.isEmpty && LastLines.kindOfLine(decoded.line) !== undefined) this.settle(this.read)
    this.step(decoded.line, offset, this.lineBase + lineNo)
  }
  /** The lines of a compressed file or segment, read whole (no lines are skimmed). */
  entries(entries: ReadonlyArray<Entry>): void {
    for (const e of entries) if (e._tag === "Line") this.parsed(e.value, e.offset, e.line)
  }
  /** Folds the last-wins lines noted since the last call, reading them with `read`. */
  settle(read: LastLines.Read): void {
    for (const line of this.pending.settle(read)) this.step(line, 0, 0)
  }
  /** The parent id of a fork's own (first) `session_meta`, once it is folded. */
  get forkedFrom(): string | undefined {
    return this.metadata.meta?.forked_from_id ?? undefined
  }
  /** The thread id of the file's own `session_meta`, once it is folded. */
  get threadId(): string | undefined {
    return this.metadata.meta?.id
  }
  private step(line: RolloutLine.RolloutLine, offset: number, lineNo: number): void {
    this.folded++
    if (line.type === "event_msg" && (line.payload.type === "task_started" || line.payload.type === "turn_started"))
      this.stamped = line.payload.started_at === undefined || line.payload.started_at === null
    const turn = SearchDoc.step(this.turn, line)
    const metadata = ThreadMetadata.step(this.metadata, line)
    const facts = ThreadFacts.step(this.facts, line)
    for (const d of SearchDoc.extract(line))
      this.docs.push({ kind: d.kind, text: d.text, offset, line: lineNo, turnIndex: turn.index < 0 ? null : turn.index, turnId: turn.id })
    if (turn === this.turn && metadata === this.metadata && facts === this.facts) return
    this.turn = turn
    this.metadata = metadata === this.metadata || metadata.meta === this.metadata.meta ? metadata : trim(metadata)
    this.facts = facts
    this.moved = true
  }
}

/** Reads the line at file offset `offset` (up to its LF) through `file`, into a reused buffer. */
const lineReader = (file: SyncFiles.Handle, size: number): LastLines.Read => {
  let buf = Buffer.allocUnsafe(64 * 1024)
  return (offset) => {
    let filled = 0
    for (;;) {
      const n = file.read(buf.subarray(filled), offset + filled, Math.min(buf.length - filled, size - offset - filled))
      const lf = buf.subarray(filled, filled + n).indexOf(0x0a)
      if (lf >= 0) return buf.subarray(0, filled + lf)
      filled += n
      if (n === 0 || offset + filled >= size) return buf.subarray(0, filled)
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2)
        buf.copy(bigger, 0, 0, filled)
        buf = bigger
      }
    }
  }
}

/** Whether a stored position still describes the file (same bytes before it), so reading can resume. */
const resumable = (file: SyncFiles.Handle, size: number, resume: Resume | undefined): resume is Resume =>
  resume !== undefined && resume.offset > 0 && size >= resume.offset && headHash(file, resume.offset) === resume.headHash

const FORKED_FROM = Buffer.from('"forked_from_id":"', "latin1")

/**
 * A fork's copied history taken from `copies` (`ForkCopies`): its first line, a `session_meta`
 * naming its parent, is parsed and folded as the framing would, then the parent's notes are asked
 * for the lines after it.
 */
const takeCopy = (files: SyncFiles.Shape, file: SyncFiles.Handle, path: string, copies: ForkCopies.Cache): ForkCopies.Taken | undefined => {
  const buf = chunkBuffer()
  const n = file.read(buf, 0, Math.min(CHUNK, file.size))
  const lf = buf.subarray(0, n).indexOf(0x0a)
  // Only a first line in Codex's shape: no BOM or blanks, naming a parent (most files do not: not
  // parsed here, the scan parses it), valid UTF-8, an object. A key written with escapes only
  // means no copy is taken.
  if (lf < 0 || buf[0] !== 0x7b || buf.subarray(0, lf).indexOf(FORKED_FROM) < 0 || !isUtf8(buf.subarray(0, lf))) return undefined
  let value: unknown
  try {
    value = JSON.parse(buf.toString("utf8", 0, lf))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || (value as { type?: unknown }).type !== "session_meta") return undefined
  const fold = new Fold(empty, 0, path)
  fold.parsed(value as { readonly [key: string]: unknown }, 0, 1)
  const parent = fold.forkedFrom
  if (parent === undefined || fold.folded !== 1 || fold.docs.length > 0 || fold.diagnostics.length > 0) return undefined
  return copies.take(files, file, path, lf + 1, parent, { ...fold.state, line: 1 })
}

/** Reads a plain rollout from `resume` (or from the start). */
const scanPlain = (files: SyncFiles.Shape, path: string, resume: Resume | undefined, maxBytes: number, copies: ForkCopies.Cache | undefined): Scan => {
  const file = files.open(path)
  try {
    const size = file.size
    const origin = resumable(file, size, resume) ? resume.offset : 0
    let start = origin > 0 && resume !== undefined ? resume.state : empty
    // Where reading starts: after a fork's copy taken from its parent's notes, else `origin`.
    let from = origin
    const taken = origin === 0 && copies !== undefined ? takeCopy(files, file, path, copies) : undefined
    if (taken !== undefined) {
      from = taken.offset
      start = taken.state
    }
    const readLine = lineReader(file, size)
    const fold = new Fold(start, start.line, path, readLine)
    const framer = new IndexLines.IndexLines(envelopes, {
      line: (value, offset, line) => fold.parsed(value, from + offset, line),
      mark: (kind, offset) => fold.pending.add(kind, from + offset)
    })
    // Only what the file held when it was stat'ed: a writer appending meanwhile is read next time.
    let lastLf = -1
    const buf = chunkBuffer()
    // Past `maxBytes`, reading stops at the next chunk that ends a line.
    const stopAt = origin + maxBytes
    let pos = from
    while (pos < size && (pos < stopAt || lastLf < from)) {
      // Up to the budget, then small reads until a line ends.
      const n = file.read(buf, pos, Math.min(CHUNK, size - pos, Math.max(stopAt - pos, 256)))
      if (n === 0) break
      const chunk = buf.subarray(0, n)
      const lf = chunk.lastIndexOf(0x0a)
      framer.push(chunk)
      fold.settle(readLine)
      if (lf >= 0) lastLf = pos + lf
      pos += n
    }
    // Lines delivered by push() all end at an LF, so this is the state at `offset`; only end() can
    // deliver an unterminated last line (not when the scan stops early: the rest is read next).
    const offset = lastLf >= 0 ? lastLf + 1 : from
    const partial = pos < size
    const beforeTail = fold.state
    // Every LF ends one line (IndexLines counts them all): the lines before `offset`.
    const newlines = framer.lines
    const foldedBefore = fold.folded
    if (!partial) framer.end()
    const tail = fold.folded === foldedBefore ? null : { ...fold.state }
    const scan: Scan = {
      path,
      partial,
      size: partial ? offset : size,
      mtimeMs: Math.floor(file.mtimeMs),
      from: origin,
      offset,
      headHash: headHash(file, offset),
      state: { ...beforeTail, line: start.line + newlines },
      tail,
      docs: fold.docs,
      diagnostics: fold.diagnostics,
      ...(taken === undefined ? {} : { copy: taken.copy })
    }
    copies?.note(path, fold.threadId, { size, mtimeMs: file.mtimeMs, ino: file.ino }, { ...scan, size, stamped: fold.stamped })
    return scan
  } finally {
    file.close()
  }
}

/**
 * Reads a `.jsonl.zst` rollout or a binary segment (`.rseg`, the project's own format) whole
 * through `RolloutReader`. Its offset is the decoded length and is never resumed.
 */
const scanWhole = async (files: SyncFiles.Shape, path: string): Promise<Scan> => {
  const st = SyncFiles.statOf(files, path)
  const fold = new Fold(empty, 0, path)
  let end = 0
  let last: Entry | undefined
  for await (const batch of RolloutReader.batches(files.files, path)) {
    fold.entries(batch)
    for (const e of batch) if (e._tag === "Line") last = e
  }
  if (last?._tag === "Line") end = last.offset + Buffer.byteLength(last.raw) + 1
  return {
    path,
    size: st.size,
    mtimeMs: Math.floor(st.mtimeMs),
    from: 0,
    offset: end,
    headHash: `whole:${st.size}`,
    state: fold.state,
    tail: null,
    docs: fold.docs,
    diagnostics: fold.diagnostics,
    partial: false
  }
}

/** Scans `path` from `resume` when it still applies, else from the start. Throws if unreadable. */
export const scan = (path: string, resume?: Resume, files: SyncFiles.Shape = SyncFiles.node, options: Options = {}): Promise<Scan> =>
  readWhole(path)
    ? scanWhole(files, path)
    : Promise.resolve().then(() => scanPlain(files, path, resume, options.maxBytes ?? Number.POSITIVE_INFINITY, options.copies))

/** Compressed rollouts and binary segments cannot be entered at a byte offset. */
const readWhole = (path: string): boolean => RolloutReader.isZstdPath(path) || path.endsWith(".rseg")

/** The state the thread row is built from: the tail's when there is one. */
export const latest = (s: { readonly state: State; readonly tail: State | null }): State => s.tail ?? s.state
