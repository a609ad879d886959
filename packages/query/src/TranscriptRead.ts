/**
 * A thread for the human views (`history` without `--json`, `export`): the same `thread/read` that
 * `HistoryRead` answers, folded in the same pass with the work log (`@rollout/reduce/ThreadWork`),
 * so the transcript can show the commands, outputs, tool calls and token use that Codex's answer
 * leaves out of a legacy rollout. The JSON answer never comes from here. It renders nothing.
 * `stream` hands a large legacy thread's turns out as they become final, with their work.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HotLines from "@rollout/reduce/HotLines"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"
import type { Diagnostics } from "./Diagnostics.js"
import * as HistoryRead from "./HistoryRead.js"
import * as HistorySkim from "./internal/HistorySkim.js"
import { InvalidInput, type UnreadableInput } from "./QueryError.js"
import * as ThreadFold from "./ThreadFold.js"

export interface Transcript {
  readonly thread: ThreadItem.Thread
  /** The work log's entries, in the order the calls were made. */
  readonly work: ReadonlyArray<WorkLog.Entry>
  /** Token use per turn id. */
  readonly usage: ReturnType<typeof WorkLog.usageByTurn>
}

const noMeta = (arg: string) => new InvalidInput({ message: `${arg}: no session_meta line, so no thread to rebuild` })

/** The thread and its work log, streamed from its rollout files (a paginated fork's parent first). */
export const read = (
  arg: string,
  home: string,
  options: HistoryRead.ReadOptions = {}
): Effect.Effect<Transcript, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadFold.resolve(arg, home)
    let start: ThreadRead.State = ThreadRead.empty
    if (options.allEvents !== undefined) start = ThreadRead.live(options.allEvents.freshId)
    else {
      const first = yield* ThreadFold.foldPaths(paths, ThreadRead.empty, ThreadRead.step, { stop: (s) => ThreadRead.meta(s) !== null, quiet: true })
      const meta = ThreadRead.meta(first)
      if (meta === null) return yield* noMeta(arg)
      const base = meta.history_mode === "paginated" ? yield* HistoryRead.baseState(meta, home) : undefined
      if (base !== undefined) start = ThreadRead.inherit(base)
    }
    const state = yield* ThreadFold.foldPaths(paths, ThreadWork.from(start), ThreadWork.step, {
      triage: ThreadWork.triage,
      count: ThreadWork.count,
      view: HotLines.view
    })
    const meta = ThreadRead.meta(state.read)
    if (meta === null) return yield* noMeta(arg)
    return yield* finished(arg, state, yield* fileInfo(files, paths, home, meta.id, arg))
  })

const fileInfo = (files: Files.Shape, paths: ReadonlyArray<string>, home: string, id: string, arg: string) =>
  Effect.gen(function* () {
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = yield* Effect.promise(() => CodexHome.threadName(files, home, id))
    return { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) } satisfies ThreadMetadata.FileInfo
  })

/** The transcript of what the fold still holds. */
const finished = (arg: string, state: ThreadWork.State, file: ThreadMetadata.FileInfo) =>
  Effect.gen(function* () {
    const thread = ThreadRead.thread(state.read, file)
    if (thread === undefined) return yield* noMeta(arg)
    return { thread, work: WorkLog.finish(state.work), usage: WorkLog.usageByTurn(state.work) } satisfies Transcript
  })

/** Where `stream` hands out what it knows before the end. */
export interface Sink {
  /** The thread's header (no turns), before any turn. */
  readonly head: (thread: ThreadItem.Thread) => void
  /** A turn that no later line changes, with its work, in order. */
  readonly turn: (turn: ThreadWork.Released) => void
}

export type StreamOptions = HistoryRead.ReadOptions & Pick<HistoryRead.Streaming, "streamFrom" | "seenBitsLog2">

/** The turns `stream` did not hand out, and how many it did before them. */
export interface Rest extends Transcript {
  readonly offset: number
}

/**
 * `read`, handed to `sink` as it is known: the same transcript, split into the turns handed out
 * and the rest. A legacy thread of `streamFrom` bytes or more (`HistoryRead.STREAM_BYTES`) is
 * read twice: a first pass (`HistorySkim`) learns which turns, turn ids and call ids later lines
 * still name, then the fold hands out each turn (with its commands, results and token use) once
 * no later line can change it, so memory follows the turns in flight. Others are held as `read`.
 */
export const stream = (
  arg: string,
  home: string,
  sink: Sink,
  options: StreamOptions = {}
): Effect.Effect<Rest, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadFold.resolve(arg, home)
    const live = options.allEvents !== undefined
    if (!(yield* HistoryRead.streams(paths, live, options.streamFrom))) {
      const held = yield* read(arg, home, options)
      sink.head({ ...held.thread, turns: [] })
      return { ...held, offset: 0 }
    }
    const skim = yield* Effect.promise(() => HistorySkim.skim(files, paths, live, { work: true, seenBitsLog2: options.seenBitsLog2 }))
    const meta = skim.metadata.meta
    if (meta === null) return yield* noMeta(arg)
    const file = yield* fileInfo(files, paths, home, meta.id, arg)
    const head = ThreadMetadata.thread(skim.metadata, file)
    if (head === undefined) return yield* noMeta(arg)
    sink.head({ ...head, turns: [] })
    const after = (s: ThreadWork.State, at: number) => {
      const final = skim.final(at, (s.read.legacy.released ?? 0) + s.read.legacy.turns.length)
      // Work goes to the last held turn: one is released only once a turn after it outlives every rollback.
      const r = ThreadWork.release(
        s,
        (id, index, calls) => final(id, index) && final(null, index + 1) && skim.lastStart(id) <= at && calls.every((c) => skim.lastCall(c) <= at)
      )
      for (const t of r.turns) sink.turn(t)
      return r.state
    }
    const start = ThreadWork.from(options.allEvents === undefined ? ThreadRead.empty : ThreadRead.live(options.allEvents.freshId))
    const state = yield* ThreadFold.foldPaths(paths, start, ThreadWork.step, {
      triage: ThreadWork.triage,
      count: ThreadWork.count,
      view: HotLines.view,
      ends: skim.ends,
      after
    })
    const rest = yield* finished(arg, state, file)
    return { ...rest, offset: state.read.legacy.released ?? 0 }
  })
