/**
 * A recorded session ready to replay line by line: every line of a thread's files numbered on
 * across them (blank and unreadable lines keep their numbers but fold nothing), the history a
 * paginated fork inherits, and a timeline over the right fold (`ThreadHistory` for legacy
 * rollouts, `PaginatedHistory` for paginated ones) that gives the thread after any line. It draws
 * nothing: the step UI and the printed views are the caller's.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type { LogLine } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import type * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as Timeline from "@rollout/reduce/Timeline"
import { Diagnostics } from "./Diagnostics.js"
import * as HistoryRead from "./HistoryRead.js"
import { InvalidInput, UnreadableInput } from "./QueryError.js"

/** One line of the session: its number (across the thread's files), as read, and typed if known. */
export interface Entry {
  readonly number: number
  readonly log: LogLine
  readonly typed: RolloutLine.RolloutLine | undefined
}

/** A session ready to replay: its timeline and how to see turns in its state. */
export interface Session<S> {
  readonly title: string
  readonly timeline: Timeline.Timeline<S, Entry>
  readonly turns: (state: S) => ReadonlyArray<ThreadItem.Turn>
  /** The turns as they stand mid-session (an unfinished turn stays `inProgress`), for the step UI. */
  readonly live: (state: S) => ReadonlyArray<ThreadItem.Turn>
}

/** The position after line `n` (counting every line numbered ≤ n). */
export const positionOf = <S>(session: Session<S>, n: number): number => {
  const lines = session.timeline.lines
  let lo = 0
  let hi = lines.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((lines[mid] as Entry).number <= n) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Every line of the thread's files, numbered on across files; problems go to `Diagnostics`. */
const readEntries = (paths: ReadonlyArray<string>): Effect.Effect<Array<Entry>, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const diagnostics = yield* Diagnostics
    const entries: Array<Entry> = []
    let base = 0
    let unreadable: string | undefined
    for (const path of paths) {
      const last = yield* Effect.promise(async () => {
        let last = 0
        for await (const batch of RolloutReader.batches(files, path)) {
          for (const e of batch) {
            last = Math.max(last, e.line)
            if (e._tag === "Diagnostic") {
              if (e.kind === "read_error") unreadable = e.message
              diagnostics.report(`${e.path}:${e.line}: ${e.kind}: ${e.message}\n`)
              continue
            }
            const decoded = RolloutLine.decode(e.value)
            if (decoded._tag === "Invalid")
              diagnostics.report(`${path}:${e.line}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
            entries.push({ number: base + e.line, log: e, typed: decoded._tag === "Known" ? decoded.line : undefined })
          }
        }
        return last
      })
      base += last
    }
    if (unreadable !== undefined && entries.length === 0) return yield* new UnreadableInput({ message: unreadable })
    return entries
  })

const typedLines = (entries: ReadonlyArray<Entry>): Array<RolloutLine.RolloutLine> => entries.flatMap((e) => (e.typed === undefined ? [] : [e.typed]))

const sessionMeta = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => {
  const first = lines.find((l) => l.type === "session_meta")
  return first?.type === "session_meta" ? first.payload : undefined
}

const isTurnStart = (e: Entry) => e.typed?.type === "event_msg" && (e.typed.payload.type === "task_started" || e.typed.payload.type === "turn_started")
const isUserMessage = (e: Entry) => e.typed?.type === "event_msg" && e.typed.payload.type === "user_message"

/** Calls `use` with the session's timeline over the right fold (the fold's state type stays inside). */
const withSession = <A>(entries: ReadonlyArray<Entry>, base: PaginatedHistory.State, title: string, use: <S>(session: Session<S>) => A): A => {
  // Rollouts older than task_started events mark their turns by the user's messages.
  const startsTurn = entries.some(isTurnStart) ? isTurnStart : isUserMessage
  if (sessionMeta(typedLines(entries))?.history_mode === "paginated") {
    const step = (s: PaginatedHistory.State, e: Entry) => (e.typed === undefined ? s : PaginatedHistory.step(s, e.typed))
    const live = (s: PaginatedHistory.State) => [...AppendOnly.toArray(s.older), ...(s.newest === null ? [] : [s.newest])]
    return use({ title, timeline: Timeline.make(entries, step, base, { startsTurn }), turns: PaginatedHistory.turns, live })
  }
  const step = (s: ThreadHistory.State, e: Entry) => (e.typed === undefined ? s : ThreadHistory.step(s, e.typed))
  return use({
    title,
    timeline: Timeline.make(entries, step, ThreadHistory.empty, { startsTurn }),
    turns: (s) => ThreadHistory.normalize(ThreadHistory.finish(s)),
    live: (s) => ThreadHistory.normalize(ThreadHistory.finish(s), true)
  })
}

/** A thread's lines as read for replay, with what its history starts from. */
export interface Recording {
  readonly paths: ReadonlyArray<string>
  readonly entries: ReadonlyArray<Entry>
  readonly meta: ReturnType<typeof sessionMeta>
  /** A paginated fork's parent history at the fork point, as `history` reads it. */
  readonly inherited: ThreadRead.State | undefined
  /** The number of the last line (0 when there is none). */
  readonly lastNumber: number
}

/** Reads the thread's files (`paths`, oldest first) for replay. */
export const open = (paths: ReadonlyArray<string>, home: string): Effect.Effect<Recording, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const entries = yield* readEntries(paths)
    const meta = sessionMeta(typedLines(entries))
    const inherited = meta?.history_mode === "paginated" ? yield* HistoryRead.baseState(meta, home) : undefined
    return { paths, entries, meta, inherited, lastNumber: entries.at(-1)?.number ?? 0 }
  })

/** Calls `use` with the recording's session (see `withSession`). */
export const session = <A>(recording: Recording, title: string, use: <S>(session: Session<S>) => A): A =>
  withSession(recording.entries, recording.inherited?.paginated ?? PaginatedHistory.empty, title, use)

/**
 * The thread (as `thread/read` builds it, or in the `live` view) after line `n`, from lines 1..n
 * only. `arg` names the thread in the failure when those lines hold no session_meta.
 */
export const threadAt = (
  recording: Recording,
  n: number,
  arg: string,
  home: string,
  view: "read" | "live" = "read"
): Effect.Effect<ThreadItem.Thread, InvalidInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const { entries, meta, inherited, paths } = recording
    // `read`: thread/read of lines 1..n (the JSON contract: a turn they leave unfinished is
    // interrupted, as for any thread not running). `live`: as `--step` shows line n, where such a
    // turn is still in progress; the human views use it so that the two never disagree.
    const turns = session(recording, "", (s) => (view === "live" ? s.live : s.turns)(Timeline.stateAt(s.timeline, positionOf(s, n))))
    const upTo = typedLines(entries.filter((e) => e.number <= n))
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = meta === undefined ? undefined : yield* Effect.promise(() => CodexHome.threadName(files, home, meta.id))
    const start = inherited === undefined ? ThreadMetadata.empty : ThreadMetadata.inherit(inherited.metadata)
    const thread = ThreadMetadata.thread(ThreadMetadata.fold(upTo, start), {
      path: nodePath.resolve(path),
      mtimeMs: stat.mtimeMs,
      ...(name === undefined ? {} : { name })
    })
    if (thread === undefined) return yield* new InvalidInput({ message: `${arg}: no session_meta in lines 1..${n}, so no thread to show` })
    return { ...thread, turns }
  })
