/**
 * A thread's history as Codex app-server v2 `thread/read` (with `includeTurns`) rebuilds it —
 * legacy rollouts replayed from the file (persistence filter first), paginated ones from their
 * `item_completed` records (a fork's earlier turns come from the parent named by
 * `session_meta.history_base`). `history`, `turns`, `export` and `replay` all read through here:
 * the rollout streams batch by batch through one fold, so memory follows the answer, not the file.
 * It renders nothing.
 */
import * as nodePath from "node:path"
import { Clock, Effect, Random } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HotLines from "@rollout/reduce/HotLines"
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import type * as TurnsPage from "@rollout/reduce/TurnsPage"
import * as Uuid7 from "@rollout/reduce/Uuid7"
import type { Diagnostics } from "./Diagnostics.js"
import { InvalidInput, type UnreadableInput } from "./QueryError.js"
import * as HistorySkim from "./internal/HistorySkim.js"
import * as ThreadFold from "./ThreadFold.js"

export interface ReadOptions {
  /** Feed every line to the live builder (no persistence filter); implicit turn ids from `freshId`. */
  readonly allEvents?: { readonly freshId: (n: number) => string } | undefined
}

/** Only lines a reducer reads are decoded; the others are counted or skipped from their raw JSON. */
const streaming = { triage: ThreadRead.triage, count: ThreadRead.count, view: HotLines.view }

const noMeta = (arg: string) => new InvalidInput({ message: `${arg}: no session_meta line, so no thread to rebuild` })

/** The first session_meta of a thread's files (read stops at the first batch holding one). */
const peekMeta = (paths: ReadonlyArray<string>) =>
  ThreadFold.foldPaths(paths, ThreadRead.empty, ThreadRead.step, { stop: (s) => ThreadRead.meta(s) !== null, quiet: true }).pipe(Effect.map(ThreadRead.meta))

/**
 * The state a paginated fork starts from: its parent's history cut at `history_base`, whose own
 * base comes first (recursively; a missing parent contributes nothing, as in Codex).
 */
export const baseState = (
  meta: ThreadRead.State["metadata"]["meta"],
  home: string,
  depth = 0
): Effect.Effect<ThreadRead.State | undefined, never, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const base = meta?.history_base
    if (base === undefined || depth > 16) return undefined
    const paths = yield* ThreadFold.resolve(base.thread_id, home)
    const grand = yield* baseState(yield* peekMeta(paths), home, depth + 1)
    const start = { ...(grand === undefined ? ThreadRead.empty : ThreadRead.inherit(grand)), endOrdinal: base.end_ordinal_exclusive }
    return yield* ThreadFold.foldPaths(paths, start, ThreadRead.step, { ...streaming, quiet: true })
  }).pipe(Effect.catch(() => Effect.succeed(undefined)))

export interface Read {
  readonly thread: ThreadItem.Thread
  /** How `thread/turns/list` anchors these turns (by id, or by ordinal for paginated threads). */
  readonly anchors: TurnsPage.Anchors
}

/** The folded state of a thread and what the file system adds to it. */
export interface Loaded {
  readonly state: ThreadRead.State
  readonly file: ThreadMetadata.FileInfo
}

/** The thread `thread/read {includeTurns: true}` answers, streamed from its rollout files. */
export const read = (arg: string, home: string, options: ReadOptions = {}): Effect.Effect<Read, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const { state, file } = yield* load(arg, home, options)
    const thread = ThreadRead.thread(state, file)
    if (thread === undefined) return yield* noMeta(arg)
    return { thread, anchors: ThreadRead.anchors(state) }
  })

/** Streams the thread's files through one fold (a paginated fork's parent first). */
export const load = (arg: string, home: string, options: ReadOptions = {}): Effect.Effect<Loaded, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadFold.resolve(arg, home)
    let start: ThreadRead.State
    let meta: ThreadRead.State["metadata"]["meta"]
    if (options.allEvents !== undefined) {
      start = ThreadRead.live(options.allEvents.freshId)
      meta = null
    } else {
      meta = yield* peekMeta(paths)
      if (meta === null) return yield* noMeta(arg)
      const base = meta.history_mode === "paginated" ? yield* baseState(meta, home) : undefined
      start = base === undefined ? ThreadRead.empty : ThreadRead.inherit(base)
    }
    // A replay (not the live builder) reads large files ahead in a second thread.
    const state = yield* ThreadFold.foldPaths(
      paths,
      start,
      ThreadRead.step,
      options.allEvents === undefined ? { ...streaming, readAhead: "history" } : streaming
    )
    meta = ThreadRead.meta(state)
    if (meta === null) return yield* noMeta(arg)
    return { state, file: yield* fileInfo(files, paths, home, meta.id, arg) }
  })

/** What the file system and the session index add to the thread: its last file's path and time, its name. */
const fileInfo = (files: Files.Shape, paths: ReadonlyArray<string>, home: string, id: string, arg = "") =>
  Effect.gen(function* () {
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = yield* Effect.promise(() => CodexHome.threadName(files, home, id))
    return { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) } satisfies ThreadMetadata.FileInfo
  })

/** Fresh UUIDv7 ids for the live builder: the clock and 74 random bits, taken once per command. */
export const freshIds = Effect.gen(function* () {
  const ms = yield* Clock.currentTimeMillis
  let random = 0n
  for (let i = 0; i < 3; i++) random = (random << 32n) | BigInt((yield* Random.nextIntBetween(0, 2 ** 32 - 1)) >>> 0)
  return { freshId: Uuid7.sequence(ms, random) }
})

/**
 * The thread's `thread/read` JSON as text, one finished turn at a time, so the history is never
 * held as objects nor as one string.
 */
export const jsonParts = (
  arg: string,
  home: string,
  options: ReadOptions = {}
): Effect.Effect<Iterable<string>, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const { state, file } = yield* load(arg, home, options)
    const parts = ThreadRead.threadJsonParts(state, file)
    if (parts === undefined) return yield* noMeta(arg)
    return parts
  })

/**
 * From this many bytes of rollout on, `writeJson` streams a legacy thread in two passes instead
 * of holding its answer until the end: the second read costs less than the held turns would.
 */
export const STREAM_BYTES = 128 << 20

const totalSize = (files: Files.Shape, paths: ReadonlyArray<string>) =>
  Effect.promise(() =>
    Promise.all(
      paths.map((p) =>
        files.stat(p).then(
          (s) => s.size,
          () => 0
        )
      )
    ).then((sizes) => sizes.reduce((a, b) => a + b, 0))
  )

/** Whether a thread's files are read in two passes (large, and not paginated: a paginated thread is held). */
export const streams = (
  paths: ReadonlyArray<string>,
  live: boolean,
  streamFrom = STREAM_BYTES
): Effect.Effect<boolean, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    if ((yield* totalSize(files, paths)) < streamFrom) return false
    return live || (yield* peekMeta(paths))?.history_mode !== "paginated"
  })

/** How a streamed answer is read; the defaults but `streamFrom` are for tests, which take every branch on small files. */
export interface Streaming {
  /** From how many bytes a thread is streamed (`STREAM_BYTES`). */
  readonly streamFrom?: number
  /** From how many items a turn is long (`ThreadHistory.LONG_TURN`): only a long turn's items are written before it ends. */
  readonly longTurn?: number
  /** The epochs of the first pass's item notes (`HistorySkim.EPOCH_BYTES`). */
  readonly epochBytes?: number
  /** The size of the first pass's filter of seen ids, as a power of two (`SeenFilter`). */
  readonly seenBitsLog2?: number
}

const withLongTurn = (s: ThreadRead.State, longTurn: number | undefined): ThreadRead.State =>
  longTurn === undefined ? s : { ...s, legacy: { ...s.legacy, longTurn } }

/**
 * `jsonParts`, handed to `write` piece by piece as they are known (the same text). A large legacy
 * thread is written while it is read: a first pass (`HistorySkim`) learns the header and which
 * turns later lines still change, then the fold hands each turn out as soon as it is final, so
 * memory follows the turns in flight, not the thread. A paginated thread is held as before.
 */
export const writeJson = (
  arg: string,
  home: string,
  write: (text: string) => void,
  options: ReadOptions & Streaming = {}
): Effect.Effect<void, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadFold.resolve(arg, home)
    const live = options.allEvents !== undefined
    if (!(yield* streams(paths, live, options.streamFrom))) {
      for (const part of yield* jsonParts(arg, home, options)) write(part)
      return
    }
    const skim = yield* Effect.promise(() =>
      HistorySkim.skim(files, paths, live, { seenBitsLog2: options.seenBitsLog2, epochBytes: options.epochBytes ?? HistorySkim.EPOCH_BYTES })
    )
    const start = withLongTurn(options.allEvents === undefined ? ThreadRead.empty : ThreadRead.live(options.allEvents.freshId), options.longTurn)
    if (!(yield* writeStreamed(paths, home, write, skim, start, live))) return yield* noMeta(arg)
  })

/**
 * `writeJson` of the thread as its first `line` lines hold it (what `replay --at` answers: as
 * `history` of a copy cut after that line), streamed the same way; for one large legacy file only.
 * Answers false, having written nothing, when it does not apply (a small, paginated or segmented
 * thread, no session_meta by then, or fewer lines): the caller then holds the answer.
 */
export const writeJsonUntil = (
  paths: ReadonlyArray<string>,
  home: string,
  line: number,
  write: (text: string) => void,
  options: Streaming = {}
): Effect.Effect<boolean, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    if (paths.length !== 1 || !(yield* streams(paths, false, options.streamFrom))) return false
    const skim = yield* Effect.promise(() =>
      HistorySkim.skim(files, paths, false, { seenBitsLog2: options.seenBitsLog2, until: line, epochBytes: options.epochBytes ?? HistorySkim.EPOCH_BYTES })
    )
    // A line past the last one met (a trailing blank line, or none): the held answer says which.
    if (skim.lastLine < line) return false
    return yield* writeStreamed(paths, home, write, skim, withLongTurn(ThreadRead.empty, options.longTurn), false)
  })

/** The second pass of a streamed answer, after `skim`; false (nothing written) without a session_meta. */
const writeStreamed = (
  paths: ReadonlyArray<string>,
  home: string,
  write: (text: string) => void,
  skim: HistorySkim.Skim,
  start: ThreadRead.State,
  live: boolean
): Effect.Effect<boolean, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const meta = skim.metadata.meta
    if (meta === null) return false
    const head = ThreadRead.headJson(skim.metadata, yield* fileInfo(files, paths, home, meta.id))
    if (head === undefined) return false
    write(head)
    let first = true
    // Whether a long turn's head and first items are written (`releaseItems`): its rest comes next, with no comma before it.
    let open = false
    // The comma goes alone: joined to a turn's text, a long turn would be copied again to be written.
    const put = (json: ReadonlyArray<string>) => {
      for (const j of json) {
        if (open) open = false
        else if (!first) write(",")
        write(j)
        first = false
      }
    }
    const putItems = (json: ReadonlyArray<string>) => {
      for (const j of json) {
        if (!open && !first) write(",")
        write(j)
        open = true
        first = false
      }
    }
    // The turn in flight as last seen (`ThreadRead.inFlight`): its items made before the current epoch may be written.
    let seen: { readonly key: object; readonly items: number; readonly epoch: number } | undefined
    let made = 0
    const after = (s: ThreadRead.State, at: number) => {
      const r = ThreadRead.release(s, skim.final(at, (s.legacy.released ?? 0) + s.legacy.turns.length))
      put(r.json)
      const f = ThreadRead.inFlight(r.state)
      if (f === undefined) {
        seen = undefined
        return r.state
      }
      const epoch = skim.epochOf(at)
      // Another list (another turn, or its items copied) starts again: what it held before is not known.
      if (seen === undefined || seen.key !== f.key) made = 0
      else if (epoch > seen.epoch) made = seen.items
      seen = { key: f.key, items: f.items, epoch }
      // Written only if no later rollback can reach it: once its first items are out, it stays.
      if (made === 0 || !skim.final(at, f.index + 1)(null, f.index)) return r.state
      const out = ThreadRead.releaseItems(r.state, made, (item) => skim.itemFinal(item, at))
      putItems(out.json)
      const g = ThreadRead.inFlight(out.state)
      if (g !== undefined) seen = { key: g.key, items: g.items, epoch }
      return out.state
    }
    const state = yield* ThreadFold.foldPaths(paths, start, ThreadRead.step, {
      ...streaming,
      ...(live ? {} : { readAhead: "history" as const }),
      ends: skim.ends,
      after
    })
    put(ThreadRead.restJson(state))
    write("]}")
    return true
  })
