/**
 * One page of a thread's turns as Codex app-server v2 `thread/turns/list` answers it for a
 * not-loaded thread (`TurnsPage` over the turns `HistoryRead` rebuilds). A large legacy thread
 * is read twice, as `HistoryRead.writeJson` does: a first pass learns which turns later lines
 * still change, then the fold hands each turn out once it is final and only the turns the page can
 * need are kept (`TurnsWindow`), so memory follows the page, not the thread. Others are held and
 * paged whole. It renders nothing.
 */
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HotLines from "@rollout/reduce/HotLines"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as TurnsPage from "@rollout/reduce/TurnsPage"
import type { Diagnostics } from "./Diagnostics.js"
import * as HistoryRead from "./HistoryRead.js"
import * as HistorySkim from "./internal/HistorySkim.js"
import * as TurnsWindow from "./internal/TurnsWindow.js"
import { InvalidInput, type UnreadableInput } from "./QueryError.js"
import * as ThreadFold from "./ThreadFold.js"

const noMeta = (arg: string) => new InvalidInput({ message: `${arg}: no session_meta line, so no thread to rebuild` })

/** A kept turn: its text as `thread/read` prints it (parsed only if the page shows it), or the turn. */
type Kept = string | ThreadItem.Turn

/** The page `params` asks for of the thread `arg` names; `streamFrom` as for `HistoryRead.streams`. */
export const page = (
  arg: string,
  home: string,
  params: TurnsPage.Params,
  options: { readonly streamFrom?: number } = {}
): Effect.Effect<TurnsPage.Result, InvalidInput | UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* ThreadFold.resolve(arg, home)
    if (!(yield* HistoryRead.streams(paths, false, options.streamFrom))) {
      const { thread, anchors } = yield* HistoryRead.read(arg, home)
      return TurnsPage.page(thread.turns, params, anchors, thread.id)
    }
    const skim = yield* Effect.promise(() => HistorySkim.skim(files, paths, false))
    const meta = skim.metadata.meta
    if (meta === null) return yield* noMeta(arg)
    const window = TurnsWindow.make<Kept>(params)
    const after = (s: ThreadRead.State, at: number) => {
      const final = skim.final(at, (s.legacy.released ?? 0) + s.legacy.turns.length)
      // `release` asks in order and stops at the first turn that is not final: the ids it was told yes for are its turns'.
      const ids: Array<string> = []
      const r = ThreadRead.release(s, (id, index) => {
        const yes = final(id, index)
        if (yes) ids.push(id)
        return yes
      })
      r.json.forEach((json, i) => window.push(ids[i] as string, json))
      return r.state
    }
    const state = yield* ThreadFold.foldPaths(paths, ThreadRead.empty, ThreadRead.step, {
      triage: ThreadRead.triage,
      count: ThreadRead.count,
      view: HotLines.view,
      readAhead: "history",
      ends: skim.ends,
      after
    })
    if (ThreadRead.meta(state) === null) return yield* noMeta(arg)
    for (const turn of ThreadRead.turns(state)) window.push(turn.id, turn)
    const turns = window.kept().map((t) => (typeof t === "string" ? (JSON.parse(t) as ThreadItem.Turn) : t))
    return TurnsPage.page(turns, params, ThreadRead.anchors(state), meta.id)
  })
