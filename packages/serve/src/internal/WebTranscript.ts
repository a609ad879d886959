/**
 * A thread's human transcript for the web app, a page of turns at a time: the thread is named by
 * id only and found through the index (nothing outside the home can be asked for), streamed once
 * through the same fold as `rollout history` (`TranscriptRead`, bounded memory per line), and kept
 * while its files are unchanged; each request renders only the turns it asks for, so the page
 * opens a long thread with its first turns and fetches the rest as they scroll into view.
 */
import { Effect, Layer } from "effect"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"
import * as WebError from "./WebError.js"
import * as WebThreads from "./WebThreads.js"
import * as WebTurn from "./WebTurn.js"

export interface Context {
  readonly source: ThreadSource.ThreadSource
  readonly report: (text: string) => void
}

export interface Loaded {
  readonly thread: ThreadItem.Thread
  readonly views: ReadonlyArray<WorkedTurns.TurnView>
  readonly largest: number
  readonly facts: Api.ThreadFacts
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The index's row for thread `id`; a malformed id is a bad request, an unknown one not found. An
 * id the index does not know yet makes it look at the home first (a thread may have just appeared).
 */
export const find = async (source: ThreadSource.ThreadSource, id: string): Promise<ThreadSource.Thread> => {
  if (!UUID.test(id)) throw new WebError.BadRequest(`not a thread id: ${id}`)
  let found = await source.find(id.toLowerCase())
  if (found === undefined) {
    await source.refresh()
    found = await source.find(id.toLowerCase())
  }
  if (found === undefined) throw new WebError.NotFound(`no thread ${id} in this home`)
  return found
}

export const runRead = <A>(
  effect: Effect.Effect<A, { readonly message: string }, Files.Files | Diagnostics.Diagnostics>,
  report: (text: string) => void,
  files: Files.Shape = Files.node
) =>
  Effect.runPromise(
    effect.pipe(
      Effect.provide(Layer.mergeAll(Layer.succeed(Files.Files, files), Diagnostics.layer(report))),
      Effect.mapError((e) => new WebError.NotFound(e.message))
    )
  )

const facts = (t: ThreadSource.Thread, thread: ThreadItem.Thread, views: ReadonlyArray<WorkedTurns.TurnView>): Api.ThreadFacts => ({
  id: thread.id,
  // The list's title (the index's name or preview), so a thread is called the same everywhere.
  title: WebThreads.row(t).title || thread.id,
  cwd: thread.cwd,
  model: thread.model,
  source: t.source,
  cliVersion: thread.cliVersion,
  createdAt: thread.createdAt,
  forkedFromId: t.forkedFromId,
  turns: views.length,
  ...WebTurn.totals(views),
  ...(t.machine === undefined ? {} : { machine: t.machine })
})

const load = async (ctx: Context, t: ThreadSource.Thread): Promise<Loaded> => {
  const reader = await ctx.source.reader(t)
  const read = await runRead(TranscriptRead.read(t.path, reader.home), ctx.report, reader.files)
  const views = WorkedTurns.turns(read)
  return { thread: read.thread, views, largest: WebTurn.largest(views), facts: facts(t, read.thread, views) }
}

/** A few threads stay folded: the one on screen and the ones just left (a diff holds two). */
const KEEP = 4

export const make = (ctx: Context) => {
  const cache = new Map<string, { readonly version: string; readonly loaded: Promise<Loaded> }>()
  const get = async (id: string): Promise<Loaded> => {
    const t = await find(ctx.source, id)
    const v = await ctx.source.version(t)
    const hit = cache.get(t.id)
    if (hit !== undefined && hit.version === v) {
      cache.delete(t.id)
      cache.set(t.id, hit)
      return hit.loaded
    }
    const loaded = load(ctx, t)
    cache.set(t.id, { version: v, loaded })
    loaded.catch(() => cache.delete(t.id))
    while (cache.size > KEEP) cache.delete(cache.keys().next().value as string)
    return loaded
  }
  const page = async (id: string, from: number, limit: number): Promise<Api.TurnsPage> => {
    const l = await get(id)
    const start = Math.max(0, Math.min(from, l.views.length))
    const turns = l.views.slice(start, start + Math.min(100, Math.max(1, limit))).map((v) => WebTurn.entry(v, l.largest))
    return { thread: l.facts, from: start, turns }
  }
  return { get, page }
}

export type Transcripts = ReturnType<typeof make>
