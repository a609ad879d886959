/**
 * A thread's human transcript for the web app, a page of turns at a time: the thread is named by
 * id only and found through the index (nothing outside the home can be asked for). A legacy thread
 * in one plain file is paged through its turn index (`TurnIndexCache`, `TurnPages`): only the
 * lines of the turns asked for are read, so a long thread opens with its first turns and fetches
 * the rest as they scroll into view. Any other thread (paginated, in segments or compressed, or one
 * the index cannot follow) is streamed once through the same fold as `rollout history`
 * (`TranscriptRead`) and kept while its files are unchanged; the diff view reads threads so too.
 */
import { Effect, Layer } from "effect"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"
import * as LineRange from "./LineRange.js"
import * as LongText from "./LongText.js"
import * as TurnHead from "./TurnHead.js"
import * as TurnIndexCache from "./TurnIndexCache.js"
import * as TurnIndexer from "./TurnIndexer.js"
import * as TurnPages from "./TurnPages.js"
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

/**
 * A thread file this large is indexed in the background on its first open, its first pages read
 * meanwhile from the file's first `HEAD_BUDGET` bytes; a smaller one is indexed at once (well under
 * a second).
 */
const LARGE = 16 << 20
const HEAD_BUDGET = 8 << 20

/** A few threads stay folded: the one on screen and the ones just left (a diff holds two). */
const KEEP = 4

/** A page's turns as views, with what their entries need. */
interface Views {
  readonly thread: Api.ThreadFacts
  readonly from: number
  readonly views: ReadonlyArray<WorkedTurns.TurnView>
  readonly largest: number
  readonly indexing?: Api.Indexing
}

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
  // The turn index lives in the local index and reads the file on this disk: a home's only.
  const local = ctx.source.local
  const indexes = local === undefined ? undefined : TurnIndexCache.make(local.store, ctx.report)
  /** The page from the turn index, or undefined when the thread is not one the index serves. */
  const indexed = async (t: ThreadSource.Thread, from: number, limit: number): Promise<Views | undefined> => {
    if (indexes === undefined || t.paths.length !== 1 || t.historyMode === "paginated" || !LineRange.sliceable(t.path)) return undefined
    try {
      const peek = await indexes.peek(t.path, LARGE)
      if (peek._tag === "Building") {
        const head = await TurnHead.read(t.path, t.name ?? undefined, from, limit, HEAD_BUDGET)
        if (head !== undefined) return headPage(t, head, from, { read: peek.read, size: peek.size })
      }
      const index = peek._tag === "Ready" ? peek.paged : await indexes.get(t.path)
      const thread = TurnPages.thread(index, t.name ?? undefined)
      if (thread === undefined) return undefined
      const views = await TurnPages.views(index, from, limit)
      const shown = { turns: index.count, tokens: index.sums.tokens, costUSD: index.sums.costUSD }
      return {
        thread: { ...facts(t, thread, []), ...shown },
        from: Math.max(0, Math.min(from, index.count)),
        views,
        largest: index.sums.largest
      }
    } catch (e) {
      if ((e as { code?: unknown }).code === "ENOENT") return undefined
      if (!(e instanceof TurnIndexer.Unindexable || e instanceof TurnPages.Mismatch)) throw e
      ctx.report(`rollout serve: ${t.id}: read whole (${e.message})\n`)
      return undefined
    }
  }
  /** A page from the file's first lines while its index is built: the count and totals so far. */
  const headPage = (t: ThreadSource.Thread, head: TurnHead.Head, from: number, indexing: Api.Indexing): Views => ({
    thread: { ...facts(t, head.thread, head.views), turns: head.finished },
    from,
    views: head.views,
    largest: WebTurn.largest(head.views),
    indexing
  })
  const views = async (id: string, from: number, limit: number): Promise<Views> => {
    const t = await find(ctx.source, id)
    const viaIndex = await indexed(t, from, limit)
    if (viaIndex !== undefined) return viaIndex
    const l = await get(id)
    const start = Math.max(0, Math.min(from, l.views.length))
    return { thread: l.facts, from: start, views: l.views.slice(start, start + limit), largest: l.largest }
  }
  const page = async (id: string, from: number, limit: number): Promise<Api.TurnsPage> => {
    const v = await views(id, from, Math.min(100, Math.max(1, limit)))
    const url = (n: number) => (c: Api.Cut) => `/api/threads/${v.thread.id}/turns/${n}/text?part=${c.part}&path=${encodeURIComponent(c.path)}`
    return {
      thread: v.thread,
      from: v.from,
      turns: v.views.map((t) => WebTurn.entry(t, v.largest, url(t.n))),
      ...(v.indexing === undefined ? {} : { indexing: v.indexing })
    }
  }
  /** The whole string a page's entry cut (`Api.Cut`): turn `n` (from 1), its part `part`, at `path`. */
  const text = async (id: string, n: number, part: number, path: string): Promise<string> => {
    const v = await views(id, n - 1, 1)
    const turn = v.views.find((t) => t.n === n)
    if (turn === undefined) throw new WebError.NotFound(`no turn ${n} in thread ${id}`)
    const whole = LongText.at(turn, part, path)
    if (whole === undefined) throw new WebError.NotFound(`no text at part ${part}, ${path} of turn ${n}`)
    return whole
  }
  return { get, page, text, close: () => indexes?.close() }
}

export type Transcripts = ReturnType<typeof make>
