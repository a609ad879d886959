/**
 * A thread for the human views (`history` without `--json`, `export`): the same `thread/read` that
 * `HistoryRead` answers, folded in the same pass with the work log (`@rollout/reduce/ThreadWork`),
 * so the transcript can show the commands, outputs, tool calls and token use that Codex's answer
 * leaves out of a legacy rollout. The JSON answer never comes from here. It renders nothing.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HotLines from "@rollout/reduce/HotLines"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"
import type { Diagnostics } from "./Diagnostics.js"
import * as HistoryRead from "./HistoryRead.js"
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
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = yield* Effect.promise(() => CodexHome.threadName(files, home, meta.id))
    const thread = ThreadRead.thread(state.read, { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) })
    if (thread === undefined) return yield* noMeta(arg)
    return { thread, work: WorkLog.finish(state.work), usage: WorkLog.usageByTurn(state.work) }
  })
