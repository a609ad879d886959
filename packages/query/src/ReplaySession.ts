/**
 * A recorded session ready to replay line by line: every line of a thread's files numbered on
 * across them (blank and unreadable lines keep their numbers but fold nothing), the history a
 * paginated fork inherits, and a timeline over the right fold (`ThreadHistory` for legacy
 * rollouts, `PaginatedHistory` for paginated ones, each beside the work log) that gives the thread
 * after any line. Opening reads the files once (`ReplayIndex`) and keeps where each page of lines
 * starts, not the lines: the timeline reads the pages a move needs again, so memory follows the
 * position shown, not the file. It draws nothing: the step UI and the printed views are the caller's.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import type * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as Timeline from "@rollout/reduce/Timeline"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import { Diagnostics } from "./Diagnostics.js"
import * as HistoryRead from "./HistoryRead.js"
import * as ReplayIndex from "./internal/ReplayIndex.js"
import { InvalidInput, UnreadableInput } from "./QueryError.js"

/** One line of the session: its number (across the thread's files), as read, and typed if known. */
export type Entry = ReplayIndex.Entry

/** A session ready to replay: its timeline and how to see the thread in its state. */
export interface Session<S> {
  readonly title: string
  readonly timeline: Timeline.Timeline<S, Entry>
  readonly turns: (state: S) => ReadonlyArray<ThreadItem.Turn>
  /** The turns as they stand mid-session (an unfinished turn stays `inProgress`), for the step UI. */
  readonly live: (state: S) => ReadonlyArray<ThreadItem.Turn>
  /** The work log of the lines folded (`ThreadWork` from an empty history): commands and their output. */
  readonly work: (state: S) => WorkLog.State
  /** The thread's metadata as `thread/read` folds it from the lines folded (a fork's inherited preview included). */
  readonly metadata: (state: S) => ThreadMetadata.State
  /** The number of the last line (0 when there is none). */
  readonly lastNumber: number
  /** The numbers of the lines that start turns (the timeline's marks). */
  readonly markNumbers: ArrayLike<number>
  /** The position after line `n` (counting every line numbered ≤ n). */
  readonly positionOf: (n: number) => Promise<number>
}

/** The position after line `n` (counting every line numbered ≤ n). */
export const positionOf = <S>(session: Session<S>, n: number): Promise<number> => session.positionOf(n)

/** A thread's files as read for replay, with what its history starts from. */
export interface Recording {
  readonly paths: ReadonlyArray<string>
  readonly meta: ReplayIndex.Meta | undefined
  /** A paginated fork's parent history at the fork point, as `history` reads it. */
  readonly inherited: ThreadRead.State | undefined
  /** The number of the last line (0 when there is none). */
  readonly lastNumber: number
  readonly index: ReplayIndex.Index
  readonly files: Files.Shape
}

/** How the pages are cut: at most `lines` lines, and a new page once one passes `bytes` (defaults: 256 lines, 4 MiB). */
export type PageSize = ReplayIndex.PageSize

/**
 * Reads the thread's files (`paths`, oldest first) for replay: one pass, problems to `Diagnostics`
 * (with `reportUntil`, only those of lines 1..reportUntil: what `--at N` folds).
 */
export const open = (
  paths: ReadonlyArray<string>,
  home: string,
  size: PageSize = {},
  reportUntil?: number
): Effect.Effect<Recording, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const diagnostics = yield* Diagnostics
    const index = yield* Effect.promise(async () =>
      ReplayIndex.read(files, paths, await ReplayIndex.mustHold(files, paths), diagnostics.report, size, reportUntil)
    )
    if (index.unreadable !== undefined && index.length === 0) return yield* new UnreadableInput({ message: index.unreadable })
    const meta = index.meta
    const inherited = meta?.history_mode === "paginated" ? yield* HistoryRead.baseState(meta, home) : undefined
    return { paths, meta, inherited, lastNumber: index.lastNumber, index, files }
  })

/** The position after line `n`: the page that holds it found by its first line's number, then counted in the page. */
const positionIn =
  <S>(recording: Recording, timeline: Timeline.Timeline<S, Entry>) =>
  async (n: number): Promise<number> => {
    const { pages, starts } = recording.index
    let lo = 0
    let hi = pages.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((pages[mid] as { readonly number: number }).number <= n) lo = mid + 1
      else hi = mid
    }
    if (lo === 0) return 0
    const lines = await Timeline.page(timeline, lo - 1)
    let i = 0
    while (i < lines.length && (lines[i] as Entry).number <= n) i++
    return (starts[lo - 1] as number) + i
  }

interface Paginated {
  readonly history: PaginatedHistory.State
  readonly work: ThreadWork.State
  readonly metadata: ThreadMetadata.State
}

const stepPaginated = (s: Paginated, e: Entry): Paginated => {
  if (e.typed === undefined) return s
  const history = PaginatedHistory.step(s.history, e.typed)
  const work = ThreadWork.step(s.work, e.typed)
  const metadata = ThreadMetadata.step(s.metadata, e.typed)
  return history === s.history && work === s.work && metadata === s.metadata ? s : { history, work, metadata }
}

const stepLegacy = (s: ThreadWork.State, e: Entry): ThreadWork.State => (e.typed === undefined ? s : ThreadWork.step(s, e.typed))

/**
 * Calls `use` with the recording's session (the fold's state type stays inside). A legacy
 * rollout's history is `ThreadWork`'s own (`ThreadRead` folds every line through `ThreadHistory`
 * when the first session_meta is not paginated, from the same empty state), so one fold serves
 * the turns, the work log and the metadata; a paginated one starts from its inherited history.
 */
export const session = <A>(recording: Recording, title: string, use: <S>(session: Session<S>) => A): A => {
  const index = recording.index
  const pages: Timeline.Pages<Entry> = { length: index.length, starts: index.starts, load: (k) => ReplayIndex.load(recording.files, index, k) }
  const common = { title, lastNumber: recording.lastNumber, markNumbers: index.markNumbers }
  if (recording.meta?.history_mode === "paginated") {
    const inherited = recording.inherited
    const initial: Paginated = {
      history: inherited?.paginated ?? PaginatedHistory.empty,
      work: ThreadWork.empty,
      metadata: inherited === undefined ? ThreadMetadata.empty : ThreadMetadata.inherit(inherited.metadata)
    }
    const timeline = Timeline.paged(pages, stepPaginated, initial, index.marks)
    return use<Paginated>({
      ...common,
      timeline,
      turns: (s) => PaginatedHistory.turns(s.history),
      live: (s) => [...AppendOnly.toArray(s.history.older), ...(s.history.newest === null ? [] : [s.history.newest])],
      work: (s) => s.work.work,
      metadata: (s) => s.metadata,
      positionOf: positionIn(recording, timeline)
    })
  }
  const timeline = Timeline.paged(pages, stepLegacy, ThreadWork.empty, index.marks)
  return use<ThreadWork.State>({
    ...common,
    timeline,
    turns: (s) => ThreadHistory.normalize(ThreadHistory.finish(s.read.legacy)),
    live: (s) => ThreadHistory.normalize(ThreadHistory.finish(s.read.legacy), true),
    work: (s) => s.work,
    metadata: (s) => s.read.metadata,
    positionOf: positionIn(recording, timeline)
  })
}

/** The thread after line `n` and the work log of lines 1..n. */
export interface At {
  readonly thread: ThreadItem.Thread
  readonly work: WorkLog.State
}

/**
 * The thread (as `thread/read` builds it, or in the `live` view) after line `n`, from lines 1..n
 * only, with their work log. `arg` names the thread in the failure when those lines hold no
 * session_meta.
 */
export const threadAt = (
  recording: Recording,
  n: number,
  arg: string,
  home: string,
  view: "read" | "live" = "read"
): Effect.Effect<At, InvalidInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const { meta, paths } = recording
    // `read`: thread/read of lines 1..n (the JSON contract: a turn they leave unfinished is
    // interrupted, as for any thread not running). `live`: as `--step` shows line n, where such a
    // turn is still in progress; the human views use it so that the two never disagree.
    const folded = yield* Effect.promise(() =>
      session(recording, "", async (s) => {
        const state = await Timeline.stateAt(s.timeline, await s.positionOf(n))
        return { turns: (view === "live" ? s.live : s.turns)(state), metadata: s.metadata(state), work: s.work(state) }
      })
    )
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = meta === undefined ? undefined : yield* Effect.promise(() => CodexHome.threadName(files, home, meta.id))
    const thread = ThreadMetadata.thread(folded.metadata, {
      path: nodePath.resolve(path),
      mtimeMs: stat.mtimeMs,
      ...(name === undefined ? {} : { name })
    })
    if (thread === undefined) return yield* new InvalidInput({ message: `${arg}: no session_meta in lines 1..${n}, so no thread to show` })
    return { thread: { ...thread, turns: folded.turns }, work: folded.work }
  })
